package dev.capstan.controllers.gc;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The ownership graph (upstream's GraphBuilder.uidToNode and processGraphChanges): one node per uid with its owners
 * and the uids of its dependents. A node whose object no informer has shown yet is virtual: it stands for an owner
 * some dependent names, and is verified with a live GET.
 *
 * <p>Upstream feeds the graph from one goroutine; here informers of different kinds call in from their own threads,
 * so every method holds the graph's lock. What the graph learns it turns into queue items through {@code enqueue},
 * in upstream's places: dependents of a deleted node, owners waiting in foreground deletion once a blocking dependent
 * goes, new virtual nodes, and the start of a foreground or orphan deletion.
 */
final class Graph {
    static final String FOREGROUND = "foregroundDeletion";
    static final String ORPHAN = "orphan";

    /** What the collector reads of a node: a copy taken under the lock. */
    record NodeView(
            String uid,
            Identity identity,
            List<OwnerReference> owners,
            Set<String> dependents,
            boolean observed,
            boolean beingDeleted,
            boolean deletingDependents) {}

    private static final class Node {
        final String uid;
        Identity identity;
        List<OwnerReference> owners = List.of();
        final Set<String> dependents = new LinkedHashSet<>();
        boolean observed;
        boolean beingDeleted;
        boolean deletingDependents;

        Node(String uid, Identity identity) {
            this.uid = uid;
            this.identity = identity;
        }

        NodeView view() {
            return new NodeView(
                    uid, identity, owners, Set.copyOf(dependents), observed, beingDeleted, deletingDependents);
        }
    }

    private final Map<String, Node> nodes = new HashMap<>();
    private final Consumer<GcItem> enqueue;

    Graph(Consumer<GcItem> enqueue) {
        this.enqueue = enqueue;
    }

    synchronized Optional<NodeView> get(String uid) {
        return Optional.ofNullable(nodes.get(uid)).map(Node::view);
    }

    synchronized int size() {
        return nodes.size();
    }

    synchronized List<NodeView> dependents(String uid) {
        Node owner = nodes.get(uid);
        if (owner == null) {
            return List.of();
        }
        List<NodeView> out = new ArrayList<>();
        for (String dep : owner.dependents) {
            Node node = nodes.get(dep);
            if (node != null) {
                out.add(node.view());
            }
        }
        return out;
    }

    /** Dependents whose reference to {@code uid} has blockOwnerDeletion=true: they hold a foreground deletion. */
    synchronized List<NodeView> blockingDependents(String uid) {
        List<NodeView> out = new ArrayList<>();
        for (NodeView dep : dependents(uid)) {
            if (dep.owners().stream().anyMatch(ref -> uid.equals(ref.getUid()) && isBlocking(ref))) {
                out.add(dep);
            }
        }
        return out;
    }

    /** An add or update from an informer; {@code old} is null for an add. */
    synchronized void observe(Identity identity, HasMetadata old, HasMetadata object) {
        ObjectMeta meta = object.getMetadata();
        String uid = meta.getUid();
        if (uid == null || uid.isEmpty()) {
            return;
        }
        List<OwnerReference> owners = ownersOf(object);
        Node node = nodes.get(uid);
        if (node != null && !node.observed) {
            // A virtual node becomes real. Dependents that named other coordinates for it are checked again.
            if (!node.identity.equals(identity)) {
                node.dependents.forEach(dep -> enqueue.accept(GcItem.delete(dep)));
            }
            node.identity = identity;
            node.observed = true;
        }
        if (node == null) {
            node = new Node(uid, identity);
            node.observed = true;
            node.owners = owners;
            node.beingDeleted = deleting(object);
            node.deletingDependents = node.beingDeleted && hasFinalizer(object, FOREGROUND);
            nodes.put(uid, node);
            addToOwners(node, owners);
        } else {
            node.identity = identity;
            Diff diff = diff(node.owners, owners);
            if (!diff.isEmpty()) {
                enqueueUnblockedOwners(diff);
                node.owners = owners;
                addToOwners(node, diff.added());
                removeFromOwners(node, diff.removed());
            }
            if (deleting(object)) {
                node.beingDeleted = true;
            }
        }
        processTransitions(old, object, node);
    }

    /** A deletion seen by an informer. */
    synchronized void observeDelete(HasMetadata object) {
        Node node = nodes.get(object.getMetadata().getUid());
        if (node == null) {
            return;
        }
        remove(node);
    }

    /**
     * Upstream's virtual delete event: a live GET found no object with this uid at {@code identity}. The node goes,
     * and its dependents are looked at again.
     */
    synchronized void absent(String uid, Identity identity) {
        Node node = nodes.get(uid);
        if (node == null || (node.observed && !node.identity.equals(identity))) {
            return; // an observed object elsewhere than the coordinates that were looked up: keep it
        }
        remove(node);
    }

    private void remove(Node node) {
        nodes.remove(node.uid);
        removeFromOwners(node, node.owners);
        node.dependents.forEach(dep -> enqueue.accept(GcItem.delete(dep)));
        for (OwnerReference ref : node.owners) {
            Node owner = nodes.get(ref.getUid());
            if (owner != null && owner.deletingDependents) {
                // the owner may have been waiting for this dependent only
                enqueue.accept(GcItem.delete(owner.uid));
            }
        }
    }

    private void processTransitions(HasMetadata old, HasMetadata object, Node node) {
        if (deletionStartsWith(old, object, ORPHAN)) {
            enqueue.accept(GcItem.orphan(node.uid));
            return;
        }
        if (deletionStartsWith(old, object, FOREGROUND)) {
            node.deletingDependents = true;
            node.dependents.forEach(dep -> enqueue.accept(GcItem.delete(dep)));
            enqueue.accept(GcItem.delete(node.uid));
        }
    }

    private static boolean deletionStartsWith(HasMetadata old, HasMetadata object, String finalizer) {
        if (!deleting(object) || !hasFinalizer(object, finalizer)) {
            return false;
        }
        return old == null || !deleting(old) || !hasFinalizer(old, finalizer);
    }

    private void addToOwners(Node dependent, List<OwnerReference> refs) {
        for (OwnerReference ref : refs) {
            Node owner = nodes.get(ref.getUid());
            if (owner == null) {
                // An owner nobody has seen: a virtual node, verified by a live GET.
                owner = new Node(
                        ref.getUid(),
                        new Identity(
                                ref.getApiVersion(), ref.getKind(), dependent.identity.namespace(), ref.getName()));
                nodes.put(owner.uid, owner);
                enqueue.accept(GcItem.delete(owner.uid));
            } else if (owner.deletingDependents) {
                // a dependent that arrives while its owner waits in foreground deletion is deleted as well
                enqueue.accept(GcItem.delete(dependent.uid));
            }
            owner.dependents.add(dependent.uid);
        }
    }

    private void removeFromOwners(Node dependent, List<OwnerReference> refs) {
        for (OwnerReference ref : refs) {
            Node owner = nodes.get(ref.getUid());
            if (owner != null) {
                owner.dependents.remove(dependent.uid);
            }
        }
    }

    /** Upstream's addUnblockedOwnersToDeleteQueue: owners a dependent stopped blocking may now finish. */
    private void enqueueUnblockedOwners(Diff diff) {
        for (OwnerReference ref : diff.removed()) {
            if (isBlocking(ref) && nodes.containsKey(ref.getUid())) {
                enqueue.accept(GcItem.delete(ref.getUid()));
            }
        }
        for (OwnerReference[] pair : diff.changed()) {
            if (isBlocking(pair[0]) && !isBlocking(pair[1]) && nodes.containsKey(pair[1].getUid())) {
                enqueue.accept(GcItem.delete(pair[1].getUid()));
            }
        }
    }

    private record Diff(List<OwnerReference> added, List<OwnerReference> removed, List<OwnerReference[]> changed) {
        boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
        }
    }

    /** Upstream's referencesDiffs, by uid. */
    private static Diff diff(List<OwnerReference> old, List<OwnerReference> now) {
        Map<String, OwnerReference> before = new HashMap<>();
        old.forEach(ref -> before.put(ref.getUid(), ref));
        List<OwnerReference> added = new ArrayList<>();
        List<OwnerReference[]> changed = new ArrayList<>();
        for (OwnerReference ref : now) {
            OwnerReference was = before.remove(ref.getUid());
            if (was == null) {
                added.add(ref);
            } else if (!Objects.equals(was, ref)) {
                changed.add(new OwnerReference[] {was, ref});
            }
        }
        return new Diff(added, new ArrayList<>(before.values()), changed);
    }

    static List<OwnerReference> ownersOf(HasMetadata object) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        return refs == null ? List.of() : List.copyOf(refs);
    }

    static boolean isBlocking(OwnerReference ref) {
        return Boolean.TRUE.equals(ref.getBlockOwnerDeletion());
    }

    static boolean deleting(HasMetadata object) {
        String ts = object.getMetadata().getDeletionTimestamp();
        return ts != null && !ts.isEmpty();
    }

    static boolean hasFinalizer(HasMetadata object, String finalizer) {
        List<String> finalizers = object.getMetadata().getFinalizers();
        return finalizers != null && finalizers.contains(finalizer);
    }
}
