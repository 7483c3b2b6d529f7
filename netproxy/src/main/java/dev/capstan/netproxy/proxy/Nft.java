package dev.capstan.netproxy.proxy;

import dev.capstan.netproxy.proxy.netlink.NetlinkSocket;
import dev.capstan.netproxy.proxy.netlink.NftBatch;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Runs nft: {@code PREFIX... nft -f -} with a script on stdin, which nft applies as one transaction (all or
 * nothing). The prefix ({@code ip netns exec NS} in tests) lets the same code act inside a network namespace.
 */
public final class Nft implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Nft.class);
    private static final Pattern ERROR_LINE = Pattern.compile("/dev/stdin:(\\d+):");

    /** nft refused a script; the message carries nft's error and the script lines it names. */
    public static final class NftException extends RuntimeException {
        NftException(String message) {
            super(message);
        }
    }

    /** Scripts up to this many commands go through the long-lived session; larger ones through nft -f. */
    static final int SESSION_MAX_COMMANDS = 2000;

    private static final long SESSION_TIMEOUT_MILLIS = 60_000;

    private final List<String> prefix;
    private final NftSession session;
    private NetlinkSocket netlink; // guarded by this; opened on first use
    private boolean netlinkUnavailable; // guarded by this

    /** @param prefix the command words before {@code nft}, e.g. {@code [ip, netns, exec, NS]}; empty for none */
    public Nft(List<String> prefix) {
        this(prefix, true);
    }

    /** @param netlink false: {@link #applyBatch} always declines (to compare with nft alone) */
    Nft(List<String> prefix, boolean netlink) {
        this.prefix = List.copyOf(prefix);
        this.session = new NftSession(this.prefix);
        this.netlinkUnavailable = !netlink;
    }

    /**
     * Applies a script of one command per line (no multi-line blocks) atomically, through a long-lived {@code nft
     * -i} when it is small: cheaper for the many small incremental syncs. {@code table} (family ip) should hold the
     * empty set {@code session-marker}, which ends each script's answer cheaply.
     */
    public void applyCommands(String table, String script) {
        if (script.lines().count() <= SESSION_MAX_COMMANDS) {
            session.apply(table, script, SESSION_TIMEOUT_MILLIS);
        } else {
            apply(script);
        }
    }

    /**
     * Applies a batch straight through netlink, as one transaction. Answers false, having changed nothing, when
     * netlink cannot be used here (a prefix other than {@code ip netns exec NS}, no socket): use nft then.
     *
     * @throws NetlinkSocket.NetlinkException if the kernel refused the batch (nothing of it applied)
     */
    public synchronized boolean applyBatch(NftBatch batch) {
        if (!netlinkAvailable()) {
            return false;
        }
        try {
            netlink.apply(batch);
        } catch (NetlinkSocket.NetlinkException e) {
            if (e.socketFailed()) {
                netlink.close(); // the next batch opens a fresh socket
                netlink = null;
            }
            throw e;
        }
        return true;
    }

    /**
     * Whether batches can go through netlink here, opening the socket on first use: not with a prefix other than
     * {@code ip netns exec NS}, nor when no socket can be opened. Callers ask before building a large batch.
     */
    public synchronized boolean netlinkAvailable() {
        if (netlinkUnavailable) {
            return false;
        }
        if (netlink == null) {
            String netns;
            if (prefix.isEmpty()) {
                netns = null;
            } else if (prefix.size() == 4 && prefix.subList(0, 3).equals(List.of("ip", "netns", "exec"))) {
                netns = prefix.get(3);
            } else {
                netlinkUnavailable = true;
                return false;
            }
            try {
                netlink = NetlinkSocket.open(netns);
            } catch (RuntimeException | LinkageError e) {
                LOG.warnf("nft alone applies the syncs: no netlink socket to nf_tables (%s)", e.getMessage());
                netlinkUnavailable = true;
                return false;
            }
        }
        return true;
    }

    /** Ends the long-lived session and the netlink socket, if open. */
    @Override
    public synchronized void close() {
        session.close();
        if (netlink != null) {
            netlink.close();
            netlink = null;
        }
    }

    /** Applies the script atomically; throws {@link NftException} with nft's complaint when it refuses it. */
    public void apply(String script) {
        run(script, "-f", "-");
    }

    /** Runs {@code nft ARGS}; answers its stdout. */
    public String run(String stdin, String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.add("nft");
        command.addAll(List.of(args));
        Process process = null;
        try {
            process = new ProcessBuilder(command).start();
            Process started = process;
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(started, false));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(started, true));
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = process.waitFor();
            String stderr = new String(err.join(), StandardCharsets.UTF_8);
            if (status != 0) {
                throw new NftException("nft " + String.join(" ", args) + " failed (exit " + status + "): "
                        + stderr.strip() + offendingLines(stdin, stderr));
            }
            return new String(out.join(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NftException("could not run " + String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroy(); // nft applies all or nothing: killed before its commit, it changed nothing
            Thread.currentThread().interrupt();
            throw new NftException("interrupted while running nft");
        }
    }

    private static byte[] readAll(Process process, boolean stderr) {
        try {
            return (stderr ? process.getErrorStream() : process.getInputStream()).readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** nft names lines of stdin ("/dev/stdin:12:5-9: Error: ..."); quote them, as the script is not kept. */
    static String offendingLines(String script, String stderr) {
        if (script == null) {
            return "";
        }
        String[] lines = script.split("\n", -1);
        StringBuilder b = new StringBuilder();
        Matcher m = ERROR_LINE.matcher(stderr);
        int shown = 0;
        while (m.find() && shown++ < 5) {
            int line = Integer.parseInt(m.group(1));
            if (line >= 1 && line <= lines.length) {
                b.append("\n  script line ").append(line).append(": ").append(lines[line - 1].strip());
            }
        }
        return b.toString();
    }
}
