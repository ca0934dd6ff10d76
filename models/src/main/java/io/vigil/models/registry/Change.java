package io.vigil.models.registry;

import io.vigil.avro.ModelRelease;
import java.util.Locale;

/**
 * What one registry command did to one channel.
 *
 * @param champion the channel's champion afterwards
 * @param previousVersion the champion's version before, or 0 if the channel had none
 */
public record Change(String channelId, Kind kind, ModelRelease champion, int previousVersion) {

    public enum Kind {
        /** A new version was archived and made champion. */
        RELEASED,
        /** The candidate's parameters equal the champion's: nothing written. */
        UNCHANGED,
        /** The candidate's parameters equal an archived version's, which became champion again: no new version. */
        REUSED,
        /** An archived version became champion. */
        PROMOTED,
        /** The requested version already was champion. */
        ALREADY_CHAMPION,
        /** The newest version below the champion became champion. */
        ROLLED_BACK
    }

    public String describe() {
        String what = switch (kind) {
            case RELEASED -> "released version " + champion.getVersion() + " as champion";
            case UNCHANGED -> "unchanged: the parameters equal the champion, version " + champion.getVersion();
            case REUSED -> "the parameters equal version " + champion.getVersion() + ", champion again (no new version)";
            case PROMOTED -> "promoted version " + champion.getVersion() + " to champion";
            case ALREADY_CHAMPION -> "version " + champion.getVersion() + " already is champion";
            case ROLLED_BACK -> "rolled back to version " + champion.getVersion();
        };
        String before = previousVersion > 0 ? " (champion was version " + previousVersion + ")" : "";
        return String.format(Locale.ROOT, "%s: %s%s", channelId, what, before);
    }
}
