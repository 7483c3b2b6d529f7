package dev.capstan.client.informer;

import dev.capstan.model.meta.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An informer's cache: objects by key ("ns/name"), with secondary indexes (by namespace always, others such as
 * pods by node name added before the informer starts). One writer (the informer), any number of readers. Objects
 * handed out are the cached instances: readers must not modify them (copy first, as with client-go's listers).
 */
public final class Indexer<T extends HasMetadata> {
    public static final String NAMESPACE = "namespace";

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, T> items = new HashMap<>();
    private final Map<String, Function<T, List<String>>> indexFunctions = new LinkedHashMap<>();
    private final Map<String, Map<String, Set<String>>> indexes = new HashMap<>();

    public Indexer() {
        addIndex(NAMESPACE, o -> List.of(nonNull(o.getMetadata().getNamespace())));
    }

    /** Adds an index; values are the index keys an object files under (none, one or many). */
    public void addIndex(String name, Function<T, List<String>> values) {
        lock.writeLock().lock();
        try {
            if (indexFunctions.putIfAbsent(name, values) != null) {
                throw new IllegalArgumentException("index " + name + " exists already");
            }
            Map<String, Set<String>> index = new HashMap<>();
            items.forEach((key, object) -> file(index, values, key, object));
            indexes.put(name, index);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Adds the index unless one of that name exists; answers whether it added it. Loops sharing an informer use
     * this for common indexes (pods by node name), so each must file objects under the same values.
     */
    public boolean addIndexIfAbsent(String name, Function<T, List<String>> values) {
        lock.writeLock().lock();
        try {
            if (indexFunctions.containsKey(name)) {
                return false;
            }
            addIndex(name, values);
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public Optional<T> get(ObjectKey key) {
        return get(key.toString());
    }

    public Optional<T> get(String namespace, String name) {
        return get(namespace == null || namespace.isEmpty() ? name : namespace + "/" + name);
    }

    public Optional<T> get(String key) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(items.get(key));
        } finally {
            lock.readLock().unlock();
        }
    }

    public List<T> list() {
        lock.readLock().lock();
        try {
            return new ArrayList<>(items.values());
        } finally {
            lock.readLock().unlock();
        }
    }

    public List<T> list(Predicate<T> filter) {
        lock.readLock().lock();
        try {
            List<T> out = new ArrayList<>();
            for (T item : items.values()) {
                if (filter.test(item)) {
                    out.add(item);
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The objects filed under {@code value} in index {@code name}. */
    public List<T> byIndex(String name, String value) {
        lock.readLock().lock();
        try {
            Map<String, Set<String>> index = indexes.get(name);
            if (index == null) {
                throw new IllegalArgumentException("no index " + name);
            }
            Set<String> keys = index.getOrDefault(value, Set.of());
            List<T> out = new ArrayList<>(keys.size());
            for (String key : keys) {
                out.add(items.get(key));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    public List<T> inNamespace(String namespace) {
        return byIndex(NAMESPACE, nonNull(namespace));
    }

    public int size() {
        lock.readLock().lock();
        try {
            return items.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    public List<String> keys() {
        lock.readLock().lock();
        try {
            return new ArrayList<>(items.keySet());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Stores the object; answers the state it replaced, or null. */
    T put(T object) {
        String key = keyOf(object);
        lock.writeLock().lock();
        try {
            T old = items.put(key, object);
            indexFunctions.forEach((name, values) -> {
                Map<String, Set<String>> index = indexes.get(name);
                if (old != null) {
                    unfile(index, values, key, old);
                }
                file(index, values, key, object);
            });
            return old;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes the object by key; answers what was stored, or null. */
    T remove(String key) {
        lock.writeLock().lock();
        try {
            T old = items.remove(key);
            if (old != null) {
                indexFunctions.forEach((name, values) -> unfile(indexes.get(name), values, key, old));
            }
            return old;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public static String keyOf(HasMetadata object) {
        return ObjectKey.of(object).toString();
    }

    private void file(Map<String, Set<String>> index, Function<T, List<String>> values, String key, T object) {
        for (String value : values.apply(object)) {
            index.computeIfAbsent(value, v -> new HashSet<>()).add(key);
        }
    }

    private void unfile(Map<String, Set<String>> index, Function<T, List<String>> values, String key, T object) {
        for (String value : values.apply(object)) {
            Set<String> keys = index.get(value);
            if (keys != null) {
                keys.remove(key);
                if (keys.isEmpty()) {
                    index.remove(value);
                }
            }
        }
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
