"""End to end: the 181 pages of the article-extraction benchmark through `khaldun run`, against trafilatura's
extraction alone on the same pages in the same run.

    python bench/bench_end_to_end.py [PAGES_DIR] [--repeat 5] [--workers 1]

PAGES_DIR defaults to ../shared/benchmarks/article-extraction (html/*.html.gz). Each repeat runs, in fresh
child processes and interleaved (so both see the same machine load):
  A. `python -c "import trafilatura; trafilatura.extract(page) for each page"` (default options),
  B. `khaldun run PAGES --db fresh.duckdb --no-table` (everything: import, gazetteer load, extraction,
     coding, geocoding, framing, storing, merging).
Both include interpreter start and imports. The ratio B/A is the number issue 7 targets (<= 1.3).
Then: the cold start of `khaldun run` on one small text file (target < 1.5 s), and the time of each stage
in one warm process (ms per page), which is where a regression shows first.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    PYTHON,
    find_pages,
    khaldun_cmd,
    load_average,
    machine,
    measure,
    median,
    table,
    unpack_pages,
)

TRAF_ONLY = """
import sys, pathlib, trafilatura
fast = sys.argv[2] == "fast"
n = 0
for f in sorted(pathlib.Path(sys.argv[1]).glob("*.html")):
    out = trafilatura.extract(f.read_bytes().decode("utf-8", "replace"), fast=fast)
    n += bool(out)
print(n)
"""

STAGES = """
import json, pathlib, sys, time
from khaldun.ingest import iter_documents
from khaldun.pipeline import REGISTRY, DEFAULT_STAGES
from khaldun.places import Geocoder
from khaldun.store import Store
from khaldun.cluster import recluster
import trafilatura

pages = sorted(pathlib.Path(sys.argv[1]).glob("*.html"))
t = time.perf_counter(); Geocoder.default(); load_s = time.perf_counter() - t
docs = list(iter_documents([str(p) for p in pages]))
raws = [d.raw for d in docs]
stages = [REGISTRY[n] for n in DEFAULT_STAGES]
# warm: compile every lazy table and regex once
for d in list(iter_documents([str(p) for p in pages[:3]])):
    for st in stages:
        d = st.fn(d)
times = {"trafilatura.extract (default)": 0.0}
for raw in raws:
    t = time.perf_counter(); trafilatura.extract(raw); times["trafilatura.extract (default)"] += time.perf_counter() - t
for st in stages:
    times[st.name] = 0.0
failed = 0
for d in docs:
    for st in stages:
        t = time.perf_counter()
        try:
            d = st.fn(d)
        except Exception:
            failed += 1
            d.reports = []
            times[st.name] += time.perf_counter() - t
            break
        times[st.name] += time.perf_counter() - t
    d.raw = ""
db = sys.argv[2]
with Store(db) as store:
    t = time.perf_counter()
    for i in range(0, len(docs), 64):
        store.write_documents(docs[i:i + 64])
    times["store.write_documents"] = time.perf_counter() - t
    t = time.perf_counter(); recluster(store); times["cluster.recluster"] = time.perf_counter() - t
print(json.dumps({"n": len(docs), "failed": failed, "load_s": load_s, "times": times}))
"""


COLD_TEXT = """Shelling kills three in market town

KHARKIV, March 4 (Wire) - Russian shelling hit a market in Kharkiv on Monday, killing three people and
wounding eleven, the regional governor said. Emergency crews worked through the night.
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pages", nargs="?", help="article-extraction benchmark folder (default ../shared/...)")
    ap.add_argument("--repeat", type=int, default=5, help="interleaved repeats; medians are reported")
    ap.add_argument("--workers", type=int, default=1, help="--workers for khaldun run")
    ap.add_argument("--no-stages", action="store_true", help="skip the per-stage table")
    args = ap.parse_args()

    src = find_pages(args.pages)
    with tempfile.TemporaryDirectory(prefix="khaldun-bench-") as tmp:
        pages_dir = Path(tmp) / "pages"
        pages = unpack_pages(src, pages_dir)
        n = len(pages)
        size_mb = sum(p.stat().st_size for p in pages) / 2**20
        runs: dict[str, list] = {"traf": [], "traf_fast": [], "khaldun": []}
        summary = ""
        for i in range(args.repeat):
            runs["traf"].append(measure([PYTHON, "-c", TRAF_ONLY, str(pages_dir), "default"]))
            runs["traf_fast"].append(measure([PYTHON, "-c", TRAF_ONLY, str(pages_dir), "fast"]))
            m = measure(khaldun_cmd("run", str(pages_dir), "--db", str(Path(tmp) / f"run{i}.duckdb"),
                                    "--no-table", "--workers", str(args.workers)))
            runs["khaldun"].append(m)
            summary = " ".join(m.stdout.split())

        def row(name: str, key: str) -> list[object]:
            ms = runs[key]
            wall = median([m.wall_s for m in ms])
            return [name, wall, median([m.cpu_s for m in ms]), n / wall,
                    median([max(m.rss_mb, m.tree_rss_mb) for m in ms])]

        base = row("trafilatura.extract, default options", "traf")
        fast = row("trafilatura.extract, fast=True", "traf_fast")
        kh = row(f"khaldun run --workers {args.workers}", "khaldun")
        print(f"# end to end: {n} pages, {size_mb:.1f} MB of HTML, median of {args.repeat} interleaved runs")
        print(f"# machine: {machine()}")
        print(f"# load average at the end: {load_average()}")
        print()
        print(table(["pipeline", "wall s", "CPU s", "pages/s", "peak RSS MB"], [base, fast, kh]))
        print()
        ratio_wall = [k.wall_s / t.wall_s for k, t in zip(runs["khaldun"], runs["traf"], strict=True)]
        ratio_cpu = [k.cpu_s / t.cpu_s for k, t in zip(runs["khaldun"], runs["traf"], strict=True)]
        # khaldun runs trafilatura in its fast mode (article.FAST_EXTRACTION), so its cost over that is shown too
        fast_wall = [k.wall_s / t.wall_s for k, t in zip(runs["khaldun"], runs["traf_fast"], strict=True)]
        print(table(["ratio khaldun run / trafilatura alone", "median", "min", "max", "target"],
                    [["wall time / default options", median(ratio_wall), min(ratio_wall), max(ratio_wall), "<= 1.3"],
                     ["CPU time / default options", median(ratio_cpu), min(ratio_cpu), max(ratio_cpu), "<= 1.3"],
                     ["wall time / fast=True", median(fast_wall), min(fast_wall), max(fast_wall), ""]]))
        print()
        print(f"khaldun: {summary}")

        # cold start: one small file, a fresh database, nothing warm but the OS file cache (issue 7: < 1.5 s)
        small = Path(tmp) / "one.txt"
        small.write_text(COLD_TEXT, encoding="utf-8")
        cold = [measure(khaldun_cmd("run", str(small), "--db", str(Path(tmp) / f"cold{i}.duckdb"), "--no-table"))
                for i in range(args.repeat)]
        print()
        print(table(["cold start: khaldun run ONE_SMALL_FILE", "median", "best", "target"],
                    [["wall s", median([m.wall_s for m in cold]), min(m.wall_s for m in cold), "< 1.5"],
                     ["CPU s", median([m.cpu_s for m in cold]), min(m.cpu_s for m in cold), ""],
                     ["peak RSS MB", median([m.rss_mb for m in cold]), min(m.rss_mb for m in cold), ""]]))

        if not args.no_stages:
            m = measure([PYTHON, "-c", STAGES, str(pages_dir), str(Path(tmp) / "stages.duckdb")])
            res = json.loads(m.stdout.strip().splitlines()[-1])
            traf = res["times"]["trafilatura.extract (default)"]
            rows = [[k, 1000 * v / res["n"], v / traf] for k, v in res["times"].items()]
            ours = sum(v for k, v in res["times"].items() if not k.startswith("trafilatura"))
            rows.append(["khaldun total (all stages + store + merge)", 1000 * ours / res["n"], ours / traf])
            print()
            print(f"# stages in one warm process ({res['n']} pages; gazetteer load {res['load_s']:.2f} s, not "
                  f"included; {res['failed']} pages failed a stage)")
            print(table(["stage", "ms/page", "x trafilatura"], rows))


if __name__ == "__main__":
    main()
