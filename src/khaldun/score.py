"""Scoring against a gold folder (devset/SPEC.md format), shared by `khaldun score` and the quality gate.

Gold reports are matched to predicted reports of the same document (same event family, and the same place
within 50 km or the same date; the best-scoring pairs first). Over the matched pairs it reports field
accuracy; over all, event precision/recall/F1; clustering is scored by B-cubed over matched reports, and
extraction by the share of boilerplate lines removed and of article first sentences kept.
"""

from __future__ import annotations

import json
import math
import re
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .acled import FAMILY
from .distance import haversine_km
from .errors import UsageError

MATCH_KM = 50.0
GEO_KM = (25.0, 161.0)
_ADMIN_NOISE = {"governorate", "province", "state", "region", "oblast", "district", "municipality", "mayorality",
                "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "al",
                "an", "as", "ad", "ar", "ash", "at", "az", "el", "ez", "es", "ed", "er", "of", "the", "muhafazat",
                "wilayah", "qalasy"}
_ACTOR_SAME = [
    (re.compile(r"^(?:islamic state|is|isis|isil|daesh|iswap|iskp|is k)(?: .*)?$"), "islamic state"),
    (re.compile(r"^(?:military|police|security|state) forces of "), "state forces of "),
    (re.compile(r"^(?:houthis|houthi movement|ansar allah)$"), "houthis"),
    (re.compile(r"^(?:jas )?boko haram.*$"), "boko haram"),
]


def _norm(s: Any) -> str:
    s = re.sub(r"\s*\(.*?\)\s*", " ", str(s or "").lower())
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]+", " ", s)).strip()


def actor_key(s: Any) -> str:
    """Actors compare without ACLED's suffixes and across common spellings of one group."""
    k = _norm(s)
    for rx, rep in _ACTOR_SAME:
        k = rx.sub(rep, k)
    return k


def _skeleton(s: str) -> str:
    s = "".join(t for t in s.split() if t not in _ADMIN_NOISE)
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiouyw]", "", s))


def admin_equal(a: Any, b: Any) -> bool:
    """Admin names differ between gazetteers ("An Najaf"/"Najaf"): equal after normalising or sharing a word."""
    a, b = _norm(a), _norm(b)
    if not a or not b:
        return a == b
    ta = {t for t in a.split() if t not in _ADMIN_NOISE and len(t) > 3}
    tb = {t for t in b.split() if t not in _ADMIN_NOISE and len(t) > 3}
    return a == b or bool(ta & tb) or _skeleton(a) == _skeleton(b)


def _num(x: Any) -> float | None:
    if x is None or str(x).strip().lower() in ("", "none", "null", "nan"):
        return None
    try:
        return float(x)
    except ValueError:
        return None


def km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> float:
    vals = [_num(v) for v in (lat1, lon1, lat2, lon2)]
    if any(v is None for v in vals):
        return math.inf
    return haversine_km(*vals)  # type: ignore[arg-type]


def _pair_value(g: dict[str, Any], p: dict[str, Any]) -> float | None:
    if FAMILY.get(g["event_type"]) != FAMILY.get(p.get("event_type") or ""):
        return None
    d = km(g.get("latitude"), g.get("longitude"), p.get("latitude"), p.get("longitude"))
    same_loc = bool(_norm(g.get("location"))) and _norm(g.get("location")) == _norm(p.get("location"))
    if d > MATCH_KM and not same_loc:
        return None
    v = 1.0 + (g["event_type"] == p.get("event_type")) + (g.get("sub_event_type") == p.get("sub_event_type"))
    v += g.get("event_date") == str(p.get("event_date") or "")[:10]
    v += actor_key(g.get("actor1")) == actor_key(p.get("actor1"))
    return v - min(d, MATCH_KM) / 100


def match(gold: Sequence[dict[str, Any]], pred: Sequence[dict[str, Any]]) -> list[tuple[int, int]]:
    cands = sorted(((v, i, j) for i, g in enumerate(gold) for j, p in enumerate(pred)
                    if (v := _pair_value(g, p)) is not None), reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, i, j in cands:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


def bcubed(items: Sequence[tuple[Any, Any]]) -> tuple[float, float, float]:
    if not items:
        return 0.0, 0.0, 0.0
    by_g: dict[Any, list[Any]] = defaultdict(list)
    by_p: dict[Any, list[Any]] = defaultdict(list)
    for g, p in items:
        by_g[g].append(p)
        by_p[p].append(g)
    prec = sum(by_p[p].count(g) / len(by_p[p]) for g, p in items) / len(items)
    rec = sum(by_g[g].count(p) / len(by_g[g]) for g, p in items) / len(items)
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def _stem(path: Any) -> str:
    return Path(str(path or "")).stem


def load_gold(gold_dir: str | Path) -> dict[str, dict[str, Any]]:
    docs: dict[str, dict[str, Any]] = {}
    for f in sorted(Path(gold_dir).glob("gold*.jsonl")):
        for line in f.read_text("utf-8").splitlines():
            if line.strip():
                g = json.loads(line)
                docs[g["doc_id"]] = g
    return docs


def score(gold: dict[str, dict[str, Any]], reports: Sequence[dict[str, Any]],
          documents: Sequence[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Metrics of predicted report rows (reports export) and document rows against gold documents."""
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in reports:
        by_doc[_stem(r.get("source_path") or r.get("doc_id"))].append(r)
    tp = fp = fn = 0
    hits: dict[str, int] = defaultdict(int)
    n: dict[str, int] = defaultdict(int)
    items: list[tuple[Any, Any]] = []
    errors_km: list[float] = []
    for doc_id, g in gold.items():
        gev, pev = g.get("events", []), by_doc.get(doc_id, [])
        pairs = match(gev, pev)
        tp, fp, fn = tp + len(pairs), fp + len(pev) - len(pairs), fn + len(gev) - len(pairs)
        for i, j in pairs:
            ge, pe = gev[i], pev[j]
            d = km(ge.get("latitude"), ge.get("longitude"), pe.get("latitude"), pe.get("longitude"))
            errors_km.append(d)
            checks = {
                "event_type": ge["event_type"] == pe.get("event_type"),
                "sub_event_type": ge.get("sub_event_type") == pe.get("sub_event_type"),
                "actor1": actor_key(ge.get("actor1")) == actor_key(pe.get("actor1")),
                "actor2": actor_key(ge.get("actor2")) == actor_key(pe.get("actor2")),
                "event_date": ge.get("event_date") == str(pe.get("event_date") or "")[:10],
                "fatalities": _num(ge.get("fatalities")) == _num(pe.get("fatalities")),
                "country": str(ge.get("country") or "").upper() == str(pe.get("country_code") or "").upper(),
                "admin1": admin_equal(ge.get("admin1"), pe.get("admin1")),
                "geo_25km": d <= GEO_KM[0],
                "geo_161km": d <= GEO_KM[1],
            }
            for k, v in checks.items():
                n[k] += 1
                hits[k] += bool(v)
            items.append((ge.get("cluster"), pe.get("event_id")))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    bp, br, bf = bcubed(items)
    out: dict[str, Any] = {
        "docs": len(gold), "gold_events": tp + fn, "predicted": tp + fp,
        "event_precision": round(prec, 3), "event_recall": round(rec, 3), "event_f1": round(f1, 3),
        "field_accuracy": {k: round(hits[k] / n[k], 3) for k in sorted(n)},
        "geo_median_km": round(sorted(errors_km)[len(errors_km) // 2], 1) if errors_km else None,
        "cluster_bcubed_p": round(bp, 3), "cluster_bcubed_r": round(br, 3), "cluster_bcubed_f1": round(bf, 3),
    }
    if documents is not None:
        texts = {_stem(d.get("source_path") or d.get("doc_id")): d.get("text") or "" for d in documents}
        bp_n = bp_gone = body_n = body_kept = 0
        for doc_id, g in gold.items():
            t = texts.get(doc_id)
            if t is None:
                continue
            lines = {ln.strip() for ln in t.splitlines()}
            for line in g.get("boilerplate_lines", []):
                line = line.strip()
                bp_n += 1
                bp_gone += not (line in lines or (len(line) >= 25 and line in t))
            first = (g.get("body_first_sentence") or "").strip()
            if first:
                body_n += 1
                body_kept += re.sub(r"\s+", " ", first[:60]) in re.sub(r"\s+", " ", t)
        out["boilerplate_removed"] = round(bp_gone / bp_n, 3) if bp_n else None
        out["body_start_kept"] = round(body_kept / body_n, 3) if body_n else None
    return out


def score_gold_dir(gold_dir: str, *, docs_dir: str | None = None, keep: str | None = None) -> dict[str, Any]:
    """Run the pipeline on a gold folder's documents in a fresh database and score the result."""
    from .pipeline import run
    from .store import Store

    gold = load_gold(gold_dir)
    if not gold:
        raise UsageError(f"no gold*.jsonl in {gold_dir}")
    docs = docs_dir or str(Path(gold_dir) / "docs")
    if not Path(docs).exists():
        raise UsageError(f"no documents folder {docs}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(keep) if keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / "score.duckdb"
        if db.exists():
            db.unlink()
        run([docs], db=str(db))
        with Store(str(db), read_only=True) as store:
            _, rep_rows = store.rows("reports")
            reports = list(rep_rows)
            _, doc_rows = store.rows("documents")
            documents = list(doc_rows)
        return score(gold, reports, documents)
