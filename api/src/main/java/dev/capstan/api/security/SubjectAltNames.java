package dev.capstan.api.security;

import dev.capstan.api.validation.Net;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The names the serving certificate must cover: the in-cluster service names, this machine, and configured extras.
 * Free of Bouncy Castle, whose signed jars the JDK verifies on first use: a start that keeps its certificate never
 * loads them.
 */
record SubjectAltNames(Set<String> dnsNames, Set<InetAddress> ips) {
    private static final List<String> DEFAULT_DNS = List.of(
            "localhost",
            "kubernetes",
            "kubernetes.default",
            "kubernetes.default.svc",
            "kubernetes.default.svc.cluster.local");
    private static final List<String> DEFAULT_IPS = List.of("127.0.0.1", "::1");
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    SubjectAltNames {
        // insertion-ordered so that the certificate lists names in a stable, readable order
        dnsNames = Collections.unmodifiableSet(new LinkedHashSet<>(dnsNames));
        ips = Collections.unmodifiableSet(new LinkedHashSet<>(ips));
    }

    /**
     * @throws IllegalArgumentException if an extra name is blank or not printable ASCII, or an extra IP is not an IP
     *     literal
     */
    static SubjectAltNames of(List<String> extraDnsNames, List<String> extraIps) {
        Set<String> dns = new LinkedHashSet<>(DEFAULT_DNS);
        localHostname().ifPresent(dns::add);
        for (String name : extraDnsNames) {
            if (!isDnsName(name)) {
                throw new IllegalArgumentException("not a DNS name: '" + name + "'");
            }
            dns.add(name.toLowerCase(Locale.ROOT));
        }
        Set<InetAddress> ips = Stream.concat(DEFAULT_IPS.stream(), extraIps.stream())
                .map(SubjectAltNames::parseIp)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return new SubjectAltNames(dns, ips);
    }

    /** The kernel's hostname; never a DNS lookup, which can hang for seconds on a machine without a resolver. */
    static Optional<String> localHostname() {
        String name;
        Path kernel = Path.of("/proc/sys/kernel/hostname");
        try {
            name = Files.isReadable(kernel)
                    ? Files.readString(kernel, StandardCharsets.US_ASCII).strip()
                    : InetAddress.getLocalHost().getHostName();
        } catch (IOException e) { // includes UnknownHostException: the certificate just lacks the hostname
            return Optional.empty();
        }
        return isDnsName(name) ? Optional.of(name.toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    /** Whether cert names every DNS name and IP here (it may name more). */
    boolean coveredBy(X509Certificate cert) {
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (sans == null) {
            return false;
        }
        Set<String> certDns = new LinkedHashSet<>();
        Set<InetAddress> certIps = new LinkedHashSet<>();
        for (List<?> san : sans) {
            if (san.get(0) instanceof Integer type && san.get(1) instanceof String value) {
                if (type == SAN_DNS) {
                    certDns.add(value.toLowerCase(Locale.ROOT));
                } else if (type == SAN_IP && Net.parseIp(value) instanceof InetAddress ip) {
                    certIps.add(ip);
                }
            }
        }
        return certDns.containsAll(dnsNames) && certIps.containsAll(ips);
    }

    /** Printable ASCII without spaces: anything else would be mangled in the certificate's IA5String. */
    private static boolean isDnsName(String name) {
        return name != null && !name.isEmpty() && name.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    private static InetAddress parseIp(String literal) {
        // a literal only: a host name is rejected, never resolved
        InetAddress ip = literal == null ? null : Net.parseIp(literal);
        if (ip == null) {
            throw new IllegalArgumentException("not an IP address: '" + literal + "'");
        }
        return ip;
    }
}
