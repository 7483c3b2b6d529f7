package dev.capstan.client.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiError;
import dev.capstan.client.DeleteOptions;
import dev.capstan.client.Kind;
import dev.capstan.client.Kinds;
import dev.capstan.client.ListOptions;
import dev.capstan.client.ObjectList;
import dev.capstan.client.PatchType;
import dev.capstan.client.ResourceClient;
import dev.capstan.client.ServedResource;
import dev.capstan.client.WatchEvent;
import dev.capstan.client.WatchStream;
import dev.capstan.model.fields.FieldSelector;
import dev.capstan.model.json.KubeJson;
import dev.capstan.model.labels.LabelSelector;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An in-memory {@link ApiClient}: one revision counter, objects stored as JSON (so callers never share instances
 * with it), uid, generateName and creationTimestamp on create, resourceVersion preconditions (409 Conflict),
 * finalizers (a delete marks deletionTimestamp until they are gone), label selectors on list and watch, merge
 * patches, and the binding subresource. Every write is recorded in {@link #actions()}. Not modelled: field
 * selectors other than {@code spec.nodeName}, strategic merge (treated as a merge patch), validation, defaulting,
 * graceful pod deletion, garbage collection.
 */
public final class FakeApiClient implements ApiClient {
    /** A write as the fake saw it: verb ("create", "update", "updateStatus", "patch", "delete", "bind"), kind, key. */
    public record Action(String verb, String resource, String namespace, String name) {}

    private final Clock clock;
    private final Map<String, TreeMap<String, ObjectNode>> objects = new HashMap<>();
    private final List<Action> actions = new CopyOnWriteArrayList<>();
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    private final Map<Kind<?>, ResourceClient<?>> clients = new HashMap<>();
    private long revision = 1;
    private long compacted;
    /** Every change since the last compaction, so that a watch resumes from any revision as on a real server. */
    private final List<Change> history = new ArrayList<>();

    private record Change(long revision, Kind<?> kind, String type, ObjectNode object) {}

    public FakeApiClient(Clock clock) {
        this.clock = clock;
    }

    public FakeApiClient() {
        this(Clock.systemUTC());
    }

    @Override
    public String fieldManager() {
        return "fake";
    }

    /** Discovery answers every kind in {@link Kinds} (and any other kind a test touched through {@link #resources}). */
    @Override
    public synchronized List<ServedResource> discover() {
        List<ServedResource> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<Kind<?>> kinds = new ArrayList<>(Kinds.all());
        kinds.addAll(clients.keySet());
        for (Kind<?> k : kinds) {
            if (seen.add(k.groupResource())) {
                out.add(new ServedResource(
                        k.group(),
                        k.version(),
                        k.resource(),
                        k.kind(),
                        k.namespaced(),
                        List.of("create", "delete", "get", "list", "patch", "update", "watch"),
                        true));
            }
        }
        return out;
    }

    public List<Action> actions() {
        return List.copyOf(actions);
    }

    public List<Action> actions(String verb, String resource) {
        return actions.stream()
                .filter(a -> a.verb().equals(verb) && a.resource().equals(resource))
                .toList();
    }

    public void clearActions() {
        actions.clear();
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T extends HasMetadata> ResourceClient<T> resources(Kind<T> kind) {
        return (ResourceClient<T>) clients.computeIfAbsent(kind, k -> new Typed<>(kind));
    }

    @Override
    public void bind(String namespace, String pod, String uid, String node) {
        synchronized (this) {
            ObjectNode stored = store(Kinds.PODS).get(key(namespace, pod));
            if (stored == null) {
                throw error(404, "NotFound", "pods \"" + pod + "\" not found");
            }
            String storedUid = stored.path("metadata").path("uid").asText();
            if (!uid.isEmpty() && !uid.equals(storedUid)) {
                throw error(
                        409,
                        "Conflict",
                        "Operation cannot be fulfilled on pods/binding \"" + pod
                                + "\": Precondition failed: UID in precondition: " + uid + ", UID in object meta: "
                                + storedUid);
            }
            if (!stored.path("spec").path("nodeName").asText("").isEmpty()) {
                throw error(
                        409,
                        "Conflict",
                        "Operation cannot be fulfilled on pods/binding \"" + pod + "\": pod " + pod
                                + " is already assigned to node \""
                                + stored.path("spec").path("nodeName").asText()
                                + "\"");
            }
            ObjectNode next = stored.deepCopy();
            KubeJson.child(next, "spec").put("nodeName", node);
            write(Kinds.PODS, next, "MODIFIED");
            actions.add(new Action("bind", "pods", namespace, pod));
        }
    }

    private TreeMap<String, ObjectNode> store(Kind<?> kind) {
        return objects.computeIfAbsent(kind.groupResource(), k -> new TreeMap<>());
    }

    private static String key(String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    private static ApiError error(int code, String reason, String message) {
        return new ApiError(code, reason, message, null);
    }

    private String now() {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
    }

    /** Stores {@code object} at a new revision and tells the watchers; the caller holds the lock. */
    private ObjectNode write(Kind<?> kind, ObjectNode object, String type) {
        revision++;
        KubeJson.metadata(object).put("resourceVersion", Long.toString(revision));
        String key = key(
                object.path("metadata").path("namespace").asText(""),
                object.path("metadata").path("name").asText());
        if (type.equals("DELETED")) {
            store(kind).remove(key);
        } else {
            store(kind).put(key, object);
        }
        history.add(new Change(revision, kind, type, object.deepCopy()));
        for (Watcher watcher : watchers) {
            watcher.offer(kind, type, object);
        }
        return object.deepCopy();
    }

    private final class Typed<T extends HasMetadata> implements ResourceClient<T> {
        private final Kind<T> kind;

        Typed(Kind<T> kind) {
            this.kind = kind;
        }

        @Override
        public Kind<T> kind() {
            return kind;
        }

        private T decode(JsonNode json) {
            return KubeJson.convert(json, kind.type());
        }

        private ObjectNode encode(T object) {
            ObjectNode json = (ObjectNode) KubeJson.tree(object);
            json.put("apiVersion", kind.apiVersion());
            json.put("kind", kind.kind());
            return json;
        }

        @Override
        public Optional<T> get(String namespace, String name) {
            synchronized (FakeApiClient.this) {
                ObjectNode stored = store(kind).get(key(ns(namespace), name));
                return Optional.ofNullable(stored).map(this::decode);
            }
        }

        private String ns(String namespace) {
            return kind.namespaced() && namespace != null ? namespace : "";
        }

        boolean selects(String namespace, ListOptions options, JsonNode object) {
            if (!ns(namespace).isEmpty()
                    && !ns(namespace)
                            .equals(object.path("metadata").path("namespace").asText(""))) {
                return false;
            }
            if (!options.labelSelector().isEmpty()
                    && !LabelSelector.parse(options.labelSelector()).matches(object)) {
                return false;
            }
            String fields = options.fieldSelector();
            return fields.isEmpty() || FieldSelector.parse(fields).matches(path -> KubeJson.text(object, path));
        }

        @Override
        public ObjectList<T> list(String namespace, ListOptions options) {
            synchronized (FakeApiClient.this) {
                List<T> items = new ArrayList<>();
                for (ObjectNode object : store(kind).values()) {
                    if (selects(namespace, options, object)) {
                        items.add(decode(object));
                    }
                }
                return new ObjectList<>(items, Long.toString(revision), "");
            }
        }

        @Override
        public WatchStream<T> watch(String namespace, ListOptions options, boolean bookmarks, int timeoutSeconds) {
            synchronized (FakeApiClient.this) {
                var watcher = new Watcher(kind, json -> selects(namespace, options, json));
                String from = options.resourceVersion();
                if (!from.isEmpty() && !from.equals("0") && Long.parseLong(from) < compacted) {
                    throw error(410, "Expired", "too old resource version: " + from + " (" + compacted + ")");
                }
                if (from.isEmpty() || from.equals("0")) {
                    for (ObjectNode object : store(kind).values()) {
                        if (selects(namespace, options, object)) {
                            watcher.offer(kind, "ADDED", object);
                        }
                    }
                } else {
                    long after = Long.parseLong(from);
                    for (Change change : history) {
                        if (change.revision() > after) {
                            watcher.offer(change.kind(), change.type(), change.object());
                        }
                    }
                }
                watchers.add(watcher);
                return new Stream(watcher);
            }
        }

        @Override
        public T create(T object) {
            synchronized (FakeApiClient.this) {
                ObjectNode json = encode(object);
                ObjectNode meta = KubeJson.metadata(json);
                if (meta.path("name").asText("").isEmpty()) {
                    String prefix = meta.path("generateName").asText("");
                    if (prefix.isEmpty()) {
                        throw error(422, "Invalid", "name or generateName is required");
                    }
                    meta.put("name", prefix + suffix());
                }
                if (!kind.namespaced()) {
                    meta.remove("namespace");
                }
                String key =
                        key(meta.path("namespace").asText(""), meta.get("name").asText());
                if (store(kind).containsKey(key)) {
                    throw error(
                            409,
                            "AlreadyExists",
                            kind.groupResource() + " \"" + meta.get("name").asText() + "\" already exists");
                }
                meta.put("uid", UUID.randomUUID().toString());
                meta.put("creationTimestamp", now());
                meta.put("generation", 1);
                actions.add(new Action(
                        "create",
                        kind.resource(),
                        meta.path("namespace").asText(""),
                        meta.get("name").asText()));
                return decode(write(kind, json, "ADDED"));
            }
        }

        private static String suffix() {
            String alphabet = "bcdfghjklmnpqrstvwxz2456789";
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                s.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
            }
            return s.toString();
        }

        @Override
        public T update(T object) {
            return replace(object, "update");
        }

        @Override
        public T updateStatus(T object) {
            return replace(object, "updateStatus");
        }

        /** Copies spec.finalizers only; a namespace being deleted with none left is removed. */
        @Override
        public T finalizeNamespace(T namespace) {
            synchronized (FakeApiClient.this) {
                ObjectNode json = encode(namespace);
                String name = json.path("metadata").path("name").asText();
                ObjectNode stored = store(kind).get(name);
                if (stored == null) {
                    throw error(404, "NotFound", kind.groupResource() + " \"" + name + "\" not found");
                }
                ObjectNode next = stored.deepCopy();
                KubeJson.child(next, "spec")
                        .set("finalizers", json.path("spec").path("finalizers").deepCopy());
                actions.add(new Action("finalize", kind.resource(), "", name));
                boolean deleting = next.path("metadata").has("deletionTimestamp");
                if (deleting
                        && next.path("spec").path("finalizers").isEmpty()
                        && next.path("metadata").path("finalizers").isEmpty()) {
                    return decode(write(kind, next, "DELETED"));
                }
                return decode(write(kind, next, "MODIFIED"));
            }
        }

        private T replace(T object, String verb) {
            synchronized (FakeApiClient.this) {
                ObjectNode json = encode(object);
                ObjectNode meta = KubeJson.metadata(json);
                String name = meta.path("name").asText();
                String namespace = ns(meta.path("namespace").asText(""));
                ObjectNode stored = store(kind).get(key(namespace, name));
                if (stored == null) {
                    throw error(404, "NotFound", kind.groupResource() + " \"" + name + "\" not found");
                }
                String rv = meta.path("resourceVersion").asText("");
                if (!rv.isEmpty()
                        && !rv.equals(
                                stored.path("metadata").path("resourceVersion").asText())) {
                    throw error(
                            409,
                            "Conflict",
                            "Operation cannot be fulfilled on " + kind.groupResource() + " \"" + name
                                    + "\": the object has been modified; please apply your changes to the latest"
                                    + " version and try again");
                }
                ObjectNode next = stored.deepCopy();
                if (verb.equals("updateStatus")) {
                    if (json.has("status")) {
                        next.set("status", json.get("status"));
                    }
                    // as the API server's status strategies: the request's annotations are kept (upstream's
                    // Deployment controller writes its revision annotation this way)
                    JsonNode annotations = meta.get("annotations");
                    if (annotations != null && !annotations.isNull()) {
                        KubeJson.metadata(next).set("annotations", annotations.deepCopy());
                    } else {
                        KubeJson.metadata(next).remove("annotations");
                    }
                } else {
                    JsonNode status = stored.get("status");
                    next = json.deepCopy();
                    next.remove("status");
                    if (status != null) {
                        next.set("status", status);
                    }
                    ObjectNode nextMeta = KubeJson.metadata(next);
                    for (String kept : List.of("uid", "creationTimestamp", "deletionTimestamp", "generation")) {
                        JsonNode value = stored.path("metadata").get(kept);
                        if (value != null) {
                            nextMeta.set(kept, value);
                        } else {
                            nextMeta.remove(kept);
                        }
                    }
                    if (!stored.path("spec").equals(next.path("spec"))) {
                        nextMeta.put(
                                "generation",
                                stored.path("metadata").path("generation").asLong(1) + 1);
                    }
                }
                actions.add(new Action(verb, kind.resource(), namespace, name));
                return decode(finishIfDeleting(next));
            }
        }

        /**
         * A deleting object whose last finalizer went is removed; otherwise stored. A namespace also waits for its
         * spec.finalizers, as the API server's ShouldDeleteNamespaceDuringUpdate. Caller holds the lock.
         */
        private ObjectNode finishIfDeleting(ObjectNode next) {
            boolean deleting = next.path("metadata").has("deletionTimestamp");
            boolean namespaceFinalizers = kind.resource().equals("namespaces")
                    && !next.path("spec").path("finalizers").isEmpty();
            if (deleting && next.path("metadata").path("finalizers").isEmpty() && !namespaceFinalizers) {
                return write(kind, next, "DELETED");
            }
            return write(kind, next, "MODIFIED");
        }

        @Override
        public T patch(String namespace, String name, PatchType type, String patch) {
            return patch(namespace, name, type, patch, false);
        }

        @Override
        public T patchStatus(String namespace, String name, PatchType type, String patch) {
            return patch(namespace, name, type, patch, true);
        }

        private T patch(String namespace, String name, PatchType type, String patch, boolean status) {
            if (type == PatchType.JSON) {
                throw new UnsupportedOperationException("the fake applies merge patches only");
            }
            synchronized (FakeApiClient.this) {
                ObjectNode stored = store(kind).get(key(ns(namespace), name));
                if (stored == null) {
                    throw error(404, "NotFound", kind.groupResource() + " \"" + name + "\" not found");
                }
                JsonNode delta = KubeJson.readTree(patch.getBytes(StandardCharsets.UTF_8));
                ObjectNode next = stored.deepCopy();
                if (status) {
                    ObjectNode merged = (ObjectNode) merge(next, delta);
                    next.set("status", merged.get("status"));
                } else {
                    JsonNode oldStatus = stored.get("status");
                    next = (ObjectNode) merge(next, delta);
                    if (oldStatus != null) {
                        next.set("status", oldStatus);
                    }
                    if (!stored.path("spec").equals(next.path("spec"))) {
                        KubeJson.metadata(next)
                                .put(
                                        "generation",
                                        stored.path("metadata")
                                                        .path("generation")
                                                        .asLong(1)
                                                + 1);
                    }
                }
                actions.add(new Action("patch", kind.resource(), ns(namespace), name));
                return decode(finishIfDeleting(next));
            }
        }

        @Override
        public Optional<T> delete(String namespace, String name, DeleteOptions options) {
            synchronized (FakeApiClient.this) {
                ObjectNode stored = store(kind).get(key(ns(namespace), name));
                if (stored == null) {
                    throw error(404, "NotFound", kind.groupResource() + " \"" + name + "\" not found");
                }
                if (!options.uid().isEmpty()
                        && !options.uid()
                                .equals(stored.path("metadata").path("uid").asText())) {
                    throw error(
                            409,
                            "Conflict",
                            "Precondition failed: UID in precondition: " + options.uid() + ", UID in object meta: "
                                    + stored.path("metadata").path("uid").asText());
                }
                actions.add(new Action("delete", kind.resource(), ns(namespace), name));
                ObjectNode next = stored.deepCopy();
                List<String> finalizers = new ArrayList<>();
                next.path("metadata").path("finalizers").forEach(f -> finalizers.add(f.asText()));
                String policy = options.propagationPolicy();
                if (policy.equals("Foreground") && !finalizers.contains("foregroundDeletion")) {
                    KubeJson.metadata(next).withArray("finalizers").add("foregroundDeletion");
                } else if (policy.equals("Orphan") && !finalizers.contains("orphan")) {
                    KubeJson.metadata(next).withArray("finalizers").add("orphan");
                }
                boolean namespaceFinalizers = kind.resource().equals("namespaces")
                        && !next.path("spec").path("finalizers").isEmpty();
                if (namespaceFinalizers) {
                    KubeJson.child(next, "status").put("phase", "Terminating");
                }
                if (next.path("metadata").path("finalizers").isEmpty() && !namespaceFinalizers) {
                    write(kind, next, "DELETED");
                    return Optional.empty();
                }
                if (!next.path("metadata").has("deletionTimestamp")) {
                    KubeJson.metadata(next).put("deletionTimestamp", now());
                    KubeJson.metadata(next).put("deletionGracePeriodSeconds", 0);
                }
                return Optional.of(decode(write(kind, next, "MODIFIED")));
            }
        }

        private final class Stream implements WatchStream<T> {
            private final Watcher watcher;
            private WatchEvent<T> next;
            private volatile boolean closed;

            Stream(Watcher watcher) {
                this.watcher = watcher;
            }

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (closed) {
                    return false;
                }
                try {
                    Watcher.Event event = watcher.events.take();
                    if (event.type().equals("CLOSE")) {
                        return false;
                    }
                    String rv = event.object()
                            .path("metadata")
                            .path("resourceVersion")
                            .asText();
                    T object = decode(event.object());
                    next = switch (event.type()) {
                        case "ADDED" -> new WatchEvent.Added<>(object, rv);
                        case "MODIFIED" -> new WatchEvent.Modified<>(object, rv);
                        default -> new WatchEvent.Deleted<>(object, rv);
                    };
                    return true;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }

            @Override
            public WatchEvent<T> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                WatchEvent<T> event = next;
                next = null;
                return event;
            }

            @Override
            public void close() {
                closed = true;
                watchers.remove(watcher);
                watcher.events.add(new Watcher.Event("CLOSE", KubeJson.object()));
            }
        }
    }

    /** Ends every open watch, as a server's timeout would; informers resume from their revision. */
    public void endWatches() {
        for (Watcher watcher : watchers) {
            watchers.remove(watcher);
            watcher.events.add(new Watcher.Event("CLOSE", KubeJson.object()));
        }
    }

    /**
     * Ends every watch, makes {@code changes} while nobody watches, then compacts the history: watchers can only
     * resume by listing again (410), as after a long disconnection from a real server.
     */
    public synchronized void compactWith(Runnable changes) {
        endWatches();
        changes.run();
        compacted = revision;
        history.clear();
    }

    /** The pods bound to {@code node}, read from the fake's state. */
    public List<Pod> podsOn(String node) {
        return resources(Kinds.PODS)
                .list("", ListOptions.fields("spec.nodeName=" + node))
                .items();
    }

    /** RFC 7386 JSON merge patch. */
    static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : KubeJson.object();
        patch.properties().forEach(e -> {
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), merge(result.get(e.getKey()), e.getValue()));
            }
        });
        return result;
    }

    private static final class Watcher {
        record Event(String type, ObjectNode object) {}

        final Kind<?> kind;
        final java.util.function.Predicate<JsonNode> filter;
        final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();

        Watcher(Kind<?> kind, java.util.function.Predicate<JsonNode> filter) {
            this.kind = kind;
            this.filter = filter;
        }

        void offer(Kind<?> of, String type, ObjectNode object) {
            if (of.groupResource().equals(kind.groupResource()) && filter.test(object)) {
                events.add(new Event(type, object.deepCopy()));
            }
        }
    }
}
