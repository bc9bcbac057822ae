"""Reference values for dev.seer.monitoring.performance (CBPE and realised performance).

Usage: /usr/bin/python3 seer-bench/src/main/python/cbpe_reference.py \
           seer-monitoring/src/test/resources/performance/cbpe_reference.txt
Produced with Debian bookworm's python3: numpy 1.24.2, scikit-learn 1.2.1, SciPy 1.10.1.

For each case the script draws reference and analysis data with numpy (seeded) and writes:
- the data (scores, labels, predicted labels), printed with repr so Java reads the same doubles;
- sklearn's IsotonicRegression(out_of_bounds="clip") fitted on the reference and evaluated at
  every reference and analysis score plus points outside and inside the range (Java must match within 1e-12);
- realised metrics per analysis chunk from sklearn.metrics (accuracy_score, precision_score,
  recall_score, f1_score with zero_division=0, recall_score(pos_label=0) as specificity,
  roc_auc_score), with the 95% intervals Seer documents: Wilson for the proportions, Wilson of
  TP/(TP+FP+FN) mapped through 2q/(1+q) for F1, DeLong for ROC AUC (computed here by brute force
  over all positive/negative pairs, independent of the Java's ranks) (Java within 1e-12);
- CBPE's estimates per chunk from a transcription of NannyML's formulas (nannyml @ 4c86ee35:
  calibration.py needs_calibration/ECE, performance_estimation/confidence_based/metrics.py
  estimate_* functions, sampling_error/binary_classification.py, thresholds.py), with the two
  documented changes that make the decision reproducible in Java: the stratified 90/10 splits are
  drawn with SplitMix64 (seed 42) instead of sklearn's StratifiedShuffleSplit, and sorts are stable
  (ties by position) instead of numpy's default quicksort (Java within 1e-9).
"""
import sys

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import (accuracy_score, auc, f1_score, precision_score, recall_score,
                             roc_auc_score)

MASK = (1 << 64) - 1
Z95 = 1.959963984540054
METRICS = ["accuracy", "precision", "recall", "f1", "specificity", "roc_auc"]


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next_long(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def next_int(self, bound):
        return self.next_long() % bound

    def shuffle(self, values):
        for i in range(len(values) - 1, 0, -1):
            j = self.next_int(i + 1)
            values[i], values[j] = values[j], values[i]


def isotonic(scores, labels):
    return IsotonicRegression(out_of_bounds="clip", increasing=True).fit(scores, labels)


# --- NannyML calibration.py, with stable sorts -------------------------------------------------
def bin_index_edges(length, bins):
    if length <= 2 * bins:
        bins = length // 2
        assert bins >= 2
    width = length // bins
    edges = np.asarray(range(0, length + 1, width))
    edges[-1] = length
    return list(zip(edges[:-1], edges[1:]))


def ece(y, p, edges):
    order = np.argsort(p, kind="stable")
    p, y = p[order], y[order]
    return np.sum([(r - l) / len(p) * abs(np.mean(p[l:r]) - np.mean(y[l:r])) for l, r in edges])


def needs_calibration(y, s, seed=42):
    if len(np.unique(y)) == 1 or roc_auc_score(y, s) > 0.999:
        return False
    rng = SplitMix64(seed)
    by_class = [list(np.flatnonzero(y == 0)), list(np.flatnonzero(y == 1))]
    test_size = [(len(c) + 9) // 10 for c in by_class]
    raw, cal, truth = [], [], []
    for _ in range(10):
        test, train = [], []
        for c in range(2):
            shuffled = list(by_class[c])
            rng.shuffle(shuffled)
            test += shuffled[:test_size[c]]
            train += shuffled[test_size[c]:]
        test, train = np.asarray(test), np.asarray(train)
        iso = isotonic(s[train], y[train])
        raw.append(s[test])
        cal.append(iso.predict(s[test]))
        truth.append(y[test])
    raw, cal, truth = np.concatenate(raw), np.concatenate(cal), np.concatenate(truth)
    edges = bin_index_edges(len(raw), 10)
    return bool(ece(truth, raw, edges) > ece(truth, cal, edges))


# --- NannyML sampling_error/binary_classification.py (stable argsort) ----------------------------
def se_components(y, yp, s):
    out = {}
    correct = (y == yp).astype(int)
    out["accuracy"] = (np.std(correct), 1.0)
    tp = np.ones(np.sum((y == 1) & (yp == 1)))
    fp = np.zeros(np.sum((y == 0) & (yp == 1)))
    fn = np.zeros(np.sum((y == 1) & (yp == 0)))
    tn = np.ones(np.sum((y == 0) & (yp == 0)))
    out["precision"] = (np.std(np.concatenate([tp, fp])), np.sum(yp) / len(yp))
    out["recall"] = (np.std(np.concatenate([tp, fn])), np.sum(y) / len(yp))
    spec = np.concatenate([tn, fp])
    out["specificity"] = (np.std(spec), len(spec) / len(yp))
    rel = np.concatenate([tp, fn, fp])
    factor = len(rel) / ((len(fn) + len(fp)) * 0.5 + len(tp))
    out["f1"] = (np.std(rel * factor), len(rel) / len(yp))
    yy, ss = y.copy(), s.copy()
    if np.mean(yy) > 0.5:
        yy, ss = abs(yy - 1), 1 - ss
    order = np.argsort(ss, kind="stable")
    yy = yy[order]
    ranks = yy * np.arange(len(yy))
    indexes = np.unique(ranks)[1:]
    ser = np.asarray([index - i for i, index in enumerate(indexes)], dtype=float)
    n_pos = np.sum(yy)
    out["roc_auc"] = (np.std(ser / (len(yy) - n_pos)), n_pos / len(yy))
    return out


# --- NannyML estimate_* (metrics.py) ---------------------------------------------------------------
def ratio(a, b):
    return 0.0 if b == 0 else a / b


def estimate(p, s, yp):
    tp = np.sum(np.where(yp == 1, p, 0))
    fp = np.sum(np.where(yp == 1, 1 - p, 0))
    fn = np.sum(np.where(yp == 0, p, 0))
    tn = np.sum(np.where(yp == 0, 1 - p, 0))
    out = {"accuracy": (tp + tn) / len(p), "precision": ratio(tp, tp + fp), "recall": ratio(tp, tp + fn),
           "specificity": ratio(tn, tn + fp), "f1": ratio(tp, tp + 0.5 * (fp + fn))}
    order = np.argsort(s, kind="stable")[::-1]
    q = p[order]
    tps = np.cumsum(q)
    fps = 1 + np.arange(len(q)) - tps
    tps = np.round(np.r_[0, tps], 5)
    fps = np.round(np.r_[0, fps], 5)
    out["roc_auc"] = auc(fps / fps[-1], tps / tps[-1])
    return out


# --- realised (sklearn) and intervals ---------------------------------------------------------------
def wilson(k, n):
    if n == 0:
        return float("nan"), float("nan")
    p = k / n
    centre = (p + Z95 ** 2 / (2 * n)) / (1 + Z95 ** 2 / n)
    half = Z95 / (1 + Z95 ** 2 / n) * np.sqrt(p * (1 - p) / n + Z95 ** 2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def delong(y, s):
    pos, neg = s[y == 1], s[y == 0]
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
    a = v10.mean()
    half = Z95 * np.sqrt(np.var(v10, ddof=1) / len(pos) + np.var(v01, ddof=1) / len(neg))
    return max(0.0, a - half), min(1.0, a + half)


def realised(y, yp, s):
    tp = int(np.sum((y == 1) & (yp == 1)))
    fp = int(np.sum((y == 0) & (yp == 1)))
    fn = int(np.sum((y == 1) & (yp == 0)))
    tn = int(np.sum((y == 0) & (yp == 0)))
    one_class = len(np.unique(y)) == 1
    q = wilson(tp, tp + fp + fn)
    return {
        "accuracy": (accuracy_score(y, yp),) + wilson(tp + tn, len(y)),
        "precision": (precision_score(y, yp, zero_division=0),) + wilson(tp, tp + fp),
        "recall": (recall_score(y, yp, zero_division=0),) + wilson(tp, tp + fn),
        "specificity": (recall_score(y, yp, pos_label=0, zero_division=0),) + wilson(tn, tn + fp),
        "f1": (f1_score(y, yp, zero_division=0), 2 * q[0] / (1 + q[0]), 2 * q[1] / (1 + q[1])),
        "roc_auc": (float("nan"),) * 3 if one_class else (roc_auc_score(y, s),) + delong(y, s),
    }


def thresholds(y, yp, s, chunks=10):
    size = len(y) // chunks
    values = {m: [] for m in METRICS}
    for start in range(0, len(y), size):
        r = realised(y[start:start + size], yp[start:start + size], s[start:start + size])
        for m in METRICS:
            values[m].append(r[m][0])
    out = {}
    for m in METRICS:
        v = np.asarray(values[m])
        mean, std = np.nanmean(v), np.nanstd(v)
        out[m] = (max(0.0, mean - 3 * std), min(1.0, mean + 3 * std))
    return out


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def write(out, key, values):
    out.write(key + " " + " ".join("NaN" if v != v else repr(float(v)) for v in values) + "\n")


def case(out, name, ref, chunks, calibration, threshold, own_labels):
    s, y = ref
    yp = (s >= threshold).astype(int)
    out.write(f"# case {name}\n")
    write(out, f"{name}.options", [threshold, {"AUTO": 0, "ALWAYS": 1, "NEVER": 2}[calibration],
                                   1.0 if own_labels else 0.0])
    write(out, f"{name}.ref_scores", s)
    write(out, f"{name}.ref_labels", y)
    write(out, f"{name}.ref_predicted", yp)
    iso = isotonic(s, y)
    # Evaluated at the reference's scores, then every chunk's, then these extra points (the
    # fixture holds only the extras; the Java test rebuilds the same order).
    extra = np.asarray([-1.0, 2.0, s.min(), s.max(), (s.min() + s.max()) / 2])
    query = np.concatenate([s] + [c[0] for c in chunks] + [extra])
    write(out, f"{name}.iso_extra", extra)
    write(out, f"{name}.iso_value", iso.predict(query))
    needed = needs_calibration(y, s)
    calibrate = {"AUTO": needed, "ALWAYS": True, "NEVER": False}[calibration]
    write(out, f"{name}.needs_calibration", [1.0 if needed else 0.0])
    write(out, f"{name}.calibrated", [1.0 if calibrate else 0.0])
    components = se_components(y, yp, s)
    limits = thresholds(y, yp, s)
    print(name, "needs calibration:", needed, file=sys.stderr)
    for k, (cs, cy) in enumerate(chunks):
        cyp = (cs >= threshold).astype(int)
        write(out, f"{name}.chunk{k}.scores", cs)
        write(out, f"{name}.chunk{k}.labels", cy)
        write(out, f"{name}.chunk{k}.predicted", cyp)
        p = iso.predict(cs) if calibrate else cs
        est = estimate(p, cs, cyp)
        real = realised(cy, cyp, cs)
        for m in METRICS:
            std, fraction = components[m]
            se = std / np.sqrt(len(cs) * fraction)
            lo, up = limits[m]
            v = est[m]
            write(out, f"{name}.chunk{k}.estimated.{m}",
                  [v, se, max(0.0, v - 3 * se), min(1.0, v + 3 * se), lo, up, 1.0 if (v < lo or v > up) else 0.0])
            write(out, f"{name}.chunk{k}.realised.{m}", real[m])
            print(f"  chunk{k} {m}: estimated {v:.4f} realised {real[m][0]:.4f}", file=sys.stderr)


def main():
    rng = np.random.RandomState(20261204)
    with open(sys.argv[1], "w") as out:
        out.write("# Written by seer-bench/src/main/python/cbpe_reference.py (numpy 1.24.2, scikit-learn 1.2.1)\n")

        def draw(n, mean, sd, truth, score):
            x = rng.normal(mean, sd, n)
            y = (rng.uniform(size=n) < truth(x)).astype(int)
            return score(x), y

        # An under-confident model: the scores are sigmoid(0.7x) but P(y=1|x) = sigmoid(1.5x - 0.5).
        truth, score = (lambda x: sigmoid(1.5 * x - 0.5)), (lambda x: sigmoid(0.7 * x))
        case(out, "miscalibrated", draw(3000, 0, 1, truth, score),
             [draw(800, 0, 1, truth, score), draw(800, 0.7, 1, truth, score), draw(800, -0.5, 1.3, truth, score)],
             "AUTO", 0.5, False)
        # A calibrated model whose scores are rounded to 2 decimals (many ties); 2,005 rows leave a
        # remainder reference chunk of 5 rows.
        truth, score = (lambda x: sigmoid(2 * x)), (lambda x: np.round(sigmoid(2 * x), 2))
        case(out, "ties", draw(2005, 0, 1, truth, score),
             [draw(700, 0, 1, truth, score), draw(700, 1.0, 1, truth, score)], "AUTO", 0.5, False)
        # The model's own labels at threshold 0.3, no calibration.
        truth, score = (lambda x: sigmoid(x - 1)), (lambda x: sigmoid(0.8 * x - 1))
        case(out, "own_labels", draw(1500, 0, 1, truth, score),
             [draw(500, 0, 1, truth, score), draw(500, 0.5, 0.8, truth, score)], "NEVER", 0.3, True)
        # Always calibrate, a small reference (60 rows: six reference chunks of 6 rows would be
        # too few for some metrics, which then are NaN and ignored by the thresholds).
        truth, score = (lambda x: sigmoid(3 * x)), (lambda x: sigmoid(x))
        case(out, "small", draw(60, 0, 1, truth, score), [draw(40, 0, 1, truth, score)], "ALWAYS", 0.5, False)


if __name__ == "__main__":
    main()
