package dev.capstan.scheduler.cache;

import dev.capstan.model.meta.ObjectKey;
import dev.capstan.scheduler.framework.ImageState;
import dev.capstan.scheduler.framework.NodeInfo;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.Snapshot;
import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Upstream's scheduler cache. It holds a NodeInfo per node with the pods bound to it (from informer events) and the
 * pods the scheduler assumed onto it: {@link #assumePod} counts a pod on its node at once, before binding, so the
 * next cycle never offers the same room twice. The informer's add confirms an assumed pod; {@link #forgetPod} undoes
 * a failed binding; an assumed pod whose binding finished but whose add never came expires after the TTL.
 *
 * <p>Every change stamps the NodeInfo with a new generation and moves it to the head of a list ordered by
 * generation, so {@link #updateSnapshot} copies only the NodeInfos changed since the snapshot's generation: with
 * 5,000 nodes a cycle copies the one or two nodes the previous cycle touched.
 *
 * <p>Thread-safe: informer handlers, binding callbacks and the scheduling thread call it concurrently; one lock.
 */
public final class SchedulerCache {
    /** Upstream v1.32's durationToExpireAssumedPod: 0, assumed pods never expire (see kubernetes#106361). */
    public static final Duration UPSTREAM_ASSUMED_POD_TTL = Duration.ZERO;

    private static final Logger LOG = Logger.getLogger(SchedulerCache.class);

    private static final class Item {
        final NodeInfo info;
        Item prev;
        Item next;

        Item(NodeInfo info) {
            this.info = info;
        }
    }

    private static final class PodState {
        PodInfo pod;
        String node;
        boolean bindingFinished;
        Instant deadline;

        PodState(PodInfo pod, String node) {
            this.pod = pod;
            this.node = node;
        }
    }

    private static final class ImageEntry {
        final ImageState state;
        final Set<String> nodes = new HashSet<>();

        ImageEntry(long size) {
            this.state = new ImageState(size, 0);
        }
    }

    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Item> nodes = new HashMap<>();
    private final Map<ObjectKey, PodState> podStates = new HashMap<>();
    private final Set<ObjectKey> assumedPods = new HashSet<>();
    private final Map<String, ImageEntry> imageStates = new HashMap<>();
    private final NodeTree nodeTree = new NodeTree();
    private Item head;
    private long generation;
    private boolean nodeTreeChanged;

    /**
     * @param ttl how long an assumed pod whose binding finished waits for the informer's add before it is dropped;
     *     zero or negative for never, as upstream v1.32
     */
    public SchedulerCache(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    // ---- pods ----

    /**
     * Counts the pod on the node before binding (upstream's AssumePod).
     *
     * @throws IllegalStateException when the pod is in the cache already
     */
    public synchronized void assumePod(PodInfo pod, String nodeName) {
        if (podStates.containsKey(pod.key())) {
            throw new IllegalStateException(
                    "pod " + pod.key() + "(" + pod.uid() + ") is in the cache, so can't be assumed");
        }
        addPodToNode(pod, nodeName);
        podStates.put(pod.key(), new PodState(pod, nodeName));
        assumedPods.add(pod.key());
    }

    /** The binding call returned: from now on the TTL runs (upstream's FinishBinding). */
    public synchronized void finishBinding(PodInfo pod) {
        PodState s = podStates.get(pod.key());
        if (s != null && assumedPods.contains(pod.key())) {
            s.bindingFinished = true;
            s.deadline =
                    ttl.isZero() || ttl.isNegative() ? null : clock.instant().plus(ttl);
        }
    }

    /** The binding failed: the assumed pod leaves its node (upstream's ForgetPod). */
    public synchronized void forgetPod(PodInfo pod) {
        PodState s = podStates.get(pod.key());
        if (s == null || !assumedPods.contains(pod.key())) {
            LOG.debugf("forgetPod: pod %s is not assumed", pod.key());
            return;
        }
        removePodFromNode(s.pod, s.node);
        podStates.remove(pod.key());
        assumedPods.remove(pod.key());
    }

    /**
     * An assigned pod from the informer (spec.nodeName set): confirms it when assumed (moving it if it landed
     * elsewhere), re-adds it when its assumption had expired, otherwise adds it.
     */
    public synchronized void addPod(PodInfo pod) {
        PodState s = podStates.get(pod.key());
        if (s == null) {
            addPodToNode(pod, pod.nodeName());
            podStates.put(pod.key(), new PodState(pod, pod.nodeName()));
        } else if (assumedPods.remove(pod.key())) {
            if (!s.node.equals(pod.nodeName())) {
                LOG.infof("pod %s was assumed on %s but was added to %s", pod.key(), s.node, pod.nodeName());
            }
            replace(s, pod);
            s.deadline = null;
        } else {
            // already added: treat as an update, the informer may redeliver after a re-list
            replace(s, pod);
        }
    }

    /** An assigned pod changed (labels, requests on resize, nodeName if it was bound meanwhile). */
    public synchronized void updatePod(PodInfo newPod) {
        PodState s = podStates.get(newPod.key());
        if (s == null) {
            addPod(newPod);
            return;
        }
        if (assumedPods.contains(newPod.key())) {
            // upstream refuses to update an assumed pod; an update with the binding in it confirms it
            addPod(newPod);
            return;
        }
        replace(s, newPod);
    }

    /** An assigned pod was deleted (or finished: terminal pods free their resources). */
    public synchronized void removePod(PodInfo pod) {
        PodState s = podStates.remove(pod.key());
        if (s == null) {
            return;
        }
        assumedPods.remove(pod.key());
        removePodFromNode(s.pod, s.node);
    }

    public synchronized boolean isAssumed(ObjectKey pod) {
        return assumedPods.contains(pod);
    }

    /** The node the pod is counted on (assumed or bound), or null. */
    public synchronized String nodeOf(ObjectKey pod) {
        PodState s = podStates.get(pod);
        return s == null ? null : s.node;
    }

    public synchronized int podCount() {
        return podStates.size();
    }

    /**
     * Drops assumed pods whose binding finished more than the TTL ago without the informer's add (upstream's
     * cleanupAssumedPods); returns them.
     */
    public synchronized List<PodInfo> cleanupExpiredAssumedPods() {
        Instant now = clock.instant();
        List<PodInfo> expired = new ArrayList<>();
        for (ObjectKey key : List.copyOf(assumedPods)) {
            PodState s = podStates.get(key);
            if (s.bindingFinished && s.deadline != null && now.isAfter(s.deadline)) {
                LOG.warnf("assumed pod %s on %s expired: its binding was never confirmed", key, s.node);
                removePodFromNode(s.pod, s.node);
                podStates.remove(key);
                assumedPods.remove(key);
                expired.add(s.pod);
            }
        }
        return expired;
    }

    private void replace(PodState s, PodInfo newPod) {
        removePodFromNode(s.pod, s.node);
        String node = newPod.nodeName().isEmpty() ? s.node : newPod.nodeName();
        addPodToNode(newPod, node);
        s.pod = newPod;
        s.node = node;
    }

    private void addPodToNode(PodInfo pod, String nodeName) {
        Item item = nodes.get(nodeName);
        if (item == null) {
            item = new Item(NodeInfo.named(nodeName));
            nodes.put(nodeName, item);
        }
        item.info.addPod(pod);
        touch(item);
    }

    private void removePodFromNode(PodInfo pod, String nodeName) {
        Item item = nodes.get(nodeName);
        if (item == null || !item.info.removePod(pod)) {
            LOG.debugf("pod %s was not counted on node %s", pod.key(), nodeName);
            return;
        }
        if (item.info.node() == null && item.info.pods().isEmpty()) {
            unlink(item);
            nodes.remove(nodeName);
            generation++;
        } else {
            touch(item);
        }
    }

    // ---- nodes ----

    public synchronized void addNode(Node node) {
        updateNode(null, node);
    }

    public synchronized void updateNode(Node oldNode, Node newNode) {
        String name = newNode.getMetadata().getName();
        Item item = nodes.get(name);
        if (item == null) {
            item = new Item(NodeInfo.named(name));
            nodes.put(name, item);
        } else if (item.info.node() != null) {
            removeImageStates(item.info.node());
            oldNode = oldNode == null ? item.info.node() : oldNode;
        } else {
            oldNode = null;
        }
        nodeTreeChanged |= nodeTree.update(oldNode, newNode);
        item.info.setNode(newNode);
        item.info.imageStates(addImageStates(newNode));
        touch(item);
    }

    /** The node is gone; its NodeInfo stays (without the node) until its pods are removed too. */
    public synchronized void removeNode(Node node) {
        String name = node.getMetadata().getName();
        Item item = nodes.get(name);
        if (item == null || item.info.node() == null) {
            return;
        }
        removeImageStates(item.info.node());
        nodeTree.remove(item.info.node());
        nodeTreeChanged = true;
        if (item.info.pods().isEmpty()) {
            unlink(item);
            nodes.remove(name);
            generation++;
        } else {
            item.info.clearNode();
            touch(item);
        }
    }

    public synchronized int nodeCount() {
        return nodeTree.numNodes();
    }

    private Map<String, ImageState> addImageStates(Node node) {
        List<ContainerImage> images =
                node.getStatus() == null ? null : node.getStatus().getImages();
        if (images == null || images.isEmpty()) {
            return Map.of();
        }
        Map<String, ImageState> out = new HashMap<>();
        for (ContainerImage image : images) {
            if (image.getNames() == null) {
                continue;
            }
            long size = image.getSizeBytes() == null ? 0 : image.getSizeBytes();
            for (String imageName : image.getNames()) {
                ImageEntry e = imageStates.computeIfAbsent(imageName, n -> new ImageEntry(size));
                e.nodes.add(node.getMetadata().getName());
                e.state.numNodes(e.nodes.size());
                out.putIfAbsent(imageName, e.state);
            }
        }
        return out;
    }

    private void removeImageStates(Node node) {
        List<ContainerImage> images =
                node.getStatus() == null ? null : node.getStatus().getImages();
        if (images == null) {
            return;
        }
        for (ContainerImage image : images) {
            for (String imageName : image.getNames() == null ? List.<String>of() : image.getNames()) {
                ImageEntry e = imageStates.get(imageName);
                if (e != null) {
                    e.nodes.remove(node.getMetadata().getName());
                    e.state.numNodes(e.nodes.size());
                    if (e.nodes.isEmpty()) {
                        imageStates.remove(imageName);
                    }
                }
            }
        }
    }

    // ---- snapshot ----

    /**
     * Upstream's UpdateSnapshot: copies into {@code snapshot} the NodeInfos changed since its generation (walking the
     * generation-ordered list from the head, stopping at the first unchanged one), refreshing them in place; rebuilds
     * the ordered node list only when nodes came, went or changed zone, and the affinity lists only when a node
     * started or stopped having such pods.
     */
    public synchronized void updateSnapshot(Snapshot snapshot) {
        long snapshotGeneration = snapshot.generation();
        boolean updateAll = nodeTreeChanged;
        boolean updateAffinityLists = false;
        for (Item item = head; item != null && item.info.generation() > snapshotGeneration; item = item.next) {
            if (item.info.node() == null) {
                continue;
            }
            NodeInfo existing = snapshot.get(item.info.name());
            if (existing == null) {
                snapshot.put(item.info.copy());
                updateAll = true;
                continue;
            }
            if (existing.podsWithAffinity().isEmpty()
                            != item.info.podsWithAffinity().isEmpty()
                    || existing.podsWithRequiredAntiAffinity().isEmpty()
                            != item.info.podsWithRequiredAntiAffinity().isEmpty()) {
                updateAffinityLists = true;
            }
            snapshot.refresh(existing, item.info);
        }
        snapshot.generation(generation);
        if (snapshot.size() > nodeTree.numNodes()) {
            snapshot.removeIf(name -> {
                Item i = nodes.get(name);
                return i == null || i.info.node() == null;
            });
            updateAll = true;
        }
        if (updateAll) {
            snapshot.rebuildLists(nodeTree.list());
            nodeTreeChanged = false;
        } else if (updateAffinityLists) {
            snapshot.rebuildAffinityLists();
        }
    }

    private void touch(Item item) {
        item.info.generation(++generation);
        if (head == item) {
            return;
        }
        unlink(item);
        item.next = head;
        if (head != null) {
            head.prev = item;
        }
        head = item;
    }

    private void unlink(Item item) {
        if (item.prev != null) {
            item.prev.next = item.next;
        }
        if (item.next != null) {
            item.next.prev = item.prev;
        }
        if (head == item) {
            head = item.next;
        }
        item.prev = null;
        item.next = null;
    }
}
