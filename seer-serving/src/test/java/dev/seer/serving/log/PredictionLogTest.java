package dev.seer.serving.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.audit.AuditSink;
import dev.seer.serving.ServingErrorCode;
import dev.seer.testing.MutableClock;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionLogTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    private final CollectingAudit audit = new CollectingAudit();

    private PredictionLog open(LogOptions options) {
        return PredictionLog.open(dir, options, audit, clock);
    }

    /** Appends {@code n} predictions in appends of {@code per}; returns them in order. */
    private List<Prediction> fill(PredictionLog log, int n, int per) {
        List<Prediction> all = new ArrayList<>();
        for (int i = 0; i < n; i += per) {
            List<Prediction> group = new ArrayList<>();
            for (int j = i; j < Math.min(n, i + per); j++) {
                clock.advance(Duration.ofMillis(1));
                group.add(Predictions.of(log.nextId(), j));
            }
            log.append(group).join();
            all.addAll(group);
        }
        return all;
    }

    @Test
    void readingAfterATailVisitsEveryBatchOnceAcrossSegmentsAndReopening() {
        List<Prediction> visited = new ArrayList<>();
        List<Long> batches = new ArrayList<>();
        PredictionLog.BatchVisitor collect = (after, predictions) -> {
            batches.add(after.batch());
            visited.addAll(predictions);
        };
        List<Prediction> written = new ArrayList<>();
        PredictionLog.Tail tail = PredictionLog.Tail.START;
        try (PredictionLog log = open(LogOptions.DEFAULT.withSegmentBytes(4096))) {
            assertThat(log.readAfter(tail, Instant.EPOCH, collect)).isEqualTo(PredictionLog.Tail.START);
            written.addAll(fill(log, 40, 3));
            tail = log.readAfter(tail, Instant.EPOCH, collect);
            assertThat(log.readAfter(tail, Instant.EPOCH, collect)).as("nothing new").isEqualTo(tail);
            written.addAll(fill(log, 40, 3)); // rolls segments between reads
            tail = log.readAfter(tail, Instant.EPOCH, collect);
        }
        try (PredictionLog log = open(LogOptions.DEFAULT.withSegmentBytes(4096))) {
            written.addAll(fill(log, 10, 3));
            tail = log.readAfter(tail, Instant.EPOCH, collect);
            assertThat(tail.batch()).isEqualTo(14 + 14 + 4);
            // from the start again by number alone: what the tail's segment and offset only make cheaper
            List<Long> again = new ArrayList<>();
            log.readAfter(new PredictionLog.Tail(30, "", 0), Instant.EPOCH, (after, predictions) -> again.add(after.batch()));
            assertThat(again).containsExactly(31L, 32L);
        }
        assertThat(visited).containsExactlyElementsOf(written);
        assertThat(batches).isSorted().doesNotHaveDuplicates().hasSize(32);
    }

    @Test
    void readingAfterATailSkipsSegmentsOlderThanAskedAndStillMovesPastThem() {
        try (PredictionLog log = open(LogOptions.DEFAULT.withSegmentBytes(4096))) {
            List<Prediction> written = fill(log, 60, 2);
            Instant from = written.get(45).time();
            List<Prediction> visited = new ArrayList<>();
            PredictionLog.Tail tail = log.readAfter(PredictionLog.Tail.START, from, (batch, predictions) -> visited.addAll(predictions));
            assertThat(tail.batch()).isEqualTo(30);
            assertThat(visited).contains(written.get(45), written.get(59)).doesNotContain(written.get(0));
            assertThat(visited.size()).isLessThan(written.size());
        }
    }

    @Test
    void predictionsReadBackEqualByIdAndAfterReopening() {
        List<Prediction> written;
        try (PredictionLog log = open(LogOptions.DEFAULT)) {
            written = fill(log, 30, 4);
            for (Prediction p : written) {
                assertThat(log.get(p.id())).isEqualTo(p);
            }
        }
        try (PredictionLog log = open(LogOptions.DEFAULT)) {
            assertThat(log.recovery()).isEmpty();
            for (Prediction p : written) {
                assertThat(log.get(p.id())).isEqualTo(p);
            }
            assertThat(log.query(PredictionQuery.all())).containsExactlyElementsOf(written);
        }
    }

    @Test
    void answeringOnceWrittenKeepsEveryPredictionAcrossSegmentsAndAReopenAndVerifies() {
        LogOptions written = LogOptions.DEFAULT.withSegmentBytes(4096).answering(LogOptions.AnswerAfter.WRITE);
        List<Prediction> all;
        try (PredictionLog log = open(written)) {
            all = fill(log, 200, 3);
        }
        try (PredictionLog log = open(written)) {
            assertThat(log.recovery()).isEmpty();
            assertThat(log.query(PredictionQuery.all())).containsExactlyElementsOf(all);
            assertThat(log.verify(audit.hashes()).ok()).isTrue();
            all.addAll(fill(log, 20, 1));
            assertThat(log.get(all.get(all.size() - 1).id())).isEqualTo(all.get(all.size() - 1));
        }
    }

    @Test
    void everyFieldSurvivesTheCodecIncludingNaNUnicodeAndEmptyEntity() {
        Prediction p = new Prediction(new PredictionIds(clock).next(), Instant.parse("2026-12-04T10:00:00.999999999Z"), "dé-ploy",
                "shadow", "modèle", 7, Map.of(), List.of(Prediction.Feature.missing("ä")),
                new double[] {Double.NaN, -0.0, Double.MAX_VALUE}, 0, true, "");
        try (PredictionLog log = open(LogOptions.DEFAULT)) {
            log.append(List.of(p)).join();
            Prediction back = log.get(p.id());
            assertThat(back).isEqualTo(p);
            assertThat(back.time()).isEqualTo(Instant.parse("2026-12-04T10:00:00.999999Z")); // kept to the microsecond
            assertThat(Double.doubleToRawLongBits(back.output()[1])).isEqualTo(Double.doubleToRawLongBits(-0.0));
            assertThat(Prediction.fromJson(back.toJson())).isEqualTo(back);
        }
    }

    @Test
    void queriesFilterByEntityTimeDeploymentAndModelWithALimit() {
        try (PredictionLog log = open(LogOptions.DEFAULT.withSegmentBytes(8192))) {
            List<Prediction> all = fill(log, 300, 7);
            assertQuery(log, all, PredictionQuery.all().withEntity(Map.of("customer_id", "c7")));
            assertQuery(log, all, PredictionQuery.all().withDeployment("churn").withArm("challenger"));
            assertQuery(log, all, PredictionQuery.all().withModel("churn-lr", OptionalInt.of(2)));
            assertQuery(log, all, PredictionQuery.all().withModel("no-such-model", OptionalInt.empty()));
            assertQuery(log, all, PredictionQuery.all().between(Optional.of(Predictions.T0.plusSeconds(100)),
                    Optional.of(Predictions.T0.plusSeconds(130))));
            assertQuery(log, all, PredictionQuery.all().withDeployment("fraud").between(Optional.empty(),
                    Optional.of(Predictions.T0.plusSeconds(60))).withLimit(5));
            assertThat(log.query(PredictionQuery.all().withDeployment("fraud").withLimit(5))).hasSize(5);
            assertQuery(log, all, PredictionQuery.all().withEntity(Map.of("customer_id", "c9")).withShadow(false).newestFirst()
                    .withLimit(1));
            assertQuery(log, all, PredictionQuery.all().withDeployment("churn").withShadow(true).newestFirst());
        }
    }

    /**
     * Pages read back, across segments and in either order, exactly the query's answer: each once,
     * in order; predictions appended between two pages neither shift nor repeat a newest-first
     * listing; an unknown or malformed cursor is refused naming {@code after}.
     */
    @Test
    void pagesFollowEachOtherAcrossSegmentsFromACursorInTheLog() {
        try (PredictionLog log = open(LogOptions.DEFAULT.withSegmentBytes(8192))) {
            fill(log, 300, 7);
            for (PredictionQuery q : List.of(PredictionQuery.all().withDeployment("churn").newestFirst(),
                    PredictionQuery.all().withDeployment("churn"), PredictionQuery.all().withEntity(Map.of("customer_id", "c7"))
                            .newestFirst())) {
                List<Prediction> expected = log.query(q);
                assertThat(expected).as("%s", q).isNotEmpty();
                for (int size : List.of(1, 13, expected.size(), expected.size() + 5)) {
                    List<Prediction> paged = new ArrayList<>();
                    Optional<String> after = Optional.empty();
                    do {
                        PredictionLog.Page page = log.page(q.withLimit(size), after);
                        assertThat(page.predictions()).hasSizeLessThanOrEqualTo(size);
                        paged.addAll(page.predictions());
                        after = page.next();
                    } while (after.isPresent());
                    assertThat(paged).as("%s in pages of %d", q, size).containsExactlyElementsOf(expected);
                }
            }
            PredictionQuery newest = PredictionQuery.all().newestFirst().withLimit(10);
            PredictionLog.Page first = log.page(newest, Optional.empty());
            List<Prediction> older = log.query(PredictionQuery.all().newestFirst()).subList(10, 20);
            fill(log, 50, 5); // made between two pages
            assertThat(log.page(newest, first.next()).predictions()).containsExactlyElementsOf(older);
            assertThatThrownBy(() -> log.page(newest, Optional.of("prd_01M90MK1VX4E6GCA3S8WS2TFXF")))
                    .hasMessageContaining("[after]").satisfies(e -> assertThat(((SeerException) e).details())
                            .containsEntry("field", "after"));
            assertThatThrownBy(() -> log.page(newest, Optional.of("../../etc/passwd"))).hasMessageContaining("[after]");
        }
    }

    /** The log's answer against a filter of everything appended (an independent reference). */
    private static void assertQuery(PredictionLog log, List<Prediction> all, PredictionQuery q) {
        List<Prediction> expected = all.stream().filter(p -> q.deployment().map(p.deployment()::equals).orElse(true)
                && q.arm().map(p.arm()::equals).orElse(true) && q.model().map(p.model()::equals).orElse(true)
                && (q.modelVersion().isEmpty() || q.modelVersion().getAsInt() == p.modelVersion())
                && q.from().map(f -> !p.time().isBefore(f)).orElse(true) && q.to().map(t -> p.time().isBefore(t)).orElse(true)
                && q.shadow().map(b -> b == p.shadow()).orElse(true)
                && p.entity().entrySet().containsAll(q.entity().entrySet())).toList();
        if (q.descending()) {
            expected = new ArrayList<>(expected);
            Collections.reverse(expected);
        }
        expected = expected.stream().limit(q.limit()).toList();
        assertThat(log.query(q)).as("%s", q).containsExactlyElementsOf(expected);
    }

    @Test
    void segmentsRollByScaleAndIdsAreFoundThroughTheirIndexesAlsoWhenAnIndexIsRebuilt() throws Exception {
        List<Prediction> written;
        try (PredictionLog log = open(LogOptions.DEFAULT.withSegmentBytes(4096))) {
            written = fill(log, 200, 3);
        }
        List<Path> segments;
        try (Stream<Path> files = Files.list(dir)) {
            segments = files.filter(f -> f.toString().endsWith(".plog")).sorted().toList();
        }
        assertThat(segments).hasSizeGreaterThan(5);
        for (Path segment : segments) {
            assertThat(Files.size(segment)).isLessThanOrEqualTo(4096);
        }
        assertThat(SegmentIndex.read(segments.get(0), Files.size(segments.get(0)))).isPresent();
        Files.delete(SegmentIndex.of(segments.get(1)));
        Files.write(SegmentIndex.of(segments.get(2)), new byte[] {1, 2, 3}); // damaged: ignored and rebuilt
        try (PredictionLog log = open(LogOptions.DEFAULT.withSegmentBytes(4096))) {
            for (Prediction p : written) {
                assertThat(log.get(p.id())).isEqualTo(p);
            }
            assertThat(log.find(new PredictionIds(clock).next())).isEmpty();
            assertThat(log.verify(audit.hashes()).ok()).isTrue();
        }
        assertThat(SegmentIndex.of(segments.get(1))).exists();
        assertThat(SegmentIndex.read(segments.get(2), Files.size(segments.get(2)))).isPresent();
    }

    @Test
    void shadowsAreFoundByThePredictionTheyShadowInItsBatch() {
        try (PredictionLog log = open(LogOptions.DEFAULT.withSegmentBytes(4096))) {
            fill(log, 60, 3); // several sealed segments before, so the batch is found past other batches
            List<Prediction> answered = List.of(Predictions.of(log.nextId(), 1), Predictions.of(log.nextId(), 2));
            List<Prediction> shadows = answered.stream().map(a -> shadowOf(a, log.nextId())).toList();
            List<Prediction> request = new ArrayList<>(answered);
            request.addAll(shadows);
            log.append(request).join();
            fill(log, 30, 3);
            assertThat(log.shadowsOf(answered.get(0).id())).containsExactly(shadows.get(0));
            assertThat(log.shadowsOf(answered.get(1).id())).containsExactly(shadows.get(1));
            assertThat(log.shadowsOf(shadows.get(0).id())).isEmpty();
            assertThat(log.shadowsOf(new PredictionIds(clock).next())).isEmpty();
        }
        try (PredictionLog log = open(LogOptions.DEFAULT.withSegmentBytes(4096))) { // its segment sealed, read through the index
            List<Prediction> withShadows = log.query(PredictionQuery.all().withShadow(true)).stream()
                    .filter(p -> p.shadowOf().isPresent()).toList();
            assertThat(withShadows).hasSize(2);
            for (Prediction shadow : withShadows) {
                assertThat(log.shadowsOf(shadow.shadowOf().orElseThrow())).containsExactly(shadow);
            }
        }
    }

    private static Prediction shadowOf(Prediction answered, String id) {
        return new Prediction(id, answered.time(), answered.deployment(), "shadow", "churn-next", 1, answered.entity(),
                answered.features(), new double[] {0.5}, 10, true, "", Optional.of(answered.id()));
    }

    @Test
    void onlyAShadowNamesThePredictionItShadows() {
        Prediction answered = Predictions.of(new PredictionIds(clock).next(), 1);
        assertThatThrownBy(() -> new Prediction(new PredictionIds(clock).next(), answered.time(), "churn", "champion", "m", 1,
                Map.of(), List.of(), new double[0], 0, false, "", Optional.of(answered.id())))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.getMessage()).contains("is not a shadow"));
    }

    @Test
    void recordsOfFormatVersionOneStillRead() {
        Prediction p = Predictions.of(new PredictionIds(clock).next(), 3);
        RecordCodec.Out out = new RecordCodec.Out(64);
        RecordCodec.encode(p, out);
        byte[] v2 = out.toByteArray();
        assertThat(v2[0]).isEqualTo((byte) 2);
        assertThat(v2[v2.length - 1]).isZero(); // no shadow-of: version 1 is this without its last byte
        byte[] v1 = Arrays.copyOf(v2, v2.length - 1);
        v1[0] = 1;
        assertThat(RecordCodec.decode(ByteBuffer.wrap(v1))).isEqualTo(p);
        v1[0] = 3;
        assertThatThrownBy(() -> RecordCodec.decode(ByteBuffer.wrap(v1))).hasMessageContaining("version 3");
    }

    @Test
    void aQueryByEntityReadsOnlySegmentsWhoseFilterMayHoldIt() throws Exception {
        List<Prediction> written;
        try (PredictionLog log = open(LogOptions.DEFAULT.withSegmentBytes(4096))) {
            written = new ArrayList<>();
            for (int i = 0; i < 120; i++) { // a customer of its own per prediction, so each lives in one segment
                Prediction p = Predictions.of(log.nextId(), i);
                Map<String, String> entity = Map.of("customer_id", "only-" + i);
                written.add(new Prediction(p.id(), p.time(), p.deployment(), p.arm(), p.model(), p.modelVersion(), entity,
                        p.features(), p.output(), p.latencyMicros(), p.shadow(), p.degraded()));
                log.append(List.of(written.get(i))).join();
            }
        }
        List<Path> segments;
        try (Stream<Path> files = Files.list(dir)) {
            segments = files.filter(f -> f.toString().endsWith(".plog")).sorted().toList();
        }
        // Damage the first segment: a query that reads it fails, one that skips it does not.
        byte[] first = Files.readAllBytes(segments.get(0));
        first[Frames.SEGMENT_HEADER + Frames.BATCH_HEADER + Frames.RECORD_HEADER + 30] ^= 0x40;
        Files.write(segments.get(0), first);
        try (PredictionLog log = open(LogOptions.DEFAULT.withSegmentBytes(4096))) {
            Prediction last = written.get(119);
            assertThat(log.query(PredictionQuery.all().withEntity(last.entity()))).containsExactly(last);
            assertThat(log.query(PredictionQuery.all().withEntity(Map.of("customer_id", "never-seen")))).isEmpty();
            assertThatThrownBy(() -> log.query(PredictionQuery.all().withEntity(written.get(0).entity())))
                    .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode()).isEqualTo(ServingErrorCode.LOG_CORRUPT));
        }
    }

    @Test
    void theAuditSinkGetsOneRecordPerBatchChainedByHash() {
        try (PredictionLog log = open(LogOptions.DEFAULT.withSegmentBytes(4096))) {
            List<Prediction> written = fill(log, 40, 4);
            List<AuditRecord> records = audit.batches();
            assertThat(records).hasSize(10);
            String previous = "0".repeat(64);
            for (int i = 0; i < records.size(); i++) {
                AuditRecord r = records.get(i);
                BatchReceipt receipt = BatchReceipt.fromJson(r.payload());
                assertThat(r.actor()).isEqualTo("seer");
                assertThat(r.subjectType()).isEqualTo("prediction-log");
                assertThat(r.subjectId()).isEqualTo(Long.toString(i + 1));
                assertThat(receipt.batch()).isEqualTo(i + 1);
                assertThat(receipt.count()).isEqualTo(4);
                assertThat(receipt.firstId()).isEqualTo(written.get(4 * i).id());
                assertThat(receipt.lastId()).isEqualTo(written.get(4 * i + 3).id());
                assertThat(receipt.previousHash()).isEqualTo(previous);
                assertThat(receipt.hash()).hasSize(64).isNotEqualTo(previous);
                previous = receipt.hash();
            }
            assertThat(log.verify(audit.hashes())).satisfies(v -> {
                assertThat(v.ok()).isTrue();
                assertThat(v.batchesChecked()).isEqualTo(10);
                assertThat(v.predictionsChecked()).isEqualTo(40);
            });
        }
    }

    @Test
    void aBatchHashIsTheSha256OfItsBytesOnDisk() throws Exception {
        try (PredictionLog log = open(LogOptions.DEFAULT)) {
            BatchReceipt receipt = log.append(List.of(Predictions.of(log.nextId(), 1), Predictions.of(log.nextId(), 2))).join();
            byte[] file = Files.readAllBytes(dir.resolve(receipt.segment()));
            byte[] batch = Arrays.copyOfRange(file, (int) receipt.offset(), file.length);
            assertThat(receipt.offset()).isEqualTo(Frames.SEGMENT_HEADER);
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(batch)))
                    .isEqualTo(receipt.hash());
        }
    }

    @Test
    void aFullQueueFailsAtOnceWithOverloaded() throws Exception {
        CountDownLatch writerInAudit = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AuditSink blocking = record -> {
            writerInAudit.countDown();
            try {
                release.await(); // holds the writer thread, so the queue fills
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CompletableFuture.completedFuture(1L);
        };
        try (PredictionLog log = PredictionLog.open(dir, LogOptions.DEFAULT.withQueue(3, 1 << 20), blocking, clock)) {
            List<CompletableFuture<BatchReceipt>> accepted = new ArrayList<>();
            accepted.add(log.append(List.of(Predictions.of(log.nextId(), 0))));
            writerInAudit.await();
            for (int i = 1; i <= 3; i++) {
                accepted.add(log.append(List.of(Predictions.of(log.nextId(), i))));
            }
            CompletableFuture<BatchReceipt> refused = log.append(List.of(Predictions.of(log.nextId(), 4)));
            assertThat(refused).isCompletedExceptionally();
            assertThatThrownBy(refused::join).cause().isInstanceOfSatisfying(SeerException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(ServingErrorCode.OVERLOADED));
            release.countDown();
            accepted.forEach(CompletableFuture::join);
        }
    }

    @Test
    void aFailingAuditFailsTheAppendThoughTheBatchIsDurableAndReconcileRecordsItLater() {
        AuditSink failing = record -> CompletableFuture.failedFuture(new IllegalStateException("audit store down"));
        Prediction p;
        try (PredictionLog log = PredictionLog.open(dir, LogOptions.DEFAULT.answering(LogOptions.AnswerAfter.AUDIT), failing, clock)) {
            p = Predictions.of(log.nextId(), 1);
            assertThatThrownBy(() -> log.append(List.of(p)).join()).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(SeerException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ServingErrorCode.LOG_FAILURE);
                        assertThat(e.getMessage()).contains("audit entry failed");
                    });
        }
        try (PredictionLog log = open(LogOptions.DEFAULT)) {
            assertThat(log.get(p.id())).isEqualTo(p);
            assertThat(log.verify(audit.hashes()).problem()).hasValueSatisfying(
                    problem -> assertThat(problem.kind()).isEqualTo(LogVerification.Kind.EXTRA));
            assertThat(log.reconcile(audit.hashes())).extracting(BatchReceipt::batch).containsExactly(1L);
            assertThat(audit.batches().get(0).payload().path("recovered").asBoolean()).isTrue();
            assertThat(log.verify(audit.hashes()).ok()).isTrue();
            assertThat(log.reconcile(audit.hashes())).isEmpty();
        }
    }

    @Test
    void answeringOnceSyncedAFailingAuditEntryStopsTheLogForLaterAppends() {
        AuditSink failing = record -> CompletableFuture.failedFuture(new IllegalStateException("audit store down"));
        try (PredictionLog log = PredictionLog.open(dir, LogOptions.DEFAULT, failing, clock)) {
            Prediction first = Predictions.of(log.nextId(), 1);
            assertThat(log.append(List.of(first)).join().count()).isEqualTo(1); // synced: answered
            assertThat(log.get(first.id())).isEqualTo(first);
            assertThatThrownBy(() -> log.append(List.of(Predictions.of(log.nextId(), 2))).join())
                    .cause().isInstanceOfSatisfying(SeerException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ServingErrorCode.LOG_FAILURE);
                        assertThat(e.getMessage()).contains("audit entry failed");
                    });
        }
        try (PredictionLog log = open(LogOptions.DEFAULT)) {
            assertThat(log.reconcile(audit.hashes())).extracting(BatchReceipt::batch).containsExactly(1L);
            assertThat(log.verify(audit.hashes()).ok()).isTrue();
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefused() {
        try (PredictionLog log = open(LogOptions.DEFAULT)) {
            assertThatThrownBy(() -> open(LogOptions.DEFAULT)).isInstanceOfSatisfying(SeerException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(ServingErrorCode.LOG_FAILURE);
                assertThat(e.getMessage()).contains("open in another process");
            });
        }
    }

    @Test
    void appendsAfterCloseFailAndBadIdsAreRefusedNamingThem() {
        PredictionLog log = open(LogOptions.DEFAULT);
        Prediction p = Predictions.of(log.nextId(), 1);
        log.close();
        assertThatThrownBy(() -> log.append(List.of(p)).join()).cause().isInstanceOfSatisfying(SeerException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ServingErrorCode.LOG_FAILURE));
        assertThatThrownBy(() -> Predictions.of("prd_nope", 1)).isInstanceOfSatisfying(SeerException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ServingErrorCode.INVALID_INPUT);
            assertThat(e.getMessage()).contains("[prd_nope]");
        });
    }
}
