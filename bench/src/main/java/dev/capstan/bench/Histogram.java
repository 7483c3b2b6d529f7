package dev.capstan.bench;

import java.util.concurrent.TimeUnit;

/**
 * A log-linear histogram of non-negative nanosecond values: 128 linear sub-buckets per power of two, so a
 * reported percentile is within 1% of the recorded value. Not thread-safe: give each thread its own and
 * {@link #add} them afterwards.
 */
final class Histogram {
    private static final int SUB_BITS = 7;
    private static final int SUB = 1 << SUB_BITS;
    private static final int BUCKETS = (64 - SUB_BITS + 1) * SUB;

    private final long[] counts = new long[BUCKETS];
    private long count;
    private long min = Long.MAX_VALUE;
    private long max;
    private double sum;

    void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v)]++;
        count++;
        min = Math.min(min, v);
        max = Math.max(max, v);
        sum += v;
    }

    void add(Histogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        sum += other.sum;
    }

    long count() {
        return count;
    }

    /** The value at {@code percentile} (0-100) in nanoseconds: the middle of its bucket, clamped to min/max. */
    long percentile(double percentile) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                long middle = lowerBound(i) + (width(i) - 1) / 2;
                return Math.clamp(middle, min, max);
            }
        }
        return max;
    }

    long max() {
        return count == 0 ? 0 : max;
    }

    double meanNanos() {
        return count == 0 ? 0 : sum / count;
    }

    /** "p50 1.23 ms, p99 4.56 ms, max 7.89 ms" */
    String summary() {
        return "p50 " + millis(percentile(50)) + " ms, p99 " + millis(percentile(99)) + " ms, max " + millis(max())
                + " ms";
    }

    static String millis(long nanos) {
        double ms = nanos / (double) TimeUnit.MILLISECONDS.toNanos(1);
        return ms < 10 ? String.format("%.2f", ms) : ms < 100 ? String.format("%.1f", ms) : String.format("%.0f", ms);
    }

    private static int index(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v); // >= SUB_BITS
        int shift = exponent - SUB_BITS + 1;
        return (shift << SUB_BITS) + (int) ((v >>> (shift - 1)) & (SUB - 1));
    }

    private static long lowerBound(int index) {
        int shift = index >>> SUB_BITS;
        long sub = index & (SUB - 1);
        return shift == 0 ? sub : (sub | SUB) << (shift - 1);
    }

    private static long width(int index) {
        int shift = index >>> SUB_BITS;
        return shift == 0 ? 1 : 1L << (shift - 1);
    }
}
