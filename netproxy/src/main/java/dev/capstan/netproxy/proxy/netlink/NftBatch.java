package dev.capstan.netproxy.proxy.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * One nf_tables transaction on a table of family ip, as the netlink messages nft would send for the same commands,
 * between a batch begin and end: the kernel applies all of it or nothing. Each command asks for an acknowledgement,
 * so that {@link NetlinkSocket#apply} can tell that every one was taken.
 */
public final class NftBatch {
    /** Larger batches are left to nft: a netlink message must fit the socket's send buffer (208 KiB by default). */
    public static final int MAX_BYTES = 128 * 1024;

    private static final int NFNL_SUBSYS_NFTABLES = 10;
    private static final int BATCH_BEGIN = 16;
    private static final int BATCH_END = 17;
    private static final int NEWCHAIN = 3;
    private static final int DELCHAIN = 5;
    private static final int NEWRULE = 6;
    private static final int DELRULE = 8;
    private static final int NEWSETELEM = 12;
    private static final int DELSETELEM = 14;
    private static final int NLM_F_REQUEST = 1;
    private static final int NLM_F_ACK = 4;
    private static final int NLM_F_CREATE = 0x400;
    private static final int NLM_F_APPEND = 0x800;
    private static final int AF_UNSPEC = 0;
    private static final int AF_INET = 2;
    private static final int LIST_ELEM = 1;

    private final String table;
    private final NetlinkWriter w = new NetlinkWriter();
    private int commands;
    private boolean ended;

    public NftBatch(String table) {
        this.table = table;
        w.endMessage(w.beginMessage(BATCH_BEGIN, NLM_F_REQUEST, 0, AF_UNSPEC, NFNL_SUBSYS_NFTABLES));
    }

    /** {@code add chain ip TABLE CHAIN} */
    public void addChain(String chain) {
        int m = command(NEWCHAIN, NLM_F_CREATE);
        w.string(1, table); // NFTA_CHAIN_TABLE
        w.string(3, chain); // NFTA_CHAIN_NAME
        w.endMessage(m);
    }

    /** {@code delete chain ip TABLE CHAIN} */
    public void deleteChain(String chain) {
        int m = command(DELCHAIN, 0);
        w.string(1, table);
        w.string(3, chain);
        w.endMessage(m);
    }

    /** {@code flush chain ip TABLE CHAIN}: deletes every rule of the chain */
    public void flushChain(String chain) {
        int m = command(DELRULE, 0);
        w.string(1, table); // NFTA_RULE_TABLE
        w.string(2, chain); // NFTA_RULE_CHAIN
        w.endMessage(m);
    }

    /** {@code add rule ip TABLE CHAIN …}, the rule given as its expressions ({@link RuleCompiler}) */
    public void addRule(String chain, List<NftExpr> expressions) {
        int m = command(NEWRULE, NLM_F_CREATE | NLM_F_APPEND);
        w.string(1, table);
        w.string(2, chain);
        int list = w.beginNested(4); // NFTA_RULE_EXPRESSIONS
        for (NftExpr e : expressions) {
            int elem = w.beginNested(LIST_ELEM);
            w.string(1, e.name); // NFTA_EXPR_NAME
            int data = w.beginNested(2); // NFTA_EXPR_DATA
            e.data.accept(w);
            w.endNested(data);
            w.endNested(elem);
        }
        w.endNested(list);
        w.endMessage(m);
    }

    /** {@code flush map ip TABLE MAP} */
    public void flushSet(String set) {
        int m = command(DELSETELEM, 0);
        w.string(1, table); // NFTA_SET_ELEM_LIST_TABLE
        w.string(2, set); // NFTA_SET_ELEM_LIST_SET
        w.endMessage(m);
    }

    /**
     * {@code add element ip TABLE MAP { 0 : V0, 1 : V1, … }} for a map {@code typeof numgen random mod 1 : verdict}:
     * keys are 32-bit integers in host byte order, as numgen writes its register.
     */
    public void addIndexedVerdicts(String map, List<RuleCompiler.Verdict> verdicts) {
        int m = command(NEWSETELEM, NLM_F_CREATE);
        w.string(1, table);
        w.string(2, map);
        int list = w.beginNested(3); // NFTA_SET_ELEM_LIST_ELEMENTS
        for (int i = 0; i < verdicts.size(); i++) {
            int elem = w.beginNested(LIST_ELEM);
            byte[] key = ByteBuffer.allocate(4)
                    .order(ByteOrder.nativeOrder())
                    .putInt(i)
                    .array();
            NftExpr.value(w, 1, key); // NFTA_SET_ELEM_KEY
            int data = w.beginNested(2); // NFTA_SET_ELEM_DATA
            NftExpr.writeVerdict(w, verdicts.get(i).code(), verdicts.get(i).chain());
            w.endNested(data);
            w.endNested(elem);
        }
        w.endNested(list);
        w.endMessage(m);
    }

    /** How many commands (each acknowledged). */
    public int commands() {
        return commands;
    }

    /** The whole batch, ended; no command may be added after. */
    byte[] bytes() {
        if (!ended) {
            w.endMessage(w.beginMessage(BATCH_END, NLM_F_REQUEST, commands + 1, AF_UNSPEC, NFNL_SUBSYS_NFTABLES));
            ended = true;
        }
        return w.toByteArray();
    }

    /** Bytes so far. */
    public int size() {
        return w.length();
    }

    private int command(int type, int flags) {
        if (ended) {
            throw new IllegalStateException("the batch was sent");
        }
        commands++;
        return w.beginMessage(
                NFNL_SUBSYS_NFTABLES << 8 | type, NLM_F_REQUEST | NLM_F_ACK | flags, commands, AF_INET, 0);
    }
}
