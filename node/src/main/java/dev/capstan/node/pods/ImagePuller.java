package dev.capstan.node.pods;

import dev.capstan.client.events.EventRecorder;
import dev.capstan.node.runtime.ContainerRuntime;
import dev.capstan.node.runtime.ContainerRuntimeException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Upstream's image puller (kubelet/images): makes sure a container's image is in the runtime's store before the
 * container is created, with the kubelet's events and waiting reasons. ImageStatus comes first because PullImage
 * always contacts the registry; a failed pull waits as ErrImagePull, then ImagePullBackOff while the per-container
 * back-off holds, or ErrImageNeverPull for the policy Never.
 */
final class ImagePuller {
    private static final Logger LOG = Logger.getLogger(ImagePuller.class);

    private final ContainerRuntime runtime;
    private final EventRecorder events;
    private final BackOff pulls;

    ImagePuller(ContainerRuntime runtime, EventRecorder events, Clock clock) {
        this.runtime = runtime;
        this.events = events;
        this.pulls = new BackOff(clock);
    }

    /** Whether the image is present (pulled now if need be); otherwise records why the container waits. */
    boolean ensureImage(Pod pod, Container c, Map<String, Waiting> podWaits) {
        String image = c.getImage();
        if (runtime.imageStatus(image).isPresent()) {
            events.event(
                    pod,
                    EventRecorder.NORMAL,
                    "Pulled",
                    "Container image \"" + image + "\" already present on machine");
            return true;
        }
        if ("Never".equals(c.getImagePullPolicy())) {
            String message = "Container image \"" + image + "\" is not present with pull policy of Never";
            podWaits.put(c.getName(), new Waiting("ErrImageNeverPull", message));
            events.event(pod, EventRecorder.WARNING, "ErrImageNeverPull", message);
            events.event(pod, EventRecorder.WARNING, "Failed", "Error: ErrImageNeverPull");
            return false;
        }
        String key = pod.getMetadata().getUid() + "/" + c.getName() + "/pull";
        if (pulls.inBackOffSinceUpdate(key)) {
            podWaits.put(c.getName(), new Waiting("ImagePullBackOff", "Back-off pulling image \"" + image + "\""));
            events.event(pod, EventRecorder.NORMAL, "BackOff", "Back-off pulling image \"" + image + "\"");
            events.event(pod, EventRecorder.WARNING, "Failed", "Error: ImagePullBackOff");
            return false;
        }
        pulls.next(key);
        events.event(pod, EventRecorder.NORMAL, "Pulling", "Pulling image \"" + image + "\"");
        long started = System.nanoTime();
        try {
            runtime.pullImage(image);
            events.event(
                    pod,
                    EventRecorder.NORMAL,
                    "Pulled",
                    "Successfully pulled image \"" + image + "\" in "
                            + KubeletSyncer.goDuration(Duration.ofNanos(System.nanoTime() - started)));
            return true;
        } catch (ContainerRuntimeException e) {
            LOG.debugf("pulling %s failed: %s", image, e.getMessage());
            // kubelet's words: the runtime's error as Go's gRPC prints it, without the agent's call and socket
            podWaits.put(c.getName(), new Waiting("ErrImagePull", e.rpcError()));
            events.event(
                    pod, EventRecorder.WARNING, "Failed", "Failed to pull image \"" + image + "\": " + e.rpcError());
            events.event(pod, EventRecorder.WARNING, "Failed", "Error: ErrImagePull");
            return false;
        }
    }

    /** The pod is gone: its containers' back-offs go with it. */
    void forgetPod(String uid) {
        pulls.forgetPrefix(uid + "/");
    }
}
