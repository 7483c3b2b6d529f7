package dev.capstan.api.storage;

import dev.capstan.store.KeyExistsException;
import dev.capstan.store.KeyValue;
import dev.capstan.store.Store;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Claims on shared ranges (Service cluster IPs, node ports), each a key under {@code /registry/ranges/} created only
 * if absent: the store's compare-and-swap makes a claim exclusive across every API server.
 */
public final class RangeClaims {
    private static final String ROOT = "/registry/ranges/";

    private final Supplier<Store> store;

    /** {@code store} is asked for at the first claim: claims are wired up while the store is still opening. */
    public RangeClaims(Supplier<Store> store) {
        this.store = store;
    }

    /** One claim as stored: its key, what it says (the claimant), and the revision it was made at. */
    public record Claimed(String key, byte[] value, long revision) {}

    /** Claims {@code key} for {@code value}'s holder; false when someone holds it already. */
    public boolean claim(String key, byte[] value) {
        requireRange(key);
        try {
            ObjectStorage.guard(() -> store.get().create(key, value));
            return true;
        } catch (KeyExistsException e) {
            return false;
        }
    }

    public boolean isFree(String key) {
        return get(key).isEmpty();
    }

    public Optional<Claimed> get(String key) {
        requireRange(key);
        return ObjectStorage.guard(() -> store.get().get(key)).map(RangeClaims::claimed);
    }

    /** Every claim under {@code prefix} as of {@code revision} (0: now). */
    public List<Claimed> list(String prefix, long revision) {
        requireRange(prefix);
        return ObjectStorage.guard(() -> store.get().list(prefix, revision, 0, "")).items().stream()
                .map(RangeClaims::claimed)
                .toList();
    }

    /** Frees a claim if it is still the one read; answers whether it did. */
    public boolean release(Claimed claim) {
        try {
            ObjectStorage.guard(() -> store.get().delete(claim.key(), claim.revision()));
            return true;
        } catch (RuntimeException e) {
            return false; // freed or claimed again meanwhile: nothing of this claim is left
        }
    }

    /** Frees whatever claim {@code key} holds now. */
    public void release(String key) {
        get(key).ifPresent(this::release);
    }

    private static Claimed claimed(KeyValue kv) {
        return new Claimed(kv.key(), kv.value(), kv.modRevision());
    }

    private static void requireRange(String key) {
        if (!key.startsWith(ROOT)) {
            throw new IllegalArgumentException(key + " is not under " + ROOT);
        }
    }
}
