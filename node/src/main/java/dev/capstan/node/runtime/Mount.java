package dev.capstan.node.runtime;

/** A host path bind-mounted into a container. */
public record Mount(String containerPath, String hostPath, boolean readOnly) {}
