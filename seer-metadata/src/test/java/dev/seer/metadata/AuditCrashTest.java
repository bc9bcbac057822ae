package dev.seer.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.testing.JavaProcess;
import dev.seer.testing.PostgresDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durability and chain integrity across process death and across processes. */
@Tag("integration")
class AuditCrashTest {
    @TempDir
    Path home;

    @Test
    void everyAcknowledgedEntrySurvivesSigkillAndTheLogStillVerifies() throws Exception {
        String url = "jdbc:sqlite:" + home.resolve("metadata.db");
        Map<String, Long> acknowledged = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            Process process = JavaProcess.start(AuditAppender.class, List.of(url, "-", "6", "100000", "r" + round), Map.of());
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                int seen = 0;
                String line;
                while (seen < 3000 + round * 1000 && (line = lines.readLine()) != null) {
                    String[] parts = line.split(" ");
                    if (parts[0].equals("ack")) {
                        acknowledged.put(parts[2], Long.parseLong(parts[1]));
                        seen++;
                    }
                }
                process.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, mid-batch
                assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(process.exitValue()).isEqualTo(137);
            }
        }
        try (MetadataDatabase database = MetadataDatabase.open(new MetadataConfig(url, "", "", 2), home);
                AuditLog audit = new AuditLog(database, Clock.systemUTC(), new AuditConfig(100, 100))) {
            AuditVerification verification = audit.verify();
            assertThat(verification.ok()).as("%s", verification.problem()).isTrue();
            assertThat(verification.entriesChecked()).isGreaterThanOrEqualTo(acknowledged.size());
            Map<String, Long> stored = markers(audit);
            for (Map.Entry<String, Long> ack : acknowledged.entrySet()) {
                assertThat(stored.get(ack.getKey())).as("acknowledged entry %s", ack.getKey()).isEqualTo(ack.getValue());
            }
        }
    }

    @Test
    void twoProcessesAppendingToOnePostgresqlExtendOneChain() throws Exception {
        try (PostgresDatabase postgres = PostgresDatabase.create()) {
            // Migrate once first, so the two processes race on appends, not on schema creation.
            MetadataDatabase.open(new MetadataConfig(postgres.url(), postgres.user(), "", 2), home).close();
            Process a = JavaProcess.start(AuditAppender.class, List.of(postgres.url(), postgres.user(), "4", "1500", "a"), Map.of());
            Process b = JavaProcess.start(AuditAppender.class, List.of(postgres.url(), postgres.user(), "4", "1500", "b"), Map.of());
            Map<String, Long> acknowledged = new HashMap<>();
            acknowledged.putAll(readAll(a));
            acknowledged.putAll(readAll(b));
            assertThat(a.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(b.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(acknowledged).hasSize(2 * 4 * 1500);
            try (MetadataDatabase database = MetadataDatabase.open(
                    new MetadataConfig(postgres.url(), postgres.user(), "", 2), home);
                    AuditLog audit = new AuditLog(database, Clock.systemUTC(), new AuditConfig(100, 100))) {
                AuditVerification verification = audit.verify();
                assertThat(verification.ok()).as("%s", verification.problem()).isTrue();
                assertThat(verification.entriesChecked()).isEqualTo(12_000);
                assertThat(markers(audit)).containsAllEntriesOf(acknowledged);
            }
        }
    }

    private static Map<String, Long> readAll(Process process) throws Exception {
        Map<String, Long> acks = new HashMap<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                String[] parts = line.split(" ");
                if (parts[0].equals("ack")) {
                    acks.put(parts[2], Long.parseLong(parts[1]));
                }
            }
        }
        return acks;
    }

    private static Map<String, Long> markers(AuditLog audit) {
        Map<String, Long> stored = new HashMap<>();
        long after = 0;
        while (true) {
            AuditPage page = audit.query(AuditQuery.all().withAction("test.append").withTimeRange(Optional.empty(),
                    Optional.empty()).page(after, AuditQuery.MAX_LIMIT));
            page.entries().forEach(e -> stored.put(e.subjectId(), e.seq()));
            if (page.nextAfter().isEmpty()) {
                return stored;
            }
            after = page.nextAfter().getAsLong();
        }
    }
}
