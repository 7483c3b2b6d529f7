package dev.capstan.api.cache;

/**
 * What the watch cache answers a list or a watch: served from memory, or not — and then the caller reads the
 * store instead (for the reason given). Consumed with an exhaustive switch.
 */
public sealed interface CacheAnswer<T> {
    record Served<T>(T value) implements CacheAnswer<T> {}

    record FallBack<T>(String reason) implements CacheAnswer<T> {}

    static <T> CacheAnswer<T> served(T value) {
        return new Served<>(value);
    }

    static <T> CacheAnswer<T> fallBack(String reason) {
        return new FallBack<>(reason);
    }
}
