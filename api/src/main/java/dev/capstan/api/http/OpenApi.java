package dev.capstan.api.http;

import dev.capstan.api.openapi.OpenApiDocuments;
import dev.capstan.api.openapi.ResourceInfo;
import dev.capstan.api.registry.ResourceRegistry;
import dev.capstan.api.registry.ResourceType;
import java.util.List;

/** The OpenAPI v3 documents of the registry's resources, built once at start. */
public final class OpenApi {
    private OpenApi() {}

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
