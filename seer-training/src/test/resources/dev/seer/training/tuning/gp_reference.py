"""Reference numbers for GpSamplerTest, computed independently of the Java code.

Run: /usr/bin/python3 gp_reference.py   (numpy 2.4.6, scipy 1.17.1, mpmath 1.3.0 on the build machine)
The test holds the printed numbers as literals; it never calls Python.

posterior: a Gaussian process with zero mean, kernel s * m52(r), r^2 = sum_d lam_d * delta_d^2
           (delta = difference, or 0/1 for a categorical coordinate), noise nu on the diagonal:
           mean k*' K^-1 y, latent variance s - k*' K^-1 k*, log EI below `best` for minimisation.
logh:      log(z * Phi(z) + phi(z)) and Phi(z) / h(z) at 60 digits.
"""
import mpmath
import numpy as np
from scipy.stats import norm


def m52(q):
    r = np.sqrt(q)
    return (1 + np.sqrt(5) * r + 5 / 3 * q) * np.exp(-np.sqrt(5) * r)


def k(a, b, lam, s, cat):
    d = np.where(cat, (a != b).astype(float), a - b)
    return s * m52(np.sum(lam * d * d))


def posterior(x, y, lam, s, nu, cat, xs, best):
    n = len(x)
    kk = np.array([[k(x[i], x[j], lam, s, cat) for j in range(n)] for i in range(n)]) + nu * np.eye(n)
    ks = np.array([k(xs, x[i], lam, s, cat) for i in range(n)])
    mu = ks @ np.linalg.solve(kk, y)
    var = s - ks @ np.linalg.solve(kk, ks)
    sig = np.sqrt(var)
    z = (best - mu) / sig
    print("mean", repr(float(mu)), "variance", repr(float(var)),
          "logEI", repr(float(np.log(sig * (z * norm.cdf(z) + norm.pdf(z))))))


y = np.array([0.3, -1.2, 0.7])
posterior(np.array([[0.1, 0.2], [0.5, 0.9], [0.8, 0.4]]), y, np.array([2.0, 0.5]), 1.5, 0.01,
          np.array([False, False]), np.array([0.4, 0.5]), -1.2)
posterior(np.array([[0.1, 0.2, 0], [0.5, 0.9, 1], [0.8, 0.4, 0]]), y, np.array([2.0, 0.5, 0.7]), 1.5, 0.01,
          np.array([False, False, True]), np.array([0.4, 0.5, 1]), -1.2)

mpmath.mp.dps = 60
for z in [-3, -10, -11.9, -12.1, -20, -35]:
    z = mpmath.mpf(z)
    h = z * mpmath.ncdf(z) + mpmath.npdf(z)
    print("z", float(z), "log h", mpmath.nstr(mpmath.log(h), 17), "Phi/h", mpmath.nstr(mpmath.ncdf(z) / h, 17))
