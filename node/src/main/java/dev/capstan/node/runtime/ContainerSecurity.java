package dev.capstan.node.runtime;

import java.util.List;

/**
 * The security settings a container runs with. {@code runAsUser}/{@code runAsGroup} null mean the image's
 * user; capabilities are names without the {@code CAP_} prefix, as in a pod spec.
 */
public record ContainerSecurity(
        Long runAsUser,
        Long runAsGroup,
        boolean readOnlyRootFilesystem,
        boolean privileged,
        List<String> addCapabilities,
        List<String> dropCapabilities) {

    public static final ContainerSecurity DEFAULT =
            new ContainerSecurity(null, null, false, false, List.of(), List.of());

    public ContainerSecurity {
        addCapabilities = List.copyOf(addCapabilities);
        dropCapabilities = List.copyOf(dropCapabilities);
    }
}
