package dev.seer.features.offline;

/**
 * The point-in-time join of entity rows to feature rows, on primitive arrays.
 *
 * <p>Semantics (those of Feast's {@code get_historical_features}): for an entity row with key K
 * at time T, the candidates are the feature rows with key K and {@code event_ts <= T}, and
 * {@code event_ts >= T - ttl} when there is a TTL (both ends inclusive); with
 * {@code filterByCreated}, rows with {@code created_ts > T} are not candidates. The candidate
 * with the latest event time wins, a tie going to the latest created time, and an exact tie to
 * the row with the greatest storage order (the row stored last). No candidate: no match.
 *
 * <p>Design: both sides are sorted, by key then time, with a stable LSD radix sort of index
 * arrays (created time, then event time, then a counting sort by dense key id), which costs a
 * few linear passes and no comparisons. Then one merge walks each key's entity rows and feature
 * rows together: the feature pointer only moves forward, so the join is linear after the sort.
 * Only with {@code filterByCreated} may a row look back past candidates created too late, which
 * stays within one key's rows. This is the sort-merge form of an as-of join (cf. pandas
 * {@code merge_asof}), with Feast's TTL and created-time rules.
 *
 * <p>Internal to seer-features: public only so that online (materialisation and served rows) can
 * reach it; no other module uses it (ArchitectureTest keeps it so).
 */
public final class PointInTimeJoin {
    public static final long NO_TIME = Long.MIN_VALUE;

    private PointInTimeJoin() {}

    /**
     * @param entityKey dense key id of each entity row (0..keyCount-1)
     * @param entityTime event time of each entity row, epoch micros
     * @param featureKey dense key id of each feature row
     * @param featureTime event time of each feature row, epoch micros
     * @param featureCreated created time of each feature row, or {@link #NO_TIME}
     * @param featureOrder storage order of each feature row (unique): breaks exact ties
     * @param ttlMicros 0 for no limit
     * @return for each entity row, the index of the matching feature row, or -1
     */
    static int[] join(int keyCount, int[] entityKey, long[] entityTime, int[] featureKey, long[] featureTime,
            long[] featureCreated, long[] featureOrder, long ttlMicros, boolean filterByCreated) {
        int[] entities = RadixSort.byKeyThenTime(keyCount, entityKey, entityTime, null);
        int[] features = RadixSort.byKeyThenTime(keyCount, featureKey, featureTime, featureCreated);
        int[] match = new int[entityKey.length];
        java.util.Arrays.fill(match, -1);
        int f = 0;
        int groupStart = 0;
        int currentKey = -1;
        for (int e : entities) {
            int key = entityKey[e];
            long t = entityTime[e];
            if (key != currentKey) {
                while (f < features.length && featureKey[features[f]] < key) {
                    f++;
                }
                groupStart = f;
                currentKey = key;
            }
            // Entity rows of a key come in time order, so the pointer never moves back.
            while (f < features.length && featureKey[features[f]] == key && featureTime[features[f]] <= t) {
                f++;
            }
            int found = candidate(features, groupStart, f, featureTime, featureCreated, t, ttlMicros, filterByCreated);
            match[e] = found < 0 ? -1 : lastStoredOfTies(features, groupStart, found, featureTime, featureCreated, featureOrder);
        }
        return match;
    }

    /**
     * The position of the latest row before {@code end} (within the key's rows from {@code start})
     * that qualifies at time t, or -1.
     */
    private static int candidate(int[] features, int start, int end, long[] time, long[] created, long t, long ttl,
            boolean filterByCreated) {
        for (int i = end - 1; i >= start; i--) {
            int row = features[i];
            if (ttl > 0 && time[row] < t - ttl) {
                return -1; // older rows are older still
            }
            if (!filterByCreated || created[row] == NO_TIME || created[row] <= t) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The row at position {@code at} or one tied with it on event and created time (ties sort
     * just before it, and qualify alike), whichever was stored last.
     */
    private static int lastStoredOfTies(int[] features, int start, int at, long[] time, long[] created, long[] order) {
        int best = features[at];
        for (int i = at - 1; i >= start; i--) {
            int row = features[i];
            if (time[row] != time[best] || created[row] != created[best]) {
                break;
            }
            if (order[row] > order[best]) {
                best = row;
            }
        }
        return best;
    }
}
