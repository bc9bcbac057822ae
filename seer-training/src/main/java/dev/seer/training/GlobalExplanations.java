package dev.seer.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.explain.Explainer;
import dev.seer.explain.Explainers;
import dev.seer.explain.PartialDependence;
import dev.seer.explain.PermutationImportance;
import dev.seer.explain.Scorer;
import dev.seer.explain.ShapSummary;
import dev.seer.models.Signature;
import dev.seer.training.algorithms.Fitted;
import dev.seer.training.card.ModelCard;
import dev.seer.training.data.Frame;
import dev.seer.training.evaluation.Evaluator;
import dev.seer.training.metrics.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The global explanations of a trained model, recorded with its run as {@value #ARTIFACT} and so
 * kept with every version registered from it: on up to {@value #MAX_ROWS} held-out test rows, the
 * mean |SHAP| per feature, permutation importance by the spec's metric with 95% intervals over
 * {@value #REPEATS} shuffles, partial dependence with ICE curves of the {@value #PDP_FEATURES}
 * most important features, and SHAP dependence data (each row's value and contribution) of the
 * {@value #DEPENDENCE_FEATURES} most important on {@value #DEPENDENCE_ROWS} of those rows; and a sample of training rows, the reference that counterfactuals
 * measure distances and draw candidate values from.
 */
public final class GlobalExplanations {
    public static final String ARTIFACT = "explanations.json";
    static final int FORMAT = 1;
    static final int MAX_ROWS = 2000;
    static final int REPEATS = 10;
    static final int PDP_FEATURES = 3;
    static final int GRID = 20;
    static final int ICE_ROWS = 50;
    static final int REFERENCE_ROWS = 500;
    static final int DEPENDENCE_FEATURES = 10;
    static final int DEPENDENCE_ROWS = 500;

    private GlobalExplanations() {}

    static ObjectNode compute(Fitted.ModelFile file, Signature signature, Frame train, Frame test, Metric metric, long seed) {
        Explainer explainer = Explainers.of(file.format(), file.bytes(), signature, null);
        Frame rows = sample(test, MAX_ROWS, seed);
        ShapSummary summary = ShapSummary.of(explainer, rows.x());
        PermutationImportance importance = PermutationImportance.compute(explainer::predict, rows.x(), rows.y(),
                explainer.features(), scorer(metric, test), REPEATS, seed, 0.95);
        ObjectNode node = Json.object().put("format", FORMAT).put("method", summary.method())
                .put("scale", summary.scale().id()).put("rows", rows.rows());
        node.set("features", Json.mapper().valueToTree(summary.features()));
        node.set("outputs", Json.mapper().valueToTree(summary.outputs()));
        ObjectNode mean = node.putObject("mean_abs_shap");
        for (int o = 0; o < summary.outputs().size(); o++) {
            ObjectNode perFeature = mean.putObject(summary.outputs().get(o));
            for (int f = 0; f < summary.features().size(); f++) {
                perFeature.put(summary.features().get(f), summary.meanAbsolute()[o][f]);
            }
        }
        ObjectNode permutation = node.putObject("permutation").put("metric", importance.metric())
                .put("baseline", importance.baseline()).put("repeats", importance.repeats())
                .put("confidence", importance.confidence());
        ArrayNode features = permutation.putArray("features");
        importance.features().forEach(f -> features.addObject().put("name", f.name()).put("mean", f.mean())
                .put("low", f.low()).put("high", f.high()));
        ArrayNode curves = node.putArray("partial_dependence");
        double[][] ice = sample(test, ICE_ROWS, seed + 1).x();
        for (String name : summary.ranking(0).subList(0, Math.min(PDP_FEATURES, summary.features().size()))) {
            PartialDependence pd = PartialDependence.compute(explainer::predict, ice, summary.features(),
                    summary.features().indexOf(name), 0, GRID);
            ObjectNode curve = curves.addObject().put("feature", pd.feature()).put("output", summary.outputs().get(0));
            curve.set("grid", Json.mapper().valueToTree(pd.grid()));
            curve.set("average", Json.mapper().valueToTree(pd.average()));
            curve.set("ice", Json.mapper().valueToTree(pd.ice()));
        }
        node.set("dependence", dependence(summary));
        ArrayNode reference = node.putArray("reference");
        for (double[] row : sample(train, REFERENCE_ROWS, seed + 2).x()) {
            ArrayNode values = reference.addArray();
            for (double v : row) {
                if (Double.isNaN(v)) {
                    values.addNull();
                } else {
                    values.add(v);
                }
            }
        }
        return node;
    }

    /**
     * Dependence plots' data for the first output: per feature, most important first, the rows'
     * values (null: missing) and their contributions, in the same order.
     */
    private static ArrayNode dependence(ShapSummary summary) {
        ArrayNode plots = Json.mapper().createArrayNode();
        List<String> ranked = summary.ranking(0);
        int rows = Math.min(DEPENDENCE_ROWS, summary.rows().length);
        for (String name : ranked.subList(0, Math.min(DEPENDENCE_FEATURES, ranked.size()))) {
            int f = summary.features().indexOf(name);
            ObjectNode plot = plots.addObject().put("feature", name).put("output", summary.outputs().get(0));
            ArrayNode values = plot.putArray("values");
            ArrayNode contributions = plot.putArray("contributions");
            for (int r = 0; r < rows; r++) {
                double v = summary.rows()[r][f];
                if (Double.isNaN(v)) {
                    values.addNull();
                } else {
                    values.add(v);
                }
                contributions.add(summary.values()[r][0][f]);
            }
        }
        return plots;
    }

    /** What a model card shows of recorded explanations: per feature, mean |SHAP| and permutation importance. */
    public static ModelCard.Importance importance(JsonNode recorded) {
        List<ModelCard.Importance.Feature> features = new ArrayList<>();
        JsonNode permutation = recorded.path("permutation");
        String firstOutput = recorded.path("outputs").path(0).asText();
        for (JsonNode f : permutation.path("features")) {
            String name = f.path("name").asText();
            features.add(new ModelCard.Importance.Feature(name, recorded.path("mean_abs_shap").path(firstOutput).path(name)
                    .asDouble(), f.path("mean").asDouble(), f.path("low").asDouble(), f.path("high").asDouble()));
        }
        return new ModelCard.Importance(recorded.path("method").asText(), recorded.path("scale").asText(),
                recorded.path("rows").asInt(), permutation.path("metric").asText(), permutation.path("confidence")
                        .asDouble(), features);
    }

    /** The spec's metric on predictions in {@link dev.seer.models.Model}'s shape. */
    private static Scorer scorer(Metric metric, Frame like) {
        return new Scorer() {
            @Override
            public String name() {
                return metric.id();
            }

            @Override
            public boolean higherIsBetter() {
                return metric.higherIsBetter();
            }

            @Override
            public double score(double[][] predictions, double[] labels) {
                Frame labelled = new Frame(like.task(), like.inputs(), like.classes(), new double[labels.length][0], labels);
                return metric.value(Evaluator.scored(labelled, predictions));
            }
        };
    }

    /** Up to {@code count} rows, a seeded random subset in their original order. */
    private static Frame sample(Frame frame, int count, long seed) {
        if (frame.rows() <= count) {
            return frame;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < frame.rows(); i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new java.util.Random(new SplittableRandom(seed).nextLong()));
        return frame.select(order.subList(0, count).stream().sorted().mapToInt(Integer::intValue).toArray());
    }
}
