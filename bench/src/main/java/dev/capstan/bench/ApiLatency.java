package dev.capstan.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Closed-loop create / get / list through the API at each client count, with {@link WriteLoad}'s warm-up and
 * measuring window: each client is a virtual thread issuing one request at a time.
 *
 * <ul>
 *   <li>create: POST a new ConfigMap of about 1 KiB into a fresh namespace (one per client count);
 *   <li>get: GET one of the ConfigMaps of the read namespace, picked at random;
 *   <li>list: GET the read namespace's collection with limit=listSize, which holds exactly listSize ConfigMaps.
 * </ul>
 */
final class ApiLatency {
    static final List<String> OPERATIONS = List.of("create", "get", "list");

    record Cell(String operation, WriteLoad.Result result, ProcessCpu.Use cpu) {
        String line() {
            return String.format(
                    "%-6s %s%n       %s",
                    operation, result.line().replace("writers", "clients").replace("writes", "requests"), cpu.line());
        }
    }

    private ApiLatency() {}

    static List<Cell> run(ApiClient api, List<Integer> clientCounts, Duration warmup, Duration duration, int listSize)
            throws IOException, InterruptedException {
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        String readNamespace = "bench-read-" + run;
        api.createNamespace(readNamespace);
        fill(api, readNamespace, listSize);
        checkList(api, readNamespace, listSize);
        System.out.printf("read namespace %s holds %d ConfigMaps%n", readNamespace, listSize);

        List<Cell> cells = new ArrayList<>();
        for (String operation : OPERATIONS) {
            for (int clients : clientCounts) {
                WriteLoad.Writer request = switch (operation) {
                    case "create" -> {
                        String ns = "bench-create-" + clients + "-" + run;
                        api.createNamespace(ns);
                        yield (key, value) -> api.createConfigMap(ns, key.replace('/', '-'));
                    }
                    case "get" ->
                        (key, value) -> api.getConfigMap(
                                readNamespace,
                                "cm-" + ThreadLocalRandom.current().nextInt(listSize));
                    case "list" -> (key, value) -> api.listConfigMaps(readNamespace, listSize, "");
                    default -> throw new IllegalStateException(operation);
                };
                ApiTarget target = api.target();
                ProcessCpu.Sample[] cpu = new ProcessCpu.Sample[2];
                Thread sampler = Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(warmup);
                        cpu[0] = ProcessCpu.Sample.take(target.pid().orElse(-1), target.postmaster());
                        Thread.sleep(duration);
                        cpu[1] = ProcessCpu.Sample.take(target.pid().orElse(-1), target.postmaster());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                WriteLoad.Result result = WriteLoad.run(clients, warmup, duration, "c" + clients + "/", request);
                sampler.join();
                Cell cell = new Cell(operation, result, ProcessCpu.Use.between(cpu[0], cpu[1]));
                System.out.println(cell.line());
                cells.add(cell);
            }
        }
        return cells;
    }

    /** Creates cm-0 .. cm-(count-1) with 16 clients. */
    private static void fill(ApiClient api, String namespace, int count) throws IOException, InterruptedException {
        ApiLoad.Result load = ApiLoad.create(api, namespace, "cm-", count, 16);
        if (load.errors() != 0) {
            throw new IOException(
                    "filling " + namespace + ": " + load.errors() + " errors, first: " + load.firstError());
        }
    }

    /** A list with limit=listSize returns all listSize items and no continue token. */
    private static void checkList(ApiClient api, String namespace, int listSize)
            throws IOException, InterruptedException {
        JsonObject list = new JsonObject(Buffer.buffer(api.listConfigMaps(namespace, listSize, "")));
        int items = list.getJsonArray("items").size();
        String next = list.getJsonObject("metadata").getString("continue", "");
        if (items != listSize || !next.isEmpty()) {
            throw new IOException("the list of " + namespace + " returned " + items + " items (continue '" + next
                    + "'), expected " + listSize);
        }
    }
}
