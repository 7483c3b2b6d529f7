package dev.capstan.netproxy.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;

/** nftables text: object names within the kernel's length limit, element lists, comments. */
final class Nft {
    /** The kernel's NFT_NAME_MAXLEN is 256 with its NUL; stay well below it. */
    static final int MAX_NAME = 200;
    /** nft's comment limit (NFTNL_UDATA_COMMENT_MAXLEN 128 with its NUL). */
    static final int MAX_COMMENT = 127;

    private Nft() {}

    /**
     * A chain or set name from Kubernetes names (lower-case letters, digits, '-', '.', joined by '/', all of which nft
     * takes in an unquoted name); one too long is cut and made unique by a hash of the whole.
     */
    static String name(String readable) {
        if (readable.length() <= MAX_NAME) {
            return readable;
        }
        return readable.substring(0, MAX_NAME - 13) + "-" + hash(readable);
    }

    /** {@code x} for one element, {@code { a, b }} for more; the caller gives at least one, in order. */
    static String elements(Collection<String> items) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("nft has no empty anonymous set");
        }
        return items.size() == 1 ? items.iterator().next() : "{ " + String.join(", ", items) + " }";
    }

    /** A rule's trailing comment (names hold no quotes); cut to nft's limit. */
    static String comment(String text) {
        String t = text.replace('"', '\'');
        return " comment \"" + (t.length() > MAX_COMMENT ? t.substring(0, MAX_COMMENT) : t) + "\"";
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
