package dev.seer.explain;

import dev.seer.core.SeerException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What-if: a row with some features changed, its new prediction, and how each contribution moved.
 *
 * @param before the model's outputs for the row as given
 * @param after the outputs with the changes
 * @param explainedBefore one attribution per output, before
 * @param explainedAfter one attribution per output, after
 */
public record WhatIf(Map<String, Double> changes, double[] before, double[] after, List<Attribution> explainedBefore,
        List<Attribution> explainedAfter) {

    /** Applies {@code changes} (feature name to new value; NaN makes it missing) to {@code row} and explains both. */
    public static WhatIf of(Predictor model, Explainer explainer, double[] row, Map<String, Double> changes) {
        List<String> names = explainer.features();
        Rows.check(row, names);
        if (changes.isEmpty()) {
            throw new SeerException(ExplainErrorCode.INVALID_ARGUMENT, "A what-if needs at least one feature to change",
                    Map.of("field", "changes"));
        }
        double[] changed = row.clone();
        for (Map.Entry<String, Double> change : changes.entrySet()) {
            int f = names.indexOf(change.getKey());
            if (f < 0) {
                throw new SeerException(ExplainErrorCode.INVALID_ROW, "Feature [" + change.getKey() + "] is not one the model"
                        + " takes: " + names, Map.of("feature", change.getKey()));
            }
            changed[f] = change.getValue() == null ? Double.NaN : change.getValue(); // null: made missing
        }
        double[][] predictions = model.predict(new double[][] {row, changed});
        return new WhatIf(new LinkedHashMap<>(changes), predictions[0], predictions[1], explainer.explain(row),
                explainer.explain(changed));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WhatIf w && changes.equals(w.changes) && java.util.Arrays.equals(before, w.before)
                && java.util.Arrays.equals(after, w.after) && explainedBefore.equals(w.explainedBefore)
                && explainedAfter.equals(w.explainedAfter);
    }

    @Override
    public int hashCode() {
        return (changes.hashCode() * 31 + java.util.Arrays.hashCode(before)) * 31 + java.util.Arrays.hashCode(after);
    }

    /** Per output, how each feature's contribution moved (after − before), in the explainer's feature order. */
    public List<double[]> contributionChanges() {
        List<double[]> out = new ArrayList<>();
        for (int o = 0; o < explainedBefore.size(); o++) {
            double[] b = explainedBefore.get(o).contributions();
            double[] a = explainedAfter.get(o).contributions();
            double[] delta = new double[b.length];
            for (int i = 0; i < b.length; i++) {
                delta[i] = a[i] - b[i];
            }
            out.add(delta);
        }
        return out;
    }
}
