"""Reference values for dev.seer.training.metrics, computed once with scikit-learn and committed as data.

Run from this folder with Debian 12's Python and packages (the versions that produced sklearn-metrics.json):

    /usr/bin/python3 make_fixtures.py      # scikit-learn 1.2.1, numpy 1.24.2

It writes sklearn-metrics.json: several seeded datasets (binary with ties, with probabilities exactly 0 and 1,
continuous; multiclass k = 3 with ties, k = 4, k = 3 rounded to float32; regression; tiny edge cases) and, for each,
scikit-learn's value of every metric that applies, calibration_curve (uniform and quantile, 5 and 10 bins) and
confusion_matrix. Running it again writes the same file byte for byte (seeded numpy Generator).

Conventions asked of sklearn here (the Java side must match them):
- predicted class, binary: argmax of [1 - p, p] (first on ties), as a sklearn classifier's predict does from
  predict_proba; multiclass: argmax of the probability row.
- roc_auc multiclass: multi_class="ovr", average="macro"; pr_auc multiclass: average_precision_score over
  label_binarize(y, classes=range(k)), average="macro".
- log_loss with labels=range(k) (so a truth with one class is allowed), eps="auto".
- A value sklearn refuses (ValueError) or defines only with an UndefinedMetricWarning (single-class ranking metrics,
  R^2 of one row) is written as null: Seer returns NaN there. Seer also returns NaN for both ranking metrics whenever
  a class is absent from the truth, including average precision with no negatives (sklearn: 1.0). What sklearn gives
  in those cases is kept under "sklearn_undefined" for the record.
- calibration counts are not returned by calibration_curve; they are recomputed with the same numpy binning calls
  (np.percentile / np.linspace, np.searchsorted, np.bincount) so the Java counts can be checked too.
"""
import json
import warnings

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import (accuracy_score, average_precision_score, brier_score_loss, confusion_matrix, f1_score,
                             log_loss, mean_absolute_error, mean_squared_error, r2_score, roc_auc_score)
from sklearn.preprocessing import label_binarize


def predicted(task, y_score):
    if task == "binary":
        return np.argmax(np.column_stack([1 - y_score, y_score]), axis=1)
    return np.argmax(y_score, axis=1)


def guarded(function):
    """sklearn's value, or None when it raises or warns that the metric is undefined."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", UndefinedMetricWarning)
        warnings.filterwarnings("error", message="No positive class found")
        try:
            return float(function())
        except (ValueError, UndefinedMetricWarning, UserWarning):
            return None


def sklearn_anyway(function):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return float(function())
        except ValueError as error:
            return "ValueError: " + str(error)


def classification(task, y, s):
    k = 2 if task == "binary" else s.shape[1]
    pred = predicted(task, s)
    if task == "binary":
        roc = lambda: roc_auc_score(y, s)
        ap = lambda: average_precision_score(y, s)
        f1 = lambda: f1_score(y, pred)
    else:
        roc = lambda: roc_auc_score(y, s, multi_class="ovr", average="macro")
        ap = lambda: average_precision_score(label_binarize(y, classes=list(range(k))), s, average="macro")
        f1 = lambda: f1_score(y, pred, average="macro")
    metrics = {
        "roc_auc": guarded(roc),
        "pr_auc": guarded(ap),
        "log_loss": float(log_loss(y, s, labels=list(range(k)))),
        "accuracy": float(accuracy_score(y, pred)),
        "f1": float(f1()),
    }
    if task == "binary":
        metrics["brier"] = float(brier_score_loss(y, s))
    if len(np.unique(y)) < k:
        # Seer's rule, stricter than sklearn's for average precision with no negatives (sklearn: 1.0, no warning)
        metrics["roc_auc"] = metrics["pr_auc"] = None
    undefined = {name: sklearn_anyway(f) for name, f in (("roc_auc", roc), ("pr_auc", ap))
                 if metrics[name] is None}
    return metrics, undefined, confusion_matrix(y, pred, labels=list(range(k))).tolist()


def calibration(y, p):
    curves = {}
    for strategy in ("uniform", "quantile"):
        for n_bins in (5, 10):
            prob_true, prob_pred = calibration_curve(y, p, n_bins=n_bins, strategy=strategy)
            if strategy == "quantile":
                bins = np.percentile(p, np.linspace(0, 1, n_bins + 1) * 100)
            else:
                bins = np.linspace(0.0, 1.0, n_bins + 1)
            total = np.bincount(np.searchsorted(bins[1:-1], p), minlength=len(bins))
            curves[f"{strategy}_{n_bins}"] = {
                "fraction_positive": prob_true.tolist(),
                "mean_predicted": prob_pred.tolist(),
                "counts": total[total != 0].tolist(),
            }
    return curves


def regression(y, s):
    return {
        "rmse": float(mean_squared_error(y, s, squared=False)),
        "mae": float(mean_absolute_error(y, s)),
        "r2": guarded(lambda: r2_score(y, s)),
    }, {}


def dataset(task, y, s):
    entry = {"task": task, "truth": np.asarray(y, dtype=float).tolist()}
    if task == "multiclass":
        entry["probabilities"] = np.asarray(s).tolist()
    else:
        entry["score"] = np.asarray(s, dtype=float).tolist()
    if task == "regression":
        entry["expected"], entry["sklearn_undefined"] = regression(y, s)
        return entry
    entry["expected"], entry["sklearn_undefined"], entry["confusion"] = classification(task, np.asarray(y), s)
    if task == "binary":
        entry["calibration"] = calibration(np.asarray(y), s)
    return entry


def binary_ties(rng):
    # scores on a 0.1 grid: many ties, values exactly on the uniform bin edges and on the 0.5 threshold
    y = rng.integers(0, 2, 200)
    s = np.clip(np.round(0.5 + 0.25 * (y - 0.5) + rng.normal(0, 0.25, 200), 1), 0, 1)
    return y, s


def binary_extremes(rng):
    # probabilities exactly 0 and 1, some of them wrong (log loss then rests on the eps clip)
    y = rng.integers(0, 2, 150)
    s = 1 / (1 + np.exp(-(2 * y - 1 + rng.normal(0, 1.5, 150))))
    s[:10] = 0.0
    s[10:20] = 1.0
    s[20:25] = 1e-20
    s[25:30] = 1 - 1e-17
    return y, s


def binary_continuous(rng):
    y = (rng.random(1000) < 0.3).astype(int)
    s = 1 / (1 + np.exp(-(1.2 * y - 1 + rng.normal(0, 1, 1000))))
    return y, s


def multiclass_ties(rng):
    # rows on a 0.1 grid (compositions of 10): ties within every column, argmax ties between columns
    grid = np.array([(a, b, 10 - a - b) for a in range(11) for b in range(11 - a)]) / 10.0
    rows = grid[rng.integers(0, len(grid), 300)]
    y = np.array([rng.choice(3, p=row * 0.6 + 0.4 / 3) for row in rows])
    return y, rows


def multiclass_four(rng):
    y = rng.choice(4, 400, p=[0.4, 0.3, 0.2, 0.1])
    alpha = np.ones((400, 4)) + 2.0 * np.eye(4)[y]
    return y, np.array([rng.dirichlet(row) for row in alpha])


def multiclass_float32(rng):
    # probabilities rounded to float32, as XGBoost returns them: rows sum to 1 only within ~1e-7, so log_loss's
    # renormalisation shows at 1e-12
    y = rng.choice(3, 250)
    alpha = np.ones((250, 3)) + 1.5 * np.eye(3)[y]
    return y, np.array([rng.dirichlet(row) for row in alpha]).astype(np.float32).astype(np.float64)


def regression_normal(rng):
    y = rng.normal(10, 3, 500)
    return y, y + rng.normal(0.5, 2, 500)


def main():
    rng = np.random.default_rng(20261204)
    data = {"sklearn": sklearn.__version__, "numpy": np.__version__, "datasets": {}}
    sets = data["datasets"]
    sets["binary_ties"] = dataset("binary", *binary_ties(rng))
    sets["binary_extremes"] = dataset("binary", *binary_extremes(rng))
    sets["binary_continuous"] = dataset("binary", *binary_continuous(rng))
    sets["multiclass_ties_k3"] = dataset("multiclass", *multiclass_ties(rng))
    sets["multiclass_k4"] = dataset("multiclass", *multiclass_four(rng))
    sets["regression"] = dataset("regression", *regression_normal(rng))
    sets["multiclass_float32_k3"] = dataset("multiclass", *multiclass_float32(rng))
    sets["tiny_binary_two_rows"] = dataset("binary", np.array([0, 1]), np.array([0.4, 0.6]))
    sets["tiny_binary_all_tied"] = dataset("binary", np.array([0, 1, 0, 1]), np.array([0.5, 0.5, 0.5, 0.5]))
    sets["tiny_binary_only_negatives"] = dataset("binary", np.array([0, 0, 0]), np.array([0.2, 0.7, 0.4]))
    sets["tiny_binary_only_positives"] = dataset("binary", np.array([1, 1, 1]), np.array([0.2, 0.7, 0.4]))
    sets["tiny_binary_no_predicted_positive"] = dataset("binary", np.array([0, 1, 1, 0]),
                                                        np.array([0.1, 0.3, 0.5, 0.2]))
    sets["tiny_multiclass_absent_class"] = dataset("multiclass", np.array([0, 1, 1, 0]),
                                                   np.array([[0.6, 0.3, 0.1], [0.2, 0.7, 0.1],
                                                             [0.5, 0.4, 0.1], [0.3, 0.3, 0.4]]))
    sets["tiny_regression_constant_perfect"] = dataset("regression", np.array([2.0, 2.0, 2.0]),
                                                       np.array([2.0, 2.0, 2.0]))
    sets["tiny_regression_constant_imperfect"] = dataset("regression", np.array([2.0, 2.0, 2.0]),
                                                         np.array([2.0, 2.5, 1.0]))
    sets["tiny_regression_one_row"] = dataset("regression", np.array([1.5]), np.array([1.0]))
    with open("sklearn-metrics.json", "w") as out:
        json.dump(data, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
