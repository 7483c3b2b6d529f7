package dev.capstan.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.KubeJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The built-in group-versions' documents, made by the build (the api module runs {@code OpenApi.main} after
 * compiling) and shipped as resources. Building a document introspects every fabric8 class of its kinds with Jackson:
 * about a second of CPU for all of them, which the API server otherwise spent at each start, on its first write of
 * each group-version. A snapshot is used only for a group-version whose resources have the fingerprint it was made
 * from; one that gained a resource while the server runs is built as before.
 */
public final class OpenApiSnapshot {
    /** Where the build writes the snapshot, under the classes directory. */
    public static final String RESOURCE_DIR = "META-INF/capstan/openapi/";

    private static final String INDEX = "index.json";
    /** No snapshot: every document is built. */
    public static final OpenApiSnapshot NONE = new OpenApiSnapshot(null, KubeJson.MAPPER.createObjectNode());

    private final ClassLoader loader;
    private final JsonNode index;

    private OpenApiSnapshot(ClassLoader loader, JsonNode index) {
        this.loader = loader;
        this.index = index;
    }

    /** The snapshot shipped with this build; {@link #NONE} when there is none (classes compiled without it). */
    public static OpenApiSnapshot shipped() {
        return from(OpenApiSnapshot.class.getClassLoader());
    }

    /** The snapshot among {@code loader}'s resources. */
    static OpenApiSnapshot from(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(RESOURCE_DIR + INDEX)) {
            return in == null ? NONE : new OpenApiSnapshot(loader, KubeJson.MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenAPI snapshot's index", e);
        }
    }

    /** The document of {@code groupVersionPath} as compact JSON if it was made from {@code resources}, else null. */
    byte[] bytes(String groupVersionPath, List<ResourceInfo> resources) {
        JsonNode entry = index.path(groupVersionPath);
        if (loader == null || !entry.path("fingerprint").asText().equals(fingerprint(resources))) {
            return null;
        }
        try (InputStream in =
                loader.getResourceAsStream(RESOURCE_DIR + entry.path("file").asText())) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenAPI snapshot of " + groupVersionPath, e);
        }
    }

    /** Writes {@code documents} (group-version path to compact JSON) and the resources' fingerprints into dir. */
    static void write(Path dir, Map<String, List<ResourceInfo>> resources, Map<String, byte[]> documents)
            throws IOException {
        Files.createDirectories(dir);
        ObjectNode index = KubeJson.MAPPER.createObjectNode();
        for (Map.Entry<String, byte[]> document : documents.entrySet()) {
            String path = document.getKey();
            String file = path.replace('/', '_') + ".json";
            Files.write(dir.resolve(file), document.getValue());
            index.putObject(path).put("file", file).put("fingerprint", fingerprint(resources.get(path)));
        }
        Files.write(dir.resolve(INDEX), KubeJson.MAPPER.writeValueAsBytes(index));
    }

    /** What a document is made from, as a hash: every field of every resource, in order. */
    static String fingerprint(List<ResourceInfo> resources) {
        StringBuilder text = new StringBuilder();
        for (ResourceInfo r : resources) {
            text.append(r.group())
                    .append('|')
                    .append(r.version())
                    .append('|')
                    .append(r.kind())
                    .append('|')
                    .append(r.plural())
                    .append('|')
                    .append(r.namespaced())
                    .append('|')
                    .append(new TreeSet<>(r.subresources()))
                    .append('|')
                    .append(r.modelClass().getName())
                    .append('|')
                    .append(r.collectionDelete())
                    .append('\n');
        }
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
