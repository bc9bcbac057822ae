"""The Optuna side of XgbTuningBench: TPE tuning Python XGBoost on the 50,000-row task.

Usage: /usr/bin/python3 xgb_tuning_peer.py DIR tune SEED TRIALS
       /usr/bin/python3 xgb_tuning_peer.py DIR serve SEED TRIALS
       /usr/bin/python3 xgb_tuning_peer.py DIR check JSON_LIST_OF_PARAMS
DIR holds train.x/.y and validation.x/.y as XgbTuningBench writes them (little-endian float32,
rows x 20 row-major; one label a row). "tune" runs Optuna 3.1.0's TPESampler(seed=SEED) with its
defaults and no pruner, sequentially, for TRIALS trials, each training xgboost 1.7.4 (hist,
nthread 1, binary:logistic; Debian's xgboost 1.7.4 is a DEBUG build,
and with nthread 2 on this shared two-core machine a 100-round fit took 25 s against 2 s with one
thread) with the sampled parameters and returning the validation ROC AUC
(maximised), and prints one JSON object:
  best       {"50": best after 50 trials, "TRIALS": best after all} (the first 50 trials of the
             study are exactly a 50-trial study: the sampler does not know the trial count)
  sampler    seconds inside the sampler (every BaseSampler method), summed over the study
  objective  seconds inside the objective (training and scoring)
  wall       seconds for study.optimize
"serve" runs the same study, but its objective is the caller's: for each trial it prints
{"trial": N, "params": {...}} and reads the value back from stdin (XgbTuningBench answers with
XGBoost4J, the objective Seer's sampler sees), so both samplers tune the same function.
"check" trains each given parameter set once (seed 0) and prints {"auc": ...} per set.
"""
import json
import sys
import time

import numpy as np
import optuna
import xgboost as xgb
from sklearn.metrics import roc_auc_score

optuna.logging.set_verbosity(optuna.logging.ERROR)
FEATURES = 20


def load(directory, name):
    x = np.fromfile("%s/%s.x" % (directory, name), dtype="<f4").reshape(-1, FEATURES)
    y = np.fromfile("%s/%s.y" % (directory, name), dtype="<f4")
    return x, y


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


def auc(train, validation, params, seed):
    native = {"objective": "binary:logistic", "tree_method": "hist", "nthread": 1, "seed": seed, "verbosity": 0,
              "max_depth": int(params["max_depth"]), "eta": params["eta"],
              "min_child_weight": params["min_child_weight"], "subsample": params["subsample"],
              "colsample_bytree": params["colsample_bytree"]}
    booster = xgb.train(native, train, num_boost_round=int(params["rounds"]))
    return roc_auc_score(validation.get_label(), booster.predict(validation))


def ask_caller(params, number):
    print(json.dumps({"trial": number, "params": params}), flush=True)
    return float(sys.stdin.readline())


def tune(train, validation, seed, trials, serve=False):
    sampler = TimedSampler(optuna.samplers.TPESampler(seed=seed))
    study = optuna.create_study(direction="maximize", sampler=sampler)
    spent = [0.0]

    def objective(trial):
        params = {"max_depth": trial.suggest_int("max_depth", 2, 10),
                  "eta": trial.suggest_float("eta", 0.01, 0.3, log=True),
                  "rounds": trial.suggest_int("rounds", 50, 300),
                  "min_child_weight": trial.suggest_float("min_child_weight", 1, 20, log=True),
                  "subsample": trial.suggest_float("subsample", 0.5, 1),
                  "colsample_bytree": trial.suggest_float("colsample_bytree", 0.5, 1)}
        start = time.perf_counter()
        value = ask_caller(params, trial.number) if serve else auc(train, validation, params, seed + trial.number)
        spent[0] += time.perf_counter() - start
        return value

    start = time.perf_counter()
    study.optimize(objective, n_trials=trials)
    wall = time.perf_counter() - start
    values = [t.value for t in study.trials]
    best = {str(n): max(values[:n]) for n in ([50, trials] if trials >= 100 else [trials])}
    return {"seed": seed, "best": best, "sampler": sampler.seconds, "objective": spent[0], "wall": wall}


def main():
    directory = sys.argv[1]
    if sys.argv[2] == "serve":
        print(json.dumps(tune(None, None, int(sys.argv[3]), int(sys.argv[4]), serve=True)), flush=True)
        return
    x, y = load(directory, "train")
    train = xgb.DMatrix(x, label=y, nthread=1)
    vx, vy = load(directory, "validation")
    validation = xgb.DMatrix(vx, label=vy, nthread=1)
    if sys.argv[2] == "check":
        for params in json.loads(sys.argv[3]):
            print(json.dumps({"auc": auc(train, validation, params, 0)}), flush=True)
    else:
        print(json.dumps(tune(train, validation, int(sys.argv[3]), int(sys.argv[4]))), flush=True)


if __name__ == "__main__":
    main()
