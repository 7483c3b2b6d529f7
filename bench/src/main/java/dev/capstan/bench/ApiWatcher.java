package dev.capstan.bench;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * One HTTP watch on the harness's namespace, read line by line on an event loop: records when the
 * line of each of the harness's objects ({@code w-SEQ}) was read, and checks that resourceVersions only grow.
 */
final class ApiWatcher implements Runnable {
    private static final String NAME = "\"name\":\"w-";
    private static final String RESOURCE_VERSION = "\"resourceVersion\":\"";

    private final WatchConnections connections;
    private final String namespace;
    private final String resourceVersion;
    private final Duration timeout;
    private final CountDownLatch primed;
    private final CountDownLatch complete;
    /** System.nanoTime() when the event of object w-SEQ was read, by SEQ; 0 if it was not. */
    private final long[] received;

    private volatile boolean stopping;
    private volatile WatchConnections.Stream stream;
    private int got;
    private long lastRevision;
    private long outOfOrder;
    private long duplicates;
    private long otherEvents;
    private String end;

    ApiWatcher(
            WatchConnections connections,
            String namespace,
            String resourceVersion,
            Duration timeout,
            int objects,
            CountDownLatch primed,
            CountDownLatch complete) {
        this.connections = connections;
        this.namespace = namespace;
        this.resourceVersion = resourceVersion;
        this.timeout = timeout;
        this.received = new long[objects];
        this.primed = primed;
        this.complete = complete;
    }

    @Override
    public void run() {
        CountDownLatch ended = new CountDownLatch(1);
        stream = connections.open(
                "/api/v1/namespaces/" + namespace + "/configmaps?watch=true&resourceVersion=" + resourceVersion
                        + "&timeoutSeconds=" + timeout.toSeconds(),
                line -> accept(line, System.nanoTime()),
                reason -> {
                    if (!stopping) {
                        end = reason == null ? "the server ended the watch" : reason;
                    }
                    ended.countDown();
                });
        try {
            ended.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept(String line, long now) {
        if (!line.startsWith("{\"type\":\"ADDED\"")) {
            otherEvents++;
            if (line.startsWith("{\"type\":\"ERROR\"")) {
                end = "ERROR event: " + (line.length() > 160 ? line.substring(0, 160) : line);
            }
            return;
        }
        long revision = number(line, RESOURCE_VERSION);
        if (revision <= lastRevision) {
            outOfOrder++;
        }
        lastRevision = revision;
        long seq = number(line, NAME);
        if (seq < 0 || seq >= received.length) {
            otherEvents++;
            return;
        }
        if (received[(int) seq] != 0) {
            duplicates++;
            return;
        }
        received[(int) seq] = now;
        got++;
        if (seq == 0) {
            primed.countDown();
        }
        if (got == received.length) {
            complete.countDown();
        }
    }

    /** The digits right after the first {@code marker} in line, or -1. */
    private static long number(String line, String marker) {
        int at = line.indexOf(marker);
        if (at < 0) {
            return -1;
        }
        long value = 0;
        int i = at + marker.length();
        int start = i;
        for (; i < line.length() && Character.isDigit(line.charAt(i)); i++) {
            value = value * 10 + (line.charAt(i) - '0');
        }
        return i == start ? -1 : value;
    }

    /** Ends the watch from the client's side. */
    void stop() {
        stopping = true;
        WatchConnections.Stream open = stream;
        if (open != null) {
            open.close();
        }
    }

    long[] received() {
        return received;
    }

    long outOfOrder() {
        return outOfOrder;
    }

    long duplicates() {
        return duplicates;
    }

    long otherEvents() {
        return otherEvents;
    }

    /** Why the watch ended before the harness stopped it, or null. */
    String end() {
        return end;
    }
}
