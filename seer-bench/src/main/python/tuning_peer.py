"""The Optuna side of TuningBench: TPE on Branin and Hartmann-6.

Usage: /usr/bin/python3 tuning_peer.py FIRST_SEED SEEDS TRIALS[,TRIALS...]
Runs Optuna's TPESampler(seed=s) with its defaults (3.1.0 as Debian ships it: univariate, 10
start-up trials, 24 candidates) and no pruner, sequentially (n_jobs=1), for every function,
trial count and seed FIRST_SEED..FIRST_SEED+SEEDS-1. Prints one JSON object per study:
  best       best objective value found
  sampler    seconds spent inside the sampler (infer_relative_search_space, sample_relative,
             sample_independent, before_trial, after_trial), summed over the study
  objective  seconds spent evaluating the function itself
  wall       seconds for study.optimize
"""
import json
import math
import sys
import time

import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)

ALPHA = [1.0, 1.2, 3.0, 3.2]
A = [[10, 3, 17, 3.5, 1.7, 8],
     [0.05, 10, 17, 0.1, 8, 14],
     [3, 3.5, 1.7, 10, 17, 8],
     [17, 8, 0.05, 10, 0.1, 14]]
P = [[1312, 1696, 5569, 124, 8283, 5886],
     [2329, 4135, 8307, 3736, 1004, 9991],
     [2348, 1451, 3522, 2883, 3047, 6650],
     [4047, 8828, 8732, 5743, 1091, 381]]


def branin(x1, x2):
    b = 5.1 / (4 * math.pi ** 2)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


def hartmann6(x):
    total = 0.0
    for i in range(4):
        inner = sum(A[i][j] * (x[j] - P[i][j] * 1e-4) ** 2 for j in range(6))
        total -= ALPHA[i] * math.exp(-inner)
    return total


class TimedSampler(optuna.samplers.BaseSampler):
    """Delegates to TPESampler and adds up the time spent in it."""

    def __init__(self, inner):
        self.inner = inner
        self.seconds = 0.0

    def _timed(self, name, *args):
        start = time.perf_counter()
        try:
            return getattr(self.inner, name)(*args)
        finally:
            self.seconds += time.perf_counter() - start

    def infer_relative_search_space(self, study, trial):
        return self._timed("infer_relative_search_space", study, trial)

    def sample_relative(self, study, trial, search_space):
        return self._timed("sample_relative", study, trial, search_space)

    def sample_independent(self, study, trial, name, distribution):
        return self._timed("sample_independent", study, trial, name, distribution)

    def before_trial(self, study, trial):
        return self._timed("before_trial", study, trial)

    def after_trial(self, study, trial, state, values):
        return self._timed("after_trial", study, trial, state, values)


def run(function, seed, trials):
    sampler = TimedSampler(optuna.samplers.TPESampler(seed=seed))
    study = optuna.create_study(sampler=sampler)
    spent = [0.0]

    def objective(trial):
        if function == "branin":
            x = [trial.suggest_float("x1", -5, 10), trial.suggest_float("x2", 0, 15)]
        else:
            x = [trial.suggest_float("x%d" % j, 0, 1) for j in range(6)]
        start = time.perf_counter()
        value = branin(*x) if function == "branin" else hartmann6(x)
        spent[0] += time.perf_counter() - start
        return value

    start = time.perf_counter()
    study.optimize(objective, n_trials=trials)
    wall = time.perf_counter() - start
    return {"function": function, "trials": trials, "seed": seed, "best": study.best_value,
            "sampler": sampler.seconds, "objective": spent[0], "wall": wall}


def main():
    first = int(sys.argv[1])
    seeds = int(sys.argv[2])
    sizes = [int(t) for t in sys.argv[3].split(",")]
    run("branin", 999, 20)  # warm-up, not reported
    for function in ("branin", "hartmann6"):
        for trials in sizes:
            for seed in range(first, first + seeds):
                print(json.dumps(run(function, seed, trials)), flush=True)


if __name__ == "__main__":
    main()
