package io.vigil.topology.release;

/**
 * Which checked release becomes a channel's model. The record on the compacted models topic is the
 * champion of its channel: only the model registry writes there, one channel at a time in a
 * transaction, and it writes a champion on purpose (a release, a promotion, a rollback). So the
 * newest champion record of a channel wins, in the order of the topic, and:
 *
 * <ul>
 *   <li>no current model, or a higher version: APPLY;</li>
 *   <li>a lower version: ROLLBACK, applied like any change (the registry's {@code rollback} and
 *       {@code promote} write exactly this);</li>
 *   <li>the current version with the same checksum: UNCHANGED (a re-delivery or a re-publication of
 *       the champion); the channel keeps its state;</li>
 *   <li>the current version with other weights: REJECT, as versions are never reused.</li>
 * </ul>
 *
 * What never changes the model: a record without the {@code champion} alias (an archived version
 * written to the wrong topic: {@link ReleaseCheck}), or one that fails a check. Both leave the current
 * model in place. A tombstone retires the model; the next champion of any version then applies.
 */
public final class ChampionRule {

    public enum Kind { APPLY, ROLLBACK, UNCHANGED, REJECT }

    public record Decision(Kind kind, String detail) {}

    private ChampionRule() {}

    /**
     * @param current the channel's model now, or null
     * @param candidate the checked release
     */
    public static Decision decide(ModelDescriptor current, ModelDescriptor candidate) {
        if (current == null || candidate.version() > current.version()) {
            return new Decision(Kind.APPLY, "version " + candidate.version());
        }
        if (candidate.version() < current.version()) {
            return new Decision(Kind.ROLLBACK, "version " + current.version() + " back to " + candidate.version());
        }
        return candidate.checksum().equals(current.checksum())
                ? new Decision(Kind.UNCHANGED, "version " + candidate.version() + " is already the champion")
                : new Decision(Kind.REJECT, "version " + candidate.version()
                        + " is already the champion with other parameters; a release never reuses a version");
    }
}
