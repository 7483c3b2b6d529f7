package dev.capstan.netproxy.proxy.netlink;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable buffer of netlink messages: headers and attribute lengths in host byte order (little-endian here), the
 * nf_tables u32 attributes in network byte order, every attribute padded to 4 bytes.
 */
final class NetlinkWriter {
    static final int NLA_F_NESTED = 0x8000;

    private byte[] bytes = new byte[4096];
    private int length;

    /** Starts a message: nlmsghdr and nfgenmsg; answers its offset for {@link #endMessage}. */
    int beginMessage(int type, int flags, int seq, int family, int resourceId) {
        int start = length;
        u32le(0); // length, set by endMessage
        u16le(type);
        u16le(flags);
        u32le(seq);
        u32le(0); // port id: the kernel's
        u8(family);
        u8(0); // NFNETLINK_V0
        u16be(resourceId);
        return start;
    }

    void endMessage(int start) {
        putU32le(start, length - start);
    }

    int beginNested(int type) {
        int start = length;
        u16le(0);
        u16le(type | NLA_F_NESTED);
        return start;
    }

    void endNested(int start) {
        if (length - start > 0xffff) {
            // an attribute's length is 16 bits: callers split long element lists into several messages
            throw new IllegalStateException("a nested netlink attribute of " + (length - start) + " bytes");
        }
        putU16le(start, length - start);
    }

    /** Adds flags to the header of the message that starts at {@code start}. */
    void addFlags(int start, int flags) {
        int at = start + 6;
        putU16le(at, ((bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8) | flags);
    }

    void string(int type, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        byte[] terminated = Arrays.copyOf(utf8, utf8.length + 1);
        bytes(type, terminated);
    }

    void be32(int type, int value) {
        bytes(type, new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    void bytes(int type, byte[] value) {
        u16le(4 + value.length);
        u16le(type);
        ensure(value.length + 3);
        System.arraycopy(value, 0, bytes, length, value.length);
        length += value.length;
        while ((length & 3) != 0) {
            bytes[length++] = 0;
        }
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    int length() {
        return length;
    }

    private void u8(int value) {
        ensure(1);
        bytes[length++] = (byte) value;
    }

    private void u16le(int value) {
        ensure(2);
        putU16le(length, value);
        length += 2;
    }

    private void u16be(int value) {
        ensure(2);
        bytes[length++] = (byte) (value >>> 8);
        bytes[length++] = (byte) value;
    }

    private void u32le(int value) {
        ensure(4);
        putU32le(length, value);
        length += 4;
    }

    private void putU16le(int at, int value) {
        bytes[at] = (byte) value;
        bytes[at + 1] = (byte) (value >>> 8);
    }

    private void putU32le(int at, int value) {
        putU16le(at, value);
        putU16le(at + 2, value >>> 16);
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
