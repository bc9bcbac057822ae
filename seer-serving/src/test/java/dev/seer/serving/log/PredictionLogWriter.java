package dev.seer.serving.log;

import dev.seer.metadata.AuditConfig;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * A separate process for the crash test: appends one prediction at a time from {@code threads}
 * threads until killed, printing {@code ack ID} for each as soon as its append is acknowledged,
 * so the parent knows exactly which predictions were promised durable.
 *
 * <p>Arguments: log directory, metadata URL (the audit log), threads.
 */
public final class PredictionLogWriter {
    private PredictionLogWriter() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int threads = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (MetadataDatabase database = MetadataDatabase.open(new MetadataConfig(args[1], "", "", 4), dir.getParent());
                AuditLog audit = new AuditLog(database, Clock.systemUTC(), new AuditConfig(500, 10_000));
                PredictionLog log = PredictionLog.open(dir, LogOptions.DEFAULT.withSegmentBytes(256 << 10), audit, Clock.systemUTC())) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Thread worker = new Thread(() -> {
                    for (int i = 0; ; i++) {
                        Prediction p = Predictions.of(log.nextId(), thread * 1_000_000 + i);
                        log.append(List.of(p)).join();
                        synchronized (out) {
                            out.println("ack " + p.id());
                            out.flush();
                        }
                    }
                });
                worker.setDaemon(true);
                worker.start();
            }
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
