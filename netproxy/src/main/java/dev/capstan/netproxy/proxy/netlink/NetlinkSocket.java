package dev.capstan.netproxy.proxy.netlink;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A NETLINK_NETFILTER socket that sends {@link NftBatch}es straight to nf_tables. Unlike {@code nft}, it reads nothing
 * of the ruleset first: against a table of 11,000 chains nft dumps every chain and set before each command (tens of
 * milliseconds), while the kernel applies a small batch in a few.
 *
 * <p>nfnetlink handles a batch in the sender's {@code write}: when it returns, every acknowledgement and error is
 * already queued, so they are read without blocking.
 */
public final class NetlinkSocket implements AutoCloseable {
    /** The kernel refused a batch (the transaction was aborted: nothing of it applied) or the socket failed. */
    public static final class NetlinkException extends RuntimeException {
        private final boolean socketFailed;

        NetlinkException(String message) {
            this(message, false);
        }

        NetlinkException(String message, boolean socketFailed) {
            super(message);
            this.socketFailed = socketFailed;
        }

        /** The socket itself failed (not the kernel refusing a batch): open another. */
        public boolean socketFailed() {
            return socketFailed;
        }
    }

    interface LibC extends Library {
        int socket(int domain, int type, int protocol);

        int setsockopt(int fd, int level, int name, int[] value, int length);

        int open(String path, int flags);

        int setns(int fd, int nstype);

        NativeLong write(int fd, byte[] buffer, NativeLong count);

        NativeLong recv(int fd, byte[] buffer, NativeLong length, int flags);

        int close(int fd);

        String strerror(int errno);
    }

    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_NETFILTER = 12;
    private static final int SOL_SOCKET = 1;
    private static final int SO_SNDBUFFORCE = 32;
    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_CAP_ACK = 10;
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int EAGAIN = 11;
    private static final int NLMSG_ERROR = 2;
    private static final int DEFAULT_SEND_BUFFER = 212_992;

    private static volatile LibC libc;

    private final int fd;
    private boolean closed;
    private int sendBuffer; // what SO_SNDBUFFORCE last asked for; 0: the default (208 KiB)

    private NetlinkSocket(int fd) {
        this.fd = fd;
    }

    /**
     * Opens a socket in the current network namespace, or in the named one ({@code ip netns} name) when {@code netns}
     * is not null; the socket stays in that namespace.
     */
    public static NetlinkSocket open(String netns) {
        LibC c = libc();
        if (netns == null) {
            return new NetlinkSocket(socket(c));
        }
        // setns changes the calling thread only: do it on a thread of its own, which ends afterwards
        AtomicReference<Object> result = new AtomicReference<>();
        Thread opener = Thread.ofPlatform().name("netlink-netns-" + netns).unstarted(() -> {
            try {
                int ns = c.open("/var/run/netns/" + netns, O_RDONLY_CLOEXEC);
                if (ns < 0) {
                    throw failure(c, "open network namespace " + netns);
                }
                try {
                    if (c.setns(ns, CLONE_NEWNET) != 0) {
                        throw failure(c, "enter network namespace " + netns);
                    }
                } finally {
                    c.close(ns);
                }
                result.set(socket(c));
            } catch (RuntimeException e) {
                result.set(e);
            }
        });
        opener.start();
        try {
            opener.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetlinkException("interrupted while opening a netlink socket");
        }
        if (result.get() instanceof RuntimeException e) {
            throw e;
        }
        return new NetlinkSocket((Integer) result.get());
    }

    /** Sends the batch as one transaction; throws {@link NetlinkException} with the kernel's errors if refused. */
    public synchronized void apply(NftBatch batch) {
        if (closed) {
            throw new NetlinkException("the netlink socket is closed");
        }
        byte[] bytes = batch.bytes();
        LibC c = libc();
        if (bytes.length > DEFAULT_SEND_BUFFER / 2 && bytes.length > sendBuffer) {
            // a batch is one message, and netlink refuses one larger than the send buffer: a whole table takes MiBs
            // (nft does the same; the kernel doubles the value for its bookkeeping)
            if (c.setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, new int[] {bytes.length}, 4) != 0) {
                throw failure(c, "enlarge the netlink socket's send buffer to " + bytes.length + " bytes");
            }
            sendBuffer = bytes.length;
        }
        long sent = c.write(fd, bytes, new NativeLong(bytes.length)).longValue();
        if (sent != bytes.length) {
            throw new NetlinkException(
                    "could not send " + bytes.length + " bytes to nf_tables (sent " + sent + "): "
                            + c.strerror(Native.getLastError()),
                    true);
        }
        int acknowledged = 0;
        List<String> errors = new ArrayList<>();
        byte[] buffer = new byte[64 * 1024];
        while (true) {
            long n = c.recv(fd, buffer, new NativeLong(buffer.length), MSG_DONTWAIT)
                    .longValue();
            if (n < 0) {
                int errno = Native.getLastError();
                if (errno == EAGAIN) {
                    break;
                }
                throw new NetlinkException("reading nf_tables' answer failed: " + c.strerror(errno), true);
            }
            ByteBuffer answer = ByteBuffer.wrap(buffer, 0, (int) n).order(ByteOrder.nativeOrder());
            while (answer.remaining() >= 16) {
                int start = answer.position();
                int length = answer.getInt(start);
                int type = answer.getShort(start + 4) & 0xffff;
                int seq = answer.getInt(start + 8);
                if (length < 16 || start + length > answer.limit()) {
                    break;
                }
                if (type == NLMSG_ERROR) {
                    int error = answer.getInt(start + 16);
                    if (error == 0) {
                        acknowledged++;
                    } else {
                        errors.add("command " + seq + " of " + batch.commands() + ": " + c.strerror(-error));
                    }
                }
                answer.position(start + ((length + 3) & ~3));
            }
        }
        if (!errors.isEmpty()) {
            throw new NetlinkException("nf_tables refused the batch: " + String.join("; ", errors));
        }
        if (acknowledged != batch.acknowledgements()) {
            // answers went missing (a full receive queue): what was applied is unknown, and so is the queue
            throw new NetlinkException(
                    "nf_tables acknowledged " + acknowledged + " of " + batch.acknowledgements() + " commands", true);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            libc().close(fd);
        }
    }

    private static int socket(LibC c) {
        int fd = c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
        if (fd < 0) {
            throw failure(c, "open a netlink socket");
        }
        // errors then quote only the header of the refused message, not all of it
        c.setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, new int[] {1}, 4);
        return fd;
    }

    private static NetlinkException failure(LibC c, String what) {
        return new NetlinkException("could not " + what + ": " + c.strerror(Native.getLastError()));
    }

    private static LibC libc() {
        LibC c = libc;
        if (c == null) {
            c = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
            libc = c;
        }
        return c;
    }
}
