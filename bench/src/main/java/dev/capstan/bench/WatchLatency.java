package dev.capstan.bench;

import dev.capstan.store.Store;
import dev.capstan.store.Watch;
import dev.capstan.store.WatchEvent;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Delivery latency from commit to many watchers: W watches on one prefix, each drained by its own virtual
 * thread, and a paced (open-loop) writer creating keys under that prefix at a steady rate. Every value carries
 * its sequence number and the nanoTime just before create was called; the harness also keeps the nanoTime at
 * which create returned. Latency is a watcher's receive time minus the time create returned (the commit was
 * acknowledged); the time from the call is reported too. The first {@code warmup} of writes is not measured.
 */
final class WatchLatency {
    private static final String PREFIX = "/bench/watch/";
    private static final int MAX_OUTSTANDING_CREATES = 1024;
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(30);

    record Result(
            int watchers,
            int rate,
            long measuredWrites,
            double achievedRate,
            long expectedDeliveries,
            long deliveries,
            Histogram fromReturn,
            Histogram fromCall,
            Histogram createLatency,
            long beforeReturn,
            long outOfOrder,
            long behindSchedule,
            Map<String, Long> ends,
            Map<String, Long> writeErrors) {

        long missing() {
            return expectedDeliveries - deliveries;
        }

        List<String> lines() {
            return List.of(
                    String.format(
                            "%,d watchers, %d creates/s asked, %.1f achieved (%,d measured creates; create latency %s)",
                            watchers, rate, achievedRate, measuredWrites, createLatency.summary()),
                    String.format(
                            "commit acknowledged -> watcher: %s  (%,d of %,d deliveries; %,d arrived before create"
                                    + " returned, counted as 0)",
                            fromReturn.summary(), deliveries, expectedDeliveries, beforeReturn),
                    String.format("create called     -> watcher: %s", fromCall.summary()),
                    String.format(
                            "missing deliveries %,d, out of order %,d, watches ended early %s, write errors %s,"
                                    + " creates started >10 ms late %,d",
                            missing(), outOfOrder, ends, writeErrors, behindSchedule));
        }
    }

    private WatchLatency() {}

    static Result run(Store store, int watchers, int rate, Duration warmup, Duration duration)
            throws InterruptedException {
        int warm = (int) (rate * warmup.toMillis() / 1000);
        int total = warm + (int) (rate * duration.toMillis() / 1000);
        long[] returned = new long[total];
        long[][] received = new long[watchers][total];
        Histogram[] fromCall = new Histogram[watchers];
        long[] outOfOrder = new long[watchers];
        Map<String, LongAdder> ends = new ConcurrentHashMap<>();
        List<Watch> watches = new ArrayList<>(watchers);
        for (int w = 0; w < watchers; w++) {
            watches.add(store.watch(PREFIX, 0));
        }
        long drainDeadline =
                System.nanoTime() + warmup.plus(duration).plus(DRAIN_GRACE).toNanos();
        List<Thread> drainers = new ArrayList<>(watchers);
        for (int w = 0; w < watchers; w++) {
            int index = w;
            fromCall[w] = new Histogram();
            drainers.add(Thread.ofVirtual()
                    .name("watcher-" + w)
                    .start(() -> drain(
                            watches.get(index),
                            received[index],
                            warm,
                            fromCall[index],
                            outOfOrder,
                            index,
                            ends,
                            drainDeadline)));
        }

        Histogram createLatency = new Histogram();
        Map<String, LongAdder> writeErrors = new ConcurrentHashMap<>();
        Semaphore outstanding = new Semaphore(MAX_OUTSTANDING_CREATES);
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long late = 0;
        for (int i = 0; i < total; i++) {
            long due = start + i * period;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            if (System.nanoTime() - due > TimeUnit.MILLISECONDS.toNanos(10)) {
                late++;
            }
            if (!outstanding.tryAcquire(60, TimeUnit.SECONDS)) {
                writeErrors
                        .computeIfAbsent(
                                MAX_OUTSTANDING_CREATES + " creates outstanding for 60 s: stopped writing",
                                k -> new LongAdder())
                        .increment();
                total = i;
                break;
            }
            int seq = i;
            Thread.ofVirtual().start(() -> {
                try {
                    ByteBuffer value = ByteBuffer.allocate(WriteLoad.VALUE_BYTES);
                    value.putLong(0, seq);
                    long called = System.nanoTime();
                    value.putLong(8, called);
                    store.create(PREFIX + String.format("%08d", seq), value.array());
                    long done = System.nanoTime();
                    returned[seq] = done;
                    if (seq >= warm) {
                        synchronized (createLatency) {
                            createLatency.record(done - called);
                        }
                    }
                } catch (RuntimeException e) {
                    writeErrors
                            .computeIfAbsent(WriteLoad.describe(e), k -> new LongAdder())
                            .increment();
                } finally {
                    outstanding.release();
                }
            });
        }
        long measureStart = start + warm * period;
        double elapsed = (System.nanoTime() - measureStart) / 1e9;
        if (!outstanding.tryAcquire(MAX_OUTSTANDING_CREATES, 60, TimeUnit.SECONDS)) {
            writeErrors
                    .computeIfAbsent("creates still running 60 s after the last was issued", k -> new LongAdder())
                    .increment();
        }
        for (Thread drainer : drainers) {
            drainer.join(Duration.ofNanos(Math.max(1, drainDeadline - System.nanoTime())));
        }
        watches.forEach(Watch::close);
        for (Thread drainer : drainers) {
            drainer.join(Duration.ofSeconds(5));
        }
        return tally(
                watchers,
                rate,
                warm,
                total,
                elapsed,
                returned,
                received,
                fromCall,
                createLatency,
                outOfOrder,
                late,
                ends,
                writeErrors);
    }

    private static void drain(
            Watch watch,
            long[] received,
            int warm,
            Histogram fromCall,
            long[] outOfOrder,
            int index,
            Map<String, LongAdder> ends,
            long deadline) {
        int expected = received.length;
        int got = 0;
        long lastRevision = 0;
        try {
            while (got < expected) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    ends.computeIfAbsent("drain deadline passed", k -> new LongAdder())
                            .increment();
                    return;
                }
                WatchEvent event = watch.poll(Duration.ofNanos(Math.min(left, 250_000_000L)));
                long now = System.nanoTime();
                if (event == null) {
                    continue;
                }
                if (event instanceof WatchEvent.End end) {
                    ends.computeIfAbsent(end.toString(), k -> new LongAdder()).increment();
                    return;
                }
                WatchEvent.Change change = (WatchEvent.Change) event;
                if (change.revision() <= lastRevision) {
                    outOfOrder[index]++;
                }
                lastRevision = change.revision();
                if (change instanceof WatchEvent.Created created) {
                    ByteBuffer value = ByteBuffer.wrap(created.current().value());
                    int seq = (int) value.getLong(0);
                    if (seq >= 0 && seq < expected && received[seq] == 0) {
                        received[seq] = now;
                        got++;
                        if (seq >= warm) {
                            fromCall.record(now - value.getLong(8));
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Result tally(
            int watchers,
            int rate,
            int warm,
            int total,
            double elapsed,
            long[] returned,
            long[][] received,
            Histogram[] fromCall,
            Histogram createLatency,
            long[] outOfOrder,
            long late,
            Map<String, LongAdder> ends,
            Map<String, LongAdder> writeErrors) {
        Histogram fromReturn = new Histogram();
        Histogram call = new Histogram();
        long measuredWrites = 0;
        for (int seq = warm; seq < total; seq++) {
            if (returned[seq] != 0) {
                measuredWrites++;
            }
        }
        long deliveries = 0;
        long beforeReturn = 0;
        for (int w = 0; w < watchers; w++) {
            call.add(fromCall[w]);
            for (int seq = warm; seq < total; seq++) {
                long at = received[w][seq];
                if (at == 0 || returned[seq] == 0) {
                    continue;
                }
                deliveries++;
                long latency = at - returned[seq];
                if (latency < 0) {
                    beforeReturn++;
                }
                fromReturn.record(Math.max(0, latency));
            }
        }
        long disorder = 0;
        for (long n : outOfOrder) {
            disorder += n;
        }
        return new Result(
                watchers,
                rate,
                measuredWrites,
                measuredWrites / elapsed,
                measuredWrites * watchers,
                deliveries,
                fromReturn,
                call,
                createLatency,
                beforeReturn,
                disorder,
                late,
                counts(ends),
                counts(writeErrors));
    }

    private static Map<String, Long> counts(Map<String, LongAdder> adders) {
        Map<String, Long> counts = new TreeMap<>();
        adders.forEach((k, v) -> counts.put(k, v.sum()));
        return counts;
    }
}
