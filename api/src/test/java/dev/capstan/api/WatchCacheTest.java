package dev.capstan.api;

import static dev.capstan.api.TestApi.api;
import static dev.capstan.api.TestApi.namespace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.api.cache.CacheAnswer;
import dev.capstan.api.cache.CacheWatch;
import dev.capstan.api.cache.WatchCache;
import dev.capstan.api.http.ApiServer;
import dev.capstan.api.metrics.ApiMetrics;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.resources.ListOptions;
import dev.capstan.api.resources.Lister;
import dev.capstan.api.storage.ObjectStorage;
import dev.capstan.api.watch.StoreWatcher;
import dev.capstan.api.watch.WatchRequest;
import dev.capstan.api.watch.Watcher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Lists and watches come from the API server's watch cache, and from the store when the cache cannot serve them. */
@QuarkusTest
class WatchCacheTest {
    private static final ResourceType CONFIGMAPS = dev.capstan.api.TestRegistry.type("", "v1", "configmaps");

    @Inject
    ApiServer server;

    @Test
    void aListRightAfterAWriteIsServedFromTheCacheAndIncludesIt() {
        String ns = namespace(server);
        double before = reads("list", "cache");

        createConfigMap(ns, "fresh");
        List<String> names = api(server)
                .get("/api/v1/namespaces/" + ns + "/configmaps")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.metadata.name");

        assertThat(names).containsExactly("fresh");
        assertThat(reads("list", "cache")).isGreaterThan(before);
    }

    @Test
    void aContinuePageIsReadFromTheStoreAtTheFirstPagesRevision() {
        String ns = namespace(server);
        for (String name : List.of("a", "b", "c")) {
            createConfigMap(ns, name);
        }
        var first = api(server)
                .get("/api/v1/namespaces/" + ns + "/configmaps?limit=2")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        createConfigMap(ns, "d"); // after the first page: not part of this list
        double before = reads("list", "store");

        var second = api(server)
                .get("/api/v1/namespaces/" + ns + "/configmaps?limit=2&continue="
                        + first.getString("metadata.continue"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(first.getList("items.metadata.name")).containsExactly("a", "b");
        assertThat(first.getInt("metadata.remainingItemCount")).isEqualTo(1);
        assertThat(second.getList("items.metadata.name")).containsExactly("c");
        assertThat(second.getString("metadata.resourceVersion")).isEqualTo(first.getString("metadata.resourceVersion"));
        assertThat(reads("list", "store")).isGreaterThan(before);
    }

    @Test
    void aWatchOlderThanTheCachesWindowIsServedFromTheStoreWithoutLosingEvents() throws Exception {
        try (WatchCache small =
                new WatchCache(server.store(), dev.capstan.api.TestRegistry.builtIn(server.store()), 2, 100)) {
            small.start();
            assertThat(small.awaitSynced(Duration.ofSeconds(30))).isTrue();
            String ns = namespace(server);
            long from = server.store().currentRevision();
            List<String> created = List.of("c1", "c2", "c3", "c4", "c5");
            created.forEach(name -> createConfigMap(ns, name));

            // The small cache keeps the last 2 events of configmaps only; the server's cache keeps them all.
            assertThat(small.watch(CONFIGMAPS, ns, from, Duration.ofSeconds(5)))
                    .isEqualTo(CacheAnswer.fallBack("the revision is older than the cache's window of events"));
            var fromServerCache = server.cache().watch(CONFIGMAPS, ns, from, Duration.ofSeconds(5));
            assertThat(fromServerCache).isInstanceOf(CacheAnswer.Served.class);
            if (fromServerCache instanceof CacheAnswer.Served<CacheWatch> served) {
                served.value().close();
            }

            var metrics = new ApiMetrics(new SimpleMeterRegistry());
            var storage = new ObjectStorage(server.store(), metrics);
            var storeWatcher =
                    new StoreWatcher(storage, new Lister(storage, small), Duration.ofMinutes(1), Clock.systemUTC());
            var watcher = new Watcher(small, storeWatcher, metrics, Duration.ofMinutes(1), Clock.systemUTC());
            var options = ListOptions.parse(CONFIGMAPS, "", "", 0, "", Long.toString(from), "");
            List<String> seen = new ArrayList<>();
            watcher.run(
                    new WatchRequest(CONFIGMAPS, ns, options, false, false, Duration.ofSeconds(2)),
                    (type, object) -> seen.add(
                            type + " " + object.tree().at("/metadata/name").asText()),
                    () -> false);

            assertThat(seen).containsExactly("ADDED c1", "ADDED c2", "ADDED c3", "ADDED c4", "ADDED c5");
        }
    }

    private void createConfigMap(String ns, String name) {
        api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"}}")
                .post("/api/v1/namespaces/" + ns + "/configmaps")
                .then()
                .statusCode(201);
    }

    private double reads(String operation, String source) {
        String metrics =
                api(server).get("/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("capstan_watch_cache_reads_total\\{operation=\"" + operation + "\",source=\""
                        + source + "\",?} ([0-9.E]+)")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
