package dev.seer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.datasets.BatchesRead;
import dev.seer.datasets.DatasetDiff;
import dev.seer.datasets.DatasetLineage;
import dev.seer.datasets.DatasetManifest;
import dev.seer.datasets.DatasetStore;
import dev.seer.datasets.DatasetVersion;
import dev.seer.datasets.LineageReport;
import dev.seer.server.Codec;
import dev.seer.server.DatasetOperations;
import dev.seer.server.Operation;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code seer dataset ...} and {@code seer lineage dataset}: versioned training datasets. */
final class DatasetCommands {
    private DatasetCommands() {}

    @Command(name = "dataset", mixinStandardHelpOptions = true,
            description = {"Versioned training datasets: immutable, content-addressed (SHA-256) Parquet snapshots",
                    "with a manifest (schema, rows, hash, column profile, splits, lineage) recorded and audited."},
            subcommands = {Create.class, Import.class, ListDatasets.class, Show.class, Diff.class, Export.class,
                    Verify.class, Gc.class, Reproduce.class})
    static final class Dataset {
    }

    /** Base: runs one operation and prints its JSON (with --json) or a human summary from its typed answer. */
    abstract static class DatasetCommand extends CliCommand {
        <I, O> O run(Operation<I, O> operation, I request) {
            try (Backend backend = cli().backend(operation.name().replace('.', ' '))) {
                ProgressLines lines = new ProgressLines(err(), System.console() != null);
                O answer = backend.call(operation, request, m -> lines.print("dataset: " + m));
                lines.end();
                return answer;
            }
        }

        <O> void print(Operation<?, O> operation, O answer, Runnable human) {
            if (cli().json()) {
                printJson(operation.encodeResponse(answer));
            } else {
                human.run();
            }
        }

        void printWritten(DatasetStore.Written written) {
            printVersion(written.version());
            out().println(written.created()
                    ? String.format(Locale.ROOT, "New version; %,d bytes stored (content already stored is not stored again).",
                            written.bytesStored())
                    : "Unchanged: the latest version already has this content and these inputs.");
            written.version().manifest().splits().ifPresent(s -> s.parts().forEach((split, part) -> out().printf(
                    "  split %-10s %,d rows%n", split, part.rows())));
        }

        void printVersion(DatasetVersion v) {
            DatasetManifest.DataFile data = v.manifest().data();
            out().printf("%s  %,d rows  sha256 %s  %,d bytes  created %s by %s%n", v, data.rows(), data.sha256(),
                    data.bytes(), v.created(), v.createdBy());
        }
    }

    /** The split options shared by create and import: a method (at most one) and the fractions. */
    static final class Split {
        @ArgGroup(exclusive = true)
        Method method;

        @Option(names = "--split-fractions", paramLabel = "T,V,T", defaultValue = "0.8,0.1,0.1",
                description = "Train, validation and test fractions (default: ${DEFAULT-VALUE}).")
        String fractions;

        static final class Method {
            @Option(names = "--split-by-key", split = ",", paramLabel = "COLUMNS",
                    description = "Split by a hash of these key columns: an entity is in one split only.")
            List<String> byKey;

            @Option(names = "--split-by-time", paramLabel = "COLUMN",
                    description = "Split by this time column: no training row is later than a validation or test row.")
            String byTime;
        }

        /** The request's split, if a method was given. */
        Optional<DatasetOperations.Split> request() {
            if (method == null) {
                return Optional.empty();
            }
            return Optional.of(method.byKey != null ? new DatasetOperations.Split("key", method.byKey, fractions)
                    : new DatasetOperations.Split("time", List.of(method.byTime), fractions));
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Run the point-in-time join of FEATURES to the entity file and store the result as the next",
                    "version of NAME (unchanged inputs and content add no version)."})
    static final class Create extends DatasetCommand {
        @Parameters(paramLabel = "NAME", description = "The dataset.")
        String name;

        @Option(names = "--entities", required = true, paramLabel = "FILE",
                description = "CSV or Parquet: the join keys, event_timestamp, and any other columns (such as the label).")
        Path entities;

        @Option(names = "--features", required = true, split = ",", paramLabel = "SERVICE|REFS",
                description = "A feature service, or view:feature references separated by commas.")
        List<String> features;

        @Option(names = "--label", paramLabel = "COLUMN", description = "The label column (of the entity file), recorded.")
        String label;

        @Option(names = "--filter-by-created-timestamp",
                description = "Only feature rows created at or before each entity row's time.")
        boolean filterByCreated;

        @Mixin
        Split split;

        @Override
        public Integer call() {
            DatasetStore.Written answer = run(DatasetOperations.CREATE, new DatasetOperations.Create(name,
                    entities.toAbsolutePath(), features, Optional.ofNullable(label), filterByCreated, split.request()));
            print(DatasetOperations.CREATE, answer, () -> printWritten(answer));
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Store a file as the next version of NAME: Parquet byte for byte, CSV or JSON lines as Parquet."})
    static final class Import extends DatasetCommand {
        @Parameters(paramLabel = "NAME", description = "The dataset.")
        String name;

        @Option(names = "--file", required = true, paramLabel = "FILE", description = ".parquet, .csv, .jsonl or .json")
        Path file;

        @Option(names = "--key", split = ",", paramLabel = "COLUMNS", description = "The columns that identify a row (for diff).")
        List<String> key = List.of();

        @Option(names = "--label", paramLabel = "COLUMN", description = "The label column, recorded.")
        String label;

        @Mixin
        Split split;

        @Override
        public Integer call() {
            DatasetStore.Written answer = run(DatasetOperations.IMPORT, new DatasetOperations.Import(name,
                    file.toAbsolutePath(), key, Optional.ofNullable(label), split.request()));
            print(DatasetOperations.IMPORT, answer, () -> printWritten(answer));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List datasets at their latest version.")
    static final class ListDatasets extends DatasetCommand {
        @Override
        public Integer call() {
            List<DatasetVersion> answer = run(DatasetOperations.LIST, Codec.Empty.REQUEST);
            print(DatasetOperations.LIST, answer, () -> {
                if (answer.isEmpty()) {
                    out().println("No datasets yet. Make one with: seer dataset create NAME --entities FILE --features SERVICE");
                }
                answer.forEach(this::printVersion);
            });
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a version's manifest (NAME for the latest, NAME:VERSION), or with --versions every version.")
    static final class Show extends DatasetCommand {
        @Parameters(paramLabel = "NAME[:VERSION]")
        String dataset;

        @Option(names = "--versions", description = "List every version of NAME instead.")
        boolean versions;

        @Override
        public Integer call() {
            if (versions) {
                List<DatasetVersion> answer = run(DatasetOperations.VERSIONS, dataset);
                print(DatasetOperations.VERSIONS, answer, () -> answer.forEach(this::printVersion));
                return 0;
            }
            DatasetVersion answer = run(DatasetOperations.SHOW, dataset);
            print(DatasetOperations.SHOW, answer, () -> {
                printVersion(answer);
                DatasetManifest m = answer.manifest();
                out().println("schema:");
                m.schema().forEach(c -> out().printf("  %-32s %s%n", c.name(), c.type()));
                if (!m.key().isEmpty()) {
                    out().println("key: " + Json.write(m.key()));
                }
                m.label().ifPresent(label -> out().println("label: " + label));
                m.splits().ifPresent(s -> {
                    out().println("splits (" + s.spec().method().name().toLowerCase(Locale.ROOT) + " on "
                            + Json.write(s.spec().columns()) + "):");
                    s.parts().forEach((split, part) -> out().printf("  %-10s %,d rows  sha256 %s%n", split, part.rows(),
                            part.sha256()));
                });
                out().println("profile:"); // DuckDB's SUMMARIZE per column: free-form, so read as JSON
                m.profile().fields().forEachRemaining(e -> out().printf("  %-32s min %s  max %s  nulls %s%%  distinct ~%s%n",
                        e.getKey(), e.getValue().path("min").asText(), e.getValue().path("max").asText(),
                        e.getValue().path("null_percentage").asText(), e.getValue().path("approx_unique").asText()));
                out().println("lineage: seer lineage dataset " + answer);
            });
            return 0;
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "Compare two versions by key: schema changes, rows added, removed and changed, statistics side by side.")
    static final class Diff extends DatasetCommand {
        @Parameters(index = "0", paramLabel = "A", description = "NAME:VERSION")
        String a;

        @Parameters(index = "1", paramLabel = "B", description = "NAME:VERSION")
        String b;

        @Option(names = "--key", split = ",", paramLabel = "COLUMNS",
                description = "The columns that identify a row (default: the key both versions recorded).")
        List<String> key = List.of();

        @Override
        public Integer call() {
            DatasetDiff answer = run(DatasetOperations.DIFF, new DatasetOperations.Diff(a, b, key));
            print(DatasetOperations.DIFF, answer, () -> printDiff(answer));
            return 0;
        }

        private void printDiff(DatasetDiff diff) {
            out().printf("%s -> %s by %s%n", diff.a(), diff.b(), Json.write(diff.key()));
            diff.schema().forEach(c -> out().printf("  column %-24s %s %s%n", c.column(), c.change().name()
                    .toLowerCase(Locale.ROOT), c.typeA().isPresent() && c.typeB().isPresent()
                    ? c.typeA().get() + " -> " + c.typeB().get() : c.typeB().or(c::typeA).orElse("")));
            out().printf("rows: %,d added, %,d removed, %,d changed%n", diff.rows().added(), diff.rows().removed(),
                    diff.rows().changed());
            sample("added", diff.samples().added());
            sample("removed", diff.samples().removed());
            sample("changed", diff.samples().changed());
            out().println("statistics (a | b):");
            diff.statistics().forEach((column, s) -> out().printf("  %-28s mean %s | %s  nulls %s%% | %s%%%n", column,
                    statistic(s.a(), "avg"), statistic(s.b(), "avg"), statistic(s.a(), "null_percentage"),
                    statistic(s.b(), "null_percentage")));
        }

        private void sample(String kind, List<Map<String, String>> keys) {
            if (!keys.isEmpty()) { // each key in its columns' order (Json.write would sort a map's keys)
                ArrayNode rows = Json.mapper().createArrayNode();
                keys.forEach(key -> {
                    ObjectNode row = rows.addObject();
                    key.forEach(row::put);
                });
                out().println("  e.g. " + kind + ": " + rows);
            }
        }

        /** One figure of a column's profile (free-form: DuckDB's SUMMARIZE), {@code -} where it has none. */
        private static String statistic(Optional<JsonNode> profile, String field) {
            return profile.map(p -> p.path(field).asText("-")).orElse("-");
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write a version's data, or one split, to a Parquet file; its hash is checked on the way.")
    static final class Export extends DatasetCommand {
        @Parameters(paramLabel = "NAME[:VERSION]")
        String dataset;

        @Option(names = "--out", required = true, paramLabel = "FILE")
        Path out;

        @Option(names = "--split", paramLabel = "SPLIT", description = "train, validation or test.")
        String split;

        @Override
        public Integer call() {
            Path answer = run(DatasetOperations.EXPORT, new DatasetOperations.Export(dataset, Optional.ofNullable(split),
                    out.toAbsolutePath()));
            print(DatasetOperations.EXPORT, answer, () -> out().println("Wrote " + answer));
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Hash every stored object again and check every version's objects are there; exit 1 on a problem.")
    static final class Verify extends DatasetCommand {
        @Override
        public Integer call() {
            DatasetStore.Verification answer = run(DatasetOperations.VERIFY, Codec.Empty.REQUEST);
            print(DatasetOperations.VERIFY, answer, () -> {
                out().printf("%,d objects, %,d bytes hashed: %s%n", answer.objects(), answer.bytes(),
                        answer.ok() ? "all intact" : answer.problems().size() + " problem(s)");
                answer.problems().forEach(p -> out().println("  " + p.message() + " (used by " + Json.write(p.usedBy()) + ")"));
            });
            return answer.ok() ? 0 : 1;
        }
    }

    @Command(name = "gc", mixinStandardHelpOptions = true,
            description = "Remove stored objects no version references and what interrupted writes left.")
    static final class Gc extends DatasetCommand {
        @Option(names = "--dry-run", description = "Only list what would be removed.")
        boolean dryRun;

        @Override
        public Integer call() {
            DatasetStore.GarbageReport answer = run(DatasetOperations.GC, dryRun);
            print(DatasetOperations.GC, answer, () -> {
                out().printf("%s %d objects (%,d bytes) and %d leftovers%n", dryRun ? "Would remove" : "Removed",
                        answer.objects().size(), answer.bytes(), answer.leftovers().size());
                answer.objects().forEach(o -> out().println("  object " + o));
                answer.leftovers().forEach(o -> out().println("  leftover " + o));
            });
            return 0;
        }
    }

    @Command(name = "reproduce", mixinStandardHelpOptions = true,
            description = {"Run a version's recorded inputs again (the entity file, the view versions and ingested batches",
                    "it read, its options) and report whether the result has the same hash; exit 1 if not."})
    static final class Reproduce extends DatasetCommand {
        @Parameters(paramLabel = "NAME[:VERSION]")
        String dataset;

        @Override
        public Integer call() {
            DatasetStore.Reproduction answer = run(DatasetOperations.REPRODUCE, dataset);
            print(DatasetOperations.REPRODUCE, answer, () -> {
                out().printf("%s: %s (recorded %s, reproduced %s)%n", answer.dataset(), answer.same() ? "same hash"
                        : "DIFFERENT", answer.recordedHash(), answer.reproducedHash());
                new TreeMap<>(answer.recordedSplits()).forEach((split, recorded) -> { // as the JSON lists them
                    String reproduced = answer.reproducedSplits().getOrDefault(split, "");
                    out().printf("  split %-10s %s%n", split, recorded.equals(reproduced) ? "same hash"
                            : "DIFFERENT (recorded " + recorded + ", reproduced " + reproduced + ")");
                });
            });
            return answer.same() ? 0 : 1;
        }
    }

    @Command(name = "lineage", mixinStandardHelpOptions = true, description = "Where something came from.",
            subcommands = {LineageDataset.class, ModelCommands.LineageModel.class, ModelCommands.LineagePrediction.class})
    static final class Lineage {
    }

    @Command(name = "dataset", mixinStandardHelpOptions = true,
            description = "A dataset version's lineage: entity file, features, view versions, ingested batches and offsets.")
    static final class LineageDataset extends DatasetCommand {
        @Parameters(paramLabel = "NAME[:VERSION]")
        String dataset;

        @Override
        public Integer call() {
            LineageReport answer = run(DatasetOperations.LINEAGE, dataset);
            print(DatasetOperations.LINEAGE, answer, () -> printLineage(answer));
            return 0;
        }

        private void printLineage(LineageReport report) {
            out().printf("%s  %,d rows  sha256 %s  created %s by %s%n", report.dataset(), report.rows(), report.contentHash(),
                    report.created(), report.creator());
            if (report.lineage() instanceof DatasetLineage.Import imported) {
                out().println("└─ imported from " + imported.file().path());
                return;
            }
            DatasetLineage.Retrieval lineage = (DatasetLineage.Retrieval) report.lineage();
            out().printf("├─ entities %s (sha256 %s, %,d rows)%n", lineage.entities().path(), lineage.entities().sha256(),
                    lineage.entities().rows());
            out().println("├─ features " + Json.write(lineage.features()) + lineage.featureService().map(s ->
                    " (feature service " + s.name() + " version " + s.version() + ": " + Json.write(lineage.featureRefs())
                    + ")").orElse("") + ", options " + options(lineage));
            List<BatchesRead.ViewBatches> views = report.batches().views();
            for (int v = 0; v < views.size(); v++) {
                BatchesRead.ViewBatches view = views.get(v);
                boolean last = v == views.size() - 1;
                out().printf("%s view %s version %d: %d batches%n", last ? "└─" : "├─", view.view(), view.version(),
                        view.batches().size());
                for (BatchesRead.Batch batch : view.batches()) {
                    String from = batch.kafka().map(k -> String.format(Locale.ROOT, "kafka %s partition %d offsets %d..%d",
                            k.topic(), k.partition(), k.firstOffset(), k.lastOffset()))
                            .orElse("file " + batch.path() + " (sha256 " + batch.contentHash() + ")");
                    out().printf("%s  └─ batch %s of source %s, ingested %s: %s%s%n", last ? " " : "│", batch.batchId(),
                            batch.source(), batch.ingestedAt(), from, batch.matchedRows().isPresent()
                            ? String.format(Locale.ROOT, "; %,d rows matched", batch.matchedRows().getAsLong()) : "");
                }
            }
        }

        /** The options as the manifest records them: {@code {"filter_by_created_timestamp":false,"label":null}}. */
        private static String options(DatasetLineage.Retrieval lineage) {
            Map<String, Object> options = new LinkedHashMap<>();
            options.put("filter_by_created_timestamp", lineage.filterByCreatedTimestamp());
            options.put("label", lineage.label().orElse(null));
            return Json.write(options);
        }
    }
}
