package dev.capstan.netproxy.proxy.netlink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compiles a rule in nft's syntax to its expressions, for the few forms the proxy's service and endpoint chains use:
 * matches on {@code ip saddr|daddr [!=] ADDR[/PREFIX]}, {@code tcp|udp|sctp dport N}, {@code meta l4proto P} and
 * {@code iifname [!=] "NAME"}, then one of {@code jump|goto CHAIN}, {@code dnat to ADDR:PORT} or {@code numgen
 * random mod N vmap @MAP}, {@code fib saddr type local}, and a trailing comment. Anything else (sets, other fib lookups,
 * marks, prefixes not on a byte boundary) answers empty:
 * the caller leaves that change to nft.
 */
public final class RuleCompiler {
    /** A verdict with a chain: {@code jump} or {@code goto}. */
    public record Verdict(int code, String chain) {}

    private static final Map<String, Integer> PROTOCOLS = Map.of("tcp", 6, "udp", 17, "sctp", 132);
    private static final int IFNAMSIZ = 16;

    private RuleCompiler() {}

    /** A rule's expressions and its comment (null without one). */
    public record Rule(List<NftExpr> expressions, String comment) {}

    /** nftables' limit on a comment's length (NFT_USERDATA_MAXLEN less the entry's header and NUL). */
    private static final int COMMENT_MAX = 128;

    public static Optional<Rule> compile(String rule) {
        String comment = null;
        int at = rule.indexOf(" comment \"");
        if (at >= 0) {
            comment = rule.substring(at + " comment \"".length());
            rule = rule.substring(0, at);
            if (!comment.endsWith("\"")) {
                return Optional.empty();
            }
            comment = comment.substring(0, comment.length() - 1);
            if (comment.isEmpty()
                    || comment.contains("\"")
                    || comment.contains("\\")
                    || comment.getBytes(StandardCharsets.UTF_8).length > COMMENT_MAX) {
                return Optional.empty();
            }
        }
        try {
            List<NftExpr> expressions = compile(tokens(rule));
            return expressions == null ? Optional.empty() : Optional.of(new Rule(expressions, comment));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    /** {@code jump CHAIN}, {@code goto CHAIN} or {@code drop}, as in a map element. */
    public static Optional<Verdict> verdict(String text) {
        List<String> t = tokens(text);
        if (t.size() == 1 && t.get(0).equals("drop")) {
            return Optional.of(new Verdict(NftExpr.VERDICT_DROP, null));
        }
        return t.size() == 2 ? Optional.ofNullable(verdictOf(t.get(0), t.get(1))) : Optional.empty();
    }

    /**
     * A set or map element's key as nft encodes it: an IPv4 address alone (4 bytes), or a concatenation such as
     * {@code 10.96.0.1 . tcp . 80} or {@code tcp . 30080} whose parts (address, protocol, port) each take a 32-bit
     * register, zero-padded after the value. Empty for any other form.
     */
    public static Optional<byte[]> elementKey(String text) {
        String[] parts = text.strip().split(" \\. ", -1);
        try {
            if (parts.length == 1) {
                byte[] address = addressPrefix(parts[0]);
                return address.length == 4 && !parts[0].contains("/") ? Optional.of(address) : Optional.empty();
            }
            byte[] key = new byte[4 * parts.length];
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i].strip();
                byte[] value;
                if (PROTOCOLS.containsKey(part)) {
                    value = new byte[] {PROTOCOLS.get(part).byteValue()};
                } else if (part.matches("\\d{1,5}")) {
                    value = port(part);
                } else if (part.matches("[0-9.]+") && !part.contains("/")) {
                    value = addressPrefix(part);
                } else {
                    return Optional.empty();
                }
                System.arraycopy(value, 0, key, 4 * i, value.length);
            }
            return Optional.of(key);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static List<NftExpr> compile(List<String> t) {
        List<NftExpr> out = new ArrayList<>();
        int i = 0;
        while (i < t.size()) {
            String word = t.get(i);
            boolean last;
            switch (word) {
                case "ip" -> {
                    int offset = switch (t.get(i + 1)) {
                        case "saddr" -> 12;
                        case "daddr" -> 16;
                        default -> throw new IllegalArgumentException(word);
                    };
                    i += 2;
                    int op = NftExpr.CMP_EQ;
                    if (t.get(i).equals("!=")) {
                        op = NftExpr.CMP_NEQ;
                        i++;
                    }
                    byte[] prefix = addressPrefix(t.get(i++));
                    out.add(NftExpr.payload(NftExpr.PAYLOAD_NETWORK_HEADER, offset, prefix.length));
                    out.add(NftExpr.cmp(op, prefix));
                    last = false;
                }
                case "tcp", "udp", "sctp" -> {
                    if (!t.get(i + 1).equals("dport")) {
                        return null;
                    }
                    out.add(NftExpr.meta(NftExpr.META_L4PROTO));
                    out.add(NftExpr.cmp(
                            NftExpr.CMP_EQ, new byte[] {PROTOCOLS.get(word).byteValue()}));
                    out.add(NftExpr.payload(NftExpr.PAYLOAD_TRANSPORT_HEADER, 2, 2));
                    out.add(NftExpr.cmp(NftExpr.CMP_EQ, port(t.get(i + 2))));
                    i += 3;
                    last = false;
                }
                case "meta" -> {
                    Integer protocol = PROTOCOLS.get(t.get(i + 2));
                    if (!t.get(i + 1).equals("l4proto") || protocol == null) {
                        return null;
                    }
                    out.add(NftExpr.meta(NftExpr.META_L4PROTO));
                    out.add(NftExpr.cmp(NftExpr.CMP_EQ, new byte[] {protocol.byteValue()}));
                    i += 3;
                    last = false;
                }
                case "iifname" -> {
                    i++;
                    int op = NftExpr.CMP_EQ;
                    if (t.get(i).equals("!=")) {
                        op = NftExpr.CMP_NEQ;
                        i++;
                    }
                    String quoted = t.get(i++);
                    if (quoted.length() < 3 || !quoted.startsWith("\"") || !quoted.endsWith("\"")) {
                        return null;
                    }
                    byte[] name = quoted.substring(1, quoted.length() - 1).getBytes(StandardCharsets.UTF_8);
                    if (name.length >= IFNAMSIZ || quoted.contains("*") || quoted.contains("\\")) {
                        return null;
                    }
                    out.add(NftExpr.meta(NftExpr.META_IIFNAME));
                    out.add(NftExpr.cmp(op, Arrays.copyOf(name, IFNAMSIZ)));
                    last = false;
                }
                case "fib" -> {
                    if (!t.get(i + 1).equals("saddr")
                            || !t.get(i + 2).equals("type")
                            || !t.get(i + 3).equals("local")) {
                        return null;
                    }
                    out.add(NftExpr.fibSaddrType());
                    out.add(NftExpr.cmp(NftExpr.CMP_EQ, NftExpr.hostU32(NftExpr.RTN_LOCAL)));
                    i += 4;
                    last = false;
                }
                case "jump", "goto" -> {
                    Verdict v = verdictOf(word, t.get(i + 1));
                    out.add(NftExpr.verdict(v.code(), v.chain()));
                    i += 2;
                    last = true;
                }
                case "dnat" -> {
                    if (!t.get(i + 1).equals("to")) {
                        return null;
                    }
                    String target = t.get(i + 2);
                    int colon = target.lastIndexOf(':');
                    byte[] address = addressPrefix(target.substring(0, colon));
                    if (address.length != 4) {
                        return null;
                    }
                    out.add(NftExpr.immediate(NftExpr.REG_1, address));
                    out.add(NftExpr.immediate(NftExpr.REG_2, port(target.substring(colon + 1))));
                    out.add(NftExpr.dnat());
                    i += 3;
                    last = true;
                }
                case "numgen" -> {
                    if (!t.get(i + 1).equals("random")
                            || !t.get(i + 2).equals("mod")
                            || !t.get(i + 4).equals("vmap")
                            || !t.get(i + 5).startsWith("@")) {
                        return null;
                    }
                    int modulus = Integer.parseInt(t.get(i + 3));
                    if (modulus < 1) {
                        return null;
                    }
                    out.add(NftExpr.numgenRandom(modulus));
                    out.add(NftExpr.verdictLookup(t.get(i + 5).substring(1)));
                    i += 6;
                    last = true;
                }
                default -> {
                    return null;
                }
            }
            if (last && i != t.size()) {
                return null; // nothing follows a verdict here
            }
        }
        return out.isEmpty() ? null : out;
    }

    private static Verdict verdictOf(String word, String chain) {
        int code = switch (word) {
            case "jump" -> NftExpr.VERDICT_JUMP;
            case "goto" -> NftExpr.VERDICT_GOTO;
            default -> 0;
        };
        if (code == 0 || chain.isEmpty() || chain.contains("\"")) {
            return null;
        }
        return new Verdict(code, chain);
    }

    /** A dotted quad, or a network on a byte boundary: the bytes nft compares (4, or prefix/8 of them). */
    private static byte[] addressPrefix(String text) {
        int slash = text.indexOf('/');
        String[] parts = (slash < 0 ? text : text.substring(0, slash)).split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException(text);
        }
        byte[] address = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!parts[i].matches("\\d{1,3}") || Integer.parseInt(parts[i]) > 255) {
                throw new IllegalArgumentException(text);
            }
            address[i] = (byte) Integer.parseInt(parts[i]);
        }
        int prefix = slash < 0 ? 32 : Integer.parseInt(text.substring(slash + 1));
        if (prefix < 8 || prefix > 32 || prefix % 8 != 0) {
            throw new IllegalArgumentException(text); // nft masks with a bitwise expression then: left to nft
        }
        for (int i = prefix / 8; i < 4; i++) {
            if (address[i] != 0) {
                throw new IllegalArgumentException(text); // host bits set: nft would refuse or mask it
            }
        }
        return Arrays.copyOf(address, prefix / 8);
    }

    private static byte[] port(String text) {
        int port = Integer.parseInt(text);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(text);
        }
        return new byte[] {(byte) (port >>> 8), (byte) port};
    }

    /** Words split on spaces; a quoted word keeps its quotes. */
    private static List<String> tokens(String rule) {
        List<String> out = new ArrayList<>();
        for (String word : rule.strip().split(" +")) {
            if (!word.isEmpty()) {
                out.add(word);
            }
        }
        return out;
    }
}
