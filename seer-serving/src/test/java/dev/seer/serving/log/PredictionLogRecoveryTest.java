package dev.seer.serving.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.serving.ServingErrorCode;
import dev.seer.testing.MutableClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What opening and verifying make of files a crash or a hand changed: torn tails, bad CRCs, changed, removed and cut batches. */
class PredictionLogRecoveryTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    private final CollectingAudit audit = new CollectingAudit();
    private final List<BatchReceipt> receipts = new ArrayList<>();
    private final List<Prediction> written = new ArrayList<>();
    private Path segment;

    /** Three batches of three predictions, the log closed. */
    @BeforeEach
    void threeBatches() {
        try (PredictionLog log = open()) {
            for (int b = 0; b < 3; b++) {
                List<Prediction> batch = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    batch.add(Predictions.of(log.nextId(), 3 * b + i));
                }
                receipts.add(log.append(batch).join());
                written.addAll(batch);
            }
        }
        segment = dir.resolve(receipts.get(0).segment());
    }

    private PredictionLog open() {
        return PredictionLog.open(dir, LogOptions.DEFAULT, audit, clock);
    }

    @Test
    void aBatchCutShortAtTheEndIsTruncatedAndReportedAndEverythingBeforeItStays() throws IOException {
        long length = Files.size(segment);
        byte[] file = Files.readAllBytes(segment);
        byte[] partial = Arrays.copyOfRange(file, (int) receipts.get(1).offset(), (int) receipts.get(1).offset() + 100);
        Files.write(segment, partial, StandardOpenOption.APPEND); // a fourth batch the kill interrupted
        try (PredictionLog log = open()) {
            assertThat(log.recovery()).hasValueSatisfying(r -> {
                assertThat(r.segment()).isEqualTo(segment.getFileName().toString());
                assertThat(r.offset()).isEqualTo(length);
                assertThat(r.bytesDropped()).isEqualTo(100);
            });
            assertThat(Files.size(segment)).isEqualTo(length);
            assertThat(log.query(PredictionQuery.all())).containsExactlyElementsOf(written);
            assertThat(audit.records()).anySatisfy(r -> assertThat(r.action()).isEqualTo("prediction.log-recovered"));
            Prediction more = Predictions.of(log.nextId(), 99);
            assertThat(log.append(List.of(more)).join().batch()).isEqualTo(4);
            assertThat(log.verify(audit.hashes()).ok()).isTrue();
        }
    }

    @Test
    void zerosWhereTheFileWasExtendedButNeverWrittenAreATornTail() throws IOException {
        long length = Files.size(segment);
        Files.write(segment, new byte[5000], StandardOpenOption.APPEND);
        try (PredictionLog log = open()) {
            assertThat(log.recovery()).hasValueSatisfying(r -> assertThat(r.bytesDropped()).isEqualTo(5000));
            assertThat(Files.size(segment)).isEqualTo(length);
            assertThat(log.verify(audit.hashes()).ok()).isTrue();
        }
    }

    @Test
    void aSegmentCreatedButCutBeforeItsHeaderIsRestartedAndTheChainContinuesAcrossIt() throws IOException {
        Path next = dir.resolve(Frames.segmentName(4));
        Files.write(next, Arrays.copyOf(Frames.segmentHeader(), 5)); // the kill came while a roll wrote the header
        try (PredictionLog log = open()) {
            assertThat(log.recovery()).hasValueSatisfying(r -> {
                assertThat(r.segment()).isEqualTo(next.getFileName().toString());
                assertThat(r.bytesDropped()).isEqualTo(5);
            });
            BatchReceipt fourth = log.append(List.of(Predictions.of(log.nextId(), 50))).join();
            assertThat(fourth.segment()).isEqualTo(next.getFileName().toString());
            assertThat(fourth.previousHash()).isEqualTo(receipts.get(2).hash());
            assertThat(log.query(PredictionQuery.all())).hasSize(10);
            assertThat(log.verify(audit.hashes()).ok()).isTrue();
        }
        assertThat(SegmentIndex.of(segment)).exists(); // the first segment, sealed at open, got its index
    }

    @Test
    void aBadCrcInTheMiddleIsCorruptionNamingFileAndOffset() throws IOException {
        long record = receipts.get(1).offset() + Frames.BATCH_HEADER; // first record of batch 2
        flip(record + Frames.RECORD_HEADER + 30);
        assertThatThrownBy(this::open).isInstanceOfSatisfying(SeerException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ServingErrorCode.LOG_CORRUPT);
            assertThat(e.getMessage()).contains(segment.toString()).contains("offset " + record);
            assertThat(e.details()).containsEntry("offset", record);
        });
    }

    @Test
    void aBadCrcInTheLastWholeBatchIsCorruptionNotATornTail() throws IOException {
        flip(receipts.get(2).offset() + Frames.BATCH_HEADER + Frames.RECORD_HEADER + 30);
        assertThatThrownBy(this::open).isInstanceOfSatisfying(SeerException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ServingErrorCode.LOG_CORRUPT));
    }

    @Test
    void aChangedRecordWithItsCrcRecomputedIsCaughtByItsHash() throws IOException {
        long first = receipts.get(1).offset() + Frames.BATCH_HEADER;
        long record = first + Frames.RECORD_HEADER + ByteBuffer.wrap(Files.readAllBytes(segment)).getInt((int) first);
        // The second record of batch 2: its deployment's first letter ("fraud" -> "graud"), then its CRC made right again.
        byte[] file = Files.readAllBytes(segment);
        int payload = (int) record + Frames.RECORD_HEADER;
        assertThat(file[payload + 26]).isEqualTo((byte) 'f');
        file[payload + 26] = 'g';
        int length = ByteBuffer.wrap(file).getInt((int) record);
        CRC32C crc = new CRC32C();
        crc.update(file, payload, length);
        ByteBuffer.wrap(file).putInt((int) record + 4, (int) crc.getValue());
        Files.write(segment, file);
        try (PredictionLog log = open()) {
            assertThat(log.get(written.get(4).id()).deployment()).isEqualTo("graud");
            LogVerification v = log.verify(audit.hashes());
            assertThat(v.problem()).hasValueSatisfying(p -> {
                assertThat(p.kind()).isEqualTo(LogVerification.Kind.CHANGED);
                assertThat(p.batch()).isEqualTo(2);
                assertThat(p.segment()).isEqualTo(segment.getFileName().toString());
                assertThat(p.offset()).isEqualTo(receipts.get(1).offset());
            });
            assertThat(v.batchesChecked()).isEqualTo(1);
        }
    }

    @Test
    void aRemovedBatchIsMissing() throws IOException {
        byte[] file = Files.readAllBytes(segment);
        int from = (int) receipts.get(1).offset();
        int to = (int) receipts.get(2).offset();
        byte[] without = new byte[file.length - (to - from)];
        System.arraycopy(file, 0, without, 0, from);
        System.arraycopy(file, to, without, from, file.length - to);
        Files.write(segment, without);
        try (PredictionLog log = open()) {
            assertThat(log.find(written.get(3).id())).isEmpty();
            assertThat(log.verify(audit.hashes()).problem()).hasValueSatisfying(p -> {
                assertThat(p.kind()).isEqualTo(LogVerification.Kind.MISSING);
                assertThat(p.batch()).isEqualTo(2);
            });
        }
    }

    @Test
    void aLogCutAtABatchBoundaryOrInsideAnAcknowledgedBatchIsMissingItsTail() throws IOException {
        try (FileChannel c = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            c.truncate(receipts.get(2).offset() + 70); // inside batch 3: opening takes it for a torn tail...
        }
        try (PredictionLog log = open()) {
            assertThat(log.recovery()).isPresent();
            // ...but the audit log recorded batch 3, so verify names it
            assertThat(log.verify(audit.hashes()).problem()).hasValueSatisfying(p -> {
                assertThat(p.kind()).isEqualTo(LogVerification.Kind.MISSING);
                assertThat(p.batch()).isEqualTo(3);
            });
        }
    }

    @Test
    void aBatchTheAuditNeverRecordedIsExtra() {
        Map<Long, String> recorded = new TreeMap<>(audit.hashes());
        recorded.remove(3L);
        try (PredictionLog log = open()) {
            assertThat(log.verify(recorded).problem()).hasValueSatisfying(p -> {
                assertThat(p.kind()).isEqualTo(LogVerification.Kind.EXTRA);
                assertThat(p.batch()).isEqualTo(3);
            });
            recorded.put(2L, "00".repeat(32));
            assertThat(log.verify(recorded).problem()).hasValueSatisfying(p -> {
                assertThat(p.kind()).isEqualTo(LogVerification.Kind.CHANGED);
                assertThat(p.batch()).isEqualTo(2);
            });
        }
    }

    private void flip(long offset) throws IOException {
        byte[] file = Files.readAllBytes(segment);
        file[(int) offset] ^= 0x40;
        Files.write(segment, file);
    }
}
