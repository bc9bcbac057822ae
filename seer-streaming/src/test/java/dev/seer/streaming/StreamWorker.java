package dev.seer.streaming;

import dev.seer.core.config.SeerConfig;
import dev.seer.features.Ingestor;
import dev.seer.features.OfflineStore;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.JdbcCatalog;
import dev.seer.metadata.MetadataDatabase;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A stream ingestion process for the crash test: {@code HOME BOOTSTRAP INSTANCE}. It ingests the
 * home's streaming sources from the broker until killed, or until its stdin closes (then it
 * stops cleanly). Prints {@code ready} once consuming.
 */
public final class StreamWorker {
    private StreamWorker() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        SeerConfig config = SeerConfig.defaults();
        Clock clock = Clock.systemUTC();
        MetadataDatabase database = MetadataDatabase.open(config.metadata(), home);
        AuditLog audit = new AuditLog(database, clock, config.audit());
        JdbcCatalog catalog = new JdbcCatalog(database, audit, clock);
        Ingestor ingestor = new Ingestor(catalog, new OfflineStore(home.resolve("offline")), clock);
        Streaming streaming = new Streaming(home, new SeerConfig.Kafka(args[1], 4), catalog, ingestor, args[2]);
        streaming.refresh();
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the test to close stdin
        }
        streaming.close();
        audit.close();
        database.close();
    }
}
