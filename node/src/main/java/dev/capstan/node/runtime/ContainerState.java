package dev.capstan.node.runtime;

/** CRI's ContainerState. */
public enum ContainerState {
    CREATED,
    RUNNING,
    EXITED,
    UNKNOWN
}
