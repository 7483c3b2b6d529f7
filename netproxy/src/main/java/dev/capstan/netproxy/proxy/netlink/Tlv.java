package dev.capstan.netproxy.proxy.netlink;

import java.io.ByteArrayOutputStream;

/**
 * libnftnl's user-data format, which nft stores beside sets and rules for its own listing: a sequence of one-byte
 * type, one-byte length and value, values nested the same way. Not netlink attributes (no padding, no header words).
 */
final class Tlv {
    private Tlv() {}

    /** The given entries, one after another. */
    static byte[] of(byte[]... entries) {
        var out = new ByteArrayOutputStream();
        for (byte[] entry : entries) {
            out.writeBytes(entry);
        }
        return out.toByteArray();
    }

    /** A 32-bit value in host byte order, as {@code nftnl_udata_put_u32} writes it. */
    static byte[] u32(int type, int value) {
        return entry(type, NftExpr.hostU32(value));
    }

    /** Raw bytes. */
    static byte[] bytes(int type, byte[] value) {
        return entry(type, value);
    }

    /** Entries nested in one. */
    static byte[] nested(int type, byte[]... entries) {
        return entry(type, of(entries));
    }

    private static byte[] entry(int type, byte[] value) {
        if (value.length > 255) {
            throw new IllegalArgumentException("user data entry longer than 255 bytes");
        }
        byte[] out = new byte[2 + value.length];
        out[0] = (byte) type;
        out[1] = (byte) value.length;
        System.arraycopy(value, 0, out, 2, value.length);
        return out;
    }
}
