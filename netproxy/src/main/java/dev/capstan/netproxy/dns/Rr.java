package dev.capstan.netproxy.dns;

import io.netty.handler.codec.dns.DnsRecordType;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * One resource record of an answer: its owner name (absolute, with the trailing dot), type, TTL, RDATA as it goes on
 * the wire, and the RDATA's presentation form for tests and logs ({@code toString} reads like a zone file line).
 * Names in RDATA are written uncompressed, as Netty's encoder writes owner names.
 */
public record Rr(String name, DnsRecordType type, long ttl, String text, byte[] rdata) {

    static Rr address(String name, long ttl, InetAddress ip) {
        DnsRecordType type = ip instanceof Inet4Address ? DnsRecordType.A : DnsRecordType.AAAA;
        return new Rr(name, type, ttl, ip.getHostAddress(), ip.getAddress());
    }

    static Rr cname(String name, long ttl, String target) {
        return new Rr(name, DnsRecordType.CNAME, ttl, absolute(target), encodeName(target));
    }

    static Rr ptr(String name, long ttl, String target) {
        return new Rr(name, DnsRecordType.PTR, ttl, absolute(target), encodeName(target));
    }

    static Rr srv(String name, long ttl, int priority, int weight, int port, String target) {
        var out = new ByteArrayOutputStream();
        writeShort(out, priority);
        writeShort(out, weight);
        writeShort(out, port);
        out.writeBytes(encodeName(target));
        String text = priority + " " + weight + " " + port + " " + absolute(target);
        return new Rr(name, DnsRecordType.SRV, ttl, text, out.toByteArray());
    }

    /** The zone's SOA as CoreDNS shapes it: refresh 7200, retry 1800, expire 86400, minimum the records' TTL. */
    static Rr soa(String zone, long ttl, long serial, long minimum) {
        String ns = "ns.dns." + absolute(zone);
        String mbox = "hostmaster." + absolute(zone);
        var out = new ByteArrayOutputStream();
        out.writeBytes(encodeName(ns));
        out.writeBytes(encodeName(mbox));
        for (long v : new long[] {serial, 7200, 1800, 86400, minimum}) {
            writeShort(out, (int) (v >>> 16));
            writeShort(out, (int) v);
        }
        String text = ns + " " + mbox + " " + serial + " 7200 1800 86400 " + minimum;
        return new Rr(absolute(zone), DnsRecordType.SOA, ttl, text, out.toByteArray());
    }

    static Rr txt(String name, long ttl, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        byte[] rdata = new byte[bytes.length + 1];
        rdata[0] = (byte) bytes.length;
        System.arraycopy(bytes, 0, rdata, 1, bytes.length);
        return new Rr(name, DnsRecordType.TXT, ttl, "\"" + value + "\"", rdata);
    }

    /** Bytes this record takes in a message: owner name, type, class, TTL, RDLENGTH and RDATA. */
    int wireSize() {
        return nameLength(name) + 10 + rdata.length;
    }

    /** Bytes a name takes uncompressed: a length byte per label, the labels, the root's zero byte. */
    static int nameLength(String name) {
        String n = stripDot(name);
        return n.isEmpty() ? 1 : n.length() + 2;
    }

    static String absolute(String name) {
        return name.endsWith(".") ? name : name + ".";
    }

    static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static byte[] encodeName(String name) {
        var out = new ByteArrayOutputStream();
        String n = stripDot(name);
        if (!n.isEmpty()) {
            for (String label : n.split("\\.", -1)) {
                byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
                out.write(bytes.length);
                out.writeBytes(bytes);
            }
        }
        out.write(0);
        return out.toByteArray();
    }

    private static void writeShort(ByteArrayOutputStream out, int v) {
        out.write((v >>> 8) & 0xff);
        out.write(v & 0xff);
    }

    @Override
    public String toString() {
        return name + " " + ttl + " IN " + type.name() + " " + text;
    }
}
