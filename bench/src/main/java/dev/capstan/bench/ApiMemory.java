package dev.capstan.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The API server's resident memory idle after start and with many ConfigMaps stored, created through the API;
 * then the paginated list of all of them (pages of 500, as kubectl and client-go's reflector read), which also
 * shows what reading them all does to the memory. PostgreSQL's processes are measured apart.
 */
final class ApiMemory {
    static final Duration SETTLE = Duration.ofSeconds(10);
    static final int PAGE = 500;
    private static final int LIST_ROUNDS = 3;

    record Result(
            ProcessMemory.Sample idle,
            String heapIdle,
            ApiLoad.Result load,
            ProcessMemory.Sample loaded,
            String heapLoaded,
            List<Duration> paginated,
            List<Duration> firstPage,
            List<Duration> lastPage,
            int pages,
            int listed,
            ProcessMemory.Sample afterList) {}

    private ApiMemory() {}

    static Result run(ApiClient api, int objects, int loadClients) throws IOException, InterruptedException {
        ApiTarget target = api.target();
        long pid = target.pid().orElseThrow();
        System.out.println("idle " + SETTLE.toSeconds() + " s after start...");
        Thread.sleep(SETTLE);
        ProcessMemory.Sample idle = ProcessMemory.sample(pid, target.postmaster());
        String heapIdle = heapUsed(api);
        System.out.println("idle: " + idle.line() + "; heap used " + heapIdle);

        String namespace = "bench-memory";
        api.createNamespace(namespace);
        System.out.printf("creating %,d ConfigMaps with %d clients...%n", objects, loadClients);
        ApiLoad.Result load = ApiLoad.create(api, namespace, "cm-", objects, loadClients);
        System.out.printf(
                "created %,d in %.1f s (%,.0f/s), %,d errors%s%n",
                load.created(),
                load.took().toMillis() / 1000.0,
                load.perSecond(),
                load.errors(),
                load.errors() == 0 ? "" : ", first: " + load.firstError());
        Thread.sleep(SETTLE);
        ProcessMemory.Sample loaded = ProcessMemory.sample(pid, target.postmaster());
        String heapLoaded = heapUsed(api);
        System.out.printf(
                "with %,d ConfigMaps, %d s idle: %s; heap used %s%n",
                load.created(), SETTLE.toSeconds(), loaded.line(), heapLoaded);

        List<Duration> paginated = new ArrayList<>();
        List<Duration> first = new ArrayList<>();
        List<Duration> last = new ArrayList<>();
        int pages = 0;
        int listed = 0;
        for (int round = 0; round < LIST_ROUNDS; round++) {
            pages = 0;
            listed = 0;
            long total = 0;
            long firstPage = 0;
            long lastPage = 0;
            String next = "";
            do {
                long start = System.nanoTime();
                byte[] body = api.listConfigMaps(namespace, PAGE, next);
                long took = System.nanoTime() - start;
                total += took;
                firstPage = pages == 0 ? took : firstPage;
                lastPage = took;
                pages++;
                JsonObject page = new JsonObject(Buffer.buffer(body));
                listed += page.getJsonArray("items").size();
                next = page.getJsonObject("metadata").getString("continue", "");
            } while (!next.isEmpty());
            paginated.add(Duration.ofNanos(total));
            first.add(Duration.ofNanos(firstPage));
            last.add(Duration.ofNanos(lastPage));
            System.out.printf(
                    "paginated list, round %d: %,d items in %d pages, %,d ms of requests (first page %d ms, last %d"
                            + " ms)%n",
                    round + 1, listed, pages, total / 1_000_000, firstPage / 1_000_000, lastPage / 1_000_000);
        }
        ProcessMemory.Sample afterList = ProcessMemory.sample(pid, target.postmaster());
        System.out.println("after the lists: " + afterList.line());
        return new Result(idle, heapIdle, load, loaded, heapLoaded, paginated, first, last, pages, listed, afterList);
    }

    /** The JVM heap in use as the server's /metrics reports it (jvm_memory_used_bytes, area heap), or "?". */
    static String heapUsed(ApiClient api) {
        try {
            double bytes = 0;
            boolean found = false;
            for (String line : api.metrics().split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    bytes += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    found = true;
                }
            }
            return found ? ProcessMemory.mib(Math.round(bytes / 1024)) : "?";
        } catch (IOException | RuntimeException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }
}
