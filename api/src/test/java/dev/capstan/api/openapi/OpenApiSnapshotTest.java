package dev.capstan.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.api.TestRegistry;
import dev.capstan.api.http.OpenApi;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenApiSnapshotTest {
    private static final List<ResourceInfo> BUILT_IN =
            TestRegistry.builtIn().all().stream().map(OpenApi::info).toList();

    @Test
    void theShippedSnapshotIsWhatTheBuildersMakeNow() {
        OpenApiSnapshot shipped = OpenApiSnapshot.shipped();
        assertThat(shipped).as("the build writes the snapshot into the classes").isNotSameAs(OpenApiSnapshot.NONE);
        OpenApiDocuments loaded = new OpenApiDocuments(BUILT_IN);
        OpenApiDocuments built = new OpenApiDocuments(BUILT_IN, OpenApiSnapshot.NONE);
        List<String> paths = new ArrayList<>();
        for (Iterator<String> it = built.index().path("paths").fieldNames(); it.hasNext(); ) {
            paths.add(it.next());
        }
        assertThat(paths).contains("api/v1", "apis/apps/v1", "apis/coordination.k8s.io/v1");
        for (String path : paths) {
            List<ResourceInfo> resources = BUILT_IN.stream()
                    .filter(r -> r.groupVersionPath().equals(path))
                    .toList();
            assertThat(shipped.bytes(path, resources)).as(path).isEqualTo(built.documentBytes(path));
            assertThat(loaded.document(path)).as(path).isEqualTo(built.document(path));
            assertThat(loaded.documentBytes(path)).as(path).isEqualTo(built.documentBytes(path));
        }
        assertThat(loaded.index()).isEqualTo(built.index());
        assertThat(loaded.goType("apps", "v1", "Deployment")).isPresent();
    }

    @Test
    void aSnapshotIsUsedOnlyForTheResourcesItWasMadeFrom(@TempDir Path dir) throws Exception {
        List<ResourceInfo> resources = List.of(
                new ResourceInfo("", "v1", "Pod", "pods", true, Set.of("status"), Pod.class),
                new ResourceInfo("", "v1", "ConfigMap", "configmaps", true, Set.of(), ConfigMap.class));
        Path snapshotDir = dir.resolve(OpenApiSnapshot.RESOURCE_DIR);
        new OpenApiDocuments(resources, OpenApiSnapshot.NONE).writeSnapshot(snapshotDir);
        // Marked, so that a document read from the snapshot can be told from one built anew.
        Files.writeString(snapshotDir.resolve("api_v1.json"), "{\"openapi\":\"from the snapshot\"}");

        try (var loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            OpenApiSnapshot snapshot = OpenApiSnapshot.from(loader);
            OpenApiDocuments same = new OpenApiDocuments(resources, snapshot);
            assertThat(same.document("api/v1").path("openapi").asText()).isEqualTo("from the snapshot");
            assertThat(new String(same.documentBytes("api/v1"), StandardCharsets.UTF_8))
                    .isEqualTo("{\"openapi\":\"from the snapshot\"}");

            OpenApiDocuments fewer = new OpenApiDocuments(resources.subList(0, 1), snapshot);
            assertThat(fewer.document("api/v1").path("openapi").asText()).isEqualTo("3.0.0");

            OpenApiDocuments grown = new OpenApiDocuments(resources, snapshot);
            grown.document("api/v1");
            grown.add(new ResourceInfo("", "v1", "Secret", "secrets", true, Set.of(), ConfigMap.class));
            assertThat(grown.document("api/v1").path("openapi").asText()).isEqualTo("3.0.0");
            assertThat(grown.document("api/v1").path("paths").has("/api/v1/namespaces/{namespace}/secrets"))
                    .isTrue();
        }
    }

    @Test
    void withoutASnapshotEveryDocumentIsBuilt(@TempDir Path dir) throws Exception {
        try (var loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            assertThat(OpenApiSnapshot.from(loader)).isSameAs(OpenApiSnapshot.NONE);
        }
    }
}
