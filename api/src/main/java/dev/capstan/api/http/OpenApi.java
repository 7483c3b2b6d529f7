package dev.capstan.api.http;

import dev.capstan.api.openapi.OpenApiDocuments;
import dev.capstan.api.openapi.OpenApiSnapshot;
import dev.capstan.api.openapi.ResourceInfo;
import dev.capstan.api.registry.BuiltInResources;
import dev.capstan.api.registry.ResourceRegistry;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.core.ServiceAllocator;
import dev.capstan.api.storage.RangeClaims;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** The OpenAPI v3 documents of the registry's resources, built once at start. */
public final class OpenApi {
    private OpenApi() {}

    /**
     * Writes the built-in resources' documents as the snapshot the server ships ({@link OpenApiSnapshot}) into the
     * directory given; the api module's build runs it after compiling.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: OpenApi <directory to write the snapshot into>");
        }
        // The allocator's ranges are not part of any schema; nothing is allocated here.
        var allocator =
                new ServiceAllocator(new RangeClaims(() -> null), "10.96.0.0/16", "30000-32767", Clock.systemUTC());
        List<ResourceInfo> resources = BuiltInResources.registry(allocator, Clock.systemUTC()).all().stream()
                .map(OpenApi::info)
                .toList();
        new OpenApiDocuments(resources, OpenApiSnapshot.NONE).writeSnapshot(Path.of(args[0]));
    }

    public static OpenApiDocuments documents(ResourceRegistry registry) {
        List<ResourceInfo> resources =
                registry.all().stream().map(OpenApi::info).toList();
        return new OpenApiDocuments(resources);
    }

    public static ResourceInfo info(ResourceType t) {
        return new ResourceInfo(
                t.group(),
                t.version(),
                t.kind(),
                t.plural(),
                t.namespaced(),
                t.subresources(),
                t.model(),
                t.collectionDelete());
    }
}
