package io.vigil.replay.simulate;

import io.vigil.replay.event.EventSink;
import io.vigil.replay.event.EventSource;
import io.vigil.replay.event.TimeHeap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A simulated fleet as an event source: its members' streams merged in simulated-time order (ties by
 * member order), so a simulation is paced, limited and published exactly like a replay. Event time is
 * simulated time.
 */
public final class Fleet implements EventSource {

    private final long start;
    private final List<Member> members;
    private final TimeHeap heap;

    private Fleet(long start, List<Member> members) {
        this.start = start;
        this.members = List.copyOf(members);
        this.heap = new TimeHeap(members.size());
    }

    /** The fleet {@code config} describes; members are seeded from {@code config.seed()} in order. */
    public static Fleet of(SimulationConfig config) {
        Rng root = new Rng(config.seed());
        List<Member> members = new ArrayList<>();
        String width = "%0" + Math.max(3, Integer.toString(config.members()).length()) + "d";
        for (int i = 1; i <= config.members(); i++) {
            String number = String.format(Locale.ROOT, width, i);
            Rng rng = root.split();
            members.add(switch (config.kind()) {
                case GRID -> new GridMeter("meter-" + number, config, rng);
                case SERVICES -> new ServiceInstance("service-" + number, config, rng);
                case TELESCOPES -> new TelescopeNode("tel-" + number, config, rng);
            });
        }
        return new Fleet(config.start(), members);
    }

    @Override
    public long startTime() {
        return start;
    }

    @Override
    public void open(EventSink sink) {
        for (int i = 0; i < members.size(); i++) {
            members.get(i).open(sink);
            long t = members.get(i).nextTime();
            if (t != END) {
                heap.add(i, t);
            }
        }
    }

    @Override
    public long nextTime() {
        return heap.topTime();
    }

    @Override
    public void emitNext(EventSink sink) {
        Member m = members.get(heap.topId());
        m.emitNext(sink);
        long t = m.nextTime();
        if (t == END) {
            heap.removeTop();
        } else {
            heap.replaceTopTime(t);
        }
    }
}
