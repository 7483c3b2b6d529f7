package dev.capstan.controllers.nodeipam;

import java.util.BitSet;
import java.util.Optional;

/**
 * The subnets of one IPv4 cluster CIDR (upstream pkg/controller/nodeipam/ipam/cidrset): {@code 2^(nodeMask -
 * clusterPrefix)} subnets of size {@code /nodeMask}, handed out round-robin from the one after the last given (so a
 * subnet just released is not given again at once), occupied explicitly for nodes that have one already. Not
 * thread-safe: the controller guards it.
 */
final class CidrSet {
    /** Upstream's limit on how many subnets one set may have: 2^16. */
    static final int MAX_PREFIX_DIFFERENCE = 16;

    private final int base;
    private final int clusterPrefix;
    private final int nodeMask;
    private final int count;
    private final BitSet used = new BitSet();
    private int nextCandidate;

    CidrSet(String clusterCidr, int nodeMask) {
        int slash = clusterCidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(
                    "the cluster CIDR " + clusterCidr + " is not a CIDR such as 10.244.0.0/16");
        }
        this.clusterPrefix = parsePrefix(clusterCidr.substring(slash + 1), clusterCidr);
        this.base = parseIp(clusterCidr.substring(0, slash), clusterCidr) & mask(clusterPrefix);
        if (nodeMask < clusterPrefix || nodeMask > 32) {
            throw new IllegalArgumentException("the node CIDR mask size " + nodeMask
                    + " must be between the cluster CIDR's " + clusterPrefix + " and 32");
        }
        if (nodeMask - clusterPrefix > MAX_PREFIX_DIFFERENCE) {
            throw new IllegalArgumentException("the node CIDR mask size " + nodeMask + " is more than "
                    + MAX_PREFIX_DIFFERENCE + " bits longer than the cluster CIDR's /" + clusterPrefix
                    + "; use a larger node subnet or a smaller cluster CIDR");
        }
        this.nodeMask = nodeMask;
        this.count = 1 << (nodeMask - clusterPrefix);
    }

    int size() {
        return count;
    }

    int used() {
        return used.cardinality();
    }

    /** The next free subnet after the last one given, or empty when all are taken. */
    Optional<String> allocateNext() {
        if (used.cardinality() == count) {
            return Optional.empty();
        }
        int candidate = used.nextClearBit(nextCandidate);
        if (candidate >= count) {
            candidate = used.nextClearBit(0);
        }
        used.set(candidate);
        nextCandidate = (candidate + 1) % count;
        return Optional.of(format(candidate));
    }

    /** Marks {@code cidr}'s subnets taken; false when it lies outside the cluster CIDR or is not a CIDR. */
    boolean occupy(String cidr) {
        int[] range = range(cidr);
        if (range == null) {
            return false;
        }
        used.set(range[0], range[1] + 1);
        return true;
    }

    boolean release(String cidr) {
        int[] range = range(cidr);
        if (range == null) {
            return false;
        }
        used.clear(range[0], range[1] + 1);
        return true;
    }

    boolean isUsed(String cidr) {
        int[] range = range(cidr);
        return range != null && used.get(range[0]);
    }

    private String format(int index) {
        int ip = base + (int) ((long) index << (32 - nodeMask));
        return (ip >>> 24) + "." + (ip >>> 16 & 0xff) + "." + (ip >>> 8 & 0xff) + "." + (ip & 0xff) + "/" + nodeMask;
    }

    /** The first and last subnet index {@code cidr} covers, or null when outside (as upstream's getIndexForIP). */
    private int[] range(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return null;
        }
        int prefix;
        int ip;
        try {
            prefix = parsePrefix(cidr.substring(slash + 1), cidr);
            ip = parseIp(cidr.substring(0, slash), cidr) & mask(prefix);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (prefix <= clusterPrefix) {
            // the CIDR holds the whole cluster CIDR, or misses it
            return (base & mask(prefix)) == ip ? new int[] {0, count - 1} : null;
        }
        if ((ip & mask(clusterPrefix)) != base) {
            return null;
        }
        long firstIndex = Integer.toUnsignedLong(ip - base) >>> (32 - nodeMask);
        long span = prefix >= nodeMask ? 1 : 1L << (nodeMask - prefix);
        long last = Math.min(count - 1L, firstIndex + span - 1);
        return new int[] {(int) firstIndex, (int) last};
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : (int) (0xffffffffL << (32 - prefix));
    }

    private static int parsePrefix(String text, String cidr) {
        try {
            int prefix = Integer.parseInt(text);
            if (prefix < 0 || prefix > 32) {
                throw new IllegalArgumentException(
                        "the CIDR " + cidr + " is not an IPv4 CIDR such as 10.244.0.0/16 (IPv6 is not supported)");
            }
            return prefix;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the CIDR " + cidr + " is not an IPv4 CIDR such as 10.244.0.0/16", e);
        }
    }

    private static int parseIp(String text, String cidr) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException(
                    "the CIDR " + cidr + " is not an IPv4 CIDR such as 10.244.0.0/16 (IPv6 is not supported)");
        }
        int ip = 0;
        for (String part : parts) {
            int octet;
            try {
                octet = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "the CIDR " + cidr + " is not an IPv4 CIDR such as 10.244.0.0/16", e);
            }
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("the CIDR " + cidr + " is not an IPv4 CIDR such as 10.244.0.0/16");
            }
            ip = ip << 8 | octet;
        }
        return ip;
    }
}
