package dev.seer.cli;

import dev.seer.datasets.LineageReport;
import dev.seer.registry.tracking.Run;
import dev.seer.registry.versions.AliasMove;
import dev.seer.registry.versions.ModelVersion;
import dev.seer.registry.versions.RegisteredModel;
import dev.seer.registry.versions.VersionCheck;
import dev.seer.server.Codec;
import dev.seer.server.ModelOperations;
import dev.seer.server.OnlineModelOperations;
import dev.seer.server.RetrainOperations;
import dev.seer.serving.online.FtrlSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code seer models ...} and {@code seer lineage model}: the model registry. */
final class ModelCommands {
    private ModelCommands() {}

    @Command(name = "models", mixinStandardHelpOptions = true,
            description = {"Registered models: immutable versions with their run, dataset, signature and metrics, and",
                    "aliases (champion, challenger, any name) whose every move is kept."},
            subcommands = {ListModels.class, Show.class, Register.class, Import.class, Alias.class, Unalias.class,
                    Protect.class, Check.class, History.class, At.class, TrainingCommands.Promote.class,
                    TrainingCommands.Card.class, CreateOnline.class, Online.class, Snapshot.class})
    static final class Models {
    }

    /** {@code NAME:VERSION}, the version a positive whole number. */
    static ModelOperations.VersionRef versionRef(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 1) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new Models()), "[" + text
                    + "] must be NAME:VERSION");
        }
        try {
            int version = Integer.parseInt(text.substring(colon + 1));
            if (version < 1) {
                throw new NumberFormatException();
            }
            return new ModelOperations.VersionRef(text.substring(0, colon), version);
        } catch (NumberFormatException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new Models()), "[" + text
                    + "]: the version must be a positive whole number");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List registered models with their aliases.")
    static final class ListModels extends CliCommand {
        @Override
        public Integer call() {
            List<RegisteredModel> models = call(ModelOperations.MODELS, Codec.Empty.REQUEST);
            show(ModelOperations.MODELS, models, () -> {
                if (models.isEmpty()) {
                    out().println("No registered models yet. Register one with: seer models register RUN --name NAME");
                }
                models.forEach(m -> out().printf("%-32s aliases %s  updated %s%n", m.name(), m.aliases(), m.updated()));
            });
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A model and its versions (NAME), or one"
            + " version (NAME:VERSION).")
    static final class Show extends CliCommand {
        @Parameters(paramLabel = "NAME[:VERSION]")
        String model;

        @Override
        public Integer call() {
            if (model.contains(":")) {
                ModelVersion v = call(ModelOperations.VERSION, versionRef(model));
                show(ModelOperations.VERSION, v, () -> printVersion(v));
                return 0;
            }
            ModelOperations.ModelView view = call(ModelOperations.MODEL, model);
            show(ModelOperations.MODEL, view, () -> {
                out().printf("model %s: %s%n", view.model().name(), view.model().description());
                out().println("aliases: " + view.model().aliases());
                view.versions().forEach(v -> out().printf("  version %-4d %-24s run %-32s %s%n", v.version(), v.created(),
                        v.runId().orElse("-"), v.aliases().isEmpty() ? "" : v.aliases()));
            });
            return 0;
        }

        private void printVersion(ModelVersion v) {
            out().printf("%s  created %s by %s  source %s%n", v, v.created(), v.userId(), v.source());
            v.runId().ifPresent(r -> out().println("run: " + r));
            v.details().artifactSha256().ifPresent(h -> out().println("model file: sha256 " + h + ", format "
                    + v.details().format().orElse("?")));
            v.details().signature().ifPresent(s -> out().println("signature: " + s));
            v.details().dataset().ifPresent(d -> out().println("dataset: " + d));
            v.details().featureService().ifPresent(f -> out().println("feature service: " + f));
            v.details().metrics().forEach((k, m) -> out().printf("  metric %-24s %s%n", k, m));
            v.checks().forEach(c -> out().printf("  check %-24s %s  %s (%s, %s)%n", c.check(), c.passed() ? "passed"
                    : "FAILED", c.detail(), c.actor(), c.recorded()));
            if (!v.aliases().isEmpty()) {
                out().println("aliases: " + v.aliases());
            }
        }
    }

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = {"Register the model a run logged as the next version of NAME (creating NAME on first use).",
                    "The run's model folder holds the model file and seer-model.json (format, file, signature); the file",
                    "is checked against the signature before anything is recorded."})
    static final class Register extends CliCommand {
        @Parameters(paramLabel = "RUN")
        String run;

        @Option(names = "--name", required = true, paramLabel = "NAME")
        String name;

        @Option(names = "--folder", defaultValue = "model", paramLabel = "PATH",
                description = "The run's artifact folder holding the model (default: ${DEFAULT-VALUE}).")
        String folder;

        @Option(names = "--format", paramLabel = "FORMAT", description = "xgboost-json, xgboost-ubj, onnx or seer-linear,"
                + " if the folder does not say.")
        String format;

        @Option(names = "--signature", paramLabel = "SIG", description = "e.g. age:float64,income:float64->probability,"
                + " if the folder does not say.")
        String signature;

        @Option(names = "--description", defaultValue = "", paramLabel = "TEXT")
        String description;

        @Override
        public Integer call() {
            ModelVersion v = call(ModelOperations.REGISTER, new ModelOperations.Register(name, run, folder,
                    Optional.ofNullable(format), Optional.ofNullable(signature), description));
            show(ModelOperations.REGISTER, v, () -> out().println("Registered " + v + " from run " + run));
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Register a model trained elsewhere; the file is checked against the signature first.")
    static final class Import extends CliCommand {
        @Option(names = "--name", required = true, paramLabel = "NAME")
        String name;

        @Option(names = "--format", required = true, paramLabel = "FORMAT",
                description = "xgboost-json, xgboost-ubj, onnx or seer-linear.")
        String format;

        @Option(names = "--file", required = true, paramLabel = "FILE")
        Path file;

        @Option(names = "--signature", required = true, paramLabel = "SIG",
                description = "Inputs and output, e.g. age:float64,income:float64->probability.")
        String signature;

        @Option(names = "--description", defaultValue = "", paramLabel = "TEXT")
        String description;

        @Override
        public Integer call() {
            ModelVersion v = call(ModelOperations.IMPORT, new ModelOperations.Import(name, file.toAbsolutePath(), format,
                    signature, description));
            show(ModelOperations.IMPORT, v, () -> out().println("Registered " + v + " (sha256 "
                    + v.details().artifactSha256().orElse("?") + ")"));
            return 0;
        }
    }

    @Command(name = "create-online", mixinStandardHelpOptions = true,
            description = {"Create an online model (online_logistic: logistic regression by FTRL-Proximal, McMahan et",
                    "al. 2013) of numeric inputs. Version 1 is the untrained model (1/2 for everyone); deploy it, and",
                    "every outcome sent as feedback on its predictions teaches it. The server registers what it learnt",
                    "as a new version every online-learning.snapshot-every and moves the deployments it champions there."})
    static final class CreateOnline extends CliCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--feature-service", paramLabel = "SERVICE", description = {"Inputs from this feature service",
                "(its latest version), fetched from the online store by the entity at predict time, first."})
        String featureService;

        @Option(names = "--features", split = ",", paramLabel = "NAME",
                description = "Inputs given in each predict request, in order, separated by commas.")
        List<String> features = List.of();

        @Option(names = "--alpha", defaultValue = "0.1", paramLabel = "X",
                description = "Learning rate scale: larger learns and forgets faster (default: ${DEFAULT-VALUE}).")
        double alpha;

        @Option(names = "--beta", defaultValue = "1", paramLabel = "X",
                description = "Damps the first steps (default: ${DEFAULT-VALUE}).")
        double beta;

        @Option(names = "--l1", defaultValue = "0", paramLabel = "X",
                description = "L1 penalty: weights that stay within it are exactly 0 (default: ${DEFAULT-VALUE}).")
        double l1;

        @Option(names = "--l2", defaultValue = "1", paramLabel = "X",
                description = "L2 penalty (default: ${DEFAULT-VALUE}).")
        double l2;

        @Option(names = "--description", defaultValue = "", paramLabel = "TEXT")
        String description;

        @Override
        public Integer call() {
            ModelVersion v = call(OnlineModelOperations.CREATE, new OnlineModelOperations.Create(name,
                    Optional.ofNullable(featureService), features, new FtrlSettings(alpha, beta, l1, l2), description));
            show(OnlineModelOperations.CREATE, v, () -> out().println("Created online model " + name + ": registered " + v
                    + " (untrained); deploy it with: seer deploy DEPLOYMENT --model " + name + " --version " + v.version()));
            return 0;
        }
    }

    @Command(name = "online", mixinStandardHelpOptions = true,
            description = "What an online model has learnt: updates in all, since its last version, and its settings.")
    static final class Online extends CliCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            OnlineModelOperations.Shown s = call(OnlineModelOperations.SHOW, name);
            show(OnlineModelOperations.SHOW, s, () -> {
                out().printf("online model %s (online_logistic) of %s%n", s.model(), s.features());
                out().printf("learnt from %d outcomes, %d since version %d%s%n", s.updates(), s.pending(), s.version(),
                        s.lastLearntAt().map(t -> "; last at " + t).orElse(""));
                out().printf("FTRL-Proximal alpha %s, beta %s, l1 %s, l2 %s%n", s.settings().alpha(), s.settings().beta(),
                        s.settings().l1(), s.settings().l2());
            });
            return 0;
        }
    }

    @Command(name = "snapshot", mixinStandardHelpOptions = true,
            description = {"Register what an online model has learnt as its next version now, and move every deployment",
                    "whose champion is an older version of it there (as the server's schedule does)."})
    static final class Snapshot extends CliCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            OnlineModelOperations.Snapshot s = call(OnlineModelOperations.SNAPSHOT, name);
            show(OnlineModelOperations.SNAPSHOT, s, () -> out().println(s.registered().map(v -> "Registered " + s.model()
                    + ":" + v + " after " + s.updates() + " outcomes; deployments moved: " + (s.deployments().isEmpty()
                    ? "none" : String.join(", ", s.deployments())))
                    .orElse("Nothing learnt since " + s.model() + ":" + s.version() + "; no version registered")));
            return 0;
        }
    }

    @Command(name = "alias", mixinStandardHelpOptions = true,
            description = "Point ALIAS of a model at a version; a protected alias needs the version's check to have"
                    + " passed, or --override REASON (admin).")
    static final class Alias extends CliCommand {
        @Parameters(index = "0", paramLabel = "NAME:VERSION")
        String version;

        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, kept with the move.")
        String reason;

        @Option(names = "--override", paramLabel = "REASON", description = "Move a protected alias without a passing"
                + " check (admin only); the reason is recorded and audited.")
        String override;

        @Override
        public Integer call() {
            ModelOperations.VersionRef ref = versionRef(version);
            AliasMove move = call(ModelOperations.SET_ALIAS, new ModelOperations.SetAlias(ref.model(), alias, ref.version(),
                    reason, Optional.ofNullable(override)));
            show(ModelOperations.SET_ALIAS, move, () -> out().printf("%s of %s now points at version %d (%s)%n", alias,
                    ref.model(), ref.version(), move.grounds()));
            return 0;
        }
    }

    @Command(name = "unalias", mixinStandardHelpOptions = true, description = "Remove ALIAS of a model (a protected one"
            + " only with --override, admin).")
    static final class Unalias extends CliCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String model;

        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;

        @Option(names = "--reason", required = true, paramLabel = "TEXT")
        String reason;

        @Option(names = "--override", paramLabel = "REASON")
        String override;

        @Override
        public Integer call() {
            AliasMove move = call(ModelOperations.REMOVE_ALIAS, new ModelOperations.RemoveAlias(model, alias, reason,
                    Optional.ofNullable(override)));
            show(ModelOperations.REMOVE_ALIAS, move, () -> out().printf("%s of %s removed (%s)%n", alias, model,
                    move.grounds()));
            return 0;
        }
    }

    @Command(name = "protect", mixinStandardHelpOptions = true, description = "Protect ALIAS of a model: from now on it"
            + " moves only to a version on which CHECK passed, or with an admin's override (admin).")
    static final class Protect extends CliCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String model;

        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;

        @Option(names = "--check", defaultValue = "comparison", paramLabel = "CHECK",
                description = "The check a version must pass (default: ${DEFAULT-VALUE}, the promotion gate's).")
        String check;

        @Override
        public Integer call() {
            ModelOperations.Protect p = call(ModelOperations.PROTECT, new ModelOperations.Protect(model, alias, check));
            show(ModelOperations.PROTECT, p, () -> out().printf("%s of %s is protected by check %s%n", alias, model, check));
            return 0;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true, description = "Record the outcome of a check on a version.")
    static final class Check extends CliCommand {
        @Parameters(index = "0", paramLabel = "NAME:VERSION")
        String version;

        @Parameters(index = "1", paramLabel = "CHECK")
        String check;

        @Option(names = "--passed", description = "The check passed (without it: failed).")
        boolean passed;

        @Option(names = "--detail", defaultValue = "", paramLabel = "TEXT", description = "What it found, e.g. p = 0.004.")
        String detail;

        @Override
        public Integer call() {
            ModelOperations.VersionRef ref = versionRef(version);
            VersionCheck c = call(ModelOperations.CHECK, new ModelOperations.Check(ref.model(), ref.version(), check, passed,
                    detail));
            show(ModelOperations.CHECK, c, () -> out().printf("%s on %s: %s%n", check, version, c.passed() ? "passed"
                    : "failed"));
            return 0;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Every move of every alias of a model:"
            + " when, to which version, who, why, on what grounds.")
    static final class History extends CliCommand {
        @Parameters(paramLabel = "NAME")
        String model;

        @Override
        public Integer call() {
            List<AliasMove> moves = call(ModelOperations.HISTORY, model);
            show(ModelOperations.HISTORY, moves, () -> {
                out().printf("%-24s %-12s %-8s %-20s %-28s %s%n", "TIME", "ALIAS", "VERSION", "ACTOR", "GROUNDS", "REASON");
                moves.forEach(m -> out().printf("%-24s %-12s %-8s %-20s %-28s %s%n", m.at(), m.alias(),
                        m.version().map(String::valueOf).orElse("removed"), m.actor(), m.grounds(), m.reason()));
            });
            return 0;
        }
    }

    @Command(name = "at", mixinStandardHelpOptions = true, description = "Which version an alias pointed at at a time:"
            + " which model was in production that day.")
    static final class At extends CliCommand {
        @Parameters(paramLabel = "NAME")
        String model;

        @Option(names = "--time", required = true, paramLabel = "TIME", description = "An ISO-8601 instant,"
                + " e.g. 2026-11-20T12:00:00Z.")
        Instant time;

        @Option(names = "--alias", defaultValue = "champion", paramLabel = "ALIAS",
                description = "Default: ${DEFAULT-VALUE}.")
        String alias;

        @Override
        public Integer call() {
            ModelOperations.AtAnswer answer = call(ModelOperations.AT, new ModelOperations.At(model, alias, time));
            show(ModelOperations.AT, answer, () -> out().println(answer.version().map(v -> model + ":" + v + " was " + alias
                    + " at " + time).orElse(model + " had no " + alias + " at " + time)));
            return answer.version().isPresent() ? 0 : 3;
        }
    }

    @Command(name = "prediction", mixinStandardHelpOptions = true, description = "A logged prediction's lineage: the"
            + " prediction, the model version that made it, its run, dataset version, view versions and batches.")
    static final class LineagePrediction extends CliCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            var prediction = call(dev.seer.server.PredictOperations.PREDICTION, new dev.seer.server.PredictOperations.Show(id,
                    false)).prediction();
            ModelOperations.Lineage lineage = call(ModelOperations.LINEAGE, new ModelOperations.VersionRef(prediction.model(),
                    prediction.modelVersion()));
            if (cli().json()) {
                var json = dev.seer.core.Json.object();
                json.set("prediction", prediction.toJson());
                json.set("model", ModelOperations.LINEAGE.encodeResponse(lineage));
                printJson(json);
                return 0;
            }
            out().printf("prediction %s  %s  deployment %s, arm %s%s  output %s  %d features (%d missing)%n", prediction.id(),
                    prediction.time(), prediction.deployment(), prediction.arm(), prediction.entity().isEmpty() ? ""
                    : "  entity " + prediction.entity(), java.util.Arrays.toString(prediction.output()),
                    prediction.features().size(), prediction.features().stream().filter(f -> Double.isNaN(f.value())).count());
            out().print("└─ ");
            new LineageModel().withSpec(spec).printLineage(lineage);
            return 0;
        }
    }

    @Command(name = "model", mixinStandardHelpOptions = true, description = "A model version's lineage: the run that"
            + " trained it, the version it continued (continued training), the dataset version, the view versions and"
            + " every ingested batch.")
    static final class LineageModel extends CliCommand {
        @Parameters(paramLabel = "NAME:VERSION")
        String version;

        /** This command's printing, for another command's output (the prediction's lineage). */
        LineageModel withSpec(picocli.CommandLine.Model.CommandSpec other) {
            this.spec = other;
            return this;
        }

        @Override
        public Integer call() {
            ModelOperations.Lineage lineage = call(ModelOperations.LINEAGE, versionRef(version));
            show(ModelOperations.LINEAGE, lineage, () -> printLineage(lineage));
            return 0;
        }

        void printLineage(ModelOperations.Lineage lineage) {
            ModelVersion v = lineage.version();
            out().printf("model %s  created %s  sha256 %s  format %s%n", v, v.created(),
                    v.details().artifactSha256().orElse("-"), v.details().format().orElse("-"));
            Optional<Run> run = lineage.run();
            if (run.isEmpty()) {
                out().println("└─ no run: " + v.source());
                return;
            }
            Run r = run.get();
            out().printf("└─ run %s (%s), %s, experiment %s%s%n", r.id(), r.name(), r.status(), r.experimentId(),
                    r.provenance().map(p -> ", spec " + p.specHash().orElse("-") + ", seed " + (p.seed().isPresent()
                            ? Long.toString(p.seed().getAsLong()) : "-")).orElse(""));
            String retraining = r.tags().get(RetrainOperations.TAG_PREFIX + "id");
            if (retraining != null) {
                out().printf("   ├─ retraining %s of deployment %s, on %s, from its labelled predictions in %s%n", retraining,
                        r.tags().get(RetrainOperations.TAG_PREFIX + "deployment"),
                        r.tags().get(RetrainOperations.TAG_PREFIX + "trigger"),
                        r.tags().get(RetrainOperations.TAG_PREFIX + "range"));
            }
            r.provenance().flatMap(p -> p.continuedFrom()).ifPresent(parent -> out().printf(
                    "   ├─ continued from model %s (its trees kept, more rounds boosted on the dataset below)%n", parent));
            if (lineage.dataset().isEmpty()) {
                out().println("   └─ no dataset version recorded");
                return;
            }
            LineageReport dataset = lineage.dataset().get();
            out().printf("   └─ dataset %s  %,d rows  sha256 %s%n", dataset.dataset(), dataset.rows(), dataset.contentHash());
            dataset.batches().views().forEach(view -> {
                out().printf("      └─ view %s version %d: %d batches%n", view.view(), view.version(), view.batches().size());
                view.batches().forEach(b -> out().printf("         └─ batch %s of %s: %s%n", b.batchId(), b.source(),
                        b.kafka().map(k -> "kafka " + k.topic() + " partition " + k.partition() + " offsets "
                                + k.firstOffset() + ".." + k.lastOffset()).orElse("file " + b.path() + " (sha256 "
                                + b.contentHash() + ")")));
            });
        }
    }
}
