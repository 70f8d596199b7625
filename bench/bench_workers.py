"""Workers: the 181 benchmark pages through `khaldun run --workers 1` and `--workers 2`; the speed-up.

    python bench/bench_workers.py [PAGES_DIR] [--repeat 5] [--workers 1,2] [--dask] [--synthetic N]

Each repeat runs every configuration once, interleaved, in fresh child processes with a fresh database, so
start-up (imports, gazetteer load, regex compilation) is counted as a user pays it. --dask adds
`khaldun run --engine dask --workers N` (a LocalCluster of N single-threaded worker processes).
--synthetic N runs on N synthetic articles (bench/_corpus.py) instead of the pages. Issue 7 asks for
--workers 2 >= 1.7x --workers 1 (medians) on the 2-core bench machine.

Beside khaldun, each repeat runs a peer: trafilatura's default extraction of the same pages, in one process
and split over N processes forked after trafilatura is imported (`multiprocessing.Pool`, one page per task).
It has no start-up to pay per worker and nothing to merge or store, so its speed-up is about the best that
N processes get on this machine at that hour; khaldun's speed-up is also printed as a share of it.
(--no-peer leaves it out; with --synthetic there is no HTML to extract, and no peer.)
"""

from __future__ import annotations

import argparse
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
from _corpus import write_corpus

PEER = """
import multiprocessing, pathlib, sys
import trafilatura

def extract(path):
    return bool(trafilatura.extract(path.read_bytes().decode("utf-8", "replace")))

if __name__ == "__main__":
    pages, n = sorted(pathlib.Path(sys.argv[1]).glob("*.html")), int(sys.argv[2])
    if n <= 1:
        print(sum(map(extract, pages)))
    else:
        with multiprocessing.get_context("fork").Pool(n) as pool:
            print(sum(pool.imap_unordered(extract, pages, chunksize=1)))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pages", nargs="?", help="article-extraction benchmark folder (default ../shared/...)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    ap.add_argument("--dask", action="store_true", help="also run --engine dask with the same worker counts")
    ap.add_argument("--synthetic", type=int, default=0, help="use N synthetic articles instead of the pages")
    ap.add_argument("--no-peer", action="store_true", help="leave out trafilatura alone split over N processes")
    args = ap.parse_args()
    counts = [int(w) for w in args.workers.split(",")]

    with tempfile.TemporaryDirectory(prefix="khaldun-workers-") as tmp:
        if args.synthetic:
            corpus = Path(tmp) / "synthetic.jsonl"
            write_corpus(corpus, args.synthetic)
            n, what = args.synthetic, f"{args.synthetic} synthetic articles (JSONL)"
        else:
            corpus = Path(tmp) / "pages"
            n = len(unpack_pages(find_pages(args.pages), corpus))
            what = f"{n} article-extraction benchmark pages"
        configs = [("local", w) for w in counts] + ([("dask", w) for w in counts] if args.dask else [])
        peer = not (args.no_peer or args.synthetic)
        runs: dict[tuple[str, int], list] = {c: [] for c in configs + ([("peer", w) for w in counts] if peer else [])}
        k = 0
        for _ in range(args.repeat):
            for engine, w in configs:
                k += 1
                runs[(engine, w)].append(measure(khaldun_cmd(
                    "run", str(corpus), "--db", str(Path(tmp) / f"w{k}.duckdb"), "--no-table", "--workers", str(w),
                    "--engine", engine, "--parts", str(Path(tmp) / f"parts{k}"))))
            for w in counts if peer else ():
                runs[("peer", w)].append(measure([PYTHON, "-c", PEER, str(corpus), str(w)]))
        rows = []
        for kind in ("local", "dask", "peer"):
            group = [c for c in runs if c[0] == kind]
            if not group:
                continue
            base = median([m.wall_s for m in runs[group[0]]])
            for engine, w in group:
                ms = runs[(engine, w)]
                wall = median([m.wall_s for m in ms])
                name = (f"peer: trafilatura.extract in {w} process{'es' if w > 1 else ''}" if kind == "peer"
                        else f"khaldun run --engine {engine} --workers {w}")
                rows.append([name, wall, min(m.wall_s for m in ms), median([m.cpu_s for m in ms]), n / wall,
                             median([m.tree_rss_mb or m.rss_mb for m in ms]), base / wall])
        print(f"# workers: {what}, median of {args.repeat} interleaved runs")
        print(f"# machine: {machine()}")
        print(f"# load average at the end: {load_average()}")
        print()
        print(table(["configuration", "wall s", "best wall s", "CPU s", "docs/s", "peak RSS MB (all processes)",
                     f"speed-up vs {counts[0]} worker"], rows))
        print()
        # On a shared machine a burst of someone else's load slows whichever run it falls on; each repeat runs
        # the configurations back to back, so the ratio within a repeat sees the same load on both sides.
        paired = []
        for engine, w in list(runs)[1:]:
            base_runs = runs[("peer" if engine == "peer" else "local", counts[0])]
            if (engine, w) == ("peer", counts[0]):
                continue
            ratios = sorted(b.wall_s / m.wall_s for b, m in zip(base_runs, runs[(engine, w)]))
            name = f"peer, {w} processes" if engine == "peer" else f"khaldun run --engine {engine} --workers {w}"
            paired.append([name, median(ratios), ratios[0], ratios[-1]])
        if paired:
            print(table([f"speed-up vs {counts[0]} worker, paired by repeat", "median", "min", "max"], paired))
            print()
        if peer:
            # the same repeat's khaldun and peer speed-ups, as a ratio: how much of what the machine gave a
            # perfectly parallel job khaldun's workers got
            share = []
            for w in counts[1:]:
                r = sorted((b.wall_s / m.wall_s) / (pb.wall_s / pm.wall_s) for b, m, pb, pm in zip(
                    runs[("local", counts[0])], runs[("local", w)], runs[("peer", counts[0])], runs[("peer", w)]))
                share.append([f"--workers {w}", median(r), r[0], r[-1]])
            print(table(["khaldun's speed-up / the peer's, paired by repeat", "median", "min", "max"], share))
            print()
        print(f"target: --workers 2 >= 1.7x --workers 1; summary of the last run: "
              f"{' '.join(runs[configs[-1]][-1].stdout.split())}")


if __name__ == "__main__":
    main()
