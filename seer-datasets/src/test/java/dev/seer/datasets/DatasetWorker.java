package dev.seer.datasets;

import dev.seer.core.config.SeerConfig;
import dev.seer.features.HistoricalRetrieval;
import dev.seer.features.Ingestor;
import dev.seer.features.OfflineStore;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.JdbcCatalog;
import dev.seer.metadata.MetadataDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * A dataset create in its own process, for the crash test: {@code HOME ENTITIES}. Prints each
 * progress step as it starts, then {@code done NAME:VERSION}.
 */
public final class DatasetWorker {
    private DatasetWorker() {}

    public static void main(String[] args) {
        Path home = Path.of(args[0]);
        SeerConfig config = SeerConfig.defaults();
        Clock clock = Clock.systemUTC();
        try (MetadataDatabase database = MetadataDatabase.open(config.metadata(), home);
                AuditLog audit = new AuditLog(database, clock, config.audit())) {
            JdbcCatalog catalog = new JdbcCatalog(database, audit, clock);
            Ingestor ingestor = new Ingestor(catalog, new OfflineStore(home.resolve("offline")), clock);
            DatasetStore datasets = new DatasetStore(home.resolve("datasets"), catalog, new HistoricalRetrieval(catalog, ingestor),
                    ingestor, audit, clock);
            DatasetStore.Written written = datasets.create("churn", new DatasetStore.CreateRequest(Path.of(args[1]),
                    List.of("churn_v1"), Optional.of("churned"), false, Optional.of(SplitSpec.parse(SplitSpec.Method.KEY,
                    List.of("customer_id"), "0.8,0.1,0.1"))), "worker", step -> {
                        System.out.println("step " + step);
                        System.out.flush();
                    });
            System.out.println("done " + written.version());
        }
    }
}
