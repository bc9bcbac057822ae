package dev.seer.cli;

import dev.seer.core.catalog.CatalogEntry;
import dev.seer.core.provenance.BatchRecord;
import dev.seer.features.ingest.IngestReport;
import dev.seer.features.ingest.QuarantineRecord;
import dev.seer.server.Codec;
import dev.seer.server.IngestOperations;
import dev.seer.server.OnlineOperations;
import dev.seer.server.StreamOperations;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Batch ingestion and the quarantine. */
final class IngestCommands {
    private IngestCommands() {}

    @Command(name = "ingest", mixinStandardHelpOptions = true,
            description = {"Read a file source, check every row against the views over it, write good rows to the",
                    "offline store and bad ones to the quarantine. All of a batch lands, or none of it;",
                    "the same content ingested twice adds nothing."})
    static final class Ingest extends CliCommand {
        @Parameters(paramLabel = "SOURCE", description = "A source defined with `seer apply`.")
        String source;

        @Option(names = "--file", paramLabel = "PATH", description = "Read this file instead of the source's path.")
        Path file;

        @Override
        public Integer call() {
            try (Backend backend = cli().backend("ingest")) {
                // Progress goes to stderr, so that stdout (and --json) carries the result alone.
                ProgressLines lines = new ProgressLines(err(), System.console() != null);
                IngestReport report = backend.call(IngestOperations.INGEST,
                        new IngestOperations.Ingest(source, Optional.ofNullable(file)), m -> lines.print("ingest: " + m));
                lines.end();
                if (cli().json()) {
                    printJson(IngestOperations.INGEST.encodeResponse(report));
                } else if (report.alreadyIngested()) {
                    out().println("Already ingested as " + report.batchId() + " (content " + report.contentHash().substring(0, 12)
                            + "): nothing added.");
                } else {
                    out().printf("Batch %s of %s: %,d rows read, %,d written, %,d quarantined, into %s, in %.2f s%n",
                            report.batchId(), report.source(), report.rowsRead(), report.rowsWritten(),
                            report.rowsQuarantined(), report.views(), report.took().toMillis() / 1000.0);
                    if (report.rowsQuarantined() > 0) {
                        out().println("See them with: seer quarantine show " + report.batchId());
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "materialize", mixinStandardHelpOptions = true,
            description = {"Load the online store with each entity's latest row at --end (the offline join's answer at",
                    "that time). Without --start, only what changed since the view's last run is read."})
    static final class Materialize extends CliCommand {
        @Option(names = "--views", split = ",", paramLabel = "VIEWS", description = "Only these views (default: all).")
        List<String> views = List.of();

        @Option(names = "--start", paramLabel = "T1", description = "Only rows with event time at or after T1 (ISO-8601).")
        java.time.Instant start;

        @Option(names = "--end", required = true, paramLabel = "T2", description = "Rows up to T2 (ISO-8601), e.g. now.")
        java.time.Instant end;

        @Override
        public Integer call() {
            try (Backend backend = cli().backend("materialize")) {
                var report = backend.call(OnlineOperations.MATERIALIZE,
                        new OnlineOperations.Materialize(views, Optional.ofNullable(start), end));
                if (cli().json()) {
                    printJson(OnlineOperations.MATERIALIZE.encodeResponse(report));
                } else {
                    report.written().forEach((view, count) -> out().printf("%-28s %,d entities written up to %s%n", view,
                            count, report.end()));
                }
            }
            return 0;
        }
    }

    @Command(name = "quarantine", mixinStandardHelpOptions = true, description = "Rows that ingestion held back, and why.",
            subcommands = {Quarantine.ListBatches.class, Quarantine.Show.class, Quarantine.DeadLetters.class})
    static final class Quarantine {
        @Command(name = "list", mixinStandardHelpOptions = true, description = "Ingested batches with their quarantine counts.")
        static final class ListBatches extends CliCommand {
            @Override
            public Integer call() {
                try (Backend backend = cli().backend("quarantine list")) {
                    List<CatalogEntry> batches = backend.call(IngestOperations.BATCHES, Codec.Empty.REQUEST);
                    if (cli().json()) {
                        printJson(IngestOperations.BATCHES.encodeResponse(batches));
                        return 0;
                    }
                    out().printf("%-34s %-20s %10s %10s %12s%n", "BATCH", "SOURCE", "READ", "WRITTEN", "QUARANTINED");
                    for (CatalogEntry entry : batches) {
                        BatchRecord b = BatchRecord.CODEC.decode(entry.body()); // a newer format is refused, not misread
                        out().printf("%-34s %-20s %,10d %,10d %,12d%n", b.batchId(), b.source(), b.rowsRead(),
                                b.rowsWritten(), b.rowsQuarantined());
                    }
                }
                return 0;
            }
        }

        @Command(name = "dead-letters", mixinStandardHelpOptions = true,
                description = {"Records of push and kafka sources that stream ingestion refused (not JSON, a wrong type,",
                        "a failed check), from the dead-letter topic: where each came from and why."})
        static final class DeadLetters extends CliCommand {
            @Option(names = "--source", paramLabel = "SOURCE", description = "Only this source's (default: all).")
            String source;

            @Option(names = "--limit", defaultValue = "100", description = "At most this many, oldest first.")
            int limit;

            @Override
            public Integer call() {
                try (Backend backend = cli().backend("quarantine dead-letters")) {
                    var letters = backend.call(StreamOperations.DEAD_LETTERS,
                            new StreamOperations.DeadLetters(Optional.ofNullable(source), Math.max(1, limit)));
                    if (cli().json()) {
                        printJson(StreamOperations.DEAD_LETTERS.encodeResponse(letters));
                        return 0;
                    }
                    for (var l : letters) {
                        out().printf("%-16s %s/%d@%-10d %s  %s%n", l.source(), l.topic(), l.partition(), l.offset(), l.error(),
                                l.value().length() > 200 ? l.value().substring(0, 200) + "..." : l.value());
                    }
                    if (letters.isEmpty()) {
                        out().println("No dead letters" + (source == null ? "." : " for source " + source + "."));
                    }
                }
                return 0;
            }
        }

        @Command(name = "show", mixinStandardHelpOptions = true, description = "The quarantined rows of one batch.")
        static final class Show extends CliCommand {
            @Parameters(paramLabel = "BATCH", description = "A batch id from `seer quarantine list`.")
            String batch;

            @Option(names = "--limit", defaultValue = "100", description = "At most this many records.")
            int limit;

            @Override
            public Integer call() {
                try (Backend backend = cli().backend("quarantine show")) {
                    List<QuarantineRecord> records = backend.call(IngestOperations.QUARANTINE, new IngestOperations.Quarantine(batch, limit));
                    if (cli().json()) {
                        printJson(IngestOperations.QUARANTINE.encodeResponse(records));
                        return 0;
                    }
                    for (QuarantineRecord r : records) {
                        out().printf("row %-8d %-20s %-16s %s  %s%n", r.row(), r.view(), r.column(), r.reason(), r.record());
                    }
                    if (records.isEmpty()) {
                        out().println("Batch " + batch + " has no quarantined rows.");
                    }
                }
                return 0;
            }
        }
    }
}
