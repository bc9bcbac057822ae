package dev.seer.metadata;

import dev.seer.core.Json;
import dev.seer.core.audit.AuditRecord;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A separate process for crash and multi-process tests: appends {@code count} entries from
 * {@code threads} threads and prints {@code ack SEQ MARKER} for each one as soon as it is
 * acknowledged, so the parent knows exactly which entries were promised durable.
 *
 * <p>Arguments: metadata URL, user, threads, count per thread, marker prefix.
 */
public final class AuditAppender {
    private AuditAppender() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1].equals("-") ? "" : args[1];
        int threads = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        String prefix = args[4];
        PrintStream out = new PrintStream(System.out, false, "UTF-8");
        try (MetadataDatabase database = MetadataDatabase.open(new MetadataConfig(url, user, "", 4), Path.of("."));
                AuditLog audit = new AuditLog(database, Clock.systemUTC(), new AuditConfig(500, 10_000))) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Thread worker = new Thread(() -> {
                    for (int i = 0; i < count; i++) {
                        String marker = prefix + "-" + thread + "-" + i;
                        audit.append(new AuditRecord("appender", "test.append", "marker", marker,
                                Json.object().put("i", i))).thenAccept(entry -> {
                                    synchronized (out) {
                                        out.println("ack " + entry.seq() + " " + marker);
                                        out.flush();
                                    }
                                });
                    }
                });
                workers.add(worker);
                worker.start();
            }
            for (Thread worker : workers) {
                worker.join();
            }
        }
        synchronized (out) {
            out.println("done");
            out.flush();
        }
    }
}
