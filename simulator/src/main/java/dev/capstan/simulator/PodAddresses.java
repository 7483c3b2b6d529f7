package dev.capstan.simulator;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Pod IPs handed out from each node's pod CIDR (IPv4), as a CNI's host-local IPAM does: the network address and the
 * first host (the bridge's gateway) are never given, nor the broadcast address; an address is given to one pod at a
 * time. Thread-safe.
 */
final class PodAddresses {
    private record Range(int base, int size) {
        boolean contains(int ip) {
            return Integer.compareUnsigned(ip - base, size) < 0;
        }
    }

    private final Map<String, Range> ranges = new HashMap<>();
    private final Map<String, BitSet> used = new HashMap<>();
    /** Pod key to the CIDR and offset it holds. */
    private final Map<String, Map.Entry<String, Integer>> held = new HashMap<>();

    /** The address {@code podKey} holds in {@code cidr}, allocating the lowest free one; null when the CIDR is full. */
    synchronized String allocate(String cidr, String podKey) {
        var current = held.get(podKey);
        if (current != null && current.getKey().equals(cidr)) {
            return format(range(cidr).base() + current.getValue());
        }
        release(podKey);
        Range range = range(cidr);
        BitSet bits = used.computeIfAbsent(cidr, c -> new BitSet());
        int offset = bits.nextClearBit(2);
        if (offset >= range.size() - 1) {
            return null;
        }
        bits.set(offset);
        held.put(podKey, Map.entry(cidr, offset));
        return format(range.base() + offset);
    }

    /** Records that {@code podKey} already has {@code ip} (a pod running from before); false when not in the CIDR. */
    synchronized boolean claim(String cidr, String podKey, String ip) {
        Range range = range(cidr);
        int address;
        try {
            address = parse(ip);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (!range.contains(address)) {
            return false;
        }
        release(podKey);
        int offset = address - range.base();
        used.computeIfAbsent(cidr, c -> new BitSet()).set(offset);
        held.put(podKey, Map.entry(cidr, offset));
        return true;
    }

    synchronized void release(String podKey) {
        var current = held.remove(podKey);
        if (current != null) {
            used.get(current.getKey()).clear(current.getValue());
        }
    }

    synchronized int inUse(String cidr) {
        BitSet bits = used.get(cidr);
        return bits == null ? 0 : bits.cardinality();
    }

    private Range range(String cidr) {
        return ranges.computeIfAbsent(cidr, PodAddresses::parseCidr);
    }

    /** Whether {@code ip} lies in {@code cidr} (IPv4 only). */
    static boolean contains(String cidr, String ip) {
        try {
            return parseCidr(cidr).contains(parse(ip));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Range parseCidr(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR: " + cidr);
        }
        int bits = Integer.parseInt(cidr.substring(slash + 1));
        if (bits < 8 || bits > 30) {
            throw new IllegalArgumentException("pod CIDR " + cidr + " must be an IPv4 range of /8 to /30");
        }
        int mask = (int) (0xffffffffL << (32 - bits));
        return new Range(parse(cidr.substring(0, slash)) & mask, 1 << (32 - bits));
    }

    static int parse(String ip) {
        String[] parts = ip.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + ip);
        }
        int value = 0;
        for (String part : parts) {
            int octet;
            try {
                octet = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: " + ip, e);
            }
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + ip);
            }
            value = value << 8 | octet;
        }
        return value;
    }

    static String format(int ip) {
        return (ip >>> 24) + "." + (ip >>> 16 & 0xff) + "." + (ip >>> 8 & 0xff) + "." + (ip & 0xff);
    }
}
