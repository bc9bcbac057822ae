"""Reference values for the tuning tests, from Optuna itself.

Run once with Debian's interpreter, which has python3-optuna 3.1.0 and numpy:
    /usr/bin/python3 make_fixtures.py > optuna_reference.json
Produced with Optuna 3.1.0, NumPy 1.24.2, SciPy 1.10.1 (Debian 12). The tests read the JSON; they never call Python.

Contents:
  gamma / weights      optuna.samplers._tpe.sampler.default_gamma / default_weights
  parzen               optuna.samplers._tpe.parzen_estimator._ParzenEstimator built on small
                       observation sets: mixture weights, mus, sigmas, categorical rows, and
                       log_pdf at a few points. "logPdf" is Optuna 3.1.0's own value, whose
                       truncated-normal log density lacks the -log(sigma) term for real
                       parameters (_truncnorm.logpdf ignores `scale`; later Optuna adds it);
                       "logPdfDensity" is the mixture's true log density, recomputed here with
                       scipy.stats.truncnorm from Optuna's kernels. Seer's TPE scores
                       as 3.1.0 does by default and uses the true density on request.
  asha                 optuna.pruners.SuccessiveHalvingPruner run sequentially on deterministic
                       learning curves v_k(step) = q_k + a_k / step (k = trial number): which
                       trials were pruned and the steps each reported
  concentration        TPESampler(seed=s), s = 0..19, 50 trials on (x - 2)^2, x in [-10, 10]: the
                       share of trials 30-49 with |x - 2| < 1 (a statistical target, not bitwise)
"""
import json
import math
import sys

import numpy as np
import scipy.special
import scipy.stats
import optuna
from optuna import distributions as D
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import default_gamma, default_weights

optuna.logging.set_verbosity(optuna.logging.ERROR)


def param_json(name, dist):
    if isinstance(dist, D.CategoricalDistribution):
        return {"name": name, "type": "categorical", "choices": list(dist.choices)}
    kind = "int" if isinstance(dist, D.IntDistribution) else "float"
    return {"name": name, "type": kind, "low": dist.low, "high": dist.high, "log": dist.log}


def parzen_case(label, space, observations, points, multivariate=False, endpoints=False):
    params = _ParzenEstimatorParameters(
        consider_prior=True, prior_weight=1.0, consider_magic_clip=True,
        consider_endpoints=endpoints, weights=default_weights, multivariate=multivariate)
    obs = {k: np.asarray(v, dtype=float) for k, v in observations.items()}
    pe = _ParzenEstimator(obs, space, params)
    pts = {k: np.asarray(v, dtype=float if not isinstance(space[k], D.CategoricalDistribution) else int)
           for k, v in points.items()}
    dims = {}
    for name, dist in space.items():
        if isinstance(dist, D.CategoricalDistribution):
            dims[name] = {"rows": pe._categorical_weights[name].tolist()}
        else:
            dims[name] = {"mus": pe._mus[name].tolist(), "sigmas": pe._sigmas[name].tolist(),
                          "low": float(pe._low[name]), "high": float(pe._high[name])}
    return {
        "label": label,
        "logPdfDensity": true_log_pdf(pe, space, pts).tolist(),
        "multivariate": multivariate,
        "considerEndpoints": endpoints,
        "params": [param_json(n, d) for n, d in space.items()],
        "observations": {k: list(map(float, v)) for k, v in observations.items()},
        "weights": pe._weights.tolist(),
        "dims": dims,
        "points": {k: list(map(float, v)) for k, v in points.items()},
        "logPdf": pe.log_pdf(pts).tolist(),
    }


def true_log_pdf(pe, space, pts):
    """log sum_c w_c prod_d k_cd(x_d), every kernel a normalised density (or cell mass)."""
    n = len(next(iter(pts.values())))
    total = np.tile(np.log(pe._weights), (n, 1))
    for name, dist in space.items():
        x = pts[name]
        if isinstance(dist, D.CategoricalDistribution):
            total += np.log(pe._categorical_weights[name].T[x, :])
            continue
        mus, sigmas, low, high = pe._mus[name], pe._sigmas[name], pe._low[name], pe._high[name]
        a, b = (low - mus) / sigmas, (high - mus) / sigmas
        if dist.log:
            x = np.log(x)
        if isinstance(dist, D.IntDistribution) and not dist.log:
            up = np.minimum(x + 0.5, high)[:, None]
            lo = np.maximum(x - 0.5, low)[:, None]
            cell = scipy.stats.norm.cdf((up - mus) / sigmas) - scipy.stats.norm.cdf((lo - mus) / sigmas)
            total += np.log(cell) - np.log(scipy.stats.norm.cdf(b) - scipy.stats.norm.cdf(a))
        else:
            total += scipy.stats.truncnorm.logpdf(x[:, None], a, b, loc=mus, scale=sigmas)
    return scipy.special.logsumexp(total, axis=1)


def parzen_cases():
    f10 = {"x": D.FloatDistribution(0.0, 10.0)}
    rng = np.random.RandomState(7)
    thirty = list(np.round(rng.uniform(0, 10, size=30), 6))
    mixed = {
        "x": D.FloatDistribution(0.0, 1.0),
        "n": D.IntDistribution(0, 5),
        "c": D.CategoricalDistribution(["a", "b", "c"]),
    }
    return [
        parzen_case("float two observations", f10, {"x": [1.0, 7.0]}, {"x": [0.0, 1.0, 4.5, 9.99]}),
        parzen_case("float one observation", f10, {"x": [3.0]}, {"x": [0.5, 3.0, 8.0]}),
        parzen_case("float prior only", f10, {"x": []}, {"x": [0.0, 5.0, 10.0]}),
        parzen_case("float endpoints", f10, {"x": [1.0, 7.0, 8.0]}, {"x": [0.2, 7.5]}, endpoints=True),
        parzen_case("float thirty observations (weights ramp)", f10, {"x": thirty}, {"x": [0.1, 2.5, 5.0, 7.5, 9.9]}),
        parzen_case("log float", {"x": D.FloatDistribution(1e-3, 10.0, log=True)},
                    {"x": [0.01, 0.5, 2.0, 0.02]}, {"x": [0.001, 0.015, 1.0, 9.0]}),
        parzen_case("int", {"n": D.IntDistribution(1, 20)}, {"n": [3, 3, 10, 15, 1]}, {"n": [1, 3, 4, 12, 20]}),
        parzen_case("log int", {"n": D.IntDistribution(1, 1000, log=True)}, {"n": [2, 50, 400]}, {"n": [1, 3, 60, 999]}),
        parzen_case("categorical", {"c": D.CategoricalDistribution(["a", "b", "c"])}, {"c": [0, 2, 2]}, {"c": [0, 1, 2]}),
        parzen_case("multivariate mixed", mixed,
                    {"x": [0.1, 0.4, 0.45, 0.9, 0.3], "n": [0, 2, 2, 5, 1], "c": [0, 1, 1, 2, 0]},
                    {"x": [0.0, 0.42, 0.95], "n": [2, 2, 4], "c": [1, 1, 2]}, multivariate=True),
        parzen_case("univariate joint mixed", mixed,
                    {"x": [0.1, 0.4, 0.45, 0.9, 0.3], "n": [0, 2, 2, 5, 1], "c": [0, 1, 1, 2, 0]},
                    {"x": [0.0, 0.42, 0.95], "n": [2, 2, 4], "c": [1, 1, 2]}),
    ]


def asha_case(label, config, direction, q, a, max_step):
    pruner = optuna.pruners.SuccessiveHalvingPruner(**config)
    study = optuna.create_study(direction=direction, pruner=pruner,
                                sampler=optuna.samplers.RandomSampler(seed=0))

    def objective(trial):
        k = trial.number
        value = None
        for step in range(1, max_step + 1):
            value = q[k] + a[k] / step
            trial.report(value, step)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return value

    study.optimize(objective, n_trials=len(q))
    return {
        "label": label,
        "minResource": config.get("min_resource", "auto"),
        "reductionFactor": config.get("reduction_factor", 4),
        "minEarlyStoppingRate": config.get("min_early_stopping_rate", 0),
        "direction": direction.upper(),
        "q": q, "a": a, "maxStep": max_step,
        "states": [t.state.name for t in study.trials],
        "lastSteps": [t.last_step for t in study.trials],
    }


def asha_cases():
    rng = np.random.RandomState(11)
    q = [float(round(v, 6)) for v in rng.uniform(0, 1, size=40)]
    a = [float(round(v, 6)) for v in rng.uniform(0, 2, size=40)]
    return [
        asha_case("min 1, eta 3, rate 0, minimise", dict(min_resource=1, reduction_factor=3), "minimize", q, a, 30),
        asha_case("min 2, eta 2, rate 1, minimise",
                  dict(min_resource=2, reduction_factor=2, min_early_stopping_rate=1), "minimize", q, a, 40),
        asha_case("min 1, eta 4, rate 0, maximise", dict(min_resource=1, reduction_factor=4), "maximize", q, [-x for x in a], 70),
        asha_case("auto, eta 4 (Optuna's defaults)", dict(), "minimize", q, a, 300),
    ]


def concentration():
    near = 0
    for seed in range(20):
        study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
        study.optimize(lambda t: (t.suggest_float("x", -10, 10) - 2) ** 2, n_trials=50)
        near += sum(abs(t.params["x"] - 2) < 1 for t in study.trials[30:50])
    return {"seeds": 20, "trials": 50, "late": [30, 50], "band": 1.0, "share": near / (20 * 20)}


if __name__ == "__main__":
    out = {
        "optuna": optuna.__version__,
        "numpy": np.__version__,
        "gamma": {str(n): default_gamma(n) for n in range(0, 301)},
        "weights": {str(n): default_weights(n).tolist() for n in [0, 1, 5, 24, 25, 26, 27, 40, 100]},
        "parzen": parzen_cases(),
        "asha": asha_cases(),
        "concentration": concentration(),
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")
