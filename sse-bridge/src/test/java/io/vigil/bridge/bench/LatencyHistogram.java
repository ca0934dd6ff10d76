package io.vigil.bridge.bench;

/** Delivery latencies in whole milliseconds, 0 to a minute; single-threaded. */
final class LatencyHistogram {

    private final long[] counts = new long[60_001];
    private long total;
    private long max;

    void record(long millis) {
        int bucket = (int) Math.max(0, Math.min(counts.length - 1, millis));
        counts[bucket]++;
        total++;
        max = Math.max(max, millis);
    }

    long count() {
        return total;
    }

    long max() {
        return max;
    }

    /** The smallest latency that {@code q} of the samples do not exceed. */
    long quantile(double q) {
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int ms = 0; ms < counts.length; ms++) {
            seen += counts[ms];
            if (seen >= rank && seen > 0) {
                return ms;
            }
        }
        return max;
    }
}
