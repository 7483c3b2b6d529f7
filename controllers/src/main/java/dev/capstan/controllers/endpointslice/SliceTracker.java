package dev.capstan.controllers.endpointslice;

import dev.capstan.client.informer.ResourceEventHandler;
import dev.capstan.model.meta.ObjectKey;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Upstream's EndpointSliceTracker: per Service, the slices a controller wrote (by uid, with the resourceVersion the
 * write returned) and those it deleted, so that it never acts on a cache that has not seen its own writes ({@link
 * #staleSlices}) and its handlers skip the events of those writes ({@link #shouldSync}). Upstream compares
 * generations; Capstan's resourceVersion is the cluster revision and increases, so it serves the same purpose.
 * The service key of a slice is its namespace and {@code kubernetes.io/service-name} label.
 */
public final class SliceTracker {
    private static final long DELETION_EXPECTED = -1;

    private final Map<ObjectKey, Map<String, Long>> byService = new ConcurrentHashMap<>();

    public static ObjectKey serviceKey(EndpointSlice slice) {
        String service = slice.getMetadata().getLabels() == null
                ? null
                : slice.getMetadata().getLabels().get(EndpointSliceController.LABEL_SERVICE_NAME);
        return service == null || service.isEmpty()
                ? null
                : new ObjectKey(slice.getMetadata().getNamespace(), service);
    }

    /** Records a slice as written (created or updated). */
    public void update(EndpointSlice slice) {
        ObjectKey key = serviceKey(slice);
        if (key != null) {
            byService.computeIfAbsent(key, k -> new ConcurrentHashMap<>()).put(uid(slice), revision(slice));
        }
    }

    public void expectDeletion(EndpointSlice slice) {
        ObjectKey key = serviceKey(slice);
        if (key != null) {
            byService.computeIfAbsent(key, k -> new ConcurrentHashMap<>()).put(uid(slice), DELETION_EXPECTED);
        }
    }

    public boolean has(EndpointSlice slice) {
        ObjectKey key = serviceKey(slice);
        Map<String, Long> slices = key == null ? null : byService.get(key);
        return slices != null && slices.containsKey(uid(slice));
    }

    /** Whether an event about {@code slice} is news: not the echo of a write of ours. */
    public boolean shouldSync(EndpointSlice slice) {
        ObjectKey key = serviceKey(slice);
        Map<String, Long> slices = key == null ? null : byService.get(key);
        if (slices == null) {
            return true;
        }
        Long written = slices.get(uid(slice));
        return written == null || revision(slice) > written;
    }

    /**
     * Whether the cached {@code slices} of {@code service} lag behind this controller's writes: one it deleted is
     * still there, one it wrote is older than the write, or one it wrote is missing.
     */
    public boolean staleSlices(ObjectKey service, Collection<EndpointSlice> slices) {
        Map<String, Long> tracked = byService.get(service);
        if (tracked == null) {
            return false;
        }
        Set<String> provided = new HashSet<>();
        for (EndpointSlice slice : slices) {
            provided.add(uid(slice));
            Long written = tracked.get(uid(slice));
            if (written != null && (written == DELETION_EXPECTED || written > revision(slice))) {
                return true;
            }
        }
        for (Map.Entry<String, Long> e : tracked.entrySet()) {
            if (e.getValue() != DELETION_EXPECTED && !provided.contains(e.getKey())) {
                return true;
            }
        }
        return false;
    }

    /** Forgets a deleted slice; answers whether this controller deleted it (upstream's HandleDeletion). */
    public boolean handleDeletion(EndpointSlice slice) {
        ObjectKey key = serviceKey(slice);
        Map<String, Long> slices = key == null ? null : byService.get(key);
        if (slices == null) {
            return false;
        }
        Long was = slices.remove(uid(slice));
        if (slices.isEmpty()) {
            byService.remove(key, slices);
        }
        return was != null && was == DELETION_EXPECTED;
    }

    public void deleteService(ObjectKey service) {
        byService.remove(service);
    }

    private static String uid(EndpointSlice slice) {
        return String.valueOf(slice.getMetadata().getUid());
    }

    private static long revision(EndpointSlice slice) {
        try {
            return Long.parseLong(slice.getMetadata().getResourceVersion());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The slice handler of a controller that owns slices through this tracker: a slice of its own that the tracker
     * has not yet seen enqueues its Service; one that changes Service or owner is forgotten for the old one, and a
     * deletion the tracker did not expect enqueues the Service to write it again.
     */
    public ResourceEventHandler<EndpointSlice> handler(
            Predicate<EndpointSlice> managedByUs, Consumer<EndpointSlice> queueService) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(EndpointSlice slice) {
                if (managedByUs.test(slice) && shouldSync(slice)) {
                    queueService.accept(slice);
                }
            }

            @Override
            public void onUpdate(EndpointSlice old, EndpointSlice cur) {
                boolean serviceChanged = !Objects.equals(serviceKey(old), serviceKey(cur));
                if (managedByUs.test(old) && (serviceChanged || !managedByUs.test(cur))) {
                    // No longer one of ours for that Service: waiting for it to reappear would stall the Service.
                    handleDeletion(old);
                }
                if (serviceChanged) {
                    queueService.accept(old);
                    queueService.accept(cur);
                } else if (managedByUs.test(old) != managedByUs.test(cur)
                        || (managedByUs.test(cur) && shouldSync(cur))) {
                    queueService.accept(cur);
                }
            }

            @Override
            public void onDelete(EndpointSlice slice) {
                if (managedByUs.test(slice) && has(slice) && !handleDeletion(slice)) {
                    queueService.accept(slice);
                }
            }
        };
    }
}
