package dev.capstan.api.pipeline;

import static dev.capstan.api.pipeline.Pipeline.body;
import static dev.capstan.api.pipeline.Pipeline.ctx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.patch.Patches;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.request.DeleteOptions;
import dev.capstan.api.storage.StoredObject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Updates that start from the watch cache's copy (upstream's cachedExistingObject): they save the store read when the
 * copy is current, and decide on the store's object whenever the copy is behind.
 */
class CachedUpdateTest {
    /** What the test says the cache holds, by "namespace/name": set from the store, then left behind on purpose. */
    private final Map<String, StoredObject> cache = new HashMap<>();

    private final Pipeline api = new Pipeline(this::cached);
    private final String ns = api.namespace("cached");
    private final ResourceType configmaps = api.type("", "v1", "configmaps");

    private Optional<StoredObject> cached(ResourceType type, String namespace, String name) {
        return Optional.ofNullable(cache.get(namespace + "/" + name))
                .map(s -> new StoredObject(s.object().deepCopy(), s.revision()));
    }

    private ObjectNode configMap(String name, String value) {
        return api.create(
                "",
                "v1",
                "configmaps",
                ns,
                "{\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"a\":\"" + value + "\"}}");
    }

    /** The cache catches up with the store for this object. */
    private void cacheNow(String name) {
        cache.put(ns + "/" + name, api.storage.get(configmaps, ns, name).orElseThrow());
    }

    private ObjectNode patch(String name, String json) {
        return api.handlers.patch(ctx(), configmaps, ns, name, "", Patches.MERGE_PATCH, bytes(json));
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private ObjectNode stored(String name) {
        return api.storage.get(configmaps, ns, name).orElseThrow().object();
    }

    @Test
    void aCurrentCopySavesTheStoreRead() {
        configMap("c", "1");
        cacheNow("c");
        int reads = api.store.reads().size();

        ObjectNode patched = patch("c", "{\"data\":{\"b\":\"2\"}}");

        assertThat(api.store.reads().subList(reads, api.store.reads().size()))
                .as("store reads during the patch")
                .noneMatch(key -> key.contains("configmaps"));
        assertThat(patched.at("/data/a").asText()).isEqualTo("1");
        assertThat(patched.at("/data/b").asText()).isEqualTo("2");
    }

    @Test
    void aCopyBehindTheStoreIsNeitherWrittenOverNorUsed() {
        configMap("c", "1");
        cacheNow("c");
        patch("c", "{\"data\":{\"a\":\"2\"}}"); // the store moves on; the cache still holds a=1

        ObjectNode patched = patch("c", "{\"data\":{\"b\":\"3\"}}");

        assertThat(patched.at("/data/a").asText())
                .as("the store's a, not the cache's")
                .isEqualTo("2");
        assertThat(stored("c").at("/data/b").asText()).isEqualTo("3");
    }

    @Test
    void aNoOpOnTheCachedCopyIsCheckedAgainstTheStore() {
        configMap("c", "1");
        cacheNow("c");
        patch("c", "{\"data\":{\"a\":\"2\"}}");
        int writes = api.store.writes();

        // the same as the cache holds, but not as the store does: it must be written
        ObjectNode patched = patch("c", "{\"data\":{\"a\":\"1\"}}");

        assertThat(api.store.writes()).isEqualTo(writes + 1);
        assertThat(patched.at("/data/a").asText()).isEqualTo("1");
        assertThat(stored("c").at("/data/a").asText()).isEqualTo("1");
    }

    @Test
    void aResourceVersionThatOnlyTheStoreHasIsAccepted() {
        configMap("c", "1");
        cacheNow("c");
        ObjectNode current = patch("c", "{\"data\":{\"a\":\"2\"}}");

        ObjectNode update = current.deepCopy();
        update.withObjectProperty("data").put("a", "3");
        ObjectNode updated = api.handlers
                .update(ctx(), configmaps, ns, "c", "", body(update.toString()))
                .object();

        assertThat(updated.at("/data/a").asText()).isEqualTo("3");
    }

    @Test
    void aResourceVersionThatOnlyTheCacheHasIsAConflict() {
        ObjectNode created = configMap("c", "1");
        cacheNow("c");
        patch("c", "{\"data\":{\"a\":\"2\"}}");

        ObjectNode stale = created.deepCopy();
        stale.withObjectProperty("data").put("a", "3");
        assertThatThrownBy(() -> api.handlers.update(ctx(), configmaps, ns, "c", "", body(stale.toString())))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(409));
        assertThat(stored("c").at("/data/a").asText()).isEqualTo("2");
    }

    @Test
    void anObjectDeletedSinceTheCacheSawItIsNotFound() {
        configMap("c", "1");
        cacheNow("c");
        api.handlers.delete(ctx(), configmaps, ns, "c", DeleteOptions.NONE);

        assertThatThrownBy(() -> patch("c", "{\"data\":{\"b\":\"2\"}}"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(404));
        assertThat(api.storage.get(configmaps, ns, "c")).isEmpty();
    }

    @Test
    void aDryRunReadsTheStore() {
        configMap("c", "1");
        cacheNow("c");
        patch("c", "{\"data\":{\"a\":\"2\"}}");
        int writes = api.store.writes();

        ObjectNode dry = api.handlers.patch(
                ctx(true), configmaps, ns, "c", "", Patches.MERGE_PATCH, bytes("{\"data\":{\"b\":\"3\"}}"));

        assertThat(dry.at("/data/a").asText()).isEqualTo("2");
        assertThat(api.store.writes()).isEqualTo(writes);
        assertThat(Json.metadata(dry).path("resourceVersion").asText())
                .isEqualTo(Json.metadata(stored("c")).path("resourceVersion").asText());
    }
}
