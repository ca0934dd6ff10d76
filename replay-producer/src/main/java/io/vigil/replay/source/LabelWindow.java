package io.vigil.replay.source;

/** A ground-truth window of a channel: {@code [start, end]} in event-time milliseconds, both inclusive. */
public record LabelWindow(long start, long end, String kind) {

    public LabelWindow {
        if (end < start) {
            throw new IllegalArgumentException("label ends (" + end + ") before it starts (" + start + ")");
        }
        kind = kind == null ? "" : kind;
    }

    public LabelWindow shifted(long by) {
        return new LabelWindow(start + by, end + by, kind);
    }
}
