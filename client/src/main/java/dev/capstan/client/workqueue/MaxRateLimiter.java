package dev.capstan.client.workqueue;

import java.time.Duration;
import java.util.List;

/** client-go's {@code MaxOfRateLimiter}: the worst case of all limiters, each of which records every failure. */
record MaxRateLimiter<K>(List<RateLimiter<K>> limiters) implements RateLimiter<K> {
    MaxRateLimiter {
        if (limiters.isEmpty()) {
            throw new IllegalArgumentException("max of no rate limiters");
        }
        limiters = List.copyOf(limiters);
    }

    @Override
    public Duration when(K item) {
        Duration longest = Duration.ZERO;
        for (RateLimiter<K> limiter : limiters) { // no short cut: every limiter must count the failure
            Duration delay = limiter.when(item);
            if (delay.compareTo(longest) > 0) {
                longest = delay;
            }
        }
        return longest;
    }

    @Override
    public void forget(K item) {
        limiters.forEach(limiter -> limiter.forget(item));
    }

    @Override
    public int retries(K item) {
        return limiters.stream()
                .mapToInt(limiter -> limiter.retries(item))
                .max()
                .orElse(0);
    }
}
