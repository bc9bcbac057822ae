"""Reference values for the tests of dev.seer.training.stats.

Run from this folder with Debian's Python and its packages (the data committed beside it was
produced with SciPy 1.10.1, statsmodels 0.13.5, NumPy 1.24.2):

    /usr/bin/python3 make_fixtures.py > fixtures.json

Nothing here calls Seer. Each reference is independent of the Java code:
- McNemar: statsmodels.stats.contingency_tables.mcnemar (exact=True; exact=False with and without
  the continuity correction); the interval is Agresti and Min's (2005) adjusted Wald interval
  written out from the paper's formula.
- Holm: statsmodels.stats.multitest.multipletests(method='holm').
- Nadeau-Bengio: the formula of Nadeau & Bengio (2003) / Bouckaert & Frank (2004) with
  scipy.stats.t: t = mean / sqrt((1/J + r) * var), p = 2 * t.sf(|t|, J-1),
  CI = mean -/+ q * sqrt((1/J + r) * var) with q the (1+c)/2 quantile of t(J-1). The quantile is
  solved in 40-digit arithmetic with mpmath (1.2.1), because scipy 1.10's t.ppf (cephes stdtrit)
  is off by up to 5e-9 relative (t.ppf(0.95, 4) = 2.13184678133629, whose t.cdf is 0.99999999972;
  the closed form gives 2.1318467863266495).
- DeLong: scipy has none; the O(m*n) definition of DeLong et al. (1988) with the kernel
  psi(x, y) = 1, 1/2, 0 in numpy (no ranks), on random data with ties.
The aSAH figures of pROC are not reproduced: the data set is not on this machine.
"""
import json
import sys

import mpmath
import numpy as np
import scipy
import scipy.stats as st
import statsmodels
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests


def agresti_min(b, c, n, confidence):
    b2, c2, n2 = b + 0.5, c + 0.5, n + 2.0
    centre = (b2 - c2) / n2
    half = st.norm.ppf(0.5 + confidence / 2) * np.sqrt((b2 + c2) - (b2 - c2) ** 2 / n2) / n2
    return max(-1.0, centre - half), min(1.0, centre + half)


def mcnemar_cases():
    # (onlyA, onlyB, n): small, balanced, lopsided, none discordant, a far tail, large counts
    tables = [(0, 0, 10), (3, 3, 20), (1, 9, 40), (9, 1, 40), (12, 5, 100), (5, 12, 100), (0, 7, 7),
              (25, 40, 500), (0, 100, 200), (3, 150, 400), (400, 450, 5000), (1000, 1100, 100000)]
    cases = []
    for b, c, n in tables:
        a = n - b - c  # both right or both wrong: statsmodels reads only the off-diagonal
        table = [[a, b], [c, 0]]
        exact = mcnemar(table, exact=True)
        case = {"onlyA": b, "onlyB": c, "n": n,
                "exactStatistic": float(exact.statistic), "exactP": float(exact.pvalue),
                "effect": (b - c) / n}
        if b + c > 0:
            corrected = mcnemar(table, exact=False, correction=True)
            plain = mcnemar(table, exact=False, correction=False)
            case.update(chiCorrectedStatistic=float(corrected.statistic), chiCorrectedP=float(corrected.pvalue),
                        chiPlainStatistic=float(plain.statistic), chiPlainP=float(plain.pvalue))
        case["low95"], case["high95"] = agresti_min(b, c, n, 0.95)
        case["low90"], case["high90"] = agresti_min(b, c, n, 0.90)
        cases.append(case)
    return cases


def holm_cases():
    vectors = [[0.01, 0.04, 0.03, 0.005], [0.01, 0.01, 0.02, 0.02, 0.5], [0.05], [0.2, 0.2, 0.2],
               [0.001, 0.0125, 0.0125, 0.04, 0.9], [0.025, 0.025], [1e-12, 0.3, 1.0, 0.3, 1e-12],
               [0.04, 0.01, 0.03, 0.02], [0.6, 0.7, 0.8, 0.9]]
    cases = []
    for alpha in (0.05, 0.1):
        for p in vectors:
            reject, adjusted, _, _ = multipletests(p, alpha=alpha, method="holm")
            cases.append({"p": p, "alpha": alpha, "adjusted": [float(x) for x in adjusted],
                          "reject": [bool(x) for x in reject]})
    return cases


def student_quantile(probability, df):
    mpmath.mp.dps = 40
    p, nu = mpmath.mpf(probability), mpmath.mpf(df)
    cdf = lambda x: 1 - mpmath.betainc(nu / 2, mpmath.mpf(1) / 2, 0, nu / (nu + x * x), regularized=True) / 2
    return float(mpmath.findroot(lambda x: cdf(x) - p, float(st.t.ppf(probability, df))))


def nadeau_bengio(d, ratio, confidence):
    d = np.asarray(d, dtype=float)
    j = len(d)
    se = np.sqrt((1.0 / j + ratio) * d.var(ddof=1))
    t = d.mean() / se
    half = student_quantile(0.5 + confidence / 2, j - 1) * se
    return {"differences": d.tolist(), "ratio": ratio, "confidence": confidence, "t": float(t),
            "p": float(2 * st.t.sf(abs(t), j - 1)), "effect": float(d.mean()),
            "low": float(d.mean() - half), "high": float(d.mean() + half)}


def nadeau_bengio_cases():
    rng = np.random.default_rng(20261204)
    cases = [nadeau_bengio([0.012, 0.020, -0.004, 0.015, 0.009], 0.25, 0.95),
             nadeau_bengio([-0.3, -0.1, -0.2], 0.5, 0.9),
             nadeau_bengio([0.5, 0.51], 1.0, 0.95),
             nadeau_bengio(rng.normal(0.01, 0.02, 10), 1 / 9, 0.95),
             nadeau_bengio(rng.normal(0.05, 0.01, 100), 1 / 9, 0.99),   # 10x10-fold, a far tail
             nadeau_bengio(rng.normal(0.0, 0.03, 50), 0.25, 0.95),
             nadeau_bengio(rng.normal(0.02, 0.02, 10), 0.0, 0.95)]     # uncorrected
    return cases


def delong_definition(y, a, b, confidence):
    y = np.asarray(y, dtype=bool)
    result = {"positive": y.tolist(), "scoresA": list(map(float, a)), "scoresB": list(map(float, b)),
              "confidence": confidence}
    v10, v01, aucs = [], [], []
    for s in (np.asarray(a, float), np.asarray(b, float)):
        x, yy = s[y], s[~y]
        psi = (x[:, None] > yy[None, :]) + 0.5 * (x[:, None] == yy[None, :])   # m x n kernel
        v10.append(psi.mean(axis=1))
        v01.append(psi.mean(axis=0))
        aucs.append(psi.mean())
    m, n = y.sum(), (~y).sum()
    s10 = np.cov(np.vstack(v10), ddof=1)
    s01 = np.cov(np.vstack(v01), ddof=1)
    cov = s10 / m + s01 / n
    var = cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]
    diff = aucs[0] - aucs[1]
    z = diff / np.sqrt(var) if var > 0 else 0.0
    half = st.norm.ppf(0.5 + confidence / 2) * np.sqrt(max(var, 0.0))
    result.update(aucA=float(aucs[0]), aucB=float(aucs[1]), z=float(z), p=float(2 * st.norm.sf(abs(z))),
                  effect=float(diff), low=float(diff - half), high=float(diff + half), variance=float(var))
    return result


def delong_cases():
    rng = np.random.default_rng(15)
    cases = [delong_definition([1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0],
                               [0.9, 0.8, 0.7, 0.6, 0.4, 0.7, 0.5, 0.3, 0.2, 0.1, 0.4],
                               [0.6, 0.9, 0.5, 0.5, 0.3, 0.8, 0.5, 0.4, 0.1, 0.2, 0.6], 0.95)]
    for size, levels in ((40, 5), (120, 12), (300, 1000)):
        y = rng.random(size) < 0.4
        y[:2], y[2:4] = True, False
        latent = y * 1.0 + rng.normal(0, 1, size)
        a = np.round((latent + rng.normal(0, 0.5, size)) * levels / 4) / levels   # rounded: ties
        b = np.round((latent + rng.normal(0, 0.8, size)) * levels / 4) / levels
        cases.append(delong_definition(y, a, b, 0.95))
    return cases


def quantiles():
    # Student t and normal quantiles the intervals rest on
    return [{"df": df, "confidence": c, "t": student_quantile(0.5 + c / 2, df)}
            for df in (1, 2, 4, 9, 99) for c in (0.9, 0.95, 0.99)]


json.dump({"versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__,
                        "statsmodels": statsmodels.__version__, "mpmath": mpmath.__version__},
           "mcnemar": mcnemar_cases(), "holm": holm_cases(), "nadeauBengio": nadeau_bengio_cases(),
           "delong": delong_cases(), "studentQuantiles": quantiles()},
          sys.stdout, indent=1)
print()
