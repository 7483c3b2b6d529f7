package dev.capstan.client.workqueue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When to retry a key that failed: client-go's workqueue {@code RateLimiter}. Implementations are thread-safe.
 *
 * @param <K> the key type, compared by {@code equals}
 */
public interface RateLimiter<K> {
    /** Records a failure of {@code item} and answers how long to wait before trying it again. */
    Duration when(K item);

    /** Stops tracking {@code item}, whether it succeeded or was given up on: its next failure starts over. */
    void forget(K item);

    /** Failures recorded for {@code item} since it was last forgotten. */
    int retries(K item);

    /**
     * client-go's {@code DefaultControllerRateLimiter}: the larger of a per-key exponential back-off (5 ms doubling up
     * to 1000 s) and an overall token bucket (10 per second, bursts of 100) that bounds retries of all keys together.
     */
    static <K> RateLimiter<K> controllerDefault(Clock clock) {
        return max(exponential(Duration.ofMillis(5), Duration.ofSeconds(1000)), bucket(10, 100, clock));
    }

    /** {@code base * 2^failures} per key, at most {@code max}. */
    static <K> RateLimiter<K> exponential(Duration base, Duration max) {
        return new ExponentialRateLimiter<>(base, max);
    }

    /**
     * One token bucket for all keys: {@code burst} tokens refilled at {@code qps}; each {@link #when} takes a token
     * (going into debt when there is none) and answers the wait until its token exists. Tracks no key.
     */
    static <K> RateLimiter<K> bucket(double qps, int burst, Clock clock) {
        return new BucketRateLimiter<>(qps, burst, clock);
    }

    /** Asks every limiter (each records the failure) and answers the longest delay and the most retries. */
    @SafeVarargs
    static <K> RateLimiter<K> max(RateLimiter<K>... limiters) {
        List<RateLimiter<K>> all = new ArrayList<>(limiters.length);
        for (RateLimiter<K> limiter : limiters) { // not List.of(limiters): lint counts passing the array on as unsafe
            all.add(limiter);
        }
        return new MaxRateLimiter<>(all);
    }
}
