"""Writes churn_labels.csv: the labelled entity rows the example trains on (standard library only).

Each row is a customer at a time with whether they churned. The label is drawn from the customer's
latest spend before that time (in transactions.csv), so a model that reads the spend feature through
a point-in-time join can learn it: P(churn) = 1 / (1 + exp((spend - 150) / 30)); a customer with no
spend yet churns with probability one half. Run: python3 data/make_labels.py (seeded: same file).
"""
import csv
import math
import random
from datetime import datetime, timedelta, timezone

random.seed(15)
here = __file__.rsplit("/", 1)[0]
spends = {}
with open(f"{here}/transactions.csv") as f:
    for row in csv.DictReader(f):
        t = datetime.fromisoformat(row["event_ts"].replace("Z", "+00:00"))
        spends.setdefault(row["customer_id"], []).append((t, float(row["spend"])))
start = datetime(2026, 11, 20, tzinfo=timezone.utc)
rows = []
for _ in range(1500):
    customer = str(random.randint(1, 20))
    at = start + timedelta(seconds=random.randint(0, 7 * 24 * 3600))
    before = [s for t, s in sorted(spends.get(customer, [])) if t <= at]
    p = 0.5 if not before else 1 / (1 + math.exp((before[-1] - 150) / 30))
    rows.append((customer, at.strftime("%Y-%m-%dT%H:%M:%SZ"), 1 if random.random() < p else 0))
rows = sorted(set(rows), key=lambda r: (r[1], int(r[0])))
with open(f"{here}/churn_labels.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["customer_id", "event_timestamp", "churned"])
    w.writerows(rows)
print(len(rows), "rows,", sum(r[2] for r in rows), "churned")
