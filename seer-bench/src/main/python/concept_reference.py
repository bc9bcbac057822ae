"""Expected detections of DDM and ADWIN for ConceptReferenceTest (seer-monitoring).

Produced with: /usr/bin/python3 seer-bench/src/main/python/concept_reference.py \
    seer-monitoring/src/test/resources/concept/reference.json
(Python 3.11.2, numpy 1.24.2; river itself is not installed here.)

The detectors below are a transcription of river's code, not river: DDM from
river/drift/binary/ddm.py (commit 7cb99563, with river.stats.Mean's update rule) and ADWIN from
river/drift/adwin.py (the wrapper that re-creates its window after a drift) over the
AdaptiveWindowing core of rust_src/adwin.rs (commit 85519201), operation for operation, so that
the floating-point results are the ones river computes. The streams are generated here with
seeded numpy generators and written into the fixture, so the Java test replays the very same
values and never depends on a random generator being equal across languages. Real values are
rounded to 4 decimals so that they print short and read back exactly.
"""
import json
import math
import sys

import numpy as np


class DDM:
    def __init__(self, warm_start=30, warning_threshold=2.0, drift_threshold=3.0):
        self.warm_start = warm_start
        self.warning_threshold = warning_threshold
        self.drift_threshold = drift_threshold
        self.reset()

    def reset(self):
        self.drift = False
        self.warning = False
        self.n = 0.0
        self.mean = 0.0
        self.p_min = math.inf
        self.s_min = math.inf
        self.ps_min = math.inf

    def update(self, x):
        if self.drift:
            self.reset()
        self.n += 1.0
        self.mean += (1.0 / self.n) * (x - self.mean)
        p = self.mean
        s = math.sqrt(p * (1 - p) / self.n)
        if self.n > self.warm_start:
            if p + s <= self.ps_min:
                self.p_min = p
                self.s_min = s
                self.ps_min = self.p_min + self.s_min
            self.warning = p + s > self.p_min + self.warning_threshold * self.s_min
            if p + s > self.p_min + self.drift_threshold * self.s_min:
                self.drift = True
                self.warning = False


class Window:
    """AdaptiveWindowing: rows of (totals, variances) per level; level i summarises 2**i points."""

    def __init__(self, delta, clock, max_buckets, min_window, grace):
        self.delta, self.clock, self.max_buckets = delta, clock, max_buckets
        self.min_window, self.grace = float(min_window), float(grace)
        self.total = self.variance = self.width = 0.0
        self.tick = 0
        self.detections = 0
        self.levels = [[]]  # each level: list of [total, variance], oldest first

    def update(self, x):
        self.insert(x)
        return self.detect()

    def insert(self, x):
        self.levels[0].append([x, 0.0])
        self.width += 1.0
        inc = 0.0
        if self.width > 1.0:
            d = x - self.total / (self.width - 1.0)
            inc = (self.width - 1.0) * d * d / self.width
        self.variance += inc
        self.total += x
        self.compress()

    def compress(self):
        i = 0
        while len(self.levels[i]) == self.max_buckets + 1:
            n1 = float(1 << i)
            (t0, v0), (t1, v1) = self.levels[i][0], self.levels[i][1]
            mu1, mu2 = t0 / n1, t1 / n1
            temp = n1 * 0.5 * (mu1 - mu2) * (mu1 - mu2)
            if i + 1 >= len(self.levels):
                self.levels.append([])
            self.levels[i + 1].append([t0 + t1, v0 + v1 + temp])
            del self.levels[i][0:2]
            if len(self.levels[i + 1]) <= self.max_buckets:
                break
            i += 1

    def delete_oldest(self):
        last = len(self.levels) - 1
        n = float(1 << last)
        u, v = self.levels[last][0]
        mu = u / n
        self.width -= n
        self.total -= u
        mu_w = self.total / self.width
        self.variance -= v + n * self.width * (mu - mu_w) * (mu - mu_w) / (n + self.width)
        del self.levels[last][0]
        if not self.levels[last]:
            self.levels.pop()

    def cut(self, n0, n1, diff):
        dp = math.log(2.0 * math.log(self.width) / self.delta)
        m = 1.0 / (n0 - self.min_window + 1.0) + 1.0 / (n1 - self.min_window + 1.0)
        eps = math.sqrt(2.0 * m * (self.variance / self.width) * dp) + 2.0 / 3.0 * dp * m
        return abs(diff) > eps

    def detect(self):
        change = False
        self.tick += 1
        if self.tick % self.clock == 0 and self.width > self.grace:
            reduce = True
            while reduce:
                reduce = False
                n0, n1, u0, u1 = 0.0, self.width, 0.0, self.total
                done = False
                for i in range(len(self.levels) - 1, -1, -1):
                    if done:
                        break
                    size = float(1 << i)
                    entries = len(self.levels[i])
                    for k in range(entries):
                        n0 += size
                        n1 -= size
                        t = self.levels[i][k][0]
                        u0 += t
                        u1 -= t
                        if i == 0 and k == entries - 1:
                            done = True
                            break
                        if n1 >= self.min_window and n0 >= self.min_window and self.cut(n0, n1, u0 / n0 - u1 / n1):
                            reduce = True
                            change = True
                            if self.width > 0.0:
                                self.delete_oldest()
                                done = True
                                break
        if change:
            self.detections += 1
        return change


class ADWIN:
    def __init__(self, delta=0.002, clock=32, max_buckets=5, min_window_length=5, grace_period=10):
        self.args = (delta, clock, max_buckets, min_window_length, grace_period)
        self.window = Window(*self.args)
        self.drift = False
        self.detections = 0

    def update(self, x):
        if self.drift:
            self.window = Window(*self.args)
        self.drift = self.window.update(x)
        if self.drift:
            self.detections += 1


def run_ddm(name, stream):
    d = DDM()
    warnings, drifts = [], []
    was_warning = False
    for i, x in enumerate(stream):
        d.update(x)
        if d.warning and not was_warning:
            warnings.append(i)
        was_warning = d.warning
        if d.drift:
            drifts.append(i)
    return {"name": name, "bits": "".join(str(int(x)) for x in stream),
            "firstWarnings": warnings, "drifts": drifts}


def run_adwin(name, stream, delta=0.002, clock=32):
    a = ADWIN(delta=delta, clock=clock)
    drifts, checkpoints = [], []
    for i, x in enumerate(stream):
        a.update(x)
        if a.drift:
            drifts.append(i)
        if a.drift or (i + 1) % 500 == 0 or i == len(stream) - 1:
            w = a.window
            checkpoints.append({"index": i, "width": w.width, "total": w.total, "variance": w.variance})
    return {"name": name, "delta": delta, "clock": clock, "values": [float(x) for x in stream],
            "drifts": drifts, "checkpoints": checkpoints}


def main(out):
    rng = np.random.default_rng(20261204)
    ddm_cases = [
        run_ddm("pattern", [1 if i % 5 == 0 else 0 for i in range(1000)]
                + [1 if i % 5 != 0 else 0 for i in range(1000)]),
        run_ddm("bernoulli_0.2_0.8", list(rng.binomial(1, 0.2, 1000)) + list(rng.binomial(1, 0.8, 1000))),
        run_ddm("bernoulli_0.1_0.3_0.1_0.5", list(rng.binomial(1, 0.1, 2000)) + list(rng.binomial(1, 0.3, 2000))
                + list(rng.binomial(1, 0.1, 2000)) + list(rng.binomial(1, 0.5, 2000))),
        run_ddm("zero_errors_then_one", [0] * 100 + [1] + [0] * 50),
    ]
    adwin_cases = [
        run_adwin("step_0_1", [0.0] * 1000 + [1.0] * 1000),
        run_adwin("alternating", [float(i % 2) for i in range(2000)] + [2.0 + i % 2 for i in range(2000)]),
        run_adwin("large_shift_delta_0.01", [0.0] * 200 + [100.0] * 200, delta=0.01),
        run_adwin("bernoulli_0.2_0.5_0.2", [float(x) for x in np.concatenate(
            [rng.binomial(1, 0.2, 3000), rng.binomial(1, 0.5, 3000), rng.binomial(1, 0.2, 3000)])]),
        run_adwin("beta_real_values", [round(float(x), 4) for x in np.concatenate(
            [rng.beta(2, 8, 4000), rng.beta(3, 7, 4000), rng.beta(2, 2, 2000)])]),
        # a cut test after every value: the indices then show any change in the bound itself
        run_adwin("gradual_clock_1", [float(x) for x in rng.binomial(1, np.linspace(0.1, 0.6, 6000))], clock=1),
        run_adwin("uniform_stationary", [round(float(x), 4) for x in rng.uniform(0, 1, 6000)]),
    ]
    with open(out, "w") as f:
        json.dump({"ddm": ddm_cases, "adwin": adwin_cases}, f, separators=(",", ":"))
        f.write("\n")
    for c in ddm_cases:
        print("ddm", c["name"], c["firstWarnings"], c["drifts"])
    for c in adwin_cases:
        print("adwin", c["name"], c["drifts"], c["checkpoints"][-1])


if __name__ == "__main__":
    main(sys.argv[1])
