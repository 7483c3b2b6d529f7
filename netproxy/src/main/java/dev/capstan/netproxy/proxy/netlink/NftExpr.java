package dev.capstan.netproxy.proxy.netlink;

import java.util.function.Consumer;

/**
 * One nf_tables expression of a rule, as nft 1.0.6 encodes it (checked with {@code nft --debug=netlink}): its name
 * and the attributes of its data. Only the expressions the proxy's own rules use.
 */
public final class NftExpr {
    // linux/netfilter/nf_tables.h
    static final int REG_VERDICT = 0;
    static final int REG_1 = 1;
    static final int REG_2 = 2;
    /** The first 32-bit register after NFT_REG_4's 16 bytes: concatenations fill 32-bit registers from here. */
    static final int REG32_00 = 8;

    static final int PAYLOAD_NETWORK_HEADER = 1;
    static final int PAYLOAD_TRANSPORT_HEADER = 2;
    static final int CMP_EQ = 0;
    static final int CMP_NEQ = 1;
    static final int META_MARK = 3;
    static final int META_IIFNAME = 6;
    static final int META_L4PROTO = 16;
    static final int VERDICT_JUMP = -3;
    static final int VERDICT_GOTO = -4;
    static final int VERDICT_DROP = 0;
    static final int VERDICT_RETURN = -5;
    static final int CT_STATE = 0;
    static final int CT_STATUS = 2;
    /** linux/rtnetlink.h: an address of this host */
    static final int RTN_LOCAL = 2;

    private static final int FIB_RESULT_ADDRTYPE = 3;
    private static final int FIB_F_SADDR = 1;
    private static final int FIB_F_DADDR = 2;
    private static final int DYNSET_OP_UPDATE = 1;
    private static final int REJECT_ICMP_UNREACH = 0;
    private static final int ICMP_PORT_UNREACH = 3;
    private static final int DATA_VALUE = 1;
    private static final int DATA_VERDICT = 2;
    private static final int VERDICT_CODE = 1;
    private static final int VERDICT_CHAIN = 2;
    private static final int NG_RANDOM = 1;
    private static final int NAT_DNAT = 1;
    private static final int NFPROTO_IPV4 = 2;
    private static final int NAT_RANGE_PROTO_SPECIFIED = 2;

    final String name;
    final Consumer<NetlinkWriter> data;

    private NftExpr(String name, Consumer<NetlinkWriter> data) {
        this.name = name;
        this.data = data;
    }

    /** {@code payload load LEN @ BASE + OFFSET => reg 1} */
    static NftExpr payload(int base, int offset, int len) {
        return payload(base, offset, len, REG_1);
    }

    /** {@code payload load LEN @ BASE + OFFSET => reg REGISTER} */
    static NftExpr payload(int base, int offset, int len, int register) {
        return new NftExpr("payload", w -> {
            w.be32(1, register); // NFTA_PAYLOAD_DREG
            w.be32(2, base);
            w.be32(3, offset);
            w.be32(4, len);
        });
    }

    /** {@code cmp OP reg 1 VALUE} */
    static NftExpr cmp(int op, byte[] value) {
        return new NftExpr("cmp", w -> {
            w.be32(1, REG_1); // NFTA_CMP_SREG
            w.be32(2, op);
            value(w, 3, value);
        });
    }

    /** {@code meta load KEY => reg 1} */
    static NftExpr meta(int key) {
        return meta(key, REG_1);
    }

    /** {@code meta load KEY => reg REGISTER} */
    static NftExpr meta(int key, int register) {
        return new NftExpr("meta", w -> {
            w.be32(1, register); // NFTA_META_DREG
            w.be32(2, key);
        });
    }

    /** {@code meta set KEY with reg 1} */
    static NftExpr metaSet(int key) {
        return new NftExpr("meta", w -> {
            w.be32(2, key); // NFTA_META_KEY
            w.be32(3, REG_1); // NFTA_META_SREG
        });
    }

    /** {@code ct load KEY => reg 1} */
    static NftExpr ct(int key) {
        return new NftExpr("ct", w -> {
            w.be32(2, key); // NFTA_CT_KEY
            w.be32(1, REG_1); // NFTA_CT_DREG
        });
    }

    /** {@code bitwise reg 1 = (reg 1 & MASK) ^ XOR}, both as long as the register's value */
    static NftExpr bitwise(byte[] mask, byte[] xor) {
        return new NftExpr("bitwise", w -> {
            w.be32(1, REG_1); // NFTA_BITWISE_SREG
            w.be32(2, REG_1); // NFTA_BITWISE_DREG
            w.be32(3, mask.length); // NFTA_BITWISE_LEN
            value(w, 4, mask);
            value(w, 5, xor);
        });
    }

    /** {@code fib saddr type => reg 1}: the route type of the packet's source address */
    static NftExpr fibSaddrType() {
        return fibType(FIB_F_SADDR);
    }

    /** {@code fib daddr type => reg 1}: the route type of the packet's destination address */
    static NftExpr fibDaddrType() {
        return fibType(FIB_F_DADDR);
    }

    private static NftExpr fibType(int flags) {
        return new NftExpr("fib", w -> {
            w.be32(3, flags); // NFTA_FIB_FLAGS
            w.be32(2, FIB_RESULT_ADDRTYPE); // NFTA_FIB_RESULT
            w.be32(1, REG_1); // NFTA_FIB_DREG
        });
    }

    /** {@code lookup reg REGISTER set SET}: a match on a set's membership */
    static NftExpr setLookup(String set, int register) {
        return new NftExpr("lookup", w -> {
            w.string(1, set); // NFTA_LOOKUP_SET
            w.be32(2, register); // NFTA_LOOKUP_SREG
        });
    }

    /** {@code dynset update reg_key 1 set SET}: adds the key or refreshes its timeout (the set's own) */
    static NftExpr dynsetUpdate(String set) {
        return new NftExpr("dynset", w -> {
            w.be32(4, REG_1); // NFTA_DYNSET_SREG_KEY
            w.be32(3, DYNSET_OP_UPDATE); // NFTA_DYNSET_OP
            w.string(1, set); // NFTA_DYNSET_SET_NAME
        });
    }

    /** {@code reject type 0 code 3}: ICMP port unreachable, nft's plain {@code reject} in a table of family ip */
    static NftExpr reject() {
        return new NftExpr("reject", w -> {
            w.be32(1, REJECT_ICMP_UNREACH); // NFTA_REJECT_TYPE
            w.bytes(2, new byte[] {ICMP_PORT_UNREACH}); // NFTA_REJECT_ICMP_CODE (u8)
        });
    }

    /** {@code masq flags FLAGS}: nf_nat's range flags, e.g. 0x10 for fully-random */
    static NftExpr masquerade(int flags) {
        return new NftExpr("masq", w -> w.be32(1, flags)); // NFTA_MASQ_FLAGS
    }

    /** A 32-bit value in host byte order: a register the kernel computed (fib's type, numgen's pick), user data. */
    static byte[] hostU32(int value) {
        return java.nio.ByteBuffer.allocate(4)
                .order(java.nio.ByteOrder.nativeOrder())
                .putInt(value)
                .array();
    }

    /** {@code immediate reg REG VALUE} */
    static NftExpr immediate(int register, byte[] value) {
        return new NftExpr("immediate", w -> {
            w.be32(1, register); // NFTA_IMMEDIATE_DREG
            value(w, 2, value);
        });
    }

    /** {@code immediate reg 0 jump|goto -> CHAIN}, or drop and return without a chain */
    static NftExpr verdict(int code, String chain) {
        return new NftExpr("immediate", w -> {
            w.be32(1, REG_VERDICT);
            int data = w.beginNested(2); // NFTA_IMMEDIATE_DATA
            writeVerdict(w, code, chain);
            w.endNested(data);
        });
    }

    /** {@code numgen reg 1 = random mod MODULUS} */
    static NftExpr numgenRandom(int modulus) {
        return new NftExpr("numgen", w -> {
            w.be32(1, REG_1); // NFTA_NG_DREG
            w.be32(2, modulus);
            w.be32(3, NG_RANDOM);
        });
    }

    /** {@code lookup reg 1 set SET dreg 0}: a verdict map lookup */
    static NftExpr verdictLookup(String set) {
        return verdictLookup(set, REG_1);
    }

    /** {@code lookup reg REGISTER set SET dreg 0}: a verdict map lookup, the key from that register on */
    static NftExpr verdictLookup(String set, int register) {
        return new NftExpr("lookup", w -> {
            w.string(1, set); // NFTA_LOOKUP_SET
            w.be32(2, register); // NFTA_LOOKUP_SREG
            w.be32(3, REG_VERDICT); // NFTA_LOOKUP_DREG
        });
    }

    /** {@code nat dnat ip addr_min reg 1 proto_min reg 2 flags 0x2} */
    static NftExpr dnat() {
        return new NftExpr("nat", w -> {
            w.be32(1, NAT_DNAT); // NFTA_NAT_TYPE
            w.be32(2, NFPROTO_IPV4);
            w.be32(3, REG_1); // NFTA_NAT_REG_ADDR_MIN
            w.be32(5, REG_2); // NFTA_NAT_REG_PROTO_MIN
            w.be32(7, NAT_RANGE_PROTO_SPECIFIED); // NFTA_NAT_FLAGS
        });
    }

    /** NFTA_DATA_VERDICT { code, chain }, inside an attribute the caller opened; no chain for drop. */
    static void writeVerdict(NetlinkWriter w, int code, String chain) {
        int verdict = w.beginNested(DATA_VERDICT);
        w.be32(VERDICT_CODE, code);
        if (chain != null) {
            w.string(VERDICT_CHAIN, chain);
        }
        w.endNested(verdict);
    }

    /** TYPE { NFTA_DATA_VALUE VALUE } */
    static void value(NetlinkWriter w, int type, byte[] value) {
        int nested = w.beginNested(type);
        w.bytes(DATA_VALUE, value);
        w.endNested(nested);
    }
}
