"""Writes the Python XGBoost 1.7.4 models and expected values PythonXGBoostFilesTest reads.

Run with Debian's python3-xgboost: /usr/bin/python3 make_fixtures.py (in this folder).
600 rows of 5 standard-normal features (numpy seed 1), 15% missing; s = x0 + x1*x2 + 0.8*isnan(x3).
Models: binary:logistic (depth 4), multi:softprob with 3 classes (depth 3), reg:logistic (depth 3),
reg:absoluteerror (depth 3); eta 0.3, seed 1, hist, 15 rounds; each saved as .json and .ubj.
*.expect.json: the first 40 rows (null: missing), pred_contribs and output_margin.
"""
import json

import numpy as np
import xgboost as xgb

rng = np.random.default_rng(1)
x = rng.standard_normal((600, 5))
x[rng.random(x.shape) < 0.15] = np.nan
s = np.nan_to_num(x[:, 0]) + np.nan_to_num(x[:, 1]) * np.nan_to_num(x[:, 2]) + 0.8 * np.isnan(x[:, 3])
labels = {
    "binary": (rng.random(600) < 1 / (1 + np.exp(-2 * s))).astype(float),
    "multi": np.digitize(s, [-0.5, 0.5]).astype(float),
    "reglog": 1 / (1 + np.exp(-s)),
    "mae": s + 0.2 * rng.standard_normal(600),
}
params = {
    "binary": {"objective": "binary:logistic", "max_depth": 4},
    "multi": {"objective": "multi:softprob", "num_class": 3, "max_depth": 3},
    "reglog": {"objective": "reg:logistic", "max_depth": 3},
    "mae": {"objective": "reg:absoluteerror", "max_depth": 3},
}
for name, p in params.items():
    booster = xgb.train({**p, "eta": 0.3, "seed": 1, "tree_method": "hist"}, xgb.DMatrix(x, label=labels[name]), 15)
    booster.save_model(name + ".json")
    booster.save_model(name + ".ubj")
    probe = xgb.DMatrix(x[:40])
    contribs = booster.predict(probe, pred_contribs=True)
    margins = booster.predict(probe, output_margin=True)
    rows = [[None if np.isnan(v) else float(v) for v in r] for r in x[:40]]
    with open(name + ".expect.json", "w") as out:
        json.dump({"x": rows, "contribs": contribs.reshape(40, -1).tolist(),
                   "margins": margins.reshape(40, -1).tolist()}, out)
