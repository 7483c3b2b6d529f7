package dev.capstan.netproxy.proxy.netlink;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One nf_tables transaction on a table of family ip, as the netlink messages nft would send for the same commands,
 * between a batch begin and end: the kernel applies all of it or nothing. In a small batch each command asks for an
 * acknowledgement, so that {@link NetlinkSocket#apply} can tell that every one was taken; in a {@link #large} one only
 * the last does (as nft, which asks for none: the kernel reports every refused command and a failed commit whether
 * asked or not), so that tens of thousands of answers do not overflow the socket's receive queue.
 */
public final class NftBatch {
    /** Larger batches are left to nft: a netlink message must fit the socket's send buffer (208 KiB by default). */
    public static final int MAX_BYTES = 128 * 1024;

    private static final int NFNL_SUBSYS_NFTABLES = 10;
    private static final int BATCH_BEGIN = 16;
    private static final int BATCH_END = 17;
    private static final int NEWTABLE = 0;
    private static final int DELTABLE = 2;
    private static final int NEWCHAIN = 3;
    private static final int DELCHAIN = 5;
    private static final int NEWRULE = 6;
    private static final int NEWSET = 9;
    private static final int DELSET = 11;
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
    // linux/netfilter/nf_tables.h: NFT_SET_MAP, NFT_SET_TIMEOUT, NFT_SET_EVAL, NFT_DATA_VERDICT; nftables' datatypes.h:
    // TYPE_INTEGER, TYPE_IPADDR, TYPE_INET_PROTOCOL, TYPE_INET_SERVICE and TYPE_BITS (a concatenation's type is its
    // parts' types shifted in one after another)
    private static final int SET_MAP = 0x8;
    private static final int SET_TIMEOUT = 0x10;
    private static final int SET_EVAL = 0x20;
    private static final int DATA_VERDICT = 0xffffff00;
    private static final int TYPE_INTEGER = 4;
    private static final int TYPE_IPADDR = 7;
    private static final int TYPE_INET_PROTOCOL = 12;
    private static final int TYPE_INET_SERVICE = 13;
    private static final int TYPE_BITS = 6;
    private static final int NF_ACCEPT = 1;
    /** Elements per message: a message's element list is one attribute, whose length is 16 bits. */
    private static final int ELEMENTS_PER_MESSAGE = 128;
    // libnftnl's user data: a set's key byte order (2: big endian), a set's or table's comment
    private static final int UDATA_SET_KEYBYTEORDER = 0;
    private static final int UDATA_SET_COMMENT = 7;
    private static final int UDATA_TABLE_COMMENT = 0;
    private static final int BIG_ENDIAN = 2;
    /**
     * The user data nft 1.0.6 stores with {@code type ipv4_addr . inet_proto . inet_service : verdict} and {@code type
     * inet_proto . inet_service : verdict} (seen with {@code nft --debug=mnl}), copied so that they list as nft's own.
     */
    private static final byte[] CONCAT_MAP_USERDATA =
            Tlv.of(Tlv.u32(0, 0), Tlv.u32(1, 0), Tlv.nested(3, Tlv.u32(0, 13), Tlv.nested(1)), Tlv.u32(6, 0));
    /**
     * The user data nft 1.0.6 stores with {@code typeof numgen random mod 1 : verdict} (seen with {@code nft
     * --debug=mnl}), so that the kernel's copy lists as nft's own: key byte order host, data byte order none, the key
     * typeof numgen (random, modulus 1, offset 0), the data typeof verdict, data not an interval. Values are host-order
     * 32-bit words.
     */
    private static final byte[] ENDPOINT_MAP_USERDATA = Tlv.of(
            Tlv.u32(0, 1),
            Tlv.u32(1, 0),
            Tlv.nested(3, Tlv.u32(0, 0x17), Tlv.nested(1, Tlv.u32(0, 1), Tlv.u32(1, 1), Tlv.u32(2, 0))),
            Tlv.nested(4, Tlv.u32(0, 1), Tlv.nested(1)),
            Tlv.u32(6, 0));

    private final String table;
    private final boolean acknowledgeEach;
    private final NetlinkWriter w = new NetlinkWriter();
    private int commands;
    private int lastCommand = -1;
    private int setIds;
    private boolean ended;

    /** A batch of at most {@link #MAX_BYTES} whose every command is acknowledged. */
    public NftBatch(String table) {
        this(table, true);
    }

    private NftBatch(String table, boolean acknowledgeEach) {
        this.table = table;
        this.acknowledgeEach = acknowledgeEach;
        w.endMessage(w.beginMessage(BATCH_BEGIN, NLM_F_REQUEST, 0, AF_UNSPEC, NFNL_SUBSYS_NFTABLES));
    }

    /** A batch of any size (a whole table), of which only the last command is acknowledged. */
    public static NftBatch large(String table) {
        return new NftBatch(table, false);
    }

    /** {@code add table ip TABLE { comment "COMMENT"; }} */
    public void addTable(String comment) {
        int m = command(NEWTABLE, NLM_F_CREATE);
        w.string(1, table); // NFTA_TABLE_NAME
        w.be32(2, 0); // NFTA_TABLE_FLAGS
        if (comment != null) {
            w.bytes(6, Tlv.of(Tlv.bytes(UDATA_TABLE_COMMENT, terminated(comment)))); // NFTA_TABLE_USERDATA
        }
        w.endMessage(m);
    }

    /** {@code delete table ip TABLE} */
    public void deleteTable() {
        int m = command(DELTABLE, 0);
        w.string(1, table);
        w.endMessage(m);
    }

    /** {@code flush table ip TABLE}: deletes every rule of every chain; sets and their elements stay */
    public void flushTable() {
        int m = command(DELRULE, 0);
        w.string(1, table);
        w.endMessage(m);
    }

    /** {@code add chain ip TABLE CHAIN { type TYPE hook HOOK priority PRIORITY; policy accept; }} */
    public void addBaseChain(String chain, String type, int hook, int priority) {
        int m = command(NEWCHAIN, NLM_F_CREATE);
        w.string(1, table);
        w.string(3, chain);
        w.string(7, type); // NFTA_CHAIN_TYPE
        w.be32(5, NF_ACCEPT); // NFTA_CHAIN_POLICY
        int hookAttribute = w.beginNested(4); // NFTA_CHAIN_HOOK
        w.be32(1, hook); // NFTA_HOOK_HOOKNUM
        w.be32(2, priority); // NFTA_HOOK_PRIORITY
        w.endNested(hookAttribute);
        w.endMessage(m);
    }

    /** {@code add set ip TABLE SET { type ipv4_addr; comment "COMMENT"; }} */
    public void addAddressSet(String set, String comment) {
        byte[] userdata = Tlv.u32(UDATA_SET_KEYBYTEORDER, BIG_ENDIAN);
        if (comment != null) {
            userdata = Tlv.of(userdata, Tlv.bytes(UDATA_SET_COMMENT, terminated(comment)));
        }
        addSet(set, 0, TYPE_IPADDR, 4, false, 0, userdata);
    }

    /** {@code add set ip TABLE SET { type ipv4_addr; flags dynamic,timeout; timeout SECONDSs; }} */
    public void addTimeoutSet(String set, int timeoutSeconds) {
        addSet(
                set,
                SET_TIMEOUT | SET_EVAL,
                TYPE_IPADDR,
                4,
                false,
                timeoutSeconds * 1000L,
                Tlv.u32(UDATA_SET_KEYBYTEORDER, BIG_ENDIAN));
    }

    /** {@code add map ip TABLE MAP { type ipv4_addr . inet_proto . inet_service : verdict; }} */
    public void addAddressProtocolPortMap(String map) {
        int type = ((TYPE_IPADDR << TYPE_BITS) | TYPE_INET_PROTOCOL) << TYPE_BITS | TYPE_INET_SERVICE;
        addSet(map, SET_MAP, type, 12, true, 0, CONCAT_MAP_USERDATA);
    }

    /** {@code add map ip TABLE MAP { type inet_proto . inet_service : verdict; }} */
    public void addProtocolPortMap(String map) {
        addSet(map, SET_MAP, TYPE_INET_PROTOCOL << TYPE_BITS | TYPE_INET_SERVICE, 8, true, 0, CONCAT_MAP_USERDATA);
    }

    private void addSet(
            String set,
            int flags,
            int keyType,
            int keyLength,
            boolean verdictMap,
            long timeoutMillis,
            byte[] userdata) {
        int m = command(NEWSET, NLM_F_CREATE);
        w.string(1, table); // NFTA_SET_TABLE
        w.string(2, set); // NFTA_SET_NAME
        w.be32(3, flags); // NFTA_SET_FLAGS
        w.be32(4, keyType); // NFTA_SET_KEY_TYPE
        w.be32(5, keyLength); // NFTA_SET_KEY_LEN
        if (verdictMap) {
            w.be32(6, DATA_VERDICT); // NFTA_SET_DATA_TYPE
            w.be32(7, 0); // NFTA_SET_DATA_LEN
        }
        w.be32(10, ++setIds); // NFTA_SET_ID
        if (timeoutMillis > 0) {
            w.bytes(11, java.nio.ByteBuffer.allocate(8).putLong(timeoutMillis).array()); // NFTA_SET_TIMEOUT
        }
        w.bytes(13, userdata); // NFTA_SET_USERDATA
        w.endMessage(m);
    }

    private static byte[] terminated(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(utf8, utf8.length + 1);
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

    /** {@code add rule ip TABLE CHAIN …}, the rule as {@link RuleCompiler} compiled it */
    public void addRule(String chain, RuleCompiler.Rule rule) {
        int m = command(NEWRULE, NLM_F_CREATE | NLM_F_APPEND);
        w.string(1, table);
        w.string(2, chain);
        int list = w.beginNested(4); // NFTA_RULE_EXPRESSIONS
        for (NftExpr e : rule.expressions()) {
            int elem = w.beginNested(LIST_ELEM);
            w.string(1, e.name); // NFTA_EXPR_NAME
            int data = w.beginNested(2); // NFTA_EXPR_DATA
            e.data.accept(w);
            w.endNested(data);
            w.endNested(elem);
        }
        w.endNested(list);
        if (rule.comment() != null) {
            // NFTA_RULE_USERDATA: libnftnl's comment entry, NUL-terminated, as nft stores it
            w.bytes(7, Tlv.of(Tlv.bytes(0, terminated(rule.comment()))));
        }
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
        for (int from = 0; from < verdicts.size(); from += ELEMENTS_PER_MESSAGE) {
            addIndexedVerdicts(map, verdicts, from, Math.min(verdicts.size(), from + ELEMENTS_PER_MESSAGE));
        }
    }

    private void addIndexedVerdicts(String map, List<RuleCompiler.Verdict> verdicts, int from, int to) {
        int m = command(NEWSETELEM, NLM_F_CREATE);
        w.string(1, table);
        w.string(2, map);
        int list = w.beginNested(3); // NFTA_SET_ELEM_LIST_ELEMENTS
        for (int i = from; i < to; i++) {
            int elem = w.beginNested(LIST_ELEM);
            NftExpr.value(w, 1, NftExpr.hostU32(i)); // NFTA_SET_ELEM_KEY
            int data = w.beginNested(2); // NFTA_SET_ELEM_DATA
            NftExpr.writeVerdict(w, verdicts.get(i).code(), verdicts.get(i).chain());
            w.endNested(data);
            w.endNested(elem);
        }
        w.endNested(list);
        w.endMessage(m);
    }

    /** {@code add map ip TABLE MAP { typeof numgen random mod 1 : verdict; }}: a service's endpoint map */
    public void addEndpointMap(String map) {
        int m = command(NEWSET, NLM_F_CREATE);
        w.string(1, table); // NFTA_SET_TABLE
        w.string(2, map); // NFTA_SET_NAME
        w.be32(3, SET_MAP); // NFTA_SET_FLAGS
        w.be32(4, TYPE_INTEGER); // NFTA_SET_KEY_TYPE
        w.be32(5, 4); // NFTA_SET_KEY_LEN
        w.be32(6, DATA_VERDICT); // NFTA_SET_DATA_TYPE
        w.be32(7, 0); // NFTA_SET_DATA_LEN
        w.be32(10, ++setIds); // NFTA_SET_ID
        w.bytes(13, ENDPOINT_MAP_USERDATA); // NFTA_SET_USERDATA
        w.endMessage(m);
    }

    /** {@code delete map ip TABLE MAP} (or set) */
    public void deleteSet(String set) {
        int m = command(DELSET, 0);
        w.string(1, table);
        w.string(2, set);
        w.endMessage(m);
    }

    /**
     * {@code add element ip TABLE SET { K1 : V1, … }}, keys as {@link RuleCompiler#elementKey} encodes them; the
     * verdict is null for a set's element.
     */
    public void addElements(String set, List<Element> elements) {
        for (int from = 0; from < elements.size(); from += ELEMENTS_PER_MESSAGE) {
            addElementMessage(set, elements.subList(from, Math.min(elements.size(), from + ELEMENTS_PER_MESSAGE)));
        }
    }

    private void addElementMessage(String set, List<Element> elements) {
        int m = command(NEWSETELEM, NLM_F_CREATE);
        w.string(1, table);
        w.string(2, set);
        int list = w.beginNested(3);
        for (Element e : elements) {
            int elem = w.beginNested(LIST_ELEM);
            NftExpr.value(w, 1, e.key());
            if (e.verdict() != null) {
                int data = w.beginNested(2);
                NftExpr.writeVerdict(w, e.verdict().code(), e.verdict().chain());
                w.endNested(data);
            }
            w.endNested(elem);
        }
        w.endNested(list);
        w.endMessage(m);
    }

    /** {@code delete element ip TABLE SET { K1, … }} */
    public void deleteElements(String set, List<byte[]> keys) {
        for (int from = 0; from < keys.size(); from += ELEMENTS_PER_MESSAGE) {
            deleteElementMessage(set, keys.subList(from, Math.min(keys.size(), from + ELEMENTS_PER_MESSAGE)));
        }
    }

    private void deleteElementMessage(String set, List<byte[]> keys) {
        int m = command(DELSETELEM, 0);
        w.string(1, table);
        w.string(2, set);
        int list = w.beginNested(3);
        for (byte[] key : keys) {
            int elem = w.beginNested(LIST_ELEM);
            NftExpr.value(w, 1, key);
            w.endNested(elem);
        }
        w.endNested(list);
        w.endMessage(m);
    }

    /** A set or map element: its key's bytes and, in a verdict map, its verdict. */
    public record Element(byte[] key, RuleCompiler.Verdict verdict) {}

    /** How many commands. */
    public int commands() {
        return commands;
    }

    /** How many acknowledgements the kernel sends when it takes the batch. */
    int acknowledgements() {
        return acknowledgeEach ? commands : Math.min(commands, 1);
    }

    /** The whole batch, ended; no command may be added after. */
    byte[] bytes() {
        if (!ended) {
            if (!acknowledgeEach && lastCommand >= 0) {
                w.addFlags(lastCommand, NLM_F_ACK);
            }
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
        lastCommand = w.beginMessage(
                NFNL_SUBSYS_NFTABLES << 8 | type,
                NLM_F_REQUEST | (acknowledgeEach ? NLM_F_ACK : 0) | flags,
                commands,
                AF_INET,
                0);
        return lastCommand;
    }
}
