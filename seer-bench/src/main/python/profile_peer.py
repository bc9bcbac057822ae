#!/usr/bin/python3
"""Reference values for seer-monitoring's profile package (dev.seer.monitoring.profile).

Produced with Debian's SciPy 1.10.1 / NumPy 1.24.2:
    /usr/bin/python3 seer-bench/src/main/python/profile_peer.py \
        > seer-monitoring/src/test/resources/profile/reference.csv

What it pins (the Java test compares to the CSV, one "key,value,value..." line each, and needs no Python):
- ks_2samp's statistic and scipy's wasserstein_distance on two small samples, which a profile's
  sketches hold exactly (KLL exact mode), so the sketch statistics must equal them;
- np.histogram shares on Sturges edges of the pooled samples (Evidently's binning), which
  NumericColumn.pmf(interior edges) must reproduce;
- scipy.special.kolmogorov(lambda), the asymptotic Kolmogorov survival function the sketch KS
  p-value uses, at lambdas from 0.2 to 3 and at sqrt(en) * D of the samples.
"""
import sys

import numpy as np
import scipy
from scipy import special, stats

A = [0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37, 1.77,
     1.09, -1.28, 2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47]
B = [2.2, 1.66, 1.38, 0.2, 0.36, 0.0, 0.96, 1.56, 0.44, 1.5, -0.3, 0.66, 2.31, 3.29, -0.27]


def main():
    a = np.array(A)
    b = np.array(B)
    ks = stats.ks_2samp(a, b)
    edges = np.histogram_bin_edges(np.concatenate([a, b]), bins="sturges")
    en = len(a) * len(b) / (len(a) + len(b))
    lambdas = [0.2, 0.5, 0.8, 0.99, 1.0, 1.2, 1.36, 1.5, 2.0, 3.0, float(np.sqrt(en) * ks.statistic)]
    out = {
        "a": A,
        "b": B,
        "ks_statistic": float(ks.statistic),
        "wasserstein": float(stats.wasserstein_distance(a, b)),
        "sturges_edges": [float(e) for e in edges],
        "hist_a": [float(c) / len(a) for c in np.histogram(a, bins=edges)[0]],
        "hist_b": [float(c) / len(b) for c in np.histogram(b, bins=edges)[0]],
        "kolmogorov_lambda": lambdas,
        "kolmogorov_sf": [float(special.kolmogorov(lam)) for lam in lambdas],
    }
    sys.stdout.write("# scipy %s, numpy %s: see seer-bench/src/main/python/profile_peer.py\n" % (scipy.__version__, np.__version__))
    for key, value in out.items():
        values = value if isinstance(value, list) else [value]
        sys.stdout.write(key + "," + ",".join(repr(float(v)) for v in values) + "\n")


if __name__ == "__main__":
    main()
