package dev.seer.features.online;

import static java.util.Objects.requireNonNull;

import dev.seer.features.offline.PointInTimeJoin;

/**
 * What the online store keeps for one entity of one view: the event and created times of the
 * row it came from (created is {@link PointInTimeJoin#NO_TIME} when the source has none) and the
 * feature values as canonical JSON.
 */
public record OnlineRecord(String key, long eventMicros, long createdMicros, String values) {
    public OnlineRecord {
        requireNonNull(key, "key is null");
        requireNonNull(values, "values is null");
    }

    /**
     * Whether this record replaces {@code other}: a later event, then a later created time, and on
     * an exact tie the incoming record, which comes from a later materialisation and so from
     * rows stored later (the join's tie rule: the row stored last wins).
     */
    public boolean supersedes(OnlineRecord other) {
        return eventMicros > other.eventMicros
                || (eventMicros == other.eventMicros && createdMicros >= other.createdMicros);
    }
}
