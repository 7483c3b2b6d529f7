package dev.capstan.netproxy.proxy.netlink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compiles a rule in nft's syntax to its expressions, for the forms the proxy's table uses (checked against nft 1.0.6's
 * own encoding, {@code nft --debug=netlink}): matches on {@code ip saddr|daddr [!=] ADDR[/PREFIX]} or {@code @SET},
 * {@code tcp|udp|sctp dport N}, {@code meta l4proto P}, {@code iifname [!=] "NAME"}, {@code fib saddr|daddr type
 * local}, {@code ct state new}, {@code ct status & dnat == 0} and {@code mark and M == V}; the statements {@code mark
 * set mark or|xor V} and {@code update @SET { ip saddr }}; then one of {@code jump|goto CHAIN}, {@code drop}, {@code
 * return}, {@code reject}, {@code masquerade fully-random}, {@code dnat to ADDR:PORT}, {@code numgen random mod N vmap
 * @MAP} or the two concatenated map lookups {@code [ip daddr .] meta l4proto . th dport vmap @MAP}; and a trailing
 * comment. Anything else answers empty: the caller leaves that change to nft.
 */
public final class RuleCompiler {
    /** A verdict with a chain: {@code jump} or {@code goto}. */
    public record Verdict(int code, String chain) {}

    private static final Map<String, Integer> PROTOCOLS = Map.of("tcp", 6, "udp", 17, "sctp", 132);
    private static final int IFNAMSIZ = 16;
    // linux/netfilter/nf_conntrack_common.h: the NEW state's bit, the DNAT status bit; nf_nat.h: fully random ports
    private static final int CT_STATE_NEW = 8;
    private static final int CT_STATUS_DNAT = 0x20;
    private static final int NAT_RANGE_PROTO_RANDOM_FULLY = 0x10;

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
                } else if (part.indexOf('.') < 0) {
                    value = port(part);
                } else {
                    value = address(part);
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
            boolean last = false;
            switch (word) {
                case "ip" -> {
                    int offset = switch (t.get(i + 1)) {
                        case "saddr" -> 12;
                        case "daddr" -> 16;
                        default -> throw new IllegalArgumentException(word);
                    };
                    i += 2;
                    if (t.get(i).equals(".")) {
                        // ip daddr . meta l4proto . th dport vmap @MAP: the Service VIP map's key, register by register
                        if (offset != 16
                                || !t.subList(i, i + 7)
                                        .equals(List.of(".", "meta", "l4proto", ".", "th", "dport", "vmap"))) {
                            return null;
                        }
                        out.add(NftExpr.payload(NftExpr.PAYLOAD_NETWORK_HEADER, offset, 4));
                        out.add(NftExpr.meta(NftExpr.META_L4PROTO, NftExpr.REG32_00 + 1));
                        out.add(NftExpr.payload(NftExpr.PAYLOAD_TRANSPORT_HEADER, 2, 2, NftExpr.REG32_00 + 2));
                        out.add(NftExpr.verdictLookup(setName(t.get(i + 7))));
                        i += 8;
                        last = true;
                        break;
                    }
                    int op = NftExpr.CMP_EQ;
                    if (t.get(i).equals("!=")) {
                        op = NftExpr.CMP_NEQ;
                        i++;
                    }
                    String operand = t.get(i++);
                    if (operand.startsWith("@")) {
                        if (op != NftExpr.CMP_EQ) {
                            return null;
                        }
                        out.add(NftExpr.payload(NftExpr.PAYLOAD_NETWORK_HEADER, offset, 4));
                        out.add(NftExpr.setLookup(setName(operand), NftExpr.REG_1));
                    } else {
                        addressMatch(out, offset, op, operand);
                    }
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
                }
                case "meta" -> {
                    if (!t.get(i + 1).equals("l4proto")) {
                        return null;
                    }
                    if (t.get(i + 2).equals(".")) {
                        // meta l4proto . th dport vmap @MAP: the NodePort map's key
                        if (!t.subList(i + 2, i + 6).equals(List.of(".", "th", "dport", "vmap"))) {
                            return null;
                        }
                        out.add(NftExpr.meta(NftExpr.META_L4PROTO));
                        out.add(NftExpr.payload(NftExpr.PAYLOAD_TRANSPORT_HEADER, 2, 2, NftExpr.REG32_00 + 1));
                        out.add(NftExpr.verdictLookup(setName(t.get(i + 6))));
                        i += 7;
                        last = true;
                        break;
                    }
                    Integer protocol = PROTOCOLS.get(t.get(i + 2));
                    if (protocol == null) {
                        return null;
                    }
                    out.add(NftExpr.meta(NftExpr.META_L4PROTO));
                    out.add(NftExpr.cmp(NftExpr.CMP_EQ, new byte[] {protocol.byteValue()}));
                    i += 3;
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
                }
                case "fib" -> {
                    boolean source = t.get(i + 1).equals("saddr");
                    if (!(source || t.get(i + 1).equals("daddr"))
                            || !t.get(i + 2).equals("type")
                            || !t.get(i + 3).equals("local")) {
                        return null;
                    }
                    out.add(source ? NftExpr.fibSaddrType() : NftExpr.fibDaddrType());
                    out.add(NftExpr.cmp(NftExpr.CMP_EQ, NftExpr.hostU32(NftExpr.RTN_LOCAL)));
                    i += 4;
                }
                case "ct" -> {
                    if (t.subList(i + 1, i + 3).equals(List.of("state", "new"))) {
                        out.add(NftExpr.ct(NftExpr.CT_STATE));
                        out.add(NftExpr.bitwise(NftExpr.hostU32(CT_STATE_NEW), NftExpr.hostU32(0)));
                        out.add(NftExpr.cmp(NftExpr.CMP_NEQ, NftExpr.hostU32(0)));
                        i += 3;
                    } else if (t.subList(i + 1, i + 6).equals(List.of("status", "&", "dnat", "==", "0"))) {
                        out.add(NftExpr.ct(NftExpr.CT_STATUS));
                        out.add(NftExpr.bitwise(NftExpr.hostU32(CT_STATUS_DNAT), NftExpr.hostU32(0)));
                        out.add(NftExpr.cmp(NftExpr.CMP_EQ, NftExpr.hostU32(0)));
                        i += 6;
                    } else {
                        return null;
                    }
                }
                case "mark" -> {
                    if (t.subList(i + 1, i + 3).equals(List.of("set", "mark"))) {
                        // mark set mark or|xor V: the kernel's bitwise is (mark & MASK) ^ XOR
                        int value = number(t.get(i + 4));
                        int mask = switch (t.get(i + 3)) {
                            case "or" -> ~value;
                            case "xor" -> -1;
                            default -> throw new IllegalArgumentException(t.get(i + 3));
                        };
                        out.add(NftExpr.meta(NftExpr.META_MARK));
                        out.add(NftExpr.bitwise(NftExpr.hostU32(mask), NftExpr.hostU32(value)));
                        out.add(NftExpr.metaSet(NftExpr.META_MARK));
                        i += 5;
                    } else if (t.get(i + 1).equals("and") && t.get(i + 3).equals("==")) {
                        out.add(NftExpr.meta(NftExpr.META_MARK));
                        out.add(NftExpr.bitwise(NftExpr.hostU32(number(t.get(i + 2))), NftExpr.hostU32(0)));
                        out.add(NftExpr.cmp(NftExpr.CMP_EQ, NftExpr.hostU32(number(t.get(i + 4)))));
                        i += 5;
                    } else {
                        return null;
                    }
                }
                case "update" -> {
                    // update @SET { ip saddr }: session affinity's record of a client
                    if (!t.subList(i + 2, i + 6).equals(List.of("{", "ip", "saddr", "}"))) {
                        return null;
                    }
                    out.add(NftExpr.payload(NftExpr.PAYLOAD_NETWORK_HEADER, 12, 4));
                    out.add(NftExpr.dynsetUpdate(setName(t.get(i + 1))));
                    i += 6;
                }
                case "jump", "goto" -> {
                    Verdict v = verdictOf(word, t.get(i + 1));
                    out.add(NftExpr.verdict(v.code(), v.chain()));
                    i += 2;
                    last = true;
                }
                case "drop", "return" -> {
                    out.add(NftExpr.verdict(word.equals("drop") ? NftExpr.VERDICT_DROP : NftExpr.VERDICT_RETURN, null));
                    i++;
                    last = true;
                }
                case "reject" -> {
                    out.add(NftExpr.reject());
                    i++;
                    last = true;
                }
                case "masquerade" -> {
                    if (!t.get(i + 1).equals("fully-random")) {
                        return null;
                    }
                    out.add(NftExpr.masquerade(NAT_RANGE_PROTO_RANDOM_FULLY));
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
                            || !t.get(i + 4).equals("vmap")) {
                        return null;
                    }
                    int modulus = Integer.parseInt(t.get(i + 3));
                    if (modulus < 1) {
                        return null;
                    }
                    out.add(NftExpr.numgenRandom(modulus));
                    out.add(NftExpr.verdictLookup(setName(t.get(i + 5))));
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

    /**
     * {@code ip saddr|daddr [!=] ADDR[/PREFIX]} as nft compiles it: a prefix on a byte boundary loads and compares only
     * its bytes; another loads the address and masks it first.
     */
    private static void addressMatch(List<NftExpr> out, int offset, int op, String text) {
        int slash = text.indexOf('/');
        int prefix = slash < 0 ? 32 : Integer.parseInt(text.substring(slash + 1));
        if (prefix % 8 == 0) {
            byte[] bytes = addressPrefix(text);
            out.add(NftExpr.payload(NftExpr.PAYLOAD_NETWORK_HEADER, offset, bytes.length));
            out.add(NftExpr.cmp(op, bytes));
            return;
        }
        if (prefix < 1 || prefix > 31) {
            throw new IllegalArgumentException(text);
        }
        byte[] network = address(text.substring(0, slash));
        byte[] mask =
                java.nio.ByteBuffer.allocate(4).putInt(-1 << (32 - prefix)).array();
        for (int b = 0; b < 4; b++) {
            if ((network[b] & ~mask[b]) != 0) {
                throw new IllegalArgumentException(text); // host bits set: nft would refuse it
            }
        }
        out.add(NftExpr.payload(NftExpr.PAYLOAD_NETWORK_HEADER, offset, 4));
        out.add(NftExpr.bitwise(mask, new byte[4]));
        out.add(NftExpr.cmp(op, network));
    }

    /** {@code @NAME} to NAME. */
    private static String setName(String reference) {
        if (!reference.startsWith("@") || reference.length() < 2 || reference.contains("\"")) {
            throw new IllegalArgumentException(reference);
        }
        return reference.substring(1);
    }

    /** A decimal or {@code 0x} hexadecimal 32-bit value. */
    private static int number(String text) {
        return text.startsWith("0x") ? Integer.parseUnsignedInt(text.substring(2), 16) : Integer.parseUnsignedInt(text);
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
        byte[] address = address(slash < 0 ? text : text.substring(0, slash));
        int prefix = slash < 0 ? 32 : Integer.parseInt(text.substring(slash + 1));
        if (prefix < 8 || prefix > 32 || prefix % 8 != 0) {
            throw new IllegalArgumentException(text); // not on a byte boundary: see addressMatch
        }
        for (int i = prefix / 8; i < 4; i++) {
            if (address[i] != 0) {
                throw new IllegalArgumentException(text); // host bits set: nft would refuse or mask it
            }
        }
        return Arrays.copyOf(address, prefix / 8);
    }

    /** A dotted quad's four bytes (parsed by hand: a full sync compiles some 20,000 of them). */
    private static byte[] address(String text) {
        byte[] address = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c >= '0' && c <= '9' && digits < 3) {
                value = value * 10 + (c - '0');
                digits++;
            } else if (c == '.' && digits > 0 && value <= 255 && part < 4) {
                address[part++] = (byte) value;
                value = 0;
                digits = 0;
            } else {
                throw new IllegalArgumentException(text);
            }
        }
        if (part != 4) {
            throw new IllegalArgumentException(text);
        }
        return address;
    }

    private static byte[] port(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(text);
        }
        int port = Integer.parseInt(text);
        if (port > 65535) {
            throw new IllegalArgumentException(text);
        }
        return new byte[] {(byte) (port >>> 8), (byte) port};
    }

    /** Words split on spaces; a quoted word keeps its quotes. */
    private static List<String> tokens(String rule) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= rule.length(); i++) {
            boolean space = i == rule.length() || rule.charAt(i) == ' ';
            if (space && start >= 0) {
                out.add(rule.substring(start, i));
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
        }
        return out;
    }
}
