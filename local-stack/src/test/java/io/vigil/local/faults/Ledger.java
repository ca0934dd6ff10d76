package io.vigil.local.faults;

import io.vigil.avro.ChannelScore;
import io.vigil.avro.DeadLetter;
import io.vigil.avro.DeadLetterReason;
import io.vigil.avro.NodeStatus;
import io.vigil.local.faults.Outcomes.Outcome;
import io.vigil.local.faults.Outcomes.Phase;
import io.vigil.local.faults.TelemetryLoad.Input;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Accounts for every input record of a phase: a score belongs to the input with its
 * {@code (channelId, eventTime)} (unique per input that must be scored), a dead letter to the input at
 * its {@code (originTopic, originPartition, originOffset)}. Each input must have exactly one outcome, of
 * the kind it must have; every output must belong to an input.
 */
final class Ledger {

    /** The counts of one phase, and the outcome each input got (null where it got none or several). */
    record Counts(int inputs, int scores, int deadLetters, int duplicates, int missing, int extra, int wrongKind,
                  int lstmScores, Map<DeadLetterReason, Integer> reasons, Object[] outcomeOf, List<String> examples) {

        boolean complete() {
            return missing == 0;
        }

        boolean clean() {
            return missing == 0 && duplicates == 0 && extra == 0 && wrongKind == 0;
        }

        String summary() {
            return String.format("inputs %d, scores %d (LSTM %d), dead letters %d %s, duplicates %d, missing %d, extra %d,"
                    + " wrong kind %d", inputs, scores, lstmScores, deadLetters, reasons, duplicates, missing, extra, wrongKind);
        }
    }

    private final List<Input> inputs;
    private final Map<String, Integer> byKey = new HashMap<>();
    private final Map<String, Integer> byOrigin = new HashMap<>();

    Ledger(List<Input> inputs) {
        this.inputs = inputs;
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            if (byOrigin.put(origin(in.topic(), in.partition(), in.offset()), i) != null) {
                throw new AssertionError("the producer reported offset " + in.offset() + " of " + in.topic() + "-"
                        + in.partition() + " twice");
            }
        }
        // Inputs that must be scored own their key; a record that must not be scored but has a key of its
        // own (NaN, keyless, out of order) owns it too, so a wrong score for it is seen as such. A
        // duplicate shares its original's key: a score for it counts as the original's second outcome.
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).expectsScore()) {
                byKey.put(key(inputs.get(i).channel(), inputs.get(i).eventTime()), i);
            }
        }
        for (int i = 0; i < inputs.size(); i++) {
            byKey.putIfAbsent(key(inputs.get(i).channel(), inputs.get(i).eventTime()), i);
        }
    }

    List<Input> inputs() {
        return inputs;
    }

    /** Records per partition of {@code topic}, checked to sit at offsets 0, 1, 2, ... without a gap. */
    Map<Integer, Long> offsetsPerPartition(String topic) {
        Map<Integer, Long> next = new TreeMap<>();
        for (Input in : inputs) {
            if (!in.topic().equals(topic)) {
                continue;
            }
            int tp = in.partition();
            long expected = next.getOrDefault(tp, 0L);
            if (in.offset() != expected) {
                throw new AssertionError("input offsets of " + topic + "-" + tp + " jump from " + (expected - 1) + " to "
                        + in.offset());
            }
            next.put(tp, expected + 1);
        }
        return next;
    }

    Counts count(Phase phase) {
        int[] outcomes = new int[inputs.size()];
        Object[] outcomeOf = new Object[inputs.size()];
        int extra = 0;
        int lstm = 0;
        List<String> examples = new ArrayList<>();
        Map<DeadLetterReason, Integer> reasons = new TreeMap<>();
        for (Outcome<ChannelScore> o : phase.scores()) {
            ChannelScore s = o.value();
            lstm += s.getDetector() == io.vigil.avro.Detector.LSTM ? 1 : 0;
            Integer i = byKey.get(key(s.getChannelId(), s.getEventTime().toEpochMilli()));
            if (i == null) {
                extra++;
                example(examples, "score of no input: " + s + " at scores-" + o.partition() + "@" + o.offset());
            } else {
                outcomes[i]++;
                outcomeOf[i] = outcomes[i] == 1 ? s : null;
            }
        }
        for (Outcome<DeadLetter> o : phase.deadLetters()) {
            DeadLetter d = o.value();
            reasons.merge(d.getReason(), 1, Integer::sum);
            Integer i = byOrigin.get(origin(d.getOriginTopic(), d.getOriginPartition(), d.getOriginOffset()));
            if (i == null) {
                extra++;
                example(examples, "dead letter of no input: " + d.getOriginTopic() + "-" + d.getOriginPartition() + "@"
                        + d.getOriginOffset() + " " + d.getReason() + " " + d.getDetail());
            } else {
                outcomes[i]++;
                outcomeOf[i] = outcomes[i] == 1 ? d : null;
            }
        }
        int duplicates = 0;
        int missing = 0;
        int wrong = 0;
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            if (outcomes[i] == 0) {
                missing++;
                example(examples, "no outcome for " + in);
            } else if (outcomes[i] > 1) {
                duplicates += outcomes[i] - 1;
                example(examples, outcomes[i] + " outcomes for " + in);
            } else if (!rightKind(in, outcomeOf[i])) {
                wrong++;
                example(examples, in + " became " + outcomeOf[i]);
            }
        }
        return new Counts(inputs.size(), phase.scores().size(), phase.deadLetters().size(), duplicates, missing, extra,
                wrong, lstm, reasons, outcomeOf, examples);
    }

    private static boolean rightKind(Input in, Object outcome) {
        if (in.expectsScore()) {
            return outcome instanceof ChannelScore;
        }
        return outcome instanceof DeadLetter d && d.getReason() == in.expected();
    }

    /**
     * Outcomes of {@code run} that differ from those of {@code reference} on the same input: for scores
     * every field the scorer decides except {@code scoredAt} (doubles by their bits), for dead letters
     * the reason.
     */
    List<String> differences(Counts run, Counts reference) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Object a = run.outcomeOf()[i];
            Object b = reference.outcomeOf()[i];
            if (a == null || b == null) {
                continue; // counted as missing or duplicate already
            }
            if (!sameOutcome(a, b)) {
                out.add(inputs.get(i) + ": " + describe(a) + " vs reference " + describe(b));
            }
        }
        return out;
    }

    private static boolean sameOutcome(Object a, Object b) {
        if (a instanceof ChannelScore x && b instanceof ChannelScore y) {
            return x.getChannelId().toString().equals(y.getChannelId().toString())
                    && x.getEventTime().equals(y.getEventTime())
                    && bits(x.getValue()) == bits(y.getValue())
                    && bits(x.getForecast()) == bits(y.getForecast())
                    && bits(x.getError()) == bits(y.getError())
                    && bits(x.getSmoothedError()) == bits(y.getSmoothedError())
                    && bits(x.getThreshold()) == bits(y.getThreshold())
                    && x.getAnomalous() == y.getAnomalous()
                    && x.getDetector() == y.getDetector()
                    && Objects.equals(x.getModelVersion(), y.getModelVersion());
        }
        if (a instanceof DeadLetter x && b instanceof DeadLetter y) {
            return x.getReason() == y.getReason();
        }
        return false;
    }

    private static String describe(Object o) {
        if (o instanceof ChannelScore s) {
            return String.format("score[forecast %s, error %s, smoothed %s, threshold %s, anomalous %s, %s v%s]",
                    s.getForecast(), s.getError(), s.getSmoothedError(), s.getThreshold(), s.getAnomalous(),
                    s.getDetector(), s.getModelVersion());
        }
        DeadLetter d = (DeadLetter) o;
        return "dead letter " + d.getReason() + " (" + d.getDetail() + ")";
    }

    /** Node status transitions as comparable text, in a canonical order; with how often each occurs. */
    /** Node status records counted by what they say, those dated after {@code until} left out. */
    static Map<String, Integer> transitions(List<Outcome<NodeStatus>> records, long until) {
        Map<String, Integer> out = new TreeMap<>();
        for (Outcome<NodeStatus> o : records) {
            NodeStatus s = o.value();
            if (s.getChangedAt().toEpochMilli() > until) {
                continue;
            }
            out.merge(s.getNodeId() + " " + s.getStatus() + " at " + s.getChangedAt().toEpochMilli() + " last "
                    + s.getLastHeartbeat() + " " + s.getLastState() + " interval " + s.getExpectedIntervalMs(), 1, Integer::sum);
        }
        return out;
    }

    private static long bits(double d) {
        return Double.doubleToRawLongBits(d);
    }

    private static void example(List<String> examples, String text) {
        if (examples.size() < 10) {
            examples.add(text);
        }
    }

    static String key(CharSequence channel, long eventTime) {
        return channel + "@" + eventTime;
    }

    static String origin(CharSequence topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }
}
