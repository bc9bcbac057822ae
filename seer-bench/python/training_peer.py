#!/usr/bin/python3
"""The peer of TrainingBench (issue 15): Python XGBoost on the same data and parameters as Seer.

Run by dev.seer.bench.TrainingBench, once per repetition, as
    /usr/bin/python3 seer-bench/python/training_peer.py DIR SEED THREADS [BASE_SCORE]
DIR holds what the harness wrote beside the Parquet splits: train_x.f32 / test_x.f32 (row-major
little-endian float32, NaN where a value is missing) and train_y.f32 / test_y.f32 (0 or 1), plus
shape.json ({"train": rows, "test": rows, "width": columns}). Debian's python3 has neither pyarrow
nor fastparquet, so the peer reads the same values in the fastest form numpy reads: raw binary.

Prints one JSON object: the seconds of each part (load, DMatrix + train, predict, AUC), their sum
("wall", the in-script time the issue's ratio uses), the imports' seconds (outside "wall", like
the JVM's class loading is outside Seer's in-JVM time) and the test AUC.
Produced the figures in docs/BENCHMARKS.md with XGBoost 1.7.4, numpy 1.24.2, scikit-learn 1.2.1.
"""
import time

STARTED = time.perf_counter()
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import xgboost as xgb  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

IMPORTED = time.perf_counter()


def main():
    directory, seed, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    t0 = time.perf_counter()
    with open(os.path.join(directory, "shape.json")) as f:
        shape = json.load(f)
    width = shape["width"]
    train_x = np.fromfile(os.path.join(directory, "train_x.f32"), dtype="<f4").reshape(shape["train"], width)
    train_y = np.fromfile(os.path.join(directory, "train_y.f32"), dtype="<f4")
    test_x = np.fromfile(os.path.join(directory, "test_x.f32"), dtype="<f4").reshape(shape["test"], width)
    test_y = np.fromfile(os.path.join(directory, "test_y.f32"), dtype="<f4")
    t1 = time.perf_counter()
    params = {"objective": "binary:logistic", "tree_method": "hist", "max_depth": 6, "eta": 0.3, "nthread": threads,
              "seed": seed, "max_bin": 256, "verbosity": 0}
    if len(sys.argv) > 4:
        params["base_score"] = float(sys.argv[4])
    dtrain = xgb.DMatrix(train_x, label=train_y, missing=np.nan, nthread=threads,
                         feature_names=["x%d" % i for i in range(width)])
    booster = xgb.train(params, dtrain, 100)
    t2 = time.perf_counter()
    dtest = xgb.DMatrix(test_x, missing=np.nan, nthread=threads, feature_names=["x%d" % i for i in range(width)])
    p1 = booster.predict(dtest)
    t3 = time.perf_counter()
    auc = roc_auc_score(test_y, p1)
    t4 = time.perf_counter()
    print(json.dumps({"load": t1 - t0, "train": t2 - t1, "predict": t3 - t2, "auc_seconds": t4 - t3, "wall": t4 - t0,
                      "imports": IMPORTED - STARTED, "auc": auc, "xgboost": xgb.__version__}))


if __name__ == "__main__":
    main()
