package dev.capstan.client.workqueue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * client-go's {@code BucketRateLimiter}, a token bucket as {@code golang.org/x/time/rate}'s {@code Reserve}: the
 * bucket starts full, refills at {@code qps} up to {@code burst}, and a call without a token still takes one, leaving
 * the bucket in debt, so that successive callers queue up behind each other at {@code 1/qps} intervals.
 */
final class BucketRateLimiter<K> implements RateLimiter<K> {
    private final double qps;
    private final int burst;
    private final Clock clock;
    private double tokens;
    private Instant last;

    BucketRateLimiter(double qps, int burst, Clock clock) {
        if (!(qps > 0) || burst < 1) {
            throw new IllegalArgumentException("token bucket needs qps > 0 and burst >= 1: " + qps + ", " + burst);
        }
        this.qps = qps;
        this.burst = burst;
        this.clock = Objects.requireNonNull(clock);
        this.tokens = burst;
        this.last = clock.instant();
    }

    @Override
    public synchronized Duration when(K item) {
        Instant now = clock.instant();
        if (now.isAfter(last)) { // a clock that steps back refills nothing
            double elapsed = Duration.between(last, now).toNanos() / 1e9;
            tokens = Math.min(burst, tokens + elapsed * qps);
            last = now;
        }
        tokens -= 1;
        return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokens / qps * 1e9));
    }

    @Override
    public void forget(K item) {}

    @Override
    public int retries(K item) {
        return 0;
    }
}
