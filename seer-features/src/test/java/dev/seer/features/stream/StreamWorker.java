package dev.seer.features.stream;

import dev.seer.features.ingest.Ingestor;
import dev.seer.features.offline.OfflineStore;
import dev.seer.metadata.AuditConfig;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.JdbcCatalog;
import dev.seer.metadata.MetadataConfig;
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
        Clock clock = Clock.systemUTC();
        MetadataDatabase database = MetadataDatabase.open(MetadataConfig.SECTION.defaults(), home);
        AuditLog audit = new AuditLog(database, clock, AuditConfig.SECTION.defaults());
        JdbcCatalog catalog = new JdbcCatalog(database, audit, clock);
        Ingestor ingestor = new Ingestor(catalog, new OfflineStore(home.resolve("offline")), clock);
        // Each worker has its own online store: RocksDB allows one process per folder.
        dev.seer.features.online.RocksDbOnlineStore online = new dev.seer.features.online.RocksDbOnlineStore(home.resolve("online-" + args[2]));
        Streaming streaming = new Streaming(home, new KafkaConfig(args[1], 4), catalog, ingestor,
                new dev.seer.features.online.Materializer(catalog, ingestor, online), online, args[2], clock);
        streaming.refresh();
        System.out.println("ready");
        System.out.flush();
        Thread reporter = new Thread(() -> { // tells the test which partitions this process owns, on each change
            String last = "";
            while (true) {
                String now = streaming.assignments().toString();
                if (!now.equals(last)) {
                    System.out.println("assigned " + now);
                    System.out.flush();
                    last = now;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        reporter.setDaemon(true);
        reporter.start();
        while (System.in.read() >= 0) {
            // wait for the test to close stdin
        }
        streaming.close();
        online.close();
        audit.close();
        database.close();
    }
}
