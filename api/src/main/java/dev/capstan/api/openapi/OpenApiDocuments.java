package dev.capstan.api.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.decode.GoType;
import dev.capstan.api.patch.PatchSchema;
import dev.capstan.model.json.KubeJson;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Patch;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAPI v3 documents of the served group-versions, as kube-apiserver publishes them under /openapi/v3:
 * what kubectl needs for apply/create validation, client-side apply and explain.
 */
public final class OpenApiDocuments {
    private static final String KUBERNETES_VERSION = "v1.32.0";
    private static final String GVK = "x-kubernetes-group-version-kind";

    private final Map<String, List<ResourceInfo>> byGroupVersion = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final Map<String, ObjectNode> documents = new ConcurrentHashMap<>();
    private final Map<String, byte[]> serialized = new ConcurrentHashMap<>();
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    private final Map<String, Optional<PatchSchema>> patchSchemas = new ConcurrentHashMap<>();
    private final Map<String, Optional<GoType>> goTypes = new ConcurrentHashMap<>();
    private final OpenApiSnapshot snapshot;
    private volatile ObjectNode index;
    private volatile V2 v2;

    /** The /openapi/v2 document in both forms. */
    private record V2(byte[] json, byte[] protobuf) {}

    /** The documents of {@code resources}, taken from the build's snapshot where it describes the same resources. */
    public OpenApiDocuments(List<ResourceInfo> resources) {
        this(resources, OpenApiSnapshot.shipped());
    }

    public OpenApiDocuments(List<ResourceInfo> resources, OpenApiSnapshot snapshot) {
        this.snapshot = snapshot;
        for (ResourceInfo resource : resources) {
            byGroupVersion
                    .computeIfAbsent(resource.groupVersionPath(), k -> new ArrayList<>())
                    .add(resource);
        }
    }

    /**
     * Publishes one more resource (registered while the server runs): its group-version's document and the index
     * are made again on their next request, with a new hash, so clients fetch them again.
     */
    public synchronized void add(ResourceInfo resource) {
        String path = resource.groupVersionPath();
        List<ResourceInfo> resources = new ArrayList<>(byGroupVersion.getOrDefault(path, List.of()));
        resources.add(resource);
        byGroupVersion.put(path, List.copyOf(resources));
        documents.remove(path);
        serialized.remove(path);
        targets.clear();
        patchSchemas.clear();
        goTypes.clear();
        index = null;
        v2 = null;
    }

    /**
     * The /openapi/v2 document (Swagger 2.0, definitions only) as JSON, or as gnostic protobuf ({@link
     * #V2_PROTOBUF}), which is what kubectl asks for.
     */
    public byte[] v2(boolean protobuf) {
        V2 result = v2;
        if (result == null) {
            List<ObjectNode> all = new ArrayList<>();
            byGroupVersion.keySet().forEach(path -> all.add(document(path)));
            ObjectNode swagger = OpenApiV2.swagger(all, KUBERNETES_VERSION);
            result = new V2(serialize(swagger), OpenApiV2.protobuf(swagger));
            v2 = result;
        }
        return protobuf ? result.protobuf() : result.json();
    }

    /** The protobuf form's content type. */
    public static final String V2_PROTOBUF = OpenApiV2.PROTOBUF;

    /**
     * The /openapi/v3 index; serverRelativeURL carries ?hash=<sha256 of the document, uppercase hex> as upstream.
     * (kube-apiserver's hash is a SHA-512; clients treat it as opaque, and only compare it for caching.)
     */
    public ObjectNode index() {
        ObjectNode result = index;
        if (result == null) {
            ObjectNode paths = Nodes.object();
            for (String path : byGroupVersion.keySet()) {
                paths.putObject(path).put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + sha256(bytes(path)));
            }
            result = Nodes.object();
            result.set("paths", Nodes.sorted(paths));
            index = result;
        }
        return result;
    }

    /**
     * The document for "api/v1" or "apis/<group>/<version>", or null. Computed once and cached; callers must not
     * modify it.
     */
    public ObjectNode document(String groupVersionPath) {
        List<ResourceInfo> resources = byGroupVersion.get(groupVersionPath);
        return resources == null ? null : documents.computeIfAbsent(groupVersionPath, k -> load(k, resources));
    }

    /** The shipped document when it was made from these resources (its bytes kept as they are), else a new one. */
    private ObjectNode load(String groupVersionPath, List<ResourceInfo> resources) {
        byte[] shipped = snapshot.bytes(groupVersionPath, resources);
        if (shipped == null) {
            return build(resources);
        }
        try {
            serialized.put(groupVersionPath, shipped);
            return (ObjectNode) KubeJson.MAPPER.readTree(shipped);
        } catch (IOException e) {
            throw new UncheckedIOException("the OpenAPI snapshot of " + groupVersionPath + " is not JSON", e);
        }
    }

    /** Writes every document, built anew, as the snapshot {@link OpenApiSnapshot#shipped()} reads. */
    public void writeSnapshot(Path dir) throws IOException {
        Map<String, byte[]> built = new TreeMap<>();
        for (Map.Entry<String, List<ResourceInfo>> entry : byGroupVersion.entrySet()) {
            built.put(entry.getKey(), serialize(build(entry.getValue())));
        }
        OpenApiSnapshot.write(dir, byGroupVersion, built);
    }

    /** The document as compact JSON, the bytes whose hash {@link #index()} publishes; null when not served. */
    public byte[] documentBytes(String groupVersionPath) {
        return byGroupVersion.containsKey(groupVersionPath) ? bytes(groupVersionPath) : null;
    }

    /**
     * Field paths of {@code object} (a JSON object of the given kind) not in its schema, e.g. "spec.replicaz", in
     * document order; empty when all are known. Unknown kinds: empty. Recurses through nested objects/arrays/maps.
     */
    public List<String> unknownFields(String group, String version, String kind, JsonNode object) {
        if (object == null || !object.isObject()) {
            return List.of();
        }
        Target target = targets.computeIfAbsent(group + "/" + version + "/" + kind, k -> target(group, version, kind));
        return target.schemas() == null ? List.of() : new UnknownFields(target.schemas()).find(target.name(), object);
    }

    /**
     * The kind's Go type as strict decoding walks it, compiled once per kind; empty for a kind no document
     * describes (upstream's scheme would not know it either).
     */
    public Optional<GoType> goType(String group, String version, String kind) {
        return goTypes.computeIfAbsent(group + "/" + version + "/" + kind, key -> {
            Target target = targets.computeIfAbsent(key, k -> target(group, version, kind));
            return target.schemas() == null
                    ? Optional.empty()
                    : Optional.of(new GoTypes(target.schemas()).named(target.name()));
        });
    }

    /** The kind's strategic-merge-patch schema (see {@link OpenApiPatchSchema#forKind}), built once per kind. */
    Optional<PatchSchema> patchSchema(String group, String version, String kind) {
        return patchSchemas.computeIfAbsent(group + "/" + version + "/" + kind, key -> {
            Target target = targets.computeIfAbsent(key, k -> target(group, version, kind));
            return target.schemas() == null
                    ? Optional.empty()
                    : Optional.of(OpenApiPatchSchema.root(target.schemas(), target.name()));
        });
    }

    /** Where a kind's schema lives: in its own group-version's document, or (Scale, Binding) in any. */
    private Target target(String group, String version, String kind) {
        List<String> paths = new ArrayList<>(byGroupVersion.keySet());
        String own = group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
        if (paths.remove(own)) {
            paths.add(0, own);
        }
        for (String path : paths) {
            JsonNode schemas = document(path).path("components").path("schemas");
            String name = schemaOf(schemas, group, version, kind);
            if (name != null) {
                return new Target(schemas, name);
            }
        }
        return new Target(null, null);
    }

    private record Target(JsonNode schemas, String name) {}

    /** The schema carrying the given group-version-kind in its extension, or null. */
    private static String schemaOf(JsonNode schemas, String group, String version, String kind) {
        for (Map.Entry<String, JsonNode> schema : schemas.properties()) {
            for (JsonNode gvk : schema.getValue().path(GVK)) {
                if (gvk.path("group").asText().equals(group)
                        && gvk.path("version").asText().equals(version)
                        && gvk.path("kind").asText().equals(kind)) {
                    return schema.getKey();
                }
            }
        }
        return null;
    }

    private byte[] bytes(String groupVersionPath) {
        byte[] cached = serialized.get(groupVersionPath);
        if (cached != null) {
            return cached;
        }
        // Outside computeIfAbsent: a document loaded from the snapshot puts its own bytes into the map.
        ObjectNode document = document(groupVersionPath);
        return serialized.computeIfAbsent(groupVersionPath, path -> serialize(document));
    }

    private static byte[] serialize(ObjectNode document) {
        try {
            return KubeJson.MAPPER.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode build(List<ResourceInfo> resources) {
        String group = resources.get(0).group();
        String version = resources.get(0).version();
        SchemaGenerator schemas = new SchemaGenerator();
        // the meta types every group-version's operations refer to; upstream lists them all, kinds or not
        for (Class<?> meta : List.of(ObjectMeta.class, ListMeta.class, Patch.class)) {
            schemas.add(meta);
        }
        for (Class<?> kind : List.of(Status.class, DeleteOptions.class, WatchEvent.class)) {
            String name = schemas.add(kind);
            addGvk(schemas.get(name), "", "v1", kind.getSimpleName());
            if (!group.isEmpty() && !kind.equals(Status.class)) {
                addGvk(schemas.get(name), group, version, kind.getSimpleName());
            }
        }
        addGvk(schemas.get(schemas.add(APIResourceList.class)), "", "v1", "APIResourceList");

        PathGenerator paths = new PathGenerator(group, version);
        ObjectNode pathsNode = Nodes.object();
        paths.addRoot(pathsNode, SchemaNames.of(APIResourceList.class));
        for (ResourceInfo resource : resources) {
            String kind = schemas.add(resource.modelClass());
            addGvk(schemas.get(kind), group, version, resource.kind());
            String list = kind + "List";
            schemas.put(list, listSchema(kind, group, version, resource.kind() + "List"));
            String scale = null;
            if (resource.subresources().contains("scale")) {
                scale = schemas.add(Scale.class);
                addGvk(schemas.get(scale), "autoscaling", "v1", "Scale");
            }
            String binding = null;
            if (resource.subresources().contains("binding")) {
                binding = schemas.add(Binding.class);
                addGvk(schemas.get(binding), "", "v1", "Binding");
            }
            String eviction = null;
            if (resource.subresources().contains("eviction")) {
                eviction = schemas.add(Eviction.class);
                addGvk(schemas.get(eviction), "policy", "v1", "Eviction");
            }
            paths.addResource(pathsNode, resource, new PathGenerator.Schemas(kind, list, scale, binding, eviction));
        }

        ObjectNode document = Nodes.object();
        document.put("openapi", "3.0.0");
        document.putObject("info").put("title", "Kubernetes").put("version", KUBERNETES_VERSION);
        document.set("paths", pathsNode);
        document.putObject("components").set("schemas", schemas.toNode());
        return (ObjectNode) Nodes.sorted(document);
    }

    /** Upstream's list kinds all have this shape; fabric8's *List classes would add nothing but a lookup. */
    private static ObjectNode listSchema(String itemSchema, String group, String version, String listKind) {
        ObjectNode properties = Nodes.object();
        properties.putObject("apiVersion").put("type", "string");
        ObjectNode items = properties.putObject("items");
        items.set("items", Nodes.ref(itemSchema));
        items.put("type", "array");
        properties.putObject("kind").put("type", "string");
        properties.putObject("metadata").putArray("allOf").add(Nodes.ref(SchemaNames.META + "ListMeta"));
        ObjectNode schema = Nodes.object();
        schema.set("properties", properties);
        schema.set("required", Nodes.array("items"));
        schema.put("type", "object");
        addGvk(schema, group, version, listKind);
        return schema;
    }

    private static void addGvk(ObjectNode schema, String group, String version, String kind) {
        ObjectNode gvk = Nodes.gvk(group, version, kind);
        ArrayNode gvks = schema.has(GVK) ? (ArrayNode) schema.get(GVK) : schema.putArray(GVK);
        for (JsonNode existing : gvks) {
            if (existing.equals(gvk)) {
                return;
            }
        }
        gvks.add(gvk);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of()
                    .withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
