package dev.seer.training.metrics;

import dev.seer.core.SeerException;
import dev.seer.training.Task;
import dev.seer.training.TrainingErrorCode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Seer's evaluation metrics, each matching scikit-learn 1.2.1 (the version the fixtures were computed with).
 *
 * <p>Conventions, pinned by {@code MetricParityTest}:
 * <ul>
 *   <li>Binary predicted class: 1 iff P(1) > 0.5 (sklearn's {@code predict}); multiclass: argmax, first on ties.
 *   <li>{@code roc_auc}: trapezoid over distinct scores = Mann–Whitney with ties ½; multiclass one-vs-rest, macro.
 *   <li>{@code pr_auc}: average precision, step-wise (not trapezoid); multiclass macro over one-vs-rest columns.
 *   <li>Both ranking metrics are NaN when a class they need is absent from the truth (sklearn 1.2.1 raises for
 *       ROC AUC and returns 0 or 1 with a warning for average precision).
 *   <li>{@code log_loss}: clip to [eps, 1 − eps] (eps = 2.22e-16), renormalise rows, natural log, mean (sklearn
 *       1.2.1's {@code eps="auto"}, with {@code labels} = every class, so one class in the truth is fine).
 *   <li>{@code f1}: zero denominators give 0; multiclass macro over the classes present in truth or predictions.
 *   <li>{@code r2}: {@code force_finite}; NaN for fewer than two rows.
 * </ul>
 * A subset or bootstrap resample is given as row indices with repeats allowed; the ranking metrics then reuse the
 * order sorted once per {@link Scored} (see {@link Ranking}) and log loss its per-row losses, so a replicate costs
 * O(n) without sorting or logarithms. Every method is safe to call from several threads.
 */
public enum Metric {
    ROC_AUC(true),
    PR_AUC(true),
    LOG_LOSS(false),
    ACCURACY(true),
    F1(true),
    BRIER(false),
    RMSE(false),
    MAE(false),
    R2(true);

    private final boolean higherIsBetter;

    Metric(boolean higherIsBetter) {
        this.higherIsBetter = higherIsBetter;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Metric parse(String id) {
        for (Metric metric : values()) {
            if (metric.id().equals(id)) {
                return metric;
            }
        }
        throw new SeerException(TrainingErrorCode.INVALID_SPEC, "Metric [" + id + "] is not one of "
                + Arrays.stream(values()).map(Metric::id).collect(Collectors.joining(", ")), Map.of("field", "metric"));
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** Brier is binary only (as in sklearn 1.2.1); the other classification metrics take binary and multiclass. */
    public boolean appliesTo(Task task) {
        return switch (this) {
            case BRIER -> task == Task.BINARY;
            case RMSE, MAE, R2 -> task == Task.REGRESSION;
            case ROC_AUC, PR_AUC, LOG_LOSS, ACCURACY, F1 -> task != Task.REGRESSION;
        };
    }

    /** The metrics of a task, in declaration order. */
    public static List<Metric> forTask(Task task) {
        return Arrays.stream(values()).filter(metric -> metric.appliesTo(task)).toList();
    }

    /** The metric over all rows. */
    public double value(Scored scored) {
        checkTask(scored);
        return compute(scored, null);
    }

    /** The metric over the given rows, repeats allowed (a bootstrap replicate). */
    public double value(Scored scored, int[] rows) {
        checkTask(scored);
        checkRows(rows, scored.rows());
        return compute(scored, rows);
    }

    /** Without checks: {@code rows} null means all rows. */
    double compute(Scored scored, int[] rows) {
        return switch (this) {
            case ROC_AUC -> macro(scored, rows, true);
            case PR_AUC -> macro(scored, rows, false);
            case LOG_LOSS -> ClassMetrics.logLoss(scored, rows);
            case ACCURACY -> ClassMetrics.accuracy(scored, rows);
            case F1 -> ClassMetrics.f1(scored, rows);
            case BRIER -> ClassMetrics.brier(scored, rows);
            case RMSE -> RegressionMetrics.rmse(scored, rows);
            case MAE -> RegressionMetrics.mae(scored, rows);
            case R2 -> RegressionMetrics.r2(scored, rows);
        };
    }

    // Binary: the one ranking of P(1). Multiclass: the unweighted mean over one-vs-rest columns; NaN if any is NaN.
    private static double macro(Scored scored, int[] rows, boolean roc) {
        int[] counts = counts(rows, scored.rows());
        Ranking[] rankings = Ranking.of(scored);
        double sum = 0.0;
        for (Ranking ranking : rankings) {
            sum += roc ? ranking.rocAuc(counts) : ranking.averagePrecision(counts);
        }
        return sum / rankings.length;
    }

    private static int[] counts(int[] rows, int n) {
        if (rows == null) {
            return null;
        }
        int[] counts = new int[n];
        for (int row : rows) {
            counts[row]++;
        }
        return counts;
    }

    private void checkTask(Scored scored) {
        if (!appliesTo(scored.task())) {
            throw Scored.invalid("metric", "Metric [" + id() + "] does not apply to task [" + scored.task().id()
                    + "]; it applies to " + Arrays.stream(Task.values()).filter(this::appliesTo).map(Task::id).toList());
        }
    }

    private static void checkRows(int[] rows, int n) {
        if (rows == null || rows.length == 0) {
            throw Scored.invalid("rows", "Argument [rows] is " + (rows == null ? "null" : "empty"));
        }
        for (int row : rows) {
            if (row < 0 || row >= n) {
                throw Scored.invalid("rows", "Argument [rows] holds [" + row + "], not a row of [0, " + n + ")");
            }
        }
    }
}
