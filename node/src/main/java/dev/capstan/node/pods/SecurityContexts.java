package dev.capstan.node.pods;

import dev.capstan.node.runtime.ContainerSecurity;
import dev.capstan.node.runtime.ImageInfo;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A container's effective security settings (upstream securitycontext.DetermineEffectiveSecurityContext: the
 * container's own fields over the pod's) and the checks the kubelet makes before it creates the container:
 * runAsNonRoot against the user and the image's user (kuberuntime verifyRunAsNonRoot), and privileged only where the
 * node allows it. A failed check is a {@link ContainerSpecs.ConfigError}: the container waits in
 * CreateContainerConfigError with the message.
 */
final class SecurityContexts {
    private SecurityContexts() {}

    /**
     * @param image the image's status, asked for only when runAsNonRoot has to be checked against it
     */
    static ContainerSecurity of(Pod pod, Container c, boolean allowPrivileged, Supplier<Optional<ImageInfo>> image) {
        PodSecurityContext podSc = pod.getSpec().getSecurityContext();
        SecurityContext sc = c.getSecurityContext();
        Long runAsUser = first(sc == null ? null : sc.getRunAsUser(), podSc == null ? null : podSc.getRunAsUser());
        Long runAsGroup = first(sc == null ? null : sc.getRunAsGroup(), podSc == null ? null : podSc.getRunAsGroup());
        Boolean runAsNonRoot =
                first(sc == null ? null : sc.getRunAsNonRoot(), podSc == null ? null : podSc.getRunAsNonRoot());
        boolean privileged = sc != null && Boolean.TRUE.equals(sc.getPrivileged());
        if (privileged && !allowPrivileged) {
            throw new ContainerSpecs.ConfigError("container " + c.getName() + " asks to run privileged, which this node"
                    + " does not allow (the node agent's capstan.node.allow-privileged is false)");
        }
        if (Boolean.TRUE.equals(runAsNonRoot)) {
            verifyRunAsNonRoot(pod, c, runAsUser, image);
        }
        Capabilities caps = sc == null ? null : sc.getCapabilities();
        return new ContainerSecurity(
                runAsUser,
                runAsGroup,
                sc != null && Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem()),
                privileged,
                caps == null || caps.getAdd() == null ? List.of() : caps.getAdd(),
                caps == null || caps.getDrop() == null ? List.of() : caps.getDrop());
    }

    private static void verifyRunAsNonRoot(Pod pod, Container c, Long runAsUser, Supplier<Optional<ImageInfo>> image) {
        String where = "(pod: \"" + KubeletSyncer.formatPod(pod) + "\", container: " + c.getName() + ")";
        if (runAsUser != null) {
            if (runAsUser == 0) {
                throw new ContainerSpecs.ConfigError("container's runAsUser breaks non-root policy " + where);
            }
            return;
        }
        Optional<ImageInfo> info = image.get();
        if (info.isPresent() && info.get().uid().isPresent() && info.get().uid().getAsLong() != 0) {
            return;
        }
        if (info.isPresent()
                && info.get().uid().isEmpty()
                && !info.get().username().isEmpty()) {
            throw new ContainerSpecs.ConfigError("container has runAsNonRoot and image has non-numeric user ("
                    + info.get().username() + "), cannot verify user is non-root " + where);
        }
        // No user in the image (or uid 0) is root, as upstream's getImageUser treats it.
        throw new ContainerSpecs.ConfigError("container has runAsNonRoot and image will run as root " + where);
    }

    private static <T> T first(T container, T pod) {
        return container != null ? container : pod;
    }
}
