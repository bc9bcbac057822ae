package dev.seer.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.datasets.DatasetLineage;
import dev.seer.datasets.DatasetRef;
import dev.seer.datasets.LineageReport;
import dev.seer.models.Signature;
import dev.seer.registry.RegistryErrorCode;
import dev.seer.registry.artifacts.ArtifactPath;
import dev.seer.registry.tracking.Run;
import dev.seer.registry.versions.ModelVersion;
import dev.seer.registry.versions.VersionCheck;
import dev.seer.training.GlobalExplanations;
import dev.seer.training.card.ModelCard;
import dev.seer.training.evaluation.EvaluationReport;
import dev.seer.training.metrics.Scored;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gathers what a model card says from where it was recorded: the version (registry), its run and
 * artifacts (evaluation report, held-out predictions, descriptor), and its dataset's lineage.
 */
final class ModelCards {
    private ModelCards() {}

    static ModelCard.Card card(SeerServices services, String model, int number) {
        ModelVersion version = services.models().version(model, number);
        Run run = version.runId().map(id -> services.tracking().run(id)).orElseThrow(() -> new SeerException(
                RegistryErrorCode.INVALID_STATE, "Model " + version + " was not trained by Seer (it has no run): it has no"
                + " evaluation to put on a card", Map.of("model", version.toString())));
        String folder = version.source().substring(version.source().lastIndexOf('/') + 1);
        EvaluationReport report = EvaluationReport.CODEC.decode(Json.parse(artifact(services, run, TrainingOperations
                .EVALUATION)));
        var descriptor = Json.parse(artifact(services, run, folder + "/" + ModelRegistration.DESCRIPTOR));
        Signature signature = Signature.CODEC.decode(descriptor.get("signature"));
        List<String> classes = new ArrayList<>();
        descriptor.path("classes").forEach(c -> classes.add(c.asText()));
        Scored test = predictions(new String(artifact(services, run, "test_predictions.csv"), StandardCharsets.UTF_8),
                signature, classes.size());
        Optional<String> gate = version.checks().stream().filter(c -> c.check().equals(TrainingOperations.GATE))
                .findFirst().map(ModelCards::gate);
        return ModelCard.of(new ModelCard.Facts(version.name(), version.version(), version.description(),
                version.created(), version.userId(), version.aliases(), run.id(), run.provenance(), lineage(services,
                run), signature.names(), classes, descriptor.path("label").asText("label"), report, test, gate,
                explanations(services, run).map(GlobalExplanations::importance)));
    }

    /** The run's recorded global explanations; a run from before they were recorded has none. */
    static Optional<JsonNode> explanations(SeerServices services, Run run) {
        try {
            return Optional.of(Json.parse(artifact(services, run, GlobalExplanations.ARTIFACT)));
        } catch (SeerException e) {
            if (e.errorCode() == RegistryErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static String gate(VersionCheck check) {
        return (check.passed() ? "passed" : "failed") + " (" + check.recorded() + "): " + check.detail();
    }

    private static byte[] artifact(SeerServices services, Run run, String path) {
        return services.artifacts().read(services.artifacts().hash(run.id(), ArtifactPath.of(path)));
    }

    private static List<String> lineage(SeerServices services, Run run) {
        Optional<String> dataset = run.provenance().flatMap(p -> p.dataset());
        if (dataset.isEmpty()) {
            return List.of();
        }
        LineageReport report = services.datasets().lineage(DatasetRef.parse(dataset.get()));
        List<String> lines = new ArrayList<>();
        lines.add(String.format("dataset %s: %,d rows, created %s by %s", report.dataset(), report.rows(), report.created(),
                report.creator()));
        if (report.lineage() instanceof DatasetLineage.Retrieval retrieval) {
            retrieval.featureService().ifPresent(s -> lines.add("feature service " + s.name() + " version " + s.version()));
            lines.add("features " + retrieval.features());
        }
        report.batches().views().forEach(view -> lines.add("view " + view.view() + " version " + view.version() + ": "
                + view.batches().size() + " ingested batches"));
        return lines;
    }

    /** The stored held-out predictions: {@code truth,score} or {@code truth,p0,p1,...}. */
    private static Scored predictions(String csv, Signature signature, int classes) {
        String[] lines = csv.split("\n");
        int n = lines.length - 1;
        double[] truth = new double[n];
        double[] score = new double[n];
        double[][] probabilities = new double[n][];
        for (int i = 0; i < n; i++) {
            String[] cells = lines[i + 1].split(",");
            truth[i] = Double.parseDouble(cells[0]);
            score[i] = Double.parseDouble(cells[1]);
            probabilities[i] = new double[cells.length - 1];
            for (int c = 1; c < cells.length; c++) {
                probabilities[i][c - 1] = Double.parseDouble(cells[c]);
            }
        }
        return switch (signature.output()) {
            case PROBABILITY -> Scored.binary(truth, score);
            case VALUE -> Scored.regression(truth, score);
            case CLASS_PROBABILITIES -> Scored.multiclass(truth, probabilities);
        };
    }
}
