package dev.seer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.catalog.CatalogEntry;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.stream.Streaming;
import dev.seer.server.OnlineOperations;
import dev.seer.server.StreamOperations;
import dev.seer.server.Codec;
import dev.seer.server.FeatureOperations;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The feature definition commands: plan, apply, features list|show. */
final class FeatureCommands {
    private FeatureCommands() {}

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = "Show what applying a feature repository would change, without changing anything.")
    static final class Plan extends CliCommand {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "DIR|FILE",
                description = "A YAML file, or a folder of them, with entities, sources, feature_views, feature_services.")
        Path location;

        @Override
        public Integer call() {
            try (Backend backend = cli().backend("plan")) {
                print(this, backend.call(FeatureOperations.PLAN, location), "would");
            }
            return 0;
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = {"Validate a feature repository and record every new or changed definition as a new version.",
                    "Applying the same repository again changes nothing."})
    static final class Apply extends CliCommand {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "DIR|FILE",
                description = "A YAML file, or a folder of them, with entities, sources, feature_views, feature_services.")
        Path location;

        @Override
        public Integer call() {
            try (Backend backend = cli().backend("apply")) {
                print(this, backend.call(FeatureOperations.APPLY, location), "did");
            }
            return 0;
        }
    }

    private static void print(CliCommand command, List<FeatureRegistry.Change> changes, String mood) {
        if (command.cli().json()) {
            command.printJson(FeatureOperations.PLAN.encodeResponse(changes));
            return;
        }
        for (FeatureRegistry.Change change : changes) {
            String what = switch (change.action()) {
                case CREATE -> "create  v" + change.version();
                case UPDATE -> "update  v" + (change.version() - 1) + " -> v" + change.version();
                case UNCHANGED -> "same    v" + change.version();
            };
            command.out().printf("%-16s %-28s %s%n", change.kind(), change.name(), what);
        }
        long changed = changes.stream().filter(c -> c.action() != FeatureRegistry.Action.UNCHANGED).count();
        command.out().println(changed == 0 ? "Nothing to change." : "Apply " + mood + " change " + changed
                + " definition" + (changed == 1 ? "" : "s") + ".");
    }

    @Command(name = "features", mixinStandardHelpOptions = true, description = "Read feature view definitions.",
            subcommands = {Features.ListViews.class, Features.Show.class, Features.Historical.class, Features.Get.class,
                    Features.Status.class, Features.CheckConsistency.class})
    static final class Features {
        @Command(name = "check-consistency", mixinStandardHelpOptions = true,
                description = {"Recompute a view's window aggregates in batch from the offline store for a random sample",
                        "of its entities and compare them with the online values at the same time. Exits 1 if any differ.",
                        "Differences can also mean the stream is behind: see `seer features status` for lag."})
        static final class CheckConsistency extends CliCommand {
            @picocli.CommandLine.Parameters(index = "0", paramLabel = "VIEW", description = "A feature view with aggregations.")
            String view;

            @picocli.CommandLine.Option(names = "--sample", defaultValue = "100", paramLabel = "N",
                    description = "Entities to check, at random (default: 100).")
            int sample;

            @picocli.CommandLine.Option(names = "--at", paramLabel = "TIME",
                    description = "ISO-8601 time to compute both sides at (default: now).")
            java.time.Instant at;

            @Override
            public Integer call() {
                try (Backend backend = cli().backend("features check-consistency")) {
                    var report = backend.call(FeatureOperations.CONSISTENCY,
                            new FeatureOperations.Consistency(view, sample, java.util.Optional.ofNullable(at)));
                    if (cli().json()) {
                        printJson(FeatureOperations.CONSISTENCY.encodeResponse(report));
                    } else {
                        out().printf("%s at %s: %,d entities sampled, %,d compared (%,d values, %,d without online state),"
                                + " %,d skipped, %,d differ%n", report.view(), report.at(), report.sampled(), report.compared(),
                                report.values(), report.missingOnline(), report.skipped().size(), report.differences().size());
                        for (var s : report.skipped()) {
                            out().printf("  skipped %-24s %s%n", s.entity(), s.reason());
                        }
                        for (var d : report.differences()) {
                            out().printf("  %-24s %-32s online %-14s batch %s%n", d.entity(), d.feature(), d.online(), d.batch());
                        }
                    }
                    return report.consistent() ? 0 : 1;
                }
            }
        }

        @Command(name = "status", mixinStandardHelpOptions = true,
                description = {"Streaming sources: records not yet in the offline store per partition (lag), the",
                        "partitions this server ingests, freshness (event time to online) of recent events, and the",
                        "state of the window aggregation topology."})
        static final class Status extends CliCommand {
            @Override
            public Integer call() {
                try (Backend backend = cli().backend("features status")) {
                    StreamOperations.Report status = backend.call(StreamOperations.STATUS, Codec.Empty.REQUEST);
                    if (cli().json()) {
                        printJson(StreamOperations.STATUS.encodeResponse(status));
                        return 0;
                    }
                    out().println("streaming: " + status.state().name().toLowerCase(Locale.ROOT)
                            + (status.error().isEmpty() ? "" : " (" + status.error() + ")"));
                    status.sources().forEach(this::print);
                    if (status.sources().isEmpty()) {
                        out().println("No push or kafka source is defined.");
                    }
                }
                return 0;
            }

            private void print(Streaming.SourceStatus source) {
                long lag = source.lag().values().stream().mapToLong(Long::longValue).sum();
                ObjectNode partitions = Json.object();
                source.lag().forEach((partition, records) -> partitions.put(Integer.toString(partition), records));
                out().printf("%-20s topic %-24s lag %,d %s  ingested %,d  dead-lettered %,d  freshness p50 %s p99 %s%n",
                        source.source(), source.topic(), lag, partitions, source.ingested(), source.deadLettered(),
                        seconds(source.freshnessP50()), seconds(source.freshnessP99()));
                if (!source.windows().isEmpty()) {
                    out().printf("%-20s window aggregates (Kafka Streams): %s, %,d events, %,d entity states written online,"
                            + " freshness p50 %s p99 %s%n", "", source.windows(), source.windowEvents(), source.windowWrites(),
                            seconds(source.windowFreshnessP50()), seconds(source.windowFreshnessP99()));
                }
            }
        }

        /** A freshness in seconds; {@code -} before anything was measured. */
        private static String seconds(double value) {
            return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.3f s", value);
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "List feature views at their latest version.")
        static final class ListViews extends CliCommand {
            @Override
            public Integer call() {
                try (Backend backend = cli().backend("features list")) {
                    List<CatalogEntry> views = backend.call(FeatureOperations.VIEWS, Codec.Empty.REQUEST);
                    if (cli().json()) {
                        printJson(FeatureOperations.VIEWS.encodeResponse(views));
                        return 0;
                    }
                    out().printf("%-28s %-8s %-10s %-24s %s%n", "VIEW", "VERSION", "FEATURES", "SOURCE", "CREATED");
                    for (CatalogEntry view : views) {
                        out().printf("%-28s %-8d %-10d %-24s %s%n", view.name(), view.version(),
                                view.body().path("features").size(), view.body().path("source").asText(), view.created());
                    }
                }
                return 0;
            }
        }

        @Command(name = "historical", mixinStandardHelpOptions = true,
                description = {"Point-in-time join: every row of the entity file (join keys and event_timestamp), in order,",
                        "duplicates kept, followed by one column per feature named view__feature, as of that row's time."})
        static final class Historical extends CliCommand {
            @Option(names = "--entities", required = true, paramLabel = "FILE",
                    description = "CSV or Parquet with the join keys and event_timestamp (ISO-8601; no offset means UTC).")
            Path entities;

            @Option(names = "--features", required = true, split = ",", paramLabel = "REFS",
                    description = "view:feature references, comma-separated, or one feature service name.")
            List<String> features;

            @Option(names = "--out", required = true, paramLabel = "OUT", description = "Output file, .csv or .parquet.")
            Path out;

            @Option(names = "--filter-by-created-timestamp",
                    description = "Ignore feature rows created after the entity row's time.")
            boolean filterByCreated;

            @Override
            public Integer call() {
                try (Backend backend = cli().backend("features historical")) {
                    var report = backend.call(FeatureOperations.HISTORICAL,
                            new FeatureOperations.Historical(entities, features, out, filterByCreated));
                    if (cli().json()) {
                        printJson(FeatureOperations.HISTORICAL.encodeResponse(report));
                    } else {
                        out().printf("Wrote %,d rows (%,d view matches) with %s to %s%n", report.rows(), report.matched(),
                                report.columns(), report.out());
                    }
                }
                return 0;
            }
        }

        @Command(name = "get", mixinStandardHelpOptions = true,
                description = "Online lookup: current values with their status (present, missing, expired) and event time.")
        static final class Get extends CliCommand {
            @Option(names = "--features", required = true, split = ",", paramLabel = "REFS",
                    description = "view:feature references, comma-separated, or one feature service name.")
            List<String> features;

            @Option(names = "--entity", required = true, paramLabel = "KEY=VALUE[,KEY=VALUE]",
                    description = "One entity's join keys; repeat for more entities (up to 1000).")
            List<String> entities;

            @Override
            public Integer call() {
                java.util.Map<String, List<String>> columns = new java.util.LinkedHashMap<>();
                for (String entity : entities) {
                    for (String pair : entity.split(",")) {
                        String[] kv = pair.split("=", 2);
                        if (kv.length != 2 || kv[0].isBlank()) {
                            throw new dev.seer.core.SeerException(dev.seer.core.CoreErrorCode.INVALID_ARGUMENT,
                                    "--entity [" + entity + "] must be KEY=VALUE[,KEY=VALUE]", java.util.Map.of("entity", entity));
                        }
                        columns.computeIfAbsent(kv[0].trim(), k -> new java.util.ArrayList<>()).add(kv[1].trim());
                    }
                }
                try (Backend backend = cli().backend("features get")) {
                    var results = backend.call(OnlineOperations.ONLINE, new OnlineOperations.Lookup(features, columns));
                    if (cli().json()) {
                        printJson(OnlineOperations.ONLINE.encodeResponse(results));
                        return 0;
                    }
                    for (var result : results) {
                        out().println(result.entity());
                        for (var value : result.values()) {
                            out().printf("  %-32s %-10s %-8s %s%n", value.feature(), value.value(),
                                    value.status().name().toLowerCase(java.util.Locale.ROOT),
                                    value.eventTime().map(Object::toString).orElse(""));
                        }
                    }
                }
                return 0;
            }
        }

        /** No standard -V/--version here: --version names the view's version, as the issue asks. */
        @Command(name = "show", description = "Show one feature view definition.")
        static final class Show extends CliCommand {
            @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
            boolean help;

            @Parameters(paramLabel = "VIEW", description = "The feature view's name.")
            String view;

            @Option(names = "--version", paramLabel = "N", description = "A past version (default: the latest).")
            Integer version;

            @Override
            public Integer call() {
                try (Backend backend = cli().backend("features show")) {
                    CatalogEntry entry = backend.call(FeatureOperations.VIEW,
                            new FeatureOperations.View(view, Optional.ofNullable(version)));
                    if (cli().json()) {
                        printJson(FeatureOperations.VIEW.encodeResponse(entry));
                    } else {
                        out().println(entry.name() + " v" + entry.version() + " (created " + entry.created() + " by "
                                + entry.createdBy() + ", hash " + entry.bodyHash().substring(0, 12) + ")");
                        out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(entry.body()));
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
                return 0;
            }
        }
    }
}
