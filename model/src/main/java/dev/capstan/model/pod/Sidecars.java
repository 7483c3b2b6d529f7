package dev.capstan.model.pod;

import io.fabric8.kubernetes.api.model.Container;

/**
 * Sidecar containers (upstream's restartable init containers, KEP-753): init containers with
 * {@code restartPolicy: Always}, which start in order with the other init containers but keep running beside the
 * pod's containers.
 */
public final class Sidecars {
    private Sidecars() {}

    public static boolean isSidecar(Container initContainer) {
        return "Always".equals(initContainer.getRestartPolicy());
    }
}
