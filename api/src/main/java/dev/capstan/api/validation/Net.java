package dev.capstan.api.validation;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** IP and CIDR parsing with the leniency of k8s.io/utils/net's "sloppy" parsers (leading zeros in IPv4). */
public final class Net {
    private Net() {}

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

    /** The parsed address, or null. IPv4-mapped IPv6 addresses come back as IPv4, as Go's To4 sees them. */
    public static InetAddress parseIp(String s) {
        try {
            var m = IPV4.matcher(s);
            if (m.matches()) {
                byte[] b = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int v = Integer.parseInt(m.group(i + 1));
                    if (v > 255) {
                        return null;
                    }
                    b[i] = (byte) v;
                }
                return InetAddress.getByAddress(b);
            }
            if (s.contains(":") && IPV6_CHARS.matcher(s).matches()) {
                // a literal containing ':' is parsed locally, never resolved
                return InetAddress.getByName(s);
            }
        } catch (UnknownHostException | NumberFormatException e) {
            return null;
        }
        return null;
    }

    static boolean isIpv6(String s) {
        return parseIp(s) instanceof Inet6Address;
    }

    static boolean isIpv4(String s) {
        return parseIp(s) instanceof Inet4Address;
    }

    static boolean isCidr(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return false;
        }
        InetAddress ip = parseIp(s.substring(0, slash));
        String prefix = s.substring(slash + 1);
        if (ip == null || prefix.isEmpty() || !prefix.chars().allMatch(Character::isDigit) || prefix.length() > 3) {
            return false;
        }
        int bits = ip instanceof Inet4Address && !s.substring(0, slash).contains(":") ? 32 : 128;
        return Integer.parseInt(prefix) <= bits;
    }

    /** ValidateNonSpecialIP: a valid IP that is not unspecified, loopback or link-local. */
    static void nonSpecialIp(String ip, String path, Errors errs) {
        InetAddress addr = Net.parseIp(ip);
        if (addr == null) {
            errs.invalid(path, ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
            return;
        }
        if (addr.isAnyLocalAddress()) {
            errs.invalid(path, ip, "may not be unspecified (" + ip + ")");
        }
        if (addr.isLoopbackAddress()) {
            errs.invalid(path, ip, "may not be in the loopback range (127.0.0.0/8, ::1/128)");
        }
        if (addr.isLinkLocalAddress()) {
            errs.invalid(path, ip, "may not be in the link-local range (169.254.0.0/16, fe80::/10)");
        }
        if (isLinkLocalMulticast(addr)) {
            errs.invalid(path, ip, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)");
        }
    }

    /** Go's IsLinkLocalMulticast: 224.0.0.0/24, or ff02::/16 for IPv6. */
    private static boolean isLinkLocalMulticast(InetAddress addr) {
        byte[] b = addr.getAddress();
        if (b.length == 4) {
            return (b[0] & 0xff) == 224 && b[1] == 0 && b[2] == 0;
        }
        return (b[0] & 0xff) == 0xff && (b[1] & 0x0f) == 0x02;
    }
}
