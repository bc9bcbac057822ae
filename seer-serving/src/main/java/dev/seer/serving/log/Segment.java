package dev.seer.serving.log;

import dev.seer.core.Times;
import java.io.IOException;
import java.lang.ref.SoftReference;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One segment file as the log knows it: a summary (batches, ids and times it spans, the
 * deployments and models in it, a Bloom filter of its entities) to skip it in queries, and where
 * each id is. The active segment keeps its ids and filter in memory; a sealed one in its index file
 * ({@link SegmentIndex}), loaded on the first lookup and held softly. Everything here is rebuilt from the segment file when the index is
 * missing or stale.
 */
final class Segment {
    /** What a query needs to know to skip a segment; {@code length} is how much of the file is committed. */
    record Summary(long length, long lastBatch, long count, long minTime, long maxTime, String minId, String maxId,
            Set<String> deployments, Set<String> models, byte[] lastHash) {
        static Summary empty(long firstBatch, byte[] previousHash) {
            return new Summary(Frames.SEGMENT_HEADER, firstBatch - 1, 0, Long.MAX_VALUE, Long.MIN_VALUE, null, null, Set.of(),
                    Set.of(), previousHash);
        }

        Summary plus(long newLength, long batch, List<Prediction> predictions, byte[] hash) {
            long min = minTime;
            long max = maxTime;
            String lo = minId;
            String hi = maxId;
            Set<String> d = deployments;
            Set<String> m = models;
            for (Prediction p : predictions) {
                long t = Times.toMicros(p.time());
                min = Math.min(min, t);
                max = Math.max(max, t);
                lo = lo == null || p.id().compareTo(lo) < 0 ? p.id() : lo;
                hi = hi == null || p.id().compareTo(hi) > 0 ? p.id() : hi;
                d = with(d, p.deployment());
                m = with(m, p.model());
            }
            return new Summary(newLength, batch, count + predictions.size(), min, max, lo, hi, d, m, hash);
        }

        private static Set<String> with(Set<String> set, String value) {
            if (set.contains(value)) {
                return set;
            }
            Set<String> more = new HashSet<>(set);
            more.add(value);
            return Set.copyOf(more);
        }

        boolean mayHold(String id) {
            return minId != null && id.compareTo(minId) >= 0 && id.compareTo(maxId) <= 0;
        }
    }

    final Path file;
    final long firstBatch;
    private volatile Summary summary;
    /** Ids of the active segment (and of a sealed one until its index is written); null after. */
    private volatile Map<String, Long> live;
    private volatile SegmentIndex index;
    private volatile SoftReference<long[]> entries = new SoftReference<>(null);
    /** The active segment's filter, held until its index is written; then read from the index when needed. */
    private volatile EntityFilter filter;
    private volatile SoftReference<EntityFilter> loadedFilter = new SoftReference<>(null);

    private Segment(Path file, long firstBatch, Summary summary, Map<String, Long> live, SegmentIndex index,
            EntityFilter filter) {
        this.file = file;
        this.firstBatch = firstBatch;
        this.summary = summary;
        this.live = live;
        this.index = index;
        this.filter = filter;
    }

    static Segment active(Path file, long firstBatch, Summary summary, Map<String, Long> ids, EntityFilter filter) {
        return new Segment(file, firstBatch, summary, new ConcurrentHashMap<>(ids), null, filter);
    }

    static Segment sealed(Path file, long firstBatch, SegmentIndex index) {
        return new Segment(file, firstBatch, index.summary(), null, index, null);
    }

    Summary summary() {
        return summary;
    }

    /** The writer's update after a batch is durable: ids and entities first, then the length readers go by. */
    void committed(Summary next, Map<String, Long> ids, List<Prediction> predictions) {
        live.putAll(ids);
        for (Prediction p : predictions) {
            filter.add(p.entity());
        }
        summary = next;
    }

    EntityFilter filter() {
        return filter;
    }

    /** False when no prediction of this segment has every key and value of {@code entity}, as far as its filter knows. */
    boolean mayHoldEntity(Map<String, String> entity) throws IOException {
        EntityFilter f = filter;
        if (f == null) {
            f = loadedFilter.get();
            if (f == null) {
                f = index.readFilter();
                loadedFilter = new SoftReference<>(f);
            }
        }
        return f.mayContain(entity);
    }

    Map<String, Long> liveIds() {
        return live;
    }

    /** Once the index file is written, lookups go to it and the in-memory ids are dropped. */
    void indexed(SegmentIndex written) {
        index = written;
        loadedFilter = new SoftReference<>(filter);
        live = null;
        filter = null;
    }

    OptionalLong offsetOf(String id) throws IOException {
        Map<String, Long> ids = live;
        if (ids != null) {
            Long at = ids.get(id);
            return at == null ? OptionalLong.empty() : OptionalLong.of(at);
        }
        if (!summary.mayHold(id)) {
            return OptionalLong.empty();
        }
        long[] e = entries.get();
        if (e == null) {
            e = index.readEntries();
            entries = new SoftReference<>(e);
        }
        return SegmentIndex.search(e, PredictionIds.parse(id));
    }

    Optional<SegmentIndex> index() {
        return Optional.ofNullable(index);
    }
}
