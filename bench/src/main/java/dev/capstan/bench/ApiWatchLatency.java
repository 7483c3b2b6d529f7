package dev.capstan.bench;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Watch delivery through the API: W HTTP watches ({@code ?watch=true&resourceVersion=RV}) on one namespace,
 * each read by its own virtual thread, and a paced (open-loop) writer POSTing ConfigMaps into that namespace,
 * so that every write fans out to every watcher. Latency is the time a watcher read the event's line minus the
 * time the create call returned (the commit was acknowledged); the time from the call is reported as well.
 *
 * <p>Object w-0 is a primer: the harness creates it right after opening the watches and waits until every
 * watcher has read it, so that all watches are established (response headers alone would not show it: servers
 * before 6d5948e sent them only with the first event). Then the first {@code warmup} of paced writes is not
 * measured.
 */
final class ApiWatchLatency {
    private static final int MAX_OUTSTANDING_CREATES = 256;
    private static final Duration ESTABLISH_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(30);

    record Result(
            int watchers,
            int rate,
            Duration established,
            long measuredWrites,
            double achievedRate,
            long expectedDeliveries,
            long deliveries,
            int completeWatchers,
            Histogram fromReturn,
            Histogram fromCall,
            Histogram createLatency,
            long beforeReturn,
            long outOfOrder,
            long duplicates,
            long behindSchedule,
            Map<String, Long> ends,
            Map<String, Long> writeErrors,
            ProcessCpu.Use cpu) {

        long missing() {
            return expectedDeliveries - deliveries;
        }

        List<String> lines() {
            return List.of(
                    String.format(
                            "%,d watchers established in %.1f s; %d creates/s asked, %.1f achieved (%,d measured"
                                    + " creates; create latency %s)",
                            watchers,
                            established.toMillis() / 1000.0,
                            rate,
                            achievedRate,
                            measuredWrites,
                            createLatency.summary()),
                    String.format(
                            "create returned -> watcher read the line: %s  (%,d of %,d deliveries; %,d watchers got"
                                    + " every event; %,d read before create returned, counted as 0)",
                            fromReturn.summary(), deliveries, expectedDeliveries, completeWatchers, beforeReturn),
                    String.format("create called   -> watcher read the line: %s", fromCall.summary()),
                    String.format(
                            "missing %,d, duplicates %,d, out of order %,d, watches ended early %s, write errors %s,"
                                    + " creates started >10 ms late %,d",
                            missing(), duplicates, outOfOrder, ends, writeErrors, behindSchedule),
                    "while the measured creates were issued, " + cpu.line(),
                    "watch streams read on 2 Vert.x event loops, TLS by " + WatchConnections.engine());
        }
    }

    private ApiWatchLatency() {}

    static Result run(ApiClient api, int watchers, int rate, Duration warmup, Duration duration)
            throws IOException, InterruptedException, GeneralSecurityException {
        String namespace = "bench-watch-" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        api.createNamespace(namespace);
        String resourceVersion = api.resourceVersion(namespace);
        int warm = (int) (rate * warmup.toMillis() / 1000);
        int total = 1 + warm + (int) (rate * duration.toMillis() / 1000); // w-0 is the primer
        Duration watchTimeout =
                ESTABLISH_TIMEOUT.plus(warmup).plus(duration).plus(DRAIN_GRACE).plusSeconds(60);

        WatchConnections clients = new WatchConnections(api.target(), watchers);
        CountDownLatch primed = new CountDownLatch(watchers);
        CountDownLatch complete = new CountDownLatch(watchers);
        List<ApiWatcher> all = new ArrayList<>(watchers);
        List<Thread> threads = new ArrayList<>(watchers);
        long opening = System.nanoTime();
        for (int w = 0; w < watchers; w++) {
            ApiWatcher watcher =
                    new ApiWatcher(clients, namespace, resourceVersion, watchTimeout, total, primed, complete);
            all.add(watcher);
            threads.add(Thread.ofVirtual().name("watcher-" + w).start(watcher));
        }
        long[] called = new long[total];
        long[] returned = new long[total];
        Map<String, LongAdder> writeErrors = new ConcurrentHashMap<>();
        create(api, namespace, 0, called, returned, null, writeErrors);
        if (!primed.await(ESTABLISH_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            stop(all, threads, clients);
            throw new IOException((watchers - primed.getCount()) + " of " + watchers + " watches established in "
                    + ESTABLISH_TIMEOUT.toSeconds() + " s; ended: " + ends(all));
        }
        Duration established = Duration.ofNanos(System.nanoTime() - opening);

        Histogram createLatency = new Histogram();
        Semaphore outstanding = new Semaphore(MAX_OUTSTANDING_CREATES);
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long late = 0;
        int issued = 1;
        ApiTarget target = api.target();
        ProcessCpu.Sample cpuStart = ProcessCpu.Sample.take(target.pid().orElse(-1), target.postmaster());
        for (int seq = 1; seq < total; seq++) {
            long due = start + (seq - 1) * period;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            if (seq == warm + 1) {
                cpuStart = ProcessCpu.Sample.take(target.pid().orElse(-1), target.postmaster());
            }
            if (System.nanoTime() - due > TimeUnit.MILLISECONDS.toNanos(10)) {
                late++;
            }
            if (!outstanding.tryAcquire(60, TimeUnit.SECONDS)) {
                count(writeErrors, MAX_OUTSTANDING_CREATES + " creates outstanding for 60 s: stopped writing");
                break;
            }
            int s = seq;
            Histogram measured = seq > warm ? createLatency : null;
            Thread.ofVirtual().start(() -> {
                try {
                    create(api, namespace, s, called, returned, measured, writeErrors);
                } finally {
                    outstanding.release();
                }
            });
            issued = seq + 1;
        }
        long measureStart = start + warm * period;
        double elapsed = (System.nanoTime() - measureStart) / 1e9;
        ProcessCpu.Use cpu = ProcessCpu.Use.between(
                cpuStart, ProcessCpu.Sample.take(target.pid().orElse(-1), target.postmaster()));
        if (!outstanding.tryAcquire(MAX_OUTSTANDING_CREATES, 60, TimeUnit.SECONDS)) {
            count(writeErrors, "creates still running 60 s after the last was issued");
        }
        complete.await(DRAIN_GRACE.toSeconds(), TimeUnit.SECONDS);
        stop(all, threads, clients);
        return tally(
                all, rate, established, warm, issued, elapsed, called, returned, createLatency, late, writeErrors, cpu);
    }

    private static void create(
            ApiClient api,
            String namespace,
            int seq,
            long[] called,
            long[] returned,
            Histogram latency,
            Map<String, LongAdder> errors) {
        try {
            long call = System.nanoTime();
            api.createConfigMap(namespace, "w-" + seq);
            long done = System.nanoTime();
            called[seq] = call;
            returned[seq] = done;
            if (latency != null) {
                synchronized (latency) {
                    latency.record(done - call);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            count(errors, WriteLoad.describe(e));
        }
    }

    private static void stop(List<ApiWatcher> all, List<Thread> threads, WatchConnections clients)
            throws InterruptedException {
        all.forEach(ApiWatcher::stop);
        clients.close();
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(5));
        }
    }

    private static Result tally(
            List<ApiWatcher> all,
            int rate,
            Duration established,
            int warm,
            int issued,
            double elapsed,
            long[] called,
            long[] returned,
            Histogram createLatency,
            long late,
            Map<String, LongAdder> writeErrors,
            ProcessCpu.Use cpu) {
        Histogram fromReturn = new Histogram();
        Histogram fromCall = new Histogram();
        long measuredWrites = 0;
        for (int seq = warm + 1; seq < issued; seq++) {
            if (returned[seq] != 0) {
                measuredWrites++;
            }
        }
        long deliveries = 0;
        long beforeReturn = 0;
        long outOfOrder = 0;
        long duplicates = 0;
        int completeWatchers = 0;
        for (ApiWatcher watcher : all) {
            long[] received = watcher.received();
            long got = 0;
            for (int seq = warm + 1; seq < issued; seq++) {
                if (received[seq] == 0 || returned[seq] == 0) {
                    continue;
                }
                got++;
                long latency = received[seq] - returned[seq];
                if (latency < 0) {
                    beforeReturn++;
                }
                fromReturn.record(Math.max(0, latency));
                fromCall.record(received[seq] - called[seq]);
            }
            deliveries += got;
            if (got == measuredWrites) {
                completeWatchers++;
            }
            outOfOrder += watcher.outOfOrder();
            duplicates += watcher.duplicates();
        }
        Map<String, Long> errors = new TreeMap<>();
        writeErrors.forEach((k, v) -> errors.put(k, v.sum()));
        return new Result(
                all.size(),
                rate,
                established,
                measuredWrites,
                measuredWrites / elapsed,
                measuredWrites * all.size(),
                deliveries,
                completeWatchers,
                fromReturn,
                fromCall,
                createLatency,
                beforeReturn,
                outOfOrder,
                duplicates,
                late,
                ends(all),
                errors,
                cpu);
    }

    private static Map<String, Long> ends(List<ApiWatcher> all) {
        Map<String, Long> ends = new TreeMap<>();
        for (ApiWatcher watcher : all) {
            if (watcher.end() != null) {
                ends.merge(watcher.end(), 1L, Long::sum);
            }
        }
        return ends;
    }

    private static void count(Map<String, LongAdder> counts, String what) {
        counts.computeIfAbsent(what, k -> new LongAdder()).increment();
    }
}
