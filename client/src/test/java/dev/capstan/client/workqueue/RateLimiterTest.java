package dev.capstan.client.workqueue;

import static java.time.Duration.ZERO;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final FakeClock clock = new FakeClock();

    private static <K> List<Duration> when(RateLimiter<K> limiter, K item, int times) {
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            delays.add(limiter.when(item));
        }
        return delays;
    }

    @Test
    void exponentialDoublesFromBase() {
        RateLimiter<String> limiter = RateLimiter.exponential(ofMillis(5), ofSeconds(1000));
        assertThat(when(limiter, "a", 5))
                .containsExactly(ofMillis(5), ofMillis(10), ofMillis(20), ofMillis(40), ofMillis(80));
        assertThat(limiter.retries("a")).isEqualTo(5);
        assertThat(limiter.retries("b")).isZero();
    }

    @Test
    void exponentialIsCappedAndNeverOverflows() {
        RateLimiter<String> limiter = RateLimiter.exponential(ofMillis(1), ofMillis(10));
        assertThat(when(limiter, "a", 6))
                .containsExactly(ofMillis(1), ofMillis(2), ofMillis(4), ofMillis(8), ofMillis(10), ofMillis(10));
        assertThat(when(limiter, "a", 2000)).containsOnly(ofMillis(10)); // 2^2005 ns is far past a long
        RateLimiter<String> huge = RateLimiter.exponential(ofMillis(5), ofSeconds(1000));
        assertThat(when(huge, "a", 100).getLast()).isEqualTo(ofSeconds(1000));
    }

    @Test
    void forgetStartsTheKeyOverAndLeavesOthers() {
        RateLimiter<String> limiter = RateLimiter.exponential(ofMillis(5), ofSeconds(1));
        when(limiter, "a", 3);
        when(limiter, "b", 2);
        limiter.forget("a");
        assertThat(limiter.retries("a")).isZero();
        assertThat(limiter.when("a")).isEqualTo(ofMillis(5));
        assertThat(limiter.retries("b")).isEqualTo(2);
        assertThat(limiter.when("b")).isEqualTo(ofMillis(20));
    }

    @Test
    void bucketLetsABurstThroughThenSpacesCallsAtItsRate() {
        RateLimiter<String> limiter = RateLimiter.bucket(10, 3, clock);
        // Three tokens, then debt: each further call waits 100 ms longer than the one before.
        assertThat(when(limiter, "a", 5)).containsExactly(ZERO, ZERO, ZERO, ofMillis(100), ofMillis(200));
        clock.advance(ofMillis(150)); // -2 + 1.5 tokens = -0.5; this call takes one more
        assertThat(limiter.when("b")).isEqualTo(ofMillis(150));
        clock.advance(ofSeconds(10)); // refills to the burst, not beyond
        assertThat(when(limiter, "c", 4)).containsExactly(ZERO, ZERO, ZERO, ofMillis(100));
        assertThat(limiter.retries("a")).isZero(); // tracks no key
        limiter.forget("a");
        assertThat(limiter.when("a")).isEqualTo(ofMillis(200));
    }

    @Test
    void maxAnswersTheLongestAndEveryLimiterCountsEveryFailure() {
        RateLimiter<String> limiter =
                RateLimiter.max(RateLimiter.exponential(ofMillis(1), ofSeconds(10)), RateLimiter.bucket(1, 2, clock));
        // exponential 1, 2, 4 ms; bucket 0, 0, 1 s
        assertThat(when(limiter, "a", 3)).containsExactly(ofMillis(1), ofMillis(2), ofSeconds(1));
        assertThat(limiter.retries("a")).isEqualTo(3);
        limiter.forget("a");
        assertThat(limiter.retries("a")).isZero();
        // exponential starts over at 1 ms, but the bucket was charged by every call: it is 2 s in debt.
        assertThat(limiter.when("a")).isEqualTo(ofSeconds(2));
    }

    @Test
    void controllerDefaultIsPerKeyExponentialBoundedByAnOverallBucket() {
        RateLimiter<Integer> limiter = RateLimiter.controllerDefault(clock);
        for (int key = 0; key < 100; key++) {
            assertThat(limiter.when(key)).as("key %d", key).isEqualTo(ofMillis(5));
        }
        assertThat(limiter.when(100)).isEqualTo(ofMillis(100)); // burst of 100 spent: 10 per second
        clock.advance(ofSeconds(60));
        assertThat(limiter.when(0)).isEqualTo(ofMillis(10)); // second failure of key 0, bucket full again
        assertThat(limiter.retries(0)).isEqualTo(2);
    }
}
