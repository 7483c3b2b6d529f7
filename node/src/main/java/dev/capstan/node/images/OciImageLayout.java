package dev.capstan.node.images;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A single-layer OCI image as an image-layout tar (oci-layout, index.json, blobs/sha256/...), the form
 * {@code ctr image import} takes. The index names the image through the {@code io.containerd.image.name}
 * annotation. Everything is built in memory from ordered maps, so equal inputs give equal digests.
 *
 * @param name the image reference, e.g. {@code localhost/capstan/busybox:1}
 * @param entrypoint the image's ENTRYPOINT (may be empty)
 * @param cmd the image's CMD
 * @param layerTar the uncompressed layer; its digest is also the image's diff ID
 */
public record OciImageLayout(String name, List<String> entrypoint, List<String> cmd, byte[] layerTar) {

    static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar";
    static final String INDEX_TYPE = "application/vnd.oci.image.index.v1+json";
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static final ObjectMapper JSON = new ObjectMapper();

    public OciImageLayout {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        layerTar = layerTar.clone();
    }

    @Override
    public byte[] layerTar() {
        return layerTar.clone();
    }

    /** The image config blob (its digest is the image ID that CRI reports). */
    public byte[] configJson() {
        Map<String, Object> runConfig = new LinkedHashMap<>();
        runConfig.put("Env", List.of("PATH=" + DEFAULT_PATH));
        if (!entrypoint.isEmpty()) {
            runConfig.put("Entrypoint", entrypoint);
        }
        runConfig.put("Cmd", cmd);
        runConfig.put("WorkingDir", "/");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", "amd64");
        config.put("os", "linux");
        config.put("config", runConfig);
        config.put("rootfs", ordered("type", "layers", "diff_ids", List.of(digest(layerTar))));
        return json(config);
    }

    public byte[] manifestJson() {
        byte[] config = configJson();
        return json(ordered(
                "schemaVersion",
                2,
                "mediaType",
                MANIFEST_TYPE,
                "config",
                descriptor(CONFIG_TYPE, config),
                "layers",
                List.of(descriptor(LAYER_TYPE, layerTar))));
    }

    public byte[] indexJson() {
        Map<String, Object> manifest = descriptor(MANIFEST_TYPE, manifestJson());
        manifest.put(
                "annotations", ordered("io.containerd.image.name", name, "org.opencontainers.image.ref.name", tag()));
        return json(ordered("schemaVersion", 2, "mediaType", INDEX_TYPE, "manifests", List.of(manifest)));
    }

    /** The image ID: the config's digest. */
    public String imageId() {
        return digest(configJson());
    }

    /** Writes the layout as a tar (entries in a fixed order). */
    public void writeTar(OutputStream out) throws IOException {
        byte[] config = configJson();
        byte[] manifest = manifestJson();
        try (var tar = new TarWriter(out)) {
            tar.file("oci-layout", 0644, json(ordered("imageLayoutVersion", "1.0.0")));
            tar.file("index.json", 0644, indexJson());
            tar.directory("blobs", 0755);
            tar.directory("blobs/sha256", 0755);
            for (byte[] blob : List.of(manifest, config, layerTar)) {
                tar.file("blobs/sha256/" + digest(blob).substring("sha256:".length()), 0644, blob);
            }
        }
    }

    public byte[] toTar() {
        var out = new ByteArrayOutputStream();
        try {
            writeTar(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private String tag() {
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') ? name.substring(colon + 1) : "latest";
    }

    private static Map<String, Object> descriptor(String mediaType, byte[] blob) {
        return ordered("mediaType", mediaType, "digest", digest(blob), "size", blob.length);
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static String digest(byte[] blob) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK lacks SHA-256", e);
        }
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write " + value + " as JSON", e);
        }
    }
}
