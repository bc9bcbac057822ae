"""Reference values for seer-monitoring's drift tests (package dev.seer.monitoring.drift).

Produced with Debian's Python and SciPy 1.10.1 / numpy 1.24.2 / statsmodels 0.13.5:
  /usr/bin/python3 seer-bench/src/main/python/drift_reference.py \
      > seer-monitoring/src/test/resources/drift/reference.json
The samples are drawn here with fixed seeds and written into the fixture (rounded to 6 decimals,
which also makes ties), so the Java test needs no Python.

Expected values:
  ks           scipy.stats.ks_2samp(ref, cur) (two-sided, method 'auto': exact when
               max(n1, n2) <= 10000, else kstwo.sf(D, round(n1 n2 / (n1 + n2))))
  wasserstein  scipy.stats.wasserstein_distance(ref, cur)
  evidently    a transcription of Evidently's legacy stattests (evidentlyai/evidently @ a4aa4c2b,
               src/evidently/legacy/calculations/stattests/: utils.get_binned_data, psi._psi,
               jensenshannon._jensenshannon, wasserstein_distance_norm, chisquare_stattest,
               z_stattest), as docs/design/monitoring-research.md §1 and §8 describe; Evidently
               itself is not installed here.
  kstwo        scipy.stats.kstwo.sf(x, n) over a grid that reaches every branch of _kolmogn
  bh           statsmodels multipletests(method='fdr_bh') (scipy 1.10.1 has no
               false_discovery_control)
"""
import json
import math
import sys

import numpy as np
import pandas as pd
import scipy
from scipy import stats
from scipy.spatial import distance
from statsmodels.stats.multitest import multipletests


def binned(ref, cur, numerical, feel_zeroes):
    """Evidently's get_binned_data."""
    ref, cur = pd.Series(ref), pd.Series(cur)
    if numerical and ref.nunique() > 20:
        bins = np.histogram_bin_edges(pd.concat([ref, cur]).values, bins="sturges")
        rp = np.histogram(ref, bins)[0] / len(ref)
        cp = np.histogram(cur, bins)[0] / len(cur)
    else:
        keys = list((set(ref.unique()) | set(cur.unique())) - {np.nan})
        rv, cv = ref.value_counts(), cur.value_counts()
        rp = np.array([rv.get(k, 0) / len(ref) for k in keys])
        cp = np.array([cv.get(k, 0) / len(cur) for k in keys])
    if feel_zeroes:
        for arr in (rp, cp):
            m = min(arr[arr != 0])
            np.place(arr, arr == 0, m / 10**6 if m <= 0.0001 else 0.0001)
    return rp, cp


def evidently(ref, cur, numerical):
    rp, cp = binned(ref, cur, numerical, True)
    psi = float(np.sum((rp - cp) * np.log(rp / cp)))
    rp2, cp2 = binned(ref, cur, numerical, False)
    js = float(distance.jensenshannon(rp2, cp2))
    r, c = pd.Series(ref), pd.Series(cur)
    keys = sorted((set(r.unique()) | set(c.unique())) - {np.nan})
    k_norm = len(c) / len(r)
    rv, cv = r.value_counts(), c.value_counts()
    f_exp = [rv.get(k, 0) * k_norm for k in keys]
    f_obs = [cv.get(k, 0) for k in keys]
    with np.errstate(divide="ignore", invalid="ignore"):
        chi = stats.chisquare(f_obs, f_exp)
    n1, n2 = len(r), len(c)
    p1 = float(sum(r.apply(lambda x: 0 if x == keys[0] else 1))) / n1
    p2 = float(sum(c.apply(lambda x: 0 if x == keys[0] else 1))) / n2
    pooled = float(p1 * n1 + p2 * n2) / (n1 + n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1. / n1 + 1. / n2))
    out = {"psi": psi, "js": js, "chi2_stat": num(chi[0]), "chi2_p": num(chi[1]),
           "z_stat": num(z), "z_p": num(2 * (1 - stats.norm.cdf(np.abs(z))))}
    if numerical:
        out["wasserstein_normed"] = float(stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001))
        out["ref_distinct"] = int(r.nunique())
    out["pooled_distinct"] = len(keys)
    return out


def num(x):
    x = float(x)
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if math.isnan(x):
        return "nan"
    return x


def numeric_case(name, ref, cur):
    ref = np.asarray(ref, dtype=float)
    cur = np.asarray(cur, dtype=float)
    ks = stats.ks_2samp(ref, cur)
    case = {"name": name, "reference": ref.tolist(), "current": cur.tolist(),
            "ks_d": float(ks.statistic), "ks_p": float(ks.pvalue),
            "ks_method": "exact" if max(len(ref), len(cur)) <= 10000 else "asymp",
            "wasserstein": float(stats.wasserstein_distance(ref, cur))}
    case.update(evidently(ref, cur, True))
    return case


def main():
    rng = np.random.default_rng(20261204)
    r6 = lambda a: np.round(a, 6)
    a = [0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37,
         1.77, 1.09, -1.28, 2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47]
    b = [2.2, 1.66, 1.38, 0.2, 0.36, 0.0, 0.96, 1.56, 0.44, 1.5, -0.3, 0.66, 2.31, 3.29, -0.27]
    numeric = [
        numeric_case("tiny_ties", [1, 2, 2, 3, 3, 3], [2, 3, 3, 4]),
        numeric_case("disjoint_3_3", [1, 2, 3], [4, 5, 6]),
        numeric_case("research_25_15", a, b),
        numeric_case("equal_60_60", r6(rng.normal(size=60)), r6(rng.normal(0.4, 1, size=60))),
        numeric_case("exact_1000_800", r6(rng.normal(size=1000)), r6(rng.normal(0.1, 1.1, size=800))),
        numeric_case("exact_1000_800_same", r6(rng.normal(size=1000)), r6(rng.normal(size=800))),
        numeric_case("asymp_20000_15000_drift", r6(rng.normal(size=20000)), r6(rng.normal(0.05, 1, size=15000))),
        numeric_case("asymp_20000_15000_same", r6(rng.normal(size=20000)), r6(rng.normal(size=15000))),
        numeric_case("asymp_12000_40", r6(rng.normal(size=12000)), r6(rng.normal(0.3, 1, size=40))),
        numeric_case("asymp_12000_120", r6(rng.normal(size=12000)), r6(rng.normal(0.1, 1, size=120))),
        numeric_case("discrete_500_400", rng.integers(0, 4, size=500).astype(float),
                     rng.choice(4, size=400, p=[0.2, 0.3, 0.3, 0.2]).astype(float)),
        numeric_case("binary_300_200", rng.integers(0, 2, size=300).astype(float),
                     (rng.random(200) < 0.6).astype(float)),
        numeric_case("integers_2000_1500", rng.integers(0, 15, size=2000).astype(float),
                     rng.integers(1, 16, size=1500).astype(float)),
        numeric_case("power_of_two_pool", r6(rng.normal(size=40)), r6(rng.normal(size=24))),
    ]
    cat_ref = list("aaabbbbccd")
    cat_cur = list("aabbbcccce")
    categorical = []
    for name, r, c in [("research_chars", cat_ref, cat_cur),
                       ("same_categories", list("xxyyzzzwww"), list("xyyzzwwwww")),
                       ("colours_1500_900", rng.choice(["red", "green", "blue", "grey"], 1500, p=[.4, .3, .2, .1]).tolist(),
                        rng.choice(["red", "green", "blue", "grey"], 900, p=[.35, .3, .25, .1]).tolist()),
                       ("two_values", rng.choice(["yes", "no"], 400).tolist(), rng.choice(["yes", "no"], 300, p=[.6, .4]).tolist())]:
        case = {"name": name, "reference": r, "current": c}
        case.update(evidently(np.array(r, dtype=object), np.array(c, dtype=object), False))
        categorical.append(case)

    kstwo = []
    for n in [3, 10, 30, 100, 140, 141, 500, 1000, 8571, 100000, 100001, 500000]:
        for x in [0.3 / n, 0.8 / n, 1.5 / n, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15,
                  0.2, 0.3, 0.45, 0.6, 0.9, 1 - 0.5 / n]:
            if 0 < x < 1:
                kstwo.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n))})

    pvals = [0.001, 0.04, 0.03, 0.2, 0.049, 0.5, 0.0001, 0.9, 0.04, 0.012]
    bh = {"p": pvals, "adjusted": multipletests(pvals, method="fdr_bh")[1].tolist()}

    json.dump({"scipy": scipy.__version__, "numpy": np.__version__,
               "numeric": numeric, "categorical": categorical, "kstwo": kstwo, "bh": bh},
              sys.stdout, indent=None, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
