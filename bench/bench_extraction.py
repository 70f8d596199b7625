"""Article text: khaldun's article stage against trafilatura alone on the 181 pages of the article-extraction
benchmark, scored with the benchmark's own metric (4-token shingles per page, precision and recall averaged
over pages, F1 of the two means).

    python bench/bench_extraction.py [PAGES_DIR]

PAGES_DIR defaults to ../shared/benchmarks/article-extraction (html/*.html.gz and ground-truth.json). Rows:
trafilatura.extract with its default options and with fast=True, and `khaldun.article.extract` (trafilatura
with khaldun's options, then the chrome-line filter) in its fast mode (the default, `FAST_EXTRACTION`) and
with trafilatura's fallbacks. Time is the extraction alone in this process, after one warm-up page.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import find_pages, load_average, machine, table

_TOKEN = re.compile(r"\w+")


def shingles(text: str) -> Counter[tuple[str, ...]]:
    toks = _TOKEN.findall(text or "")
    if len(toks) < 4:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i:i + 4]) for i in range(len(toks) - 3))


def page_pr(pred: str, gold: str) -> tuple[float, float]:
    """The benchmark's per-page precision and recall (tp, fp, fn normalised to sum to one)."""
    a, b = shingles(pred), shingles(gold)
    tp, fp, fn = sum((a & b).values()), sum((a - b).values()), sum((b - a).values())
    total = tp + fp + fn or 1
    tp, fp, fn = tp / total, fp / total, fn / total
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pages", nargs="?", help="article-extraction benchmark folder (default ../shared/...)")
    args = ap.parse_args()
    src = find_pages(args.pages)
    gold = json.loads((src / "ground-truth.json").read_text("utf-8"))
    html_dir = src / "html" if (src / "html").is_dir() else src
    pages = {}
    for f in sorted(html_dir.glob("*.html.gz")):
        if f.name.split(".")[0] in gold:
            with gzip.open(f, "rt", encoding="utf-8", errors="replace") as fh:
                pages[f.name.split(".")[0]] = fh.read()

    import trafilatura

    from khaldun import article
    from khaldun.errors import KhaldunError
    from khaldun.records import Document

    def khaldun_text(raw: str) -> str:
        try:
            return article.extract(Document(doc_id="x", raw=raw, content_type="html")).text
        except KhaldunError:
            return ""

    def khaldun_precise(raw: str) -> str:
        article.FAST_EXTRACTION = False
        try:
            return khaldun_text(raw)
        finally:
            article.FAST_EXTRACTION = True

    runs = [
        ("trafilatura.extract, default options", lambda raw: trafilatura.extract(raw) or ""),
        ("trafilatura.extract, fast=True", lambda raw: trafilatura.extract(raw, fast=True) or ""),
        ("khaldun article text (fast, the default)", khaldun_text),
        ("khaldun article text, with trafilatura's fallbacks", khaldun_precise),
    ]
    rows = []
    first = next(iter(pages.values()))
    for name, fn in runs:
        fn(first)  # warm-up: imports, compiled tables
        p_sum = r_sum = 0.0
        exact = 0
        spent = 0.0
        for pid, raw in pages.items():
            t = time.perf_counter()
            out = fn(raw)
            spent += time.perf_counter() - t
            p, r = page_pr(out, gold[pid]["articleBody"])
            p_sum, r_sum = p_sum + p, r_sum + r
            exact += _TOKEN.findall(out) == _TOKEN.findall(gold[pid]["articleBody"])
        n = len(pages)
        prec, rec = p_sum / n, r_sum / n
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        rows.append([name, round(prec, 3), round(rec, 3), round(f1, 3), round(exact / n, 3), round(spent, 2),
                     round(n / spent, 1)])
    print(f"# article text: {len(pages)} pages of the article-extraction benchmark, the benchmark's metric")
    print(f"# machine: {machine()}")
    print(f"# load average at the end: {load_average()}\n")
    print(table(["extraction", "precision", "recall", "F1", "accuracy", "s", "pages/s"], rows))


if __name__ == "__main__":
    main()
