package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.core.Json;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.home.SeerHome;
import dev.seer.metadata.AuditEntry;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.AuditQuery;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogTest {
    @TempDir
    Path dir;

    @Test
    void everyRequestIsCountedOnceWhileFlushesRunConcurrently() throws Exception {
        try (SeerServices services = SeerServices.open(SeerHome.create(dir.resolve("home")), ConfigSections.defaults(),
                Clock.systemUTC())) {
            AuditLog audit = services.audit();
            AccessLog access = new AccessLog(audit, Clock.systemUTC());
            int threads = 4;
            int perThread = 50_000;
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread worker = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        access.used("token:t" + (id % 2), "GET /r" + (i % 3), "tok" + (id % 2));
                        if (i % 10_000 == 0) {
                            access.flush(); // flushes racing with counting, besides the timer's
                        }
                    }
                }, "counter-" + t);
                workers.add(worker);
                worker.start();
            }
            for (Thread worker : workers) {
                worker.join();
            }
            access.denied("anonymous", "GET /r0", "TOKEN_INVALID");
            access.close();
            audit.appendAndWait(new AuditRecord("test", "test.marker", "test", "end", Json.object()));
            long used = 0;
            for (AuditEntry entry : all(audit, "token.used")) {
                used += Json.parse(entry.payload()).path("count").asLong();
                assertThat(entry.subjectId()).startsWith("GET /r");
                assertThat(Json.parse(entry.payload()).path("token").asText()).startsWith("tok");
            }
            assertThat(used).isEqualTo((long) threads * perThread);
            List<AuditEntry> denied = all(audit, "auth.denied");
            assertThat(denied).singleElement().satisfies(e -> {
                assertThat(Json.parse(e.payload()).path("count").asLong()).isEqualTo(1);
                assertThat(Json.parse(e.payload()).path("reason").asText()).isEqualTo("TOKEN_INVALID");
            });
            assertThat(access.dropped()).isZero();
        }
    }

    private static List<AuditEntry> all(AuditLog audit, String action) {
        List<AuditEntry> entries = new ArrayList<>();
        long after = 0;
        while (true) {
            var page = audit.query(new AuditQuery(java.util.Optional.empty(), java.util.Optional.of(action),
                    java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                    java.util.Optional.empty(), after, AuditQuery.MAX_LIMIT));
            entries.addAll(page.entries());
            if (page.nextAfter().isEmpty()) {
                return entries;
            }
            after = page.nextAfter().getAsLong();
        }
    }
}
