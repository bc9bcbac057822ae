package dev.seer.datasets;

import dev.seer.features.ingest.Ingestor;
import dev.seer.features.offline.HistoricalRetrieval;
import dev.seer.features.offline.OfflineStore;
import dev.seer.metadata.AuditConfig;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.JdbcCatalog;
import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * A dataset create in its own process, for the crash test: {@code HOME ENTITIES [PAUSE_AT]}.
 * Prints each progress step as it starts, then {@code done NAME:VERSION}. At a step that starts
 * with {@code PAUSE_AT} it stops and waits to be killed, so that the kill lands exactly there
 * (for steps too short to kill during, such as recording the version).
 */
public final class DatasetWorker {
    private DatasetWorker() {}

    public static void main(String[] args) {
        Path home = Path.of(args[0]);
        String pauseAt = args.length > 2 ? args[2] : "";
        Clock clock = Clock.systemUTC();
        try (MetadataDatabase database = MetadataDatabase.open(MetadataConfig.SECTION.defaults(), home);
                AuditLog audit = new AuditLog(database, clock, AuditConfig.SECTION.defaults())) {
            JdbcCatalog catalog = new JdbcCatalog(database, audit, clock);
            Ingestor ingestor = new Ingestor(catalog, new OfflineStore(home.resolve("offline")), clock);
            DatasetStore datasets = new DatasetStore(home.resolve("datasets"), catalog, new HistoricalRetrieval(catalog, ingestor),
                    audit, clock);
            DatasetStore.Written written = datasets.create("churn", new DatasetStore.CreateRequest(Path.of(args[1]),
                    List.of("churn_v1"), Optional.of("churned"), false, Optional.of(SplitSpec.parse(SplitSpec.Method.KEY,
                    List.of("customer_id"), "0.8,0.1,0.1"))), "worker", step -> announce(step, pauseAt));
            System.out.println("done " + written.version());
        }
    }

    private static void announce(String step, String pauseAt) {
        System.out.println("step " + step);
        System.out.flush();
        if (!pauseAt.isEmpty() && step.startsWith(pauseAt)) {
            try {
                new CountDownLatch(1).await(); // until the test kills this process
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
