package dev.capstan.node.runtime;

/** A container's name in its pod and its attempt (its restart count). */
public record ContainerMetadata(String name, int attempt) {}
