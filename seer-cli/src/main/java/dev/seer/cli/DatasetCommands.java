package dev.seer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.datasets.DatasetManifest;
import dev.seer.server.Codec;
import dev.seer.server.DatasetOperations;
import dev.seer.server.Operation;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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

    /** Base: runs one operation and prints its JSON (with --json) or a human summary. */
    abstract static class DatasetCommand extends CliCommand {
        <I> JsonNode run(Operation<I, JsonNode> operation, I request) {
            try (Backend backend = cli().backend(operation.name().replace('.', ' '))) {
                ProgressLines lines = new ProgressLines(err(), System.console() != null);
                JsonNode answer = backend.call(operation, request, m -> lines.print("dataset: " + m));
                lines.end();
                return answer;
            }
        }

        void print(JsonNode answer, Runnable human) {
            if (cli().json()) {
                printJson(answer);
            } else {
                human.run();
            }
        }

        void printWritten(JsonNode answer) {
            printVersion(answer);
            out().println(answer.path("created_new_version").asBoolean()
                    ? String.format(Locale.ROOT, "New version; %,d bytes stored (content already stored is not stored again).",
                            answer.path("bytes_stored").asLong())
                    : "Unchanged: the latest version already has this content and these inputs.");
            manifest(answer).splits().ifPresent(s -> s.parts().forEach((split, part) -> out().printf(
                    "  split %-10s %,d rows%n", split, part.rows())));
        }

        void printVersion(JsonNode v) {
            DatasetManifest.DataFile data = manifest(v).data();
            out().printf("%s  %,d rows  sha256 %s  %,d bytes  created %s by %s%n", v.path("dataset").asText(), data.rows(),
                    data.sha256(), data.bytes(), v.path("created").asText(), v.path("created_by").asText());
        }

        /** The manifest of a version in an answer, read by its codec: a newer server's format is refused, not misread. */
        static DatasetManifest manifest(JsonNode version) {
            return DatasetManifest.CODEC.decode(version.get("manifest"));
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
            JsonNode answer = run(DatasetOperations.CREATE, new DatasetOperations.Create(name, entities.toAbsolutePath(),
                    features, Optional.ofNullable(label), filterByCreated, split.request()));
            print(answer, () -> printWritten(answer));
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
            JsonNode answer = run(DatasetOperations.IMPORT, new DatasetOperations.Import(name, file.toAbsolutePath(), key,
                    Optional.ofNullable(label), split.request()));
            print(answer, () -> printWritten(answer));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List datasets at their latest version.")
    static final class ListDatasets extends DatasetCommand {
        @Override
        public Integer call() {
            JsonNode answer = run(DatasetOperations.LIST, Codec.Empty.REQUEST);
            print(answer, () -> {
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
                JsonNode answer = run(DatasetOperations.VERSIONS, dataset);
                print(answer, () -> answer.forEach(this::printVersion));
                return 0;
            }
            JsonNode answer = run(DatasetOperations.SHOW, dataset);
            print(answer, () -> {
                printVersion(answer);
                DatasetManifest m = manifest(answer);
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
                out().println("profile:");
                m.profile().fields().forEachRemaining(e -> out().printf("  %-32s min %s  max %s  nulls %s%%  distinct ~%s%n",
                        e.getKey(), e.getValue().path("min").asText(), e.getValue().path("max").asText(),
                        e.getValue().path("null_percentage").asText(), e.getValue().path("approx_unique").asText()));
                out().println("lineage: seer lineage dataset " + answer.path("dataset").asText());
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
            JsonNode answer = run(DatasetOperations.DIFF, new DatasetOperations.Diff(a, b, key));
            print(answer, () -> {
                out().printf("%s -> %s by %s%n", answer.path("a").asText(), answer.path("b").asText(), answer.path("key"));
                answer.path("schema").forEach(c -> out().printf("  column %-24s %s %s%n", c.path("column").asText(),
                        c.path("change").asText(), c.has("type_a") && c.has("type_b")
                                ? c.path("type_a").asText() + " -> " + c.path("type_b").asText()
                                : c.has("type_b") ? c.path("type_b").asText() : c.path("type_a").asText()));
                JsonNode rows = answer.path("rows");
                out().printf("rows: %,d added, %,d removed, %,d changed%n", rows.path("added").asLong(),
                        rows.path("removed").asLong(), rows.path("changed").asLong());
                answer.path("samples").fields().forEachRemaining(e -> {
                    if (e.getValue().size() > 0) {
                        out().println("  e.g. " + e.getKey() + ": " + e.getValue());
                    }
                });
                out().println("statistics (a | b):");
                answer.path("statistics").fields().forEachRemaining(e -> out().printf("  %-28s mean %s | %s  nulls %s%% | %s%%%n",
                        e.getKey(), e.getValue().path("a").path("avg").asText("-"), e.getValue().path("b").path("avg").asText("-"),
                        e.getValue().path("a").path("null_percentage").asText("-"),
                        e.getValue().path("b").path("null_percentage").asText("-")));
            });
            return 0;
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
            JsonNode answer = run(DatasetOperations.EXPORT, new DatasetOperations.Export(dataset,
                    Optional.ofNullable(split), out.toAbsolutePath()));
            print(answer, () -> out().println("Wrote " + answer.path("out").asText()));
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Hash every stored object again and check every version's objects are there; exit 1 on a problem.")
    static final class Verify extends DatasetCommand {
        @Override
        public Integer call() {
            JsonNode answer = run(DatasetOperations.VERIFY, Codec.Empty.REQUEST);
            print(answer, () -> {
                out().printf("%,d objects, %,d bytes hashed: %s%n", answer.path("objects").asInt(), answer.path("bytes").asLong(),
                        answer.path("ok").asBoolean() ? "all intact" : answer.path("problems").size() + " problem(s)");
                answer.path("problems").forEach(p -> out().println("  " + p.path("message").asText() + " (used by "
                        + p.path("used_by") + ")"));
            });
            return answer.path("ok").asBoolean() ? 0 : 1;
        }
    }

    @Command(name = "gc", mixinStandardHelpOptions = true,
            description = "Remove stored objects no version references and what interrupted writes left.")
    static final class Gc extends DatasetCommand {
        @Option(names = "--dry-run", description = "Only list what would be removed.")
        boolean dryRun;

        @Override
        public Integer call() {
            JsonNode answer = run(DatasetOperations.GC, dryRun);
            print(answer, () -> {
                out().printf("%s %d objects (%,d bytes) and %d leftovers%n", dryRun ? "Would remove" : "Removed",
                        answer.path("objects").size(), answer.path("bytes").asLong(), answer.path("leftovers").size());
                answer.path("objects").forEach(o -> out().println("  object " + o.asText()));
                answer.path("leftovers").forEach(o -> out().println("  leftover " + o.asText()));
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
            JsonNode answer = run(DatasetOperations.REPRODUCE, dataset);
            print(answer, () -> {
                out().printf("%s: %s (recorded %s, reproduced %s)%n", answer.path("dataset").asText(),
                        answer.path("same").asBoolean() ? "same hash" : "DIFFERENT", answer.path("recorded_hash").asText(),
                        answer.path("reproduced_hash").asText());
                answer.path("recorded_splits").fields().forEachRemaining(e -> out().printf("  split %-10s %s%n", e.getKey(),
                        e.getValue().asText().equals(answer.path("reproduced_splits").path(e.getKey()).asText()) ? "same hash"
                                : "DIFFERENT (recorded " + e.getValue().asText() + ", reproduced "
                                + answer.path("reproduced_splits").path(e.getKey()).asText() + ")"));
            });
            return answer.path("same").asBoolean() ? 0 : 1;
        }
    }

    @Command(name = "lineage", mixinStandardHelpOptions = true, description = "Where something came from.",
            subcommands = {LineageDataset.class})
    static final class Lineage {
    }

    @Command(name = "dataset", mixinStandardHelpOptions = true,
            description = "A dataset version's lineage: entity file, features, view versions, ingested batches and offsets.")
    static final class LineageDataset extends DatasetCommand {
        @Parameters(paramLabel = "NAME[:VERSION]")
        String dataset;

        @Override
        public Integer call() {
            JsonNode answer = run(DatasetOperations.LINEAGE, dataset);
            print(answer, () -> printLineage(answer));
            return 0;
        }

        private void printLineage(JsonNode answer) {
            JsonNode lineage = answer.path("lineage");
            out().printf("%s  %,d rows  sha256 %s  created %s by %s%n", answer.path("dataset").asText(),
                    answer.path("rows").asLong(), answer.path("content_hash").asText(), answer.path("created").asText(),
                    answer.path("creator").asText());
            if (lineage.path("kind").asText().equals("import")) {
                out().println("└─ imported from " + lineage.path("file").path("path").asText());
                return;
            }
            out().printf("├─ entities %s (sha256 %s, %,d rows)%n", lineage.path("entities").path("path").asText(),
                    lineage.path("entities").path("sha256").asText(), lineage.path("entities").path("rows").asLong());
            out().println("├─ features " + lineage.path("features") + (lineage.has("feature_service") ? " (feature service "
                    + lineage.path("feature_service").path("name").asText() + " version "
                    + lineage.path("feature_service").path("version").asInt() + ": " + lineage.path("feature_refs") + ")" : "")
                    + ", options " + lineage.path("options"));
            JsonNode views = answer.path("batches");
            for (int v = 0; v < views.size(); v++) {
                JsonNode view = views.get(v);
                boolean last = v == views.size() - 1;
                out().printf("%s view %s version %d: %d batches%n", last ? "└─" : "├─", view.path("view").asText(),
                        view.path("version").asInt(), view.path("batches").size());
                for (JsonNode batch : view.path("batches")) {
                    JsonNode kafka = batch.path("kafka");
                    String from = kafka.isObject() ? String.format(Locale.ROOT, "kafka %s partition %d offsets %d..%d",
                            kafka.path("topic").asText(), kafka.path("partition").asInt(), kafka.path("first_offset").asLong(),
                            kafka.path("last_offset").asLong())
                            : "file " + batch.path("path").asText() + " (sha256 " + batch.path("content_hash").asText() + ")";
                    out().printf("%s  └─ batch %s of source %s, ingested %s: %s%s%n", last ? " " : "│", batch.path("batch_id").asText(),
                            batch.path("source").asText(), batch.path("ingested_at").asText(), from,
                            batch.has("matched_rows") ? String.format(Locale.ROOT, "; %,d rows matched",
                                    batch.path("matched_rows").asLong()) : "");
                }
            }
        }
    }
}
