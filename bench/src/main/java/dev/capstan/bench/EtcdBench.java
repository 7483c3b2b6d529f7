package dev.capstan.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The writes workload against etcd: the harness starts a local etcd, and the writers put new keys with 1 KiB
 * values through one jetcd client (one gRPC connection, as the API server shares one), at the same
 * concurrency, warm-up and duration as against the store.
 */
final class EtcdBench {
    private EtcdBench() {}

    static List<WriteLoad.Result> run(String binary, List<Integer> writers, Duration warmup, Duration duration)
            throws IOException, InterruptedException {
        List<WriteLoad.Result> results = new ArrayList<>();
        try (EtcdServer server = EtcdServer.start(binary);
                Client client = Client.builder().endpoints(server.endpoint()).build()) {
            System.out.println(
                    "etcd " + EtcdServer.version(binary) + " (pid " + server.pid() + ") on " + server.endpoint());
            KV kv = client.getKVClient();
            for (int n : writers) {
                WriteLoad.Result result = WriteLoad.run(
                        n,
                        warmup,
                        duration,
                        "/bench/etcd/c" + n + "/",
                        (key, value) -> kv.put(ByteSequence.from(key, StandardCharsets.UTF_8), ByteSequence.from(value))
                                .get(30, TimeUnit.SECONDS));
                System.out.println("etcd " + result.line());
                results.add(result);
            }
        }
        return results;
    }
}
