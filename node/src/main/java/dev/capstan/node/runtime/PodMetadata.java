package dev.capstan.node.runtime;

/** Which pod a sandbox belongs to; {@code attempt} counts the sandboxes made for the same pod UID. */
public record PodMetadata(String name, String namespace, String uid, int attempt) {}
