package dev.capstan.client.workqueue;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** client-go's {@code ItemExponentialFailureRateLimiter}: {@code base * 2^failures}, capped at {@code max}. */
final class ExponentialRateLimiter<K> implements RateLimiter<K> {
    private final Map<K, Integer> failures = new ConcurrentHashMap<>();
    private final long baseNanos;
    private final Duration max;

    ExponentialRateLimiter(Duration base, Duration max) {
        if (base.isNegative() || max.isNegative()) {
            throw new IllegalArgumentException("negative back-off: base " + base + ", max " + max);
        }
        this.baseNanos = base.toNanos();
        this.max = Objects.requireNonNull(max);
    }

    @Override
    public Duration when(K item) {
        int exponent = failures.merge(item, 1, Integer::sum) - 1;
        // In double so that many failures saturate at max instead of overflowing a long.
        double nanos = baseNanos * Math.pow(2, exponent);
        return nanos >= max.toNanos() ? max : Duration.ofNanos((long) nanos);
    }

    @Override
    public void forget(K item) {
        failures.remove(item);
    }

    @Override
    public int retries(K item) {
        return failures.getOrDefault(item, 0);
    }
}
