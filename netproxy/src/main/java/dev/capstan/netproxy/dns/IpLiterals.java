package dev.capstan.netproxy.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** IP literals without name lookups (InetAddress.getByName resolves anything that is not a literal). */
final class IpLiterals {
    private IpLiterals() {}

    static Optional<InetAddress> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        if (text.indexOf(':') >= 0) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                    return Optional.empty();
                }
            }
            return byLiteral(text);
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) v;
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The address with dots (IPv4) or colons (IPv6) as dashes, as endpoint and pod names spell it. */
    static String dashed(InetAddress ip) {
        String text = ip.getHostAddress();
        return ip instanceof Inet4Address ? text.replace('.', '-') : text.replace(':', '-');
    }

    /** A dashed pod name back to its address: four dashed octets, or an IPv6 address with dashes for colons. */
    static Optional<InetAddress> undash(String label) {
        long dashes = label.chars().filter(c -> c == '-').count();
        if (dashes == 3) {
            Optional<InetAddress> v4 = parse(label.replace('-', '.'));
            if (v4.isPresent()) {
                return v4;
            }
        }
        return label.indexOf(':') >= 0 || label.indexOf('.') >= 0 ? Optional.empty() : parse(label.replace('-', ':'));
    }

    private static Optional<InetAddress> byLiteral(String text) {
        try {
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
