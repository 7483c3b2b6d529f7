package dev.capstan.bench;

import dev.capstan.store.ListResult;
import dev.capstan.store.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Lists of many objects: loads N keys of 1 KiB with concurrent writers, then times a full list in pages of
 * 500 (as kubectl and informers do, each page at the first page's revision) and a single unpaginated list. One
 * untimed round of each comes first; the figure is the median of the timed rounds.
 */
final class ListBench {
    static final int PAGE = 500;
    private static final String PREFIX = "/bench/list/";
    private static final int ROUNDS = 3;

    record Result(
            int keys,
            Duration load,
            Map<String, Long> loadErrors,
            List<Duration> paginated,
            int pages,
            List<Duration> firstPage,
            List<Duration> lastPage,
            List<Duration> unpaginated,
            List<String> problems) {

        List<String> lines() {
            return List.of(
                    String.format(
                            "loaded %,d keys of %d B in %.1f s (%,.0f creates/s)%s",
                            keys,
                            WriteLoad.VALUE_BYTES,
                            load.toNanos() / 1e9,
                            keys / (load.toNanos() / 1e9),
                            loadErrors.isEmpty() ? "" : "  ERRORS " + loadErrors),
                    String.format(
                            "paginated list (%d pages of %d): median %d ms  (rounds %s); first page %d ms, last %d ms",
                            pages,
                            PAGE,
                            median(paginated).toMillis(),
                            millis(paginated),
                            median(firstPage).toMillis(),
                            median(lastPage).toMillis()),
                    String.format(
                            "unpaginated list:              median %d ms  (rounds %s)",
                            median(unpaginated).toMillis(), millis(unpaginated)));
        }
    }

    private ListBench() {}

    static Result run(Store store, int keys, int writers) throws InterruptedException {
        Map<String, LongAdder> loadErrors = new ConcurrentHashMap<>();
        Duration load = load(store, keys, writers, loadErrors);
        List<String> problems = new ArrayList<>();
        List<Duration> paginated = new ArrayList<>();
        List<Duration> unpaginated = new ArrayList<>();
        List<Duration> firstPage = new ArrayList<>();
        List<Duration> lastPage = new ArrayList<>();
        int pages = 0;
        for (int round = 0; round <= ROUNDS; round++) {
            long t0 = System.nanoTime();
            Paged paged = listPaginated(store);
            long t1 = System.nanoTime();
            int whole = store.list(PREFIX, 0, 0, "").items().size();
            long t2 = System.nanoTime();
            pages = paged.pages();
            if (paged.items() != keys || whole != keys) {
                problems.add("round " + round + ": paginated list returned " + paged.items() + " and unpaginated "
                        + whole
                        + " items, expected " + keys);
            }
            if (round > 0) {
                paginated.add(Duration.ofNanos(t1 - t0));
                unpaginated.add(Duration.ofNanos(t2 - t1));
                firstPage.add(paged.first());
                lastPage.add(paged.last());
            }
        }
        Map<String, Long> errors = new TreeMap<>();
        loadErrors.forEach((k, v) -> errors.put(k, v.sum()));
        return new Result(keys, load, errors, paginated, pages, firstPage, lastPage, unpaginated, problems);
    }

    private static Duration load(Store store, int keys, int writers, Map<String, LongAdder> errors)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < writers; w++) {
                threads.submit(() -> {
                    byte[] value = new byte[WriteLoad.VALUE_BYTES];
                    ThreadLocalRandom.current().nextBytes(value);
                    for (int i = next.getAndIncrement(); i < keys; i = next.getAndIncrement()) {
                        try {
                            store.create(PREFIX + String.format("%08d", i), value);
                        } catch (RuntimeException e) {
                            errors.computeIfAbsent(WriteLoad.describe(e), k -> new LongAdder())
                                    .increment();
                        }
                    }
                });
            }
            threads.shutdown();
            if (!threads.awaitTermination(30, TimeUnit.MINUTES)) {
                throw new IllegalStateException("loading " + keys + " keys took more than 30 minutes");
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private record Paged(int items, int pages, Duration first, Duration last) {}

    private static Paged listPaginated(Store store) {
        long t0 = System.nanoTime();
        ListResult page = store.list(PREFIX, 0, PAGE, "");
        long t1 = System.nanoTime();
        Duration first = Duration.ofNanos(t1 - t0);
        Duration last = first;
        int items = page.items().size();
        int count = 1;
        long revision = page.revision();
        while (page.hasMore()) {
            long start = System.nanoTime();
            page = store.list(PREFIX, revision, PAGE, page.lastKey());
            last = Duration.ofNanos(System.nanoTime() - start);
            items += page.items().size();
            count++;
        }
        return new Paged(items, count, first, last);
    }

    static Duration median(List<Duration> values) {
        List<Duration> sorted = values.stream().sorted().toList();
        return sorted.isEmpty() ? Duration.ZERO : sorted.get(sorted.size() / 2);
    }

    private static String millis(List<Duration> values) {
        return values.stream().map(d -> Long.toString(d.toMillis())).toList().toString();
    }
}
