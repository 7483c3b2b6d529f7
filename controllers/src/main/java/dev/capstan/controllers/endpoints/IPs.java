package dev.capstan.controllers.endpoints;

import java.util.Optional;

/**
 * IP literals as Go's net package reads and prints them (ParseIPSloppy, IP.String): dotted quads with leading zeros
 * allowed, IPv6 printed in its shortest form, IPv4-mapped IPv6 addresses counted as IPv4. Never resolves names.
 */
public final class IPs {
    /** An address and its EndpointSlice address type, "IPv4" or "IPv6". */
    public record Parsed(String text, String addressType) {}

    private IPs() {}

    public static Optional<Parsed> parse(String ip) {
        if (ip == null || ip.isEmpty()) {
            return Optional.empty();
        }
        if (ip.indexOf(':') < 0) {
            int[] v4 = parseV4(ip);
            return v4 == null ? Optional.empty() : Optional.of(new Parsed(v4Text(v4, 0), "IPv4"));
        }
        int[] words = parseV6(ip);
        if (words == null) {
            return Optional.empty();
        }
        if (words[0] == 0 && words[1] == 0 && words[2] == 0 && words[3] == 0 && words[4] == 0 && words[5] == 0xffff) {
            int[] v4 = {words[6] >> 8, words[6] & 0xff, words[7] >> 8, words[7] & 0xff};
            return Optional.of(new Parsed(v4Text(v4, 0), "IPv4"));
        }
        return Optional.of(new Parsed(v6Text(words), "IPv6"));
    }

    public static boolean isIPv6(String ip) {
        return parse(ip).map(p -> p.addressType().equals("IPv6")).orElse(false);
    }

    private static int[] parseV4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        int[] out = new int[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return null;
            }
            out[i] = Integer.parseInt(p);
            if (out[i] > 255) {
                return null;
            }
        }
        return out;
    }

    private static String v4Text(int[] v4, int from) {
        return v4[from] + "." + v4[from + 1] + "." + v4[from + 2] + "." + v4[from + 3];
    }

    /** Eight 16-bit words, or null when not an IPv6 literal. */
    private static int[] parseV6(String s) {
        int[] words = new int[8];
        String head = s;
        String tail = "";
        int gap = s.indexOf("::");
        if (gap >= 0) {
            if (s.indexOf("::", gap + 1) >= 0) {
                return null;
            }
            head = s.substring(0, gap);
            tail = s.substring(gap + 2);
        }
        int[] h = groups(head);
        int[] t = groups(tail);
        if (h == null || t == null) {
            return null;
        }
        if (gap < 0 ? h.length != 8 : h.length + t.length > 7) {
            return null;
        }
        System.arraycopy(h, 0, words, 0, h.length);
        System.arraycopy(t, 0, words, 8 - t.length, t.length);
        return words;
    }

    private static int[] groups(String s) {
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] parts = s.split(":", -1);
        int[] v4 = null;
        int n = parts.length;
        if (parts[n - 1].indexOf('.') >= 0) {
            v4 = parseV4(parts[n - 1]);
            if (v4 == null) {
                return null;
            }
            n--;
        }
        int[] out = new int[n + (v4 == null ? 0 : 2)];
        for (int i = 0; i < n; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 4) {
                return null;
            }
            try {
                out[i] = Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (v4 != null) {
            out[n] = v4[0] << 8 | v4[1];
            out[n + 1] = v4[2] << 8 | v4[3];
        }
        return out;
    }

    /** RFC 5952: the longest run of two or more zero words (the first of equals) becomes "::". */
    private static String v6Text(int[] w) {
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLen - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                b.append(':');
            }
            b.append(Integer.toHexString(w[i]));
        }
        return b.toString();
    }
}
