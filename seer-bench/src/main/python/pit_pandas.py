"""The peer for the point-in-time join benchmark: pandas merge_asof(by=key).

Reads the same CSV files the Seer harness generated, then times, per run, the sorts merge_asof
needs plus the join itself (Feast semantics: the latest event time at or before the entity's
time, ties to the latest created time, within the TTL). Prints one JSON line.
Usage: /usr/bin/python3 pit_pandas.py DIR RUNS TTL_SECONDS
"""
import json
import resource
import sys
import time

import pandas as pd

directory, runs, ttl = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
features = pd.read_csv(f"{directory}/features.csv", usecols=["customer_id", "event_ts", "created_ts", "spend"],
                       parse_dates=["event_ts", "created_ts"])
entities = pd.read_csv(f"{directory}/entities.csv", parse_dates=["event_timestamp"])
# All times are UTC: naive datetime64 columns give pandas its fastest path (tz-aware ones are slower).
for frame, columns in ((features, ["event_ts", "created_ts"]), (entities, ["event_timestamp"])):
    for column in columns:
        frame[column] = frame[column].dt.tz_convert(None)
times = []
matched = 0
for _ in range(runs):
    start = time.perf_counter()
    left = entities.sort_values("event_timestamp", kind="stable")
    # Ties on event time go to the latest created time: merge_asof takes the last row of a tie.
    right = features.sort_values(["event_ts", "created_ts"], kind="stable")
    joined = pd.merge_asof(left, right, left_on="event_timestamp", right_on="event_ts", by="customer_id",
                           direction="backward", tolerance=pd.Timedelta(seconds=ttl) if ttl > 0 else None,
                           allow_exact_matches=True)
    times.append(time.perf_counter() - start)
    matched = int(joined["spend"].notna().sum())
times.sort()
print(json.dumps({"median_s": times[len(times) // 2], "runs_s": times, "matched": matched,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "pandas": pd.__version__}))
