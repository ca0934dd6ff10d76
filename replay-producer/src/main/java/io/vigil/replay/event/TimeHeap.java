package io.vigil.replay.event;

import java.util.Arrays;

/**
 * A min-heap of integer ids ordered by a long time, ties broken by the smaller id, so merging many
 * time-ordered streams is deterministic. Primitive arrays only: the replay's hot loop allocates nothing
 * here.
 */
public final class TimeHeap {

    private int[] ids;
    private long[] times;
    private int size;

    public TimeHeap(int capacity) {
        ids = new int[Math.max(1, capacity)];
        times = new long[ids.length];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public void add(int id, long time) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
            times = Arrays.copyOf(times, size * 2);
        }
        ids[size] = id;
        times[size] = time;
        siftUp(size++);
    }

    /** Id at the top; the heap must not be empty. */
    public int topId() {
        return ids[0];
    }

    /** Time at the top, or {@link EventSource#END} when empty. */
    public long topTime() {
        return size == 0 ? EventSource.END : times[0];
    }

    /** Gives the top id a new, later time (cheaper than remove and add). */
    public void replaceTopTime(long time) {
        times[0] = time;
        siftDown(0);
    }

    public void removeTop() {
        size--;
        if (size > 0) {
            ids[0] = ids[size];
            times[0] = times[size];
            siftDown(0);
        }
    }

    private boolean less(int a, int b) {
        return times[a] < times[b] || (times[a] == times[b] && ids[a] < ids[b]);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(i, parent)) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            int smallest = left + 1 < size && less(left + 1, left) ? left + 1 : left;
            if (!less(smallest, i)) {
                return;
            }
            swap(i, smallest);
            i = smallest;
        }
    }

    private void swap(int a, int b) {
        int id = ids[a];
        ids[a] = ids[b];
        ids[b] = id;
        long t = times[a];
        times[a] = times[b];
        times[b] = t;
    }
}
