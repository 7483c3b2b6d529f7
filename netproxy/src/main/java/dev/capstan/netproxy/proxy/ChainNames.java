package dev.capstan.netproxy.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Chain and set names of one service port, as upstream builds them: a prefix, the first 8 characters of the base32
 * SHA-256 of the readable part (unique even when truncated, and visibly different for near-identical endpoints),
 * then the readable part "ns/name/proto/portName" (endpoint: "...__ip/port"). nft names allow [A-Za-z0-9_./-] and
 * at most 255 characters; ours start with a letter and stay within {@link #MAX}.
 */
final class ChainNames {
    static final int MAX = 240;
    private static final int BASE_MAX = MAX - "endpoint-".length();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private ChainNames() {}

    /** "ns/name/proto/portName". */
    static String servicePort(String namespace, String name, String protocol, String portName) {
        return namespace + "/" + name + "/" + protocol + "/" + (portName == null ? "" : portName);
    }

    static String service(String servicePort) {
        return "service-" + hashed(servicePort);
    }

    static String local(String servicePort) {
        return "local-" + hashed(servicePort);
    }

    static String external(String servicePort) {
        return "external-" + hashed(servicePort);
    }

    static String endpoint(String servicePort, String ip, int port) {
        return "endpoint-" + hashed(servicePort + "__" + ip + "/" + port);
    }

    static String affinity(String servicePort, String ip, int port) {
        return "affinity-" + hashed(servicePort + "__" + ip + "/" + port);
    }

    /** The verdict map a service or local chain picks its endpoint from (sets and chains have separate names). */
    static String endpointMap(String policyChain) {
        return policyChain + "-endpoints";
    }

    static String hashed(String readable) {
        String name = base32Prefix(readable) + "-" + readable;
        return name.length() > BASE_MAX ? name.substring(0, BASE_MAX - 3) + "..." : name;
    }

    private static String base32Prefix(String readable) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(readable.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        // RFC 4648 base32 of the first 5 bytes = exactly 8 characters
        long bits = 0;
        for (int i = 0; i < 5; i++) {
            bits = (bits << 8) | (digest[i] & 0xff);
        }
        char[] out = new char[8];
        for (int i = 7; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (bits & 31));
            bits >>>= 5;
        }
        return new String(out);
    }
}
