package io.vigil.bridge.views;

import io.vigil.avro.ChannelScore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The last {@code capacity} scores of one channel, as a chart draws them: event time, value, forecast,
 * smoothed error, threshold and the anomalous flag, in primitive columns of floats (a chart needs no
 * more) that grow as points come, about 25 bytes a point once full. Event time going back means a
 * replay started over: the history starts over with it, as the dashboard's chart does (state.js,
 * {@code applyScore}: the two rules must agree), so it is always in ascending time. Not thread-safe: {@link Views} guards it.
 */
final class ScoreHistory {

    private static final int FIRST_CAPACITY = 64;

    private final int capacity;
    private long[] time;
    private float[] value;
    private float[] forecast;
    private float[] smoothedError;
    private float[] threshold;
    private boolean[] anomalous;
    private int count;
    /** Where the next point goes; wraps only once the columns have reached {@code capacity}. */
    private int next;

    ScoreHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a score history holds at least one point");
        }
        this.capacity = capacity;
        allocate(Math.min(capacity, FIRST_CAPACITY));
    }

    void add(ChannelScore score) {
        long t = score.getEventTime().toEpochMilli();
        if (count > 0 && t < time[(next - 1 + time.length) % time.length]) {
            count = 0;
            next = 0;
        }
        if (count == time.length && time.length < capacity) {
            grow();
        }
        time[next] = t;
        value[next] = (float) score.getValue();
        forecast[next] = (float) score.getForecast();
        smoothedError[next] = (float) score.getSmoothedError();
        threshold[next] = (float) score.getThreshold();
        anomalous[next] = score.getAnomalous();
        next = (next + 1) % time.length;
        count = Math.min(count + 1, time.length);
    }

    int size() {
        return count;
    }

    /** The newest {@code limit} points, oldest first. */
    ChartHistory read(String channelId, int limit) {
        int n = Math.min(limit, count);
        List<Long> t = new ArrayList<>(n);
        List<Double> v = new ArrayList<>(n);
        List<Double> f = new ArrayList<>(n);
        List<Double> e = new ArrayList<>(n);
        List<Double> th = new ArrayList<>(n);
        List<Boolean> a = new ArrayList<>(n);
        int first = (next - n + time.length) % time.length;
        for (int k = 0; k < n; k++) {
            int i = (first + k) % time.length;
            t.add(time[i]);
            v.add(Numbers.finite(value[i]));
            f.add(Numbers.finite(forecast[i]));
            e.add(Numbers.finite(smoothedError[i]));
            th.add(Numbers.finite(threshold[i]));
            a.add(anomalous[i]);
        }
        return new ChartHistory(channelId, true, t, v, f, e, th, a);
    }

    /**
     * Growth happens only while nothing has been overwritten, so the columns are in order and the next
     * point goes after the last ({@code next} had wrapped to 0 only by the modulo).
     */
    private void grow() {
        int larger = Math.min(capacity, time.length * 2);
        time = Arrays.copyOf(time, larger);
        value = Arrays.copyOf(value, larger);
        forecast = Arrays.copyOf(forecast, larger);
        smoothedError = Arrays.copyOf(smoothedError, larger);
        threshold = Arrays.copyOf(threshold, larger);
        anomalous = Arrays.copyOf(anomalous, larger);
        next = count;
    }

    private void allocate(int size) {
        time = new long[size];
        value = new float[size];
        forecast = new float[size];
        smoothedError = new float[size];
        threshold = new float[size];
        anomalous = new boolean[size];
    }
}
