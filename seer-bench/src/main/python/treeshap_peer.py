"""The Python side of TreeShapBench: XGBoost's own contributions (pred_contribs) in Python.

Usage: /usr/bin/python3 treeshap_peer.py MODEL_JSON ROWS_FILE FEATURES THREADS REPEATS
ROWS_FILE holds the rows to explain as little-endian float32, row-major, FEATURES a row (NaN
missing). The model is the one TreeShapBench trained with XGBoost4J, saved as JSON with its
base_score written as one number (xgboost 1.7.4 reads XGBoost 3's "[0.5]" as another value; the
trees are read alike). Debian's xgboost 1.7.4 is a DEBUG build: its times are an upper bound on a
release build's. Prints one JSON object:
  batch_seconds   median over REPEATS of one pred_contribs call on all rows (DMatrix built once)
  row_seconds     median over REPEATS of the time per row when each row is its own call
                  (DMatrix of one row built inside the timing, as a per-request explainer would)
  checksum        the contributions of the first row, to compare values
"""
import json
import statistics
import sys
import time

import numpy as np
import xgboost as xgb


def main():
    model, rows_file, features, threads, repeats = sys.argv[1:6]
    features, threads, repeats = int(features), int(threads), int(repeats)
    rows = np.fromfile(rows_file, dtype="<f4").reshape(-1, features)
    booster = xgb.Booster(model_file=model)
    booster.set_param({"nthread": threads})
    matrix = xgb.DMatrix(rows, missing=np.nan, nthread=threads)
    booster.predict(matrix, pred_contribs=True)  # warm-up
    batch = []
    for _ in range(repeats):
        start = time.perf_counter()
        booster.predict(matrix, pred_contribs=True)
        batch.append(time.perf_counter() - start)
    single = []
    count = min(len(rows), 200)
    for _ in range(repeats):
        start = time.perf_counter()
        for r in range(count):
            booster.predict(xgb.DMatrix(rows[r:r + 1], missing=np.nan, nthread=threads), pred_contribs=True)
        single.append((time.perf_counter() - start) / count)
    first = booster.predict(xgb.DMatrix(rows[0:1], missing=np.nan), pred_contribs=True)[0]
    print(json.dumps({"batch_seconds": statistics.median(batch), "row_seconds": statistics.median(single),
                      "checksum": [float(v) for v in first]}))


if __name__ == "__main__":
    main()
