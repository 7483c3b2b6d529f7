package dev.capstan.node.runtime;

/** CRI's PodSandboxState: READY while its network and pause process are up, NOT_READY once stopped. */
public enum SandboxState {
    READY,
    NOT_READY
}
