package dev.capstan.node.logs;

import dev.capstan.model.pod.PodLogOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Reads a container's CRI log file as the kubelet does (upstream pkg/kubelet/kuberuntime/logs ReadLogs): starts at the
 * last {@code tailLines} lines of the file, skips lines older than {@code since}, joins partial lines (a timestamp
 * prefixes only the first piece of a line), cuts the output at {@code limitBytes}, and with {@code follow} keeps
 * reading new lines until the container has stopped and the file is read to its end. stdout and stderr go to the same
 * stream, as the kubelet's endpoint writes both to one response.
 *
 * <p>Following polls the file's size every {@code pollInterval} and asks whether the container still runs each time it
 * has caught up (upstream asks at each wait, and every second without a change); a new line is written and flushed as
 * soon as it is seen. Log rotation is not followed.
 */
public final class ContainerLogs {
    private static final Logger LOG = Logger.getLogger(ContainerLogs.class);
    private static final int BLOCK = 1024;
    /** Upstream's logForceCheckPeriod: a wait ends after this even without a change, to check the container again. */
    private static final Duration FORCE_CHECK = Duration.ofSeconds(1);

    private final Clock clock;
    private final Duration pollInterval;

    public ContainerLogs(Clock clock, Duration pollInterval) {
        this.clock = clock;
        this.pollInterval = pollInterval;
    }

    /**
     * Writes the log at {@code path} to {@code out}. Returns when the log is written (or, following, the container has
     * stopped and its file is read to the end); an interrupt (the client went) ends it with InterruptedException.
     *
     * @param running whether the container still runs; asked only when following
     */
    public void read(Path path, PodLogOptions options, OutputStream out, BooleanSupplier running)
            throws IOException, InterruptedException {
        Path file = path.toRealPath();
        long tail = options.tailLines().orElse(-1);
        boolean follow = options.follow();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.position(tailStart(channel, tail));
            var lines = new LineReader(channel);
            var writer = new Writer(
                    out,
                    options.since(clock.instant()).orElse(null),
                    options.timestamps(),
                    options.limitBytes().orElse(-1),
                    follow);
            boolean limited = tail >= 0 && !follow;
            long remainingLines = tail;
            boolean newLine = true;
            boolean found = true;
            boolean stop = false;
            while (!stop && !(limited && remainingLines == 0)) {
                byte[] line = lines.next();
                if (line == null) {
                    if (follow) {
                        if (!found) {
                            break; // the container had stopped and the file is read to its end
                        }
                        out.flush();
                        found = waitForMore(channel, lines, running);
                        continue;
                    }
                    stop = true;
                    line = lines.rest();
                    if (line.length == 0) {
                        continue;
                    }
                }
                CriLogLine msg;
                try {
                    msg = CriLogLine.parse(line);
                } catch (IllegalArgumentException e) {
                    LOG.debugf("skipping a line of %s: %s", file, e.getMessage());
                    continue;
                }
                if (!writer.write(msg, newLine)) {
                    break; // limitBytes reached
                }
                if (limited) {
                    remainingLines--;
                }
                newLine = msg.log().length == 0 || msg.log()[msg.log().length - 1] == '\n';
            }
            out.flush();
        }
    }

    /**
     * Waits until the file has grown, at most {@link #FORCE_CHECK}; answers false when the container no longer runs
     * (the caller then reads what is left and ends).
     */
    private boolean waitForMore(FileChannel channel, LineReader lines, BooleanSupplier running)
            throws IOException, InterruptedException {
        if (!running.getAsBoolean()) {
            return false;
        }
        Instant until = clock.instant().plus(FORCE_CHECK);
        while (channel.size() <= lines.filePosition() && clock.instant().isBefore(until)) {
            Thread.sleep(pollInterval);
        }
        return true;
    }

    /** The offset of the n-th line from the end (upstream findTailLineStartIndex); an unfinished last line is no line. */
    static long tailStart(FileChannel channel, long n) throws IOException {
        if (n < 0) {
            return 0;
        }
        long size = channel.size();
        long left = size;
        long count = 0;
        byte[] buf = new byte[0];
        for (long right = size; right > 0 && count <= n; right -= BLOCK) {
            left = Math.max(0, right - BLOCK);
            buf = new byte[(int) (right - left)];
            channel.read(ByteBuffer.wrap(buf), left);
            for (byte b : buf) {
                if (b == '\n') {
                    count++;
                }
            }
        }
        int i = 0;
        for (; count > n; count--) {
            while (buf[i] != '\n') {
                i++;
            }
            i++;
        }
        return left + i;
    }

    /** Lines of the file, each with its newline; what follows the last newline stays until it is finished or taken. */
    private static final class LineReader {
        private final FileChannel channel;
        private byte[] buf = new byte[64 * 1024];
        private int start;
        private int end;

        LineReader(FileChannel channel) {
            this.channel = channel;
        }

        /** The next finished line, or null at the end of the file. */
        byte[] next() throws IOException {
            while (true) {
                for (int i = start; i < end; i++) {
                    if (buf[i] == '\n') {
                        byte[] line = Arrays.copyOfRange(buf, start, i + 1);
                        start = i + 1;
                        return line;
                    }
                }
                if (!fill()) {
                    return null;
                }
            }
        }

        /** The unfinished rest of the file, taken. */
        byte[] rest() {
            byte[] rest = Arrays.copyOfRange(buf, start, end);
            start = end;
            return rest;
        }

        /** Where the next byte the reader does not hold yet lies in the file. */
        long filePosition() throws IOException {
            return channel.position();
        }

        private boolean fill() throws IOException {
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
            }
            int n = channel.read(ByteBuffer.wrap(buf, end, buf.length - end));
            if (n <= 0) {
                return false;
            }
            end += n;
            return true;
        }
    }

    /** Upstream's logWriter: the since filter, the timestamp prefix, and limitBytes. */
    private static final class Writer {
        private final OutputStream out;
        private final Instant since;
        private final boolean timestamps;
        private final boolean flushEachLine;
        private long remaining;

        Writer(OutputStream out, Instant since, boolean timestamps, long limitBytes, boolean flushEachLine) {
            this.out = out;
            this.since = since;
            this.timestamps = timestamps;
            this.flushEachLine = flushEachLine;
            this.remaining = limitBytes >= 0 ? limitBytes : Long.MAX_VALUE;
        }

        /** Writes the line; false once limitBytes is used up. */
        boolean write(CriLogLine msg, boolean newLine) throws IOException {
            if (since != null && msg.timestamp().toInstant().isBefore(since)) {
                return true;
            }
            byte[] line = msg.log();
            if (timestamps && newLine) {
                byte[] prefix = (CriLogLine.format(msg.timestamp()) + " ").getBytes(StandardCharsets.US_ASCII);
                byte[] joined = Arrays.copyOf(prefix, prefix.length + line.length);
                System.arraycopy(line, 0, joined, prefix.length, line.length);
                line = joined;
            }
            int n = (int) Math.min(line.length, remaining);
            out.write(line, 0, n);
            if (flushEachLine) {
                out.flush();
            }
            remaining -= n;
            return remaining > 0;
        }
    }
}
