package dev.seer.serving.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.core.Json;
import dev.seer.metadata.AuditConfig;
import dev.seer.metadata.AuditEntry;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.AuditPage;
import dev.seer.metadata.AuditQuery;
import dev.seer.metadata.AuditVerification;
import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import dev.seer.testing.JavaProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every acknowledged prediction survives SIGKILL of the process appending them, and the log still verifies against the audit log. */
@Tag("integration")
class PredictionLogCrashTest {
    @TempDir
    Path home;

    @Test
    void everyAcknowledgedPredictionSurvivesSigkillAndVerifies() throws Exception {
        Path dir = home.resolve("predictions");
        String url = "jdbc:sqlite:" + home.resolve("metadata.db");
        Set<String> acknowledged = new HashSet<>();
        for (int round = 0; round < 3; round++) {
            Process process = JavaProcess.start(PredictionLogWriter.class, List.of(dir.toString(), url, "16"), Map.of());
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                int seen = 0;
                String line;
                while (seen < 3000 && (line = lines.readLine()) != null) {
                    if (line.startsWith("ack ")) {
                        acknowledged.add(line.substring(4));
                        seen++;
                    }
                }
                assertThat(seen).as("acknowledgements before the kill in round %d", round).isEqualTo(3000);
                process.destroyForcibly(); // SIGKILL mid-batch: no shutdown hook, no close
                assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(process.exitValue()).isEqualTo(137);
            }
        }
        try (MetadataDatabase database = MetadataDatabase.open(new MetadataConfig(url, "", "", 2), home);
                AuditLog audit = new AuditLog(database, Clock.systemUTC(), new AuditConfig(100, 100));
                PredictionLog log = PredictionLog.open(dir, LogOptions.DEFAULT.withSegmentBytes(256 << 10), audit, Clock.systemUTC())) {
            for (String id : acknowledged) {
                assertThat(log.find(id)).as("acknowledged prediction %s", id).isPresent();
            }
            // Batches synced but not yet audited when the process died hold only unanswered predictions; recorded now.
            log.reconcile(recordedHashes(audit));
            LogVerification verification = log.verify(recordedHashes(audit));
            assertThat(verification.ok()).as("%s", verification.problem()).isTrue();
            assertThat(verification.predictionsChecked()).isGreaterThanOrEqualTo(acknowledged.size());
            AuditVerification chain = audit.verify();
            assertThat(chain.ok()).as("%s", chain.problem()).isTrue();
        }
    }

    /** What the wiring does: the hashes of every prediction.batch entry of the audit log. */
    static Map<Long, String> recordedHashes(AuditLog audit) {
        Map<Long, String> hashes = new TreeMap<>();
        long after = 0;
        while (true) {
            AuditPage page = audit.query(AuditQuery.all().withAction(BatchReceipt.ACTION).page(after, AuditQuery.MAX_LIMIT));
            for (AuditEntry e : page.entries()) {
                BatchReceipt receipt = BatchReceipt.fromJson(Json.parse(e.payload()));
                hashes.put(receipt.batch(), receipt.hash());
            }
            if (page.nextAfter().isEmpty()) {
                return hashes;
            }
            after = page.nextAfter().getAsLong();
        }
    }
}
