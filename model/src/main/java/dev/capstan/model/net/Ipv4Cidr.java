package dev.capstan.model.net;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * An IPv4 prefix with its host bits cleared, as Go's net.ParseCIDR returns it ({@code 10.0.0.5/24} is
 * {@code 10.0.0.0/24}). Addresses are ints holding the four octets big-endian; compare them unsigned.
 */
public record Ipv4Cidr(int network, int prefix) implements Comparable<Ipv4Cidr> {

    public Ipv4Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix length " + prefix + " is not in 0..32");
        }
        network &= mask(prefix);
    }

    /** The prefix of {@code a.b.c.d/n}; empty for anything else, IPv6 prefixes included. */
    public static Optional<Ipv4Cidr> parse(String cidr) {
        int slash = cidr == null ? -1 : cidr.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        OptionalInt address = parseAddress(cidr.substring(0, slash));
        int prefix = decimal(cidr.substring(slash + 1), 2);
        if (address.isEmpty() || prefix < 0 || prefix > 32) {
            return Optional.empty();
        }
        return Optional.of(new Ipv4Cidr(address.getAsInt(), prefix));
    }

    /** A dotted-quad IPv4 address as Go's ParseIP reads one (no leading zeros); empty for anything else. */
    public static OptionalInt parseAddress(String address) {
        if (address == null) {
            return OptionalInt.empty();
        }
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            return OptionalInt.empty();
        }
        int value = 0;
        for (String part : parts) {
            int octet = decimal(part, 3);
            if (octet < 0 || octet > 255 || (part.length() > 1 && part.charAt(0) == '0')) {
                return OptionalInt.empty();
            }
            value = (value << 8) | octet;
        }
        return OptionalInt.of(value);
    }

    public static String format(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }

    public boolean contains(int address) {
        return (address & mask(prefix)) == network;
    }

    /** Whether every address of {@code other} is in this prefix. */
    public boolean contains(Ipv4Cidr other) {
        return other.prefix >= prefix && contains(other.network);
    }

    /** By network address (unsigned), then shorter prefixes first. */
    @Override
    public int compareTo(Ipv4Cidr o) {
        int c = Integer.compareUnsigned(network, o.network);
        return c != 0 ? c : Integer.compare(prefix, o.prefix);
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefix;
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    /** Up to {@code maxDigits} ASCII digits as a number; -1 when it is not one. */
    private static int decimal(String s, int maxDigits) {
        if (s.isEmpty() || s.length() > maxDigits) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
