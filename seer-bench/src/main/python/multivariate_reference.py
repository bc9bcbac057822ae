"""Expected PCA reconstruction drift for ReconstructionDriftReferenceTest (seer-monitoring).

Produced with: /usr/bin/python3 seer-bench/src/main/python/multivariate_reference.py \
    seer-monitoring/src/test/resources/multivariate/reference.json
(Python 3.11.2, numpy 1.24.2, scikit-learn 1.2.1; NannyML itself is not installed here.)

The pipeline is NannyML's DataReconstructionDriftCalculator (nannyml/drift/multivariate/
data_reconstruction/calculator.py @ 4c86ee35, docs/design/monitoring-research.md §4) rebuilt
from scikit-learn's pieces: SimpleImputer (mean for numbers, most frequent for categories), each
category replaced by its relative frequency in the imputed reference (category_encoders'
CountEncoder(normalize=True); a category unseen in the reference encodes as 0, Seer's explicit
rule), StandardScaler, PCA(n_components=0.65, random_state=16); a row's error is the Euclidean
distance between its scaled values and their reconstruction; a chunk's error is the mean over its
rows; thresholds are the reference chunks' mean +- 3 std (ddof 0), the lower one dropped when
<= 0; the reference is cut into 10 chunks of n // 10 rows (a remainder chunk would be kept).

The data are generated here with a seeded numpy generator, rounded to 6 decimals and written into
the fixture, so the Java test reads the same numbers and does not depend on any generator.
"""
import json
import math
import sys

import numpy as np
from sklearn.decomposition import PCA
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler

NUMERIC = ["income", "spend", "tenure", "score"]
CATEGORICAL = ["region"]
LEVELS = np.array(["north", "south", "east"])


def generate(rng, n, broken=False, unknown=False):
    income = rng.normal(50.0, 12.0, n)
    z = (income - 50.0) / 12.0
    spend_z = 0.95 * z + math.sqrt(1 - 0.95 ** 2) * rng.normal(0, 1, n)
    if broken:
        # same marginal (standard normal) but no longer tied to income
        spend_z = rng.permutation(spend_z)
    spend = 20.0 + 5.0 * spend_z
    tenure = rng.exponential(3.0, n)
    score = rng.uniform(0.0, 1.0, n)
    region = rng.choice(LEVELS, n, p=[0.5, 0.3, 0.2]).astype(object)
    if unknown:
        region[rng.random(n) < 0.3] = "west"
    cols = {"income": income, "spend": spend, "tenure": tenure, "score": score}
    cols = {k: np.round(v, 6) for k, v in cols.items()}
    cols["tenure"][rng.random(n) < 0.03] = np.nan
    region[rng.random(n) < 0.02] = None
    cols["region"] = region
    return cols


class Model:
    def __init__(self, reference):
        num = np.column_stack([reference[c] for c in NUMERIC])
        cat = np.column_stack([reference[c] for c in CATEGORICAL])
        self.num_imputer = SimpleImputer(strategy="mean").fit(num)
        self.cat_imputer = SimpleImputer(strategy="most_frequent", missing_values=None).fit(cat)
        cat_imputed = self.cat_imputer.transform(cat)
        self.frequencies = []
        for j in range(cat_imputed.shape[1]):
            values, counts = np.unique(cat_imputed[:, j].astype(str), return_counts=True)
            self.frequencies.append(dict(zip(values, counts / len(cat_imputed))))
        encoded = self.encode(num, cat)
        self.scaler = StandardScaler().fit(encoded)
        self.pca = PCA(n_components=0.65, random_state=16).fit(self.scaler.transform(encoded))
        self.full_ratio = PCA().fit(self.scaler.transform(encoded)).explained_variance_ratio_

    def encode(self, num, cat):
        num = self.num_imputer.transform(num)
        cat = self.cat_imputer.transform(cat)
        enc = np.column_stack([[self.frequencies[j].get(str(v), 0.0) for v in cat[:, j]]
                               for j in range(cat.shape[1])])
        return np.column_stack([num, enc])

    def errors(self, cols):
        num = np.column_stack([cols[c] for c in NUMERIC])
        cat = np.column_stack([cols[c] for c in CATEGORICAL])
        x = self.scaler.transform(self.encode(num, cat))
        rec = self.pca.inverse_transform(self.pca.transform(x))
        return np.sqrt(((x - rec) ** 2).sum(axis=1))


def jsonable(cols):
    out = {}
    for k, v in cols.items():
        if k in NUMERIC:
            out[k] = [None if math.isnan(x) else float(x) for x in v]
        else:
            out[k] = [None if x is None else str(x) for x in v]
    return out


def take(cols, start, stop):
    return {k: v[start:stop] for k, v in cols.items()}


def main(out):
    rng = np.random.default_rng(18)
    n = 5000
    reference = generate(rng, n)
    model = Model(reference)
    size = n // 10
    ref_chunks = [float(model.errors(take(reference, s, s + size)).mean()) for s in range(0, n, size)]
    mean, std = float(np.mean(ref_chunks)), float(np.std(ref_chunks))
    lower, upper = mean - 3 * std, mean + 3 * std
    chunks = []
    for name, kwargs in [("same_1", {}), ("same_2", {}), ("same_3", {}), ("broken", {"broken": True}),
                         ("unknown_category", {"unknown": True})]:
        data = generate(rng, 500, **kwargs)
        e = model.errors(data)
        value = float(e.mean())
        chunks.append({"name": name, "columns": jsonable(data), "error": value,
                       "samplingError": float(np.std(e, ddof=1) / math.sqrt(len(e))),
                       "alert": not ((lower if lower > 0 else -math.inf) < value < upper)})
    fixture = {
        "numeric": NUMERIC, "categorical": CATEGORICAL,
        "reference": jsonable(reference),
        "scalerMean": model.scaler.mean_.tolist(), "scalerScale": model.scaler.scale_.tolist(),
        "components": int(model.pca.n_components_),
        "componentVectors": model.pca.components_.tolist(),
        "explainedVarianceRatio": model.full_ratio.tolist(),
        "referenceChunkErrors": ref_chunks,
        "lowerThreshold": lower if lower > 0 else None, "upperThreshold": upper,
        "chunks": chunks,
    }
    with open(out, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print("components", model.pca.n_components_, "ratio", model.full_ratio)
    print("reference chunks", ref_chunks, "thresholds", lower, upper)
    for c in chunks:
        print(c["name"], c["error"], c["samplingError"], c["alert"])


if __name__ == "__main__":
    main(sys.argv[1])
