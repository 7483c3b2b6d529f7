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
    static final int PAYLOAD_NETWORK_HEADER = 1;
    static final int PAYLOAD_TRANSPORT_HEADER = 2;
    static final int CMP_EQ = 0;
    static final int CMP_NEQ = 1;
    static final int META_IIFNAME = 6;
    static final int META_L4PROTO = 16;
    static final int VERDICT_JUMP = -3;
    static final int VERDICT_GOTO = -4;
    static final int VERDICT_DROP = 0;
    /** linux/rtnetlink.h: an address of this host */
    static final int RTN_LOCAL = 2;

    private static final int FIB_RESULT_ADDRTYPE = 3;
    private static final int FIB_F_SADDR = 1;
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
        return new NftExpr("payload", w -> {
            w.be32(1, REG_1); // NFTA_PAYLOAD_DREG
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
        return new NftExpr("meta", w -> {
            w.be32(1, REG_1); // NFTA_META_DREG
            w.be32(2, key);
        });
    }

    /** {@code fib saddr type => reg 1}: the route type of the packet's source address */
    static NftExpr fibSaddrType() {
        return new NftExpr("fib", w -> {
            w.be32(3, FIB_F_SADDR); // NFTA_FIB_FLAGS
            w.be32(2, FIB_RESULT_ADDRTYPE); // NFTA_FIB_RESULT
            w.be32(1, REG_1); // NFTA_FIB_DREG
        });
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

    /** {@code immediate reg 0 jump|goto -> CHAIN} */
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
        return new NftExpr("lookup", w -> {
            w.string(1, set); // NFTA_LOOKUP_SET
            w.be32(2, REG_1); // NFTA_LOOKUP_SREG
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
