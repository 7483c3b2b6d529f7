package dev.capstan.scheduler.framework;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Shares equal immutable values (label maps, affinity terms) between the PodInfos of replicas, so that the per-cycle
 * scans over all pods touch a few hundred distinct objects instead of tens of thousands and stay in the CPU cache.
 * Purely an optimization: nothing relies on identity. Bounded by clearing when full, so label churn cannot grow it.
 */
final class Interner<T> {
    private final ConcurrentHashMap<T, T> values = new ConcurrentHashMap<>();
    private final int max;

    Interner(int max) {
        this.max = max;
    }

    T intern(T value) {
        if (values.size() >= max) {
            values.clear();
        }
        T existing = values.putIfAbsent(value, value);
        return existing == null ? value : existing;
    }
}
