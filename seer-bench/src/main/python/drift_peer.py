"""The Python side of DriftBench: SciPy's drift statistics on the same columns Seer's report reads.

Usage: /usr/bin/python3 drift_peer.py DIR FEATURES
DIR holds, per feature i in 0..FEATURES-1, ref_i.f64 and cur_i.f64: little-endian float64 values,
one column each (written by DriftBench). For each feature this computes, with SciPy 1.10.1 and
numpy 1.24 (Debian bookworm's python3-scipy):
- ks_2samp(ref, cur) with its defaults (two-sided, method auto: asymptotic above 10,000 rows),
- wasserstein_distance(ref, cur), and it divided by the reference's population std (floored at
  0.001), Evidently's "normed" Wasserstein,
- jensenshannon of the two histograms over Sturges equal-width bins of the pooled values (as
  Evidently bins a numeric column with more than 20 distinct reference values; natural log),
- PSI over the same bins, empty bins filled as Evidently fills them (the smallest non-empty share / 1e6
  when that is at most 0.0001, else 0.0001).
Prints one JSON object: per feature the statistics, and the seconds each kind of statistic took
summed over the features (reading the files not included), the total, and the process's peak
resident memory.
"""
import json
import sys
import time

import numpy as np
from scipy import stats
from scipy.spatial import distance


def binned(ref, cur):
    edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
    r = np.histogram(ref, edges)[0] / len(ref)
    c = np.histogram(cur, edges)[0] / len(cur)
    return r, c


def filled(shares):
    # Evidently's get_binned_data(feel_zeroes=True): an empty bin takes the smallest non-empty share / 1e6 when that
    # share is at most 0.0001, else 0.0001; each vector on its own, not renormalised
    smallest = shares[shares != 0].min()
    return np.where(shares == 0, smallest / 10**6 if smallest <= 0.0001 else 0.0001, shares)


def psi(r, c):
    r, c = filled(r), filled(c)
    return float(np.sum((r - c) * np.log(r / c)))


def main():
    directory, features = sys.argv[1], int(sys.argv[2])
    seconds = {"ks": 0.0, "wasserstein": 0.0, "binned_js_psi": 0.0}
    results = []
    for i in range(features):
        ref = np.fromfile(f"{directory}/ref_{i}.f64", dtype="<f8")
        cur = np.fromfile(f"{directory}/cur_{i}.f64", dtype="<f8")
        t = time.perf_counter()
        ks = stats.ks_2samp(ref, cur)
        seconds["ks"] += time.perf_counter() - t
        t = time.perf_counter()
        w = stats.wasserstein_distance(ref, cur)
        seconds["wasserstein"] += time.perf_counter() - t
        t = time.perf_counter()
        r, c = binned(ref, cur)
        js = float(distance.jensenshannon(r, c))
        p = psi(r, c)
        seconds["binned_js_psi"] += time.perf_counter() - t
        results.append({"feature": i, "ks_statistic": float(ks.statistic), "ks_pvalue": float(ks.pvalue),
                        "wasserstein": float(w), "wasserstein_normed": float(w / max(np.std(ref), 0.001)),
                        "jensenshannon": js, "psi": p})
    seconds["total"] = sum(seconds.values())
    # VmHWM, not getrusage's ru_maxrss: a process started by the JVM inherits the JVM's high-water mark in
    # ru_maxrss (Linux keeps the larger across fork and exec), while VmHWM is this program's own memory
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) * 1024
    print(json.dumps({"features": results, "seconds": seconds, "peak_resident_bytes": peak}))


if __name__ == "__main__":
    main()
