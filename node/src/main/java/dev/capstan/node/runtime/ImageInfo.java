package dev.capstan.node.runtime;

import java.util.List;

/**
 * An image in the runtime's store: its ID (the config digest, upstream's imageID), names, size, and the user its
 * config runs as ({@code uid} when numeric, else {@code username}; both empty when the image names no user, i.e. root).
 */
public record ImageInfo(
        String id,
        List<String> repoTags,
        List<String> repoDigests,
        long sizeBytes,
        java.util.OptionalLong uid,
        String username) {

    public ImageInfo {
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
    }

    public ImageInfo(String id, List<String> repoTags, List<String> repoDigests, long sizeBytes) {
        this(id, repoTags, repoDigests, sizeBytes, java.util.OptionalLong.empty(), "");
    }
}
