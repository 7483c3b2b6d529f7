package dev.capstan.netproxy.policy;

import dev.capstan.netproxy.proxy.Nft.NftException;
import java.util.Objects;

/**
 * The policy table in the kernel: {@link #apply} replaces it whole in one nft transaction (create if absent, delete,
 * define), so packets see either the old table or the new one, never a mix; {@link #close} removes it. nft runs
 * through the same runner as the Service table's.
 */
public final class PolicyTable implements AutoCloseable {
    private final String table;
    private final dev.capstan.netproxy.proxy.Nft nft;

    /**
     * @param table the table's name (family ip), as in the rendered text
     * @param nft how nft runs: {@code new Nft(List.of())}, or with a prefix {@code ip netns exec NS} in tests
     */
    public PolicyTable(String table, dev.capstan.netproxy.proxy.Nft nft) {
        this.table = table;
        this.nft = Objects.requireNonNull(nft, "nft");
    }

    public String name() {
        return table;
    }

    /** Loads {@code text} (a whole {@code table ip NAME { ... }}) in place of the current table. */
    public void apply(String text) throws NftException {
        nft.apply(preamble() + text);
    }

    /** Removes the table; nothing when it is absent. */
    @Override
    public void close() {
        nft.apply(preamble());
    }

    /** Creating the table first makes the delete succeed when it does not exist yet. */
    private String preamble() {
        return "table ip " + table + "\ndelete table ip " + table + "\n";
    }
}
