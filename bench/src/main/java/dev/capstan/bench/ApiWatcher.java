package dev.capstan.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * One HTTP watch on the harness's namespace, read line by line on its own virtual thread: records when the
 * line of each of the harness's objects ({@code w-SEQ}) was read, and checks that resourceVersions only grow.
 */
final class ApiWatcher implements Runnable {
    private static final String NAME = "\"name\":\"w-";
    private static final String RESOURCE_VERSION = "\"resourceVersion\":\"";

    private final ApiClient api;
    private final HttpClient client;
    private final String namespace;
    private final String resourceVersion;
    private final Duration timeout;
    private final CountDownLatch primed;
    private final CountDownLatch complete;
    /** System.nanoTime() when the event of object w-SEQ was read, by SEQ; 0 if it was not. */
    private final long[] received;

    private volatile boolean stopping;
    private volatile InputStream body;
    private int got;
    private long lastRevision;
    private long outOfOrder;
    private long duplicates;
    private long otherEvents;
    private String end;

    ApiWatcher(
            ApiClient api,
            HttpClient client,
            String namespace,
            String resourceVersion,
            Duration timeout,
            int objects,
            CountDownLatch primed,
            CountDownLatch complete) {
        this.api = api;
        this.client = client;
        this.namespace = namespace;
        this.resourceVersion = resourceVersion;
        this.timeout = timeout;
        this.received = new long[objects];
        this.primed = primed;
        this.complete = complete;
    }

    @Override
    public void run() {
        try {
            HttpResponse<InputStream> response = api.watch(client, namespace, resourceVersion, timeout);
            body = response.body();
            if (response.statusCode() != 200) {
                end = "HTTP " + response.statusCode();
                body.close();
                return;
            }
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    accept(line, System.nanoTime());
                }
            }
            if (!stopping) {
                end = "the server ended the watch";
            }
        } catch (IOException e) {
            if (!stopping) {
                end = WriteLoad.describe(e);
            }
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
        InputStream in = body;
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                // closing is best effort; the client is shut down next
            }
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
