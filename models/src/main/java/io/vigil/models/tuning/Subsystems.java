package io.vigil.models.tuning;

import io.vigil.models.data.ChannelData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which subsystem a channel belongs to, by a pattern over its id: the pattern's first group where it has
 * one, else its whole match, found anywhere in the id. A channel the pattern does not match is a
 * subsystem of its own. Telemanom's channels share settings per prefix ({@code A-1}, {@code A-7} are
 * subsystem {@code A}), the default.
 */
public record Subsystems(Pattern pattern) {

    public static final String TELEMANOM_PREFIX = "^([^-]+)-";

    public static Subsystems matching(String regex) {
        return new Subsystems(Pattern.compile(regex));
    }

    public String subsystemOf(String channelId) {
        Matcher m = pattern.matcher(channelId);
        if (!m.find()) {
            return channelId;
        }
        return m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : m.group();
    }

    /** The channels by subsystem, subsystems sorted. */
    public Map<String, List<ChannelData>> group(List<ChannelData> channels) {
        Map<String, List<ChannelData>> groups = new TreeMap<>();
        for (ChannelData c : channels) {
            groups.computeIfAbsent(subsystemOf(c.channelId()), k -> new ArrayList<>()).add(c);
        }
        return groups;
    }
}
