"""The Python side of AutoMlBench: the data sets, and Optuna-tuned xgboost within a time budget.

Usage: /usr/bin/python3 automl_peer.py data OUT_DIR
       /usr/bin/python3 automl_peer.py tune TRAIN_CSV TEST_CSV TASK BUDGET_SECONDS SEED
"data" writes three CSV files (columns id, f0..fN-1, label): breast_cancer.csv and diabetes.csv
from scikit-learn 1.2.1's bundled sets, and synthetic100k.csv, a seeded binary task of 100,000 rows
(20 standard-normal features, a nonlinear logit over ten of them, ten of noise).
"tune" is the peer AutoMlBench compares Seer's AutoML with: it reads the training rows (Seer's train
and validation splits) and the test rows (Seer's test split), holds out a fifth of the training rows
(seeded) as validation, runs Optuna 3.1.0's TPESampler(seed=SEED) with its defaults over the space
Seer's AutoML searches (max_depth int [2, 10], eta log [0.01, 0.3], rounds int [50, 500],
min_child_weight log [1, 20], subsample [0.5, 1], colsample_bytree [0.5, 1]) with
study.optimize(timeout=BUDGET), refits the best parameters on all training rows, and scores the
test rows: ROC AUC (binary, sklearn roc_auc_score) or RMSE (regression). xgboost 1.7.4, hist,
nthread 1 (Debian's build is a DEBUG build whose two-thread fits were ten times slower here).
Prints one JSON object: metric, value, trials, tune_seconds, refit_seconds, wall_seconds (from
reading the files to the test score), best params.
"""
import json
import sys
import time

import numpy as np
import optuna
import pandas as pd
import xgboost as xgb
from sklearn.metrics import mean_squared_error, roc_auc_score

optuna.logging.set_verbosity(optuna.logging.ERROR)


def write_data(out):
    from sklearn.datasets import load_breast_cancer, load_diabetes
    for name, loader in (("breast_cancer", load_breast_cancer), ("diabetes", load_diabetes)):
        x, y = loader(return_X_y=True)
        frame(x, y).to_csv("%s/%s.csv" % (out, name), index=False)
    rng = np.random.default_rng(20261204)
    x = rng.standard_normal((100_000, 20)).astype(np.float32).astype(np.float64)
    logit = (x[:, 0] * x[:, 1] + np.sin(2 * x[:, 2]) + 0.5 * x[:, 3] ** 2 - 0.5 + 0.8 * x[:, 4] - 0.6 * x[:, 5]
             + 0.7 * np.abs(x[:, 6]) - 0.56 + np.where(x[:, 8] > 0, 0.5 * x[:, 7], 0) + 0.3 * x[:, 9])
    y = (rng.random(100_000) < 1 / (1 + np.exp(-logit))).astype(np.int64)
    frame(x, y).to_csv("%s/synthetic100k.csv" % out, index=False, float_format="%.9g")


def frame(x, y):
    data = pd.DataFrame(x, columns=["f%d" % j for j in range(x.shape[1])])
    data.insert(0, "id", np.arange(len(y)))
    data["label"] = y
    return data


def fit(params, x, y, task, seed):
    native = {"objective": "binary:logistic" if task == "binary" else "reg:squarederror", "tree_method": "hist",
              "nthread": 1, "seed": seed, "verbosity": 0, "max_depth": params["max_depth"], "eta": params["eta"],
              "min_child_weight": params["min_child_weight"], "subsample": params["subsample"],
              "colsample_bytree": params["colsample_bytree"]}
    return xgb.train(native, xgb.DMatrix(x, label=y, nthread=1), num_boost_round=params["rounds"])


def score(task, truth, predicted):
    if task == "binary":
        return roc_auc_score(truth, predicted)
    return float(np.sqrt(mean_squared_error(truth, predicted)))


def tune(train_csv, test_csv, task, budget, seed):
    start = time.perf_counter()
    train = pd.read_csv(train_csv)
    test = pd.read_csv(test_csv)
    features = [c for c in train.columns if c not in ("id", "label")]
    x, y = train[features].to_numpy(np.float32), train["label"].to_numpy(np.float64)
    rng = np.random.default_rng(seed)
    held = rng.permutation(len(y)) < len(y) // 5
    tx, ty, vx, vy = x[~held], y[~held], x[held], y[held]
    valid = xgb.DMatrix(vx, nthread=1)

    def objective(trial):
        params = {"max_depth": trial.suggest_int("max_depth", 2, 10),
                  "eta": trial.suggest_float("eta", 0.01, 0.3, log=True),
                  "rounds": trial.suggest_int("rounds", 50, 500),
                  "min_child_weight": trial.suggest_float("min_child_weight", 1, 20, log=True),
                  "subsample": trial.suggest_float("subsample", 0.5, 1),
                  "colsample_bytree": trial.suggest_float("colsample_bytree", 0.5, 1)}
        return score(task, vy, fit(params, tx, ty, task, seed + trial.number).predict(valid))

    study = optuna.create_study(direction="maximize" if task == "binary" else "minimize",
                                sampler=optuna.samplers.TPESampler(seed=seed))
    tuning = time.perf_counter()
    study.optimize(objective, timeout=budget)
    tuned = time.perf_counter()
    model = fit(study.best_params, x, y, task, seed)
    refit = time.perf_counter()
    value = score(task, test["label"].to_numpy(np.float64), model.predict(xgb.DMatrix(test[features].to_numpy(np.float32), nthread=1)))
    return {"metric": "roc_auc" if task == "binary" else "rmse", "value": value, "trials": len(study.trials),
            "train_rows": len(y), "test_rows": len(test), "tune_seconds": tuned - tuning, "refit_seconds": refit - tuned,
            "wall_seconds": time.perf_counter() - start, "params": study.best_params}


def main():
    if sys.argv[1] == "data":
        write_data(sys.argv[2])
    else:
        print(json.dumps(tune(sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]), int(sys.argv[6]))), flush=True)


if __name__ == "__main__":
    main()
