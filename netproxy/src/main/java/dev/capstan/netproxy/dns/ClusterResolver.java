package dev.capstan.netproxy.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Answers one question from the cluster's state, as CoreDNS's kubernetes plugin ({@code pods insecure}) does for
 * the records of the Kubernetes DNS specification (github.com/kubernetes/dns docs/specification.md):
 * {@code <svc>.<ns>.svc.<zone>} A/AAAA (ClusterIPs; a headless Service's ready endpoints; CNAME for ExternalName),
 * {@code _<port>._<proto>.<svc>.<ns>.svc.<zone>} SRV, {@code <hostname>.<svc>.<ns>.svc.<zone>} A/AAAA,
 * {@code <a-b-c-d>.<ns>.pod.<zone>} A, {@code dns-version.<zone>} TXT, and PTR for ClusterIPs and endpoint
 * addresses. Unknown names in the zone get NXDOMAIN and a name without the asked type NODATA, both with the zone's
 * SOA; names outside it and unknown reverse names are {@link Answer#OUTSIDE}. Pure: no I/O, no clock.
 */
public final class ClusterResolver {
    /** The schema version CoreDNS publishes at dns-version.<zone>, with its fixed TTL. */
    static final String SCHEMA_VERSION = "1.1.0";

    private static final long SCHEMA_TTL = 28800;
    private static final String REVERSE_V4 = "in-addr.arpa";
    private static final int MAX_CHAIN = 8;

    private final String zone;
    private final long ttl;
    private final ClusterState state;

    /**
     * @param zone the cluster domain, such as {@code cluster.local}
     * @param ttl every record's TTL in seconds (CoreDNS: {@code ttl 30} in kubeadm's Corefile, 5 without it)
     */
    public ClusterResolver(String zone, long ttl, ClusterState state) {
        this.zone = Rr.stripDot(zone).toLowerCase(Locale.ROOT);
        this.ttl = ttl;
        this.state = state;
    }

    public String zone() {
        return zone;
    }

    /** An answer whose CNAME chain leaves the zone at {@code outsideTarget}: upstream may know the rest. */
    public record Chased(Answer answer, Optional<String> outsideTarget) {}

    /**
     * {@link #resolve} following the CNAMEs of ExternalName Services as CoreDNS does (stub resolvers do not chase
     * them): within the zone here, at most {@value #MAX_CHAIN} links; a target outside it is left to the caller.
     */
    public Chased resolveChasing(String questionName, DnsRecordType type) {
        Answer answer = resolve(questionName, type);
        if (answer.outsideZone() || type == DnsRecordType.CNAME) {
            return new Chased(answer, Optional.empty());
        }
        List<Rr> chain = new ArrayList<>();
        for (int i = 0; i < MAX_CHAIN && isCname(answer); i++) {
            chain.addAll(answer.answers());
            String target = answer.answers().get(0).text();
            Answer next = resolve(target, type);
            if (next.outsideZone()) {
                return new Chased(Answer.of(chain, List.of()), Optional.of(target));
            }
            answer = next;
        }
        if (chain.isEmpty()) {
            return new Chased(answer, Optional.empty());
        }
        chain.addAll(answer.answers());
        return new Chased(
                new Answer(answer.rcode(), true, false, List.copyOf(chain), answer.authority(), answer.additional()),
                Optional.empty());
    }

    private static boolean isCname(Answer answer) {
        return answer.answers().size() == 1 && answer.answers().get(0).type() == DnsRecordType.CNAME;
    }

    public Answer resolve(String questionName, DnsRecordType type) {
        String name = Rr.stripDot(questionName).toLowerCase(Locale.ROOT);
        if (name.equals(zone)) {
            return type == DnsRecordType.SOA ? Answer.of(List.of(soa()), List.of()) : nodata();
        }
        if (!name.endsWith("." + zone)) {
            return name.endsWith("." + REVERSE_V4) ? reverse(name, type) : Answer.OUTSIDE;
        }
        String[] labels = name.substring(0, name.length() - zone.length() - 1).split("\\.", -1);
        String kind = labels[labels.length - 1];
        int n = labels.length;
        if (n == 1 && kind.equals("dns-version")) {
            return type == DnsRecordType.TXT
                    ? Answer.of(List.of(Rr.txt(Rr.absolute(name), SCHEMA_TTL, SCHEMA_VERSION)), List.of())
                    : nodata();
        }
        if (kind.equals("svc")) {
            return switch (n) {
                case 1 -> nodata();
                case 2 -> state.namespaceExists(labels[0]) ? nodata() : nxdomain();
                case 3 -> service(labels[1], labels[0], type);
                case 4 -> endpoint(labels[2], labels[1], labels[0], type);
                case 5 -> srv(labels[3], labels[2], labels[0], labels[1], type);
                default -> nxdomain();
            };
        }
        if (kind.equals("pod")) {
            return switch (n) {
                case 1 -> nodata();
                case 2 -> state.namespaceExists(labels[0]) ? nodata() : nxdomain();
                case 3 -> pod(labels[0], labels[1], type);
                default -> nxdomain();
            };
        }
        return nxdomain();
    }

    private Answer service(String namespace, String name, DnsRecordType type) {
        Optional<Service> found = state.service(namespace, name);
        if (found.isEmpty()) {
            return nxdomain();
        }
        Service service = found.get();
        String owner = serviceName(name, namespace);
        if (isExternalName(service)) {
            String target = service.getSpec().getExternalName();
            return Answer.of(List.of(Rr.cname(owner, ttl, target)), List.of());
        }
        List<InetAddress> ips = new ArrayList<>();
        if (isHeadless(service)) {
            var addresses = ServiceEndpoints.addresses(service, state.endpointSlices(namespace, name));
            if (addresses.isEmpty()) {
                return nxdomain(); // the specification: a headless Service without ready endpoints
            }
            if (type == DnsRecordType.SRV) {
                return headlessSrv(service, owner, addresses, null, null);
            }
            addresses.forEach(a -> ips.add(a.ip()));
        } else {
            if (type == DnsRecordType.SRV) {
                return clusterIpSrv(service, owner, null, null);
            }
            ips.addAll(clusterIps(service));
        }
        return addressAnswer(owner, ips, type);
    }

    private Answer endpoint(String namespace, String service, String host, DnsRecordType type) {
        Optional<Service> found = state.service(namespace, service);
        if (found.isEmpty() || isExternalName(found.get())) {
            return nxdomain();
        }
        List<InetAddress> ips = new ArrayList<>();
        for (var a : ServiceEndpoints.addresses(found.get(), state.endpointSlices(namespace, service))) {
            if (a.hostname().equals(host)) {
                ips.add(a.ip());
            }
        }
        return ips.isEmpty() ? nxdomain() : addressAnswer(host + "." + serviceName(service, namespace), ips, type);
    }

    private Answer srv(String namespace, String name, String portLabel, String protoLabel, DnsRecordType type) {
        Optional<Service> found = state.service(namespace, name);
        if (found.isEmpty() || !portLabel.startsWith("_") || !protoLabel.startsWith("_")) {
            return nxdomain();
        }
        Service service = found.get();
        String port = portLabel.substring(1);
        String proto = protoLabel.substring(1);
        String owner = portLabel + "." + protoLabel + "." + serviceName(name, namespace);
        if (isExternalName(service) || matchingPorts(service, port, proto).isEmpty()) {
            return nxdomain();
        }
        if (type != DnsRecordType.SRV) {
            return nodata();
        }
        if (!isHeadless(service)) {
            return clusterIpSrv(service, owner, port, proto);
        }
        var addresses = ServiceEndpoints.addresses(service, state.endpointSlices(namespace, name));
        return addresses.isEmpty() ? nxdomain() : headlessSrv(service, owner, addresses, port, proto);
    }

    private Answer clusterIpSrv(Service service, String owner, String port, String proto) {
        String target = serviceName(
                service.getMetadata().getName(), service.getMetadata().getNamespace());
        List<ServicePort> ports = matchingPorts(service, port, proto);
        List<Rr> answers = new ArrayList<>();
        for (ServicePort p : ports) {
            answers.add(Rr.srv(owner, ttl, 0, weight(ports.size()), p.getPort(), target));
        }
        List<Rr> additional = new ArrayList<>();
        clusterIps(service).forEach(ip -> additional.add(Rr.address(target, ttl, ip)));
        return Answer.of(answers, additional);
    }

    private Answer headlessSrv(
            Service service, String owner, List<ServiceEndpoints.Address> addresses, String port, String proto) {
        String svcName = serviceName(
                service.getMetadata().getName(), service.getMetadata().getNamespace());
        List<ServicePort> ports = matchingPorts(service, port, proto);
        int count = ports.size() * addresses.size();
        List<Rr> answers = new ArrayList<>();
        List<Rr> additional = new ArrayList<>();
        for (ServicePort p : ports) {
            String protocol = protocol(p);
            for (var a : addresses) {
                String target = a.hostname() + "." + svcName;
                int number = p.getName() == null
                        ? p.getPort()
                        : ServiceEndpoints.slicePort(a.slice(), p.getName(), protocol)
                                .orElse(p.getPort());
                answers.add(Rr.srv(owner, ttl, 0, weight(count), number, target));
                Rr glue = Rr.address(target, ttl, a.ip());
                if (additional.stream().noneMatch(r -> r.toString().equals(glue.toString()))) {
                    additional.add(glue);
                }
            }
        }
        return Answer.of(answers, additional);
    }

    /** {@code pods insecure}: any well-formed dashed address answers itself, in any namespace. */
    private Answer pod(String dashed, String namespace, DnsRecordType type) {
        Optional<InetAddress> ip = IpLiterals.undash(dashed);
        if (ip.isEmpty()) {
            return nxdomain();
        }
        return addressAnswer(dashed + "." + namespace + ".pod." + zone, List.of(ip.get()), type);
    }

    /** PTR for a ClusterIP (the Service's name) or an endpoint address (its hostname under the Service). */
    private Answer reverse(String name, DnsRecordType type) {
        String[] octets =
                name.substring(0, name.length() - REVERSE_V4.length() - 1).split("\\.", -1);
        if (octets.length != 4) {
            return Answer.OUTSIDE;
        }
        String ipText = octets[3] + "." + octets[2] + "." + octets[1] + "." + octets[0];
        Optional<InetAddress> ip = IpLiterals.parse(ipText);
        if (ip.isEmpty()) {
            return Answer.OUTSIDE;
        }
        List<String> targets = new ArrayList<>();
        for (Service s : state.servicesByClusterIp(ip.get().getHostAddress())) {
            targets.add(serviceName(s.getMetadata().getName(), s.getMetadata().getNamespace()));
        }
        for (var slice : state.endpointSlicesByAddress(ip.get().getHostAddress())) {
            String service = slice.getMetadata().getLabels() == null
                    ? null
                    : slice.getMetadata().getLabels().get(InformerClusterState.SERVICE_NAME_LABEL);
            Optional<Service> owner = service == null
                    ? Optional.empty()
                    : state.service(slice.getMetadata().getNamespace(), service);
            if (owner.isPresent()) {
                for (var a : ServiceEndpoints.addresses(owner.get(), List.of(slice))) {
                    String target = a.hostname() + "."
                            + serviceName(service, slice.getMetadata().getNamespace());
                    if (a.ip().equals(ip.get()) && !targets.contains(target)) {
                        targets.add(target);
                    }
                }
            }
        }
        if (targets.isEmpty()) {
            return Answer.OUTSIDE; // CoreDNS: fallthrough in-addr.arpa, so upstream answers other addresses
        }
        if (type != DnsRecordType.PTR) {
            return new Answer(DnsResponseCode.NOERROR, true, false, List.of(), List.of(), List.of());
        }
        String owner = Rr.absolute(name);
        return Answer.of(targets.stream().map(t -> Rr.ptr(owner, ttl, t)).toList(), List.of());
    }

    private Answer addressAnswer(String owner, List<InetAddress> ips, DnsRecordType type) {
        boolean v4 = type == DnsRecordType.A;
        if (!v4 && type != DnsRecordType.AAAA) {
            return nodata();
        }
        String name = Rr.absolute(owner);
        List<Rr> answers = new ArrayList<>();
        for (InetAddress ip : ips) {
            if ((ip instanceof Inet4Address) == v4) {
                answers.add(Rr.address(name, ttl, ip));
            }
        }
        return answers.isEmpty() ? nodata() : Answer.of(answers, List.of());
    }

    private static List<ServicePort> matchingPorts(Service service, String port, String proto) {
        List<ServicePort> out = new ArrayList<>();
        if (service.getSpec().getPorts() == null) {
            return out;
        }
        for (ServicePort p : service.getSpec().getPorts()) {
            boolean named = p.getName() != null && !p.getName().isEmpty();
            if (port == null
                    ? named
                    : named && p.getName().equalsIgnoreCase(port) && protocol(p).equalsIgnoreCase(proto)) {
                out.add(p);
            }
        }
        return out;
    }

    private static String protocol(ServicePort p) {
        return p.getProtocol() == null ? "TCP" : p.getProtocol();
    }

    /** CoreDNS spreads a weight of 100 evenly over the records of one priority. */
    private static int weight(int count) {
        return Math.max(1, 100 / Math.max(1, count));
    }

    static boolean isExternalName(Service service) {
        return "ExternalName".equals(service.getSpec().getType());
    }

    static boolean isHeadless(Service service) {
        return "None".equals(service.getSpec().getClusterIP());
    }

    static List<InetAddress> clusterIps(Service service) {
        List<String> texts = service.getSpec().getClusterIPs() == null
                        || service.getSpec().getClusterIPs().isEmpty()
                ? (service.getSpec().getClusterIP() == null
                        ? List.of()
                        : List.of(service.getSpec().getClusterIP()))
                : service.getSpec().getClusterIPs();
        List<InetAddress> out = new ArrayList<>();
        for (String text : texts) {
            IpLiterals.parse(text).ifPresent(out::add);
        }
        return out;
    }

    private String serviceName(String name, String namespace) {
        return name + "." + namespace + ".svc." + zone + ".";
    }

    private Rr soa() {
        return Rr.soa(zone, Math.min(ttl, 300), state.serial(), ttl);
    }

    private Answer nxdomain() {
        return Answer.negative(DnsResponseCode.NXDOMAIN, soa());
    }

    private Answer nodata() {
        return Answer.negative(DnsResponseCode.NOERROR, soa());
    }
}
