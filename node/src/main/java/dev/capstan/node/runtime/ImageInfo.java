package dev.capstan.node.runtime;

import java.util.List;

/** An image in the runtime's store: its ID (the config digest, upstream's imageID), names and size. */
public record ImageInfo(String id, List<String> repoTags, List<String> repoDigests, long sizeBytes) {

    public ImageInfo {
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
    }
}
