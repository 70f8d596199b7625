"""Score khaldun's toponym resolver on public benchmarks, the way the papers do, and on the devset gold.

    python bench/geocode_benchmark.py                      # geovirus, geowebnews, tr-news, devset
    python bench/geocode_benchmark.py --only tr-news --json out.json

Toponym resolution, not recognition: each gold toponym is given (its name and offsets); `Geocoder.resolve`
chooses among its GeoNames candidates with the whole article as context (`find_mentions`). Scored, as in
Gritta et al. (2018, 2020) and the Mordecai 3 README: accuracy within 161 km (100 miles), mean and median
error in km, and the AUC of the log-error curve (mean of ln(1 + km) / ln(20039); lower is better). A name the
gazetteer cannot resolve counts as an error of 20,039 km (half the Earth's circumference), as in the papers.

The devset part calls `Geocoder.locate` on each gold event's evidence sentence with the full article text (the
event coder's use) and reports geo_25km, country and admin1 accuracy with shared/tools/score.py's rules.

The benchmark files stay in ../shared/benchmarks (never copied into the repository).
"""

from __future__ import annotations

import argparse
import glob
import json
import math
import os
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from khaldun.gazetteer import haversine_km
from khaldun.places import Geocoder

SHARED = Path(os.environ.get("KHALDUN_SHARED", Path(__file__).resolve().parents[2] / "shared"))
BENCH = SHARED / "benchmarks"
MAX_KM = 20039.0

# Published figures (acc@161 %, mean error km, AUC) from each data set's README in shared/benchmarks.
PUBLISHED = {
    "geovirus": [("CamCoder (Gritta et al. 2018), with its own NER", 82, 300, 0.31),
                 ("CamCoder, oracle NER", 88, None, 0.27),
                 ("Population baseline (Gritta et al. 2018)", 80, 500, 0.32),
                 ("Edinburgh Geoparser", 78, 500, 0.33)],
    "geowebnews": [("Mordecai 3 (README, N=474)", 94.1, 249, None),
                   ("Mordecai 3, GWN complete (N=1,564)", 95.7, None, None)],
    "tr-news": [("Mordecai 3 (README, N=274)", 87.3, 295, None)],
}

Item = tuple[str, str, int, int, float, float]  # (article text, name, start, end, lat, lon)


def geovirus() -> Iterator[tuple[str, list[Item]]]:
    root = ET.parse(BENCH / "geovirus" / "GeoVirus.xml").getroot()
    for art in root.iter("article"):
        text = art.findtext("text") or ""
        items = []
        for loc in art.iter("location"):
            s, e = int(loc.findtext("start") or 0), int(loc.findtext("end") or 0)
            items.append((text, loc.findtext("name") or text[s:e], s, e, float(loc.findtext("lat") or 0),
                          float(loc.findtext("lon") or 0)))
        yield text, items


def geowebnews() -> Iterator[tuple[str, list[Item]]]:
    root = ET.parse(BENCH / "geowebnews" / "GWN.xml").getroot()
    for art in root.iter("article"):
        text = art.findtext("text") or ""
        items = []
        for t in art.iter("toponym"):
            if (t.findtext("nonLocational") or "").strip() != "No" or not t.findtext("latitude"):
                continue
            s, e = int(t.findtext("start") or 0), int(t.findtext("end") or 0)
            items.append((text, text[s:e] or t.findtext("extractedName") or "", s, e,
                          float(t.findtext("latitude") or 0), float(t.findtext("longitude") or 0)))
        yield text, items


def trnews() -> Iterator[tuple[str, list[Item]]]:
    root = ET.parse(BENCH / "tr-news" / "TR-News.xml").getroot()
    for art in root.iter("article"):
        text = art.findtext("text") or ""
        items = []
        for t in art.iter("toponym"):
            gaz = t.find("gaztag")
            if gaz is None or not gaz.findtext("lat"):
                continue
            s, e = int(t.findtext("start") or 0), int(t.findtext("end") or 0)
            items.append((text, t.findtext("phrase") or text[s:e], s, e, float(gaz.findtext("lat") or 0),
                          float(gaz.findtext("lon") or 0)))
        yield text, items


SETS = {"geovirus": geovirus, "geowebnews": geowebnews, "tr-news": trnews}


def score_set(geo: Geocoder, name: str) -> dict[str, object]:
    errors: list[float] = []
    unresolved = 0
    t_ctx = t_res = 0.0
    for text, items in SETS[name]():
        t0 = time.perf_counter()
        mentions = geo.find_mentions(text)
        t_ctx += time.perf_counter() - t0
        for _, nm, s, _e, lat, lon in items:
            t0 = time.perf_counter()
            p = geo.resolve(nm, text=text, start=s, mentions=mentions)
            t_res += time.perf_counter() - t0
            if p is None or p.latitude is None or p.longitude is None:
                unresolved += 1
                errors.append(MAX_KM)
            else:
                errors.append(haversine_km(lat, lon, p.latitude, p.longitude))
    n = len(errors)
    return {
        "set": name, "n": n, "acc161": round(100 * sum(e <= 161 for e in errors) / n, 1),
        "mean_km": round(statistics.fmean(errors)), "median_km": round(statistics.median(errors), 1),
        "auc": round(statistics.fmean(math.log(1 + e) / math.log(MAX_KM) for e in errors), 3),
        "unresolved": unresolved, "seconds_context": round(t_ctx, 2), "seconds_resolve": round(t_res, 2),
    }


def score_devset(geo: Geocoder) -> dict[str, object]:
    sys.path.insert(0, str(SHARED / "tools"))
    from score import admin_match

    from khaldun.article import extract
    from khaldun.records import Document

    hits = {"geo_25km": 0, "country": 0, "admin1": 0}
    n = 0
    misses = []
    for f in sorted(glob.glob(str(SHARED / "devset" / "gold_*.jsonl"))):
        for line in open(f, encoding="utf-8"):  # noqa: SIM115
            g = json.loads(line)
            path = SHARED / "devset" / g["file"]
            doc = extract(Document(doc_id=g["doc_id"], raw=path.read_text(encoding="utf-8"),
                                   content_type="html" if path.suffix == ".html" else "text"))
            text = doc.text
            mentions = geo.find_mentions(text)
            for e in g["events"]:
                s = text.find(e["evidence"])
                s = s if s >= 0 else text.find(e["evidence"][:50])
                if s < 0:
                    continue
                p = geo.locate(text, s, s + len(e["evidence"]), mentions=mentions)
                n += 1
                d = MAX_KM if p is None or p.latitude is None else haversine_km(
                    e["latitude"], e["longitude"], p.latitude, p.longitude or 0.0)
                ok = {"geo_25km": d <= 25, "country": bool(p) and p.country_code == e["country"],
                      "admin1": admin_match(e["admin1"], p.admin1 if p else "")}
                for k, v in ok.items():
                    hits[k] += bool(v)
                if not all(ok.values()):
                    misses.append(f"{g['doc_id']}: gold {e['location']} / got {p.location if p else None}"
                                  f" ({p.reason if p else ''})")
    return {"set": "devset", "n": n, **{k: round(v / n, 3) for k, v in hits.items()}, "misses": misses}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", choices=[*SETS, "devset"], action="append")
    ap.add_argument("--json", help="write the figures here")
    args = ap.parse_args()
    geo = Geocoder.default()
    results = []
    for name in args.only or [*SETS, "devset"]:
        r = score_devset(geo) if name == "devset" else score_set(geo, name)
        results.append(r)
        print(json.dumps({k: v for k, v in r.items() if k != "misses"}))
        for m in r.get("misses", []):  # type: ignore[union-attr]
            print("   miss:", m)
        for label, acc, mean, auc in PUBLISHED.get(name, []):
            print(f"   published: {label}: acc@161 {acc}, mean {mean} km, AUC {auc}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
