import random

import pytest

from khaldun.cluster import cluster_reports, link_reports, make_event, same_event


def row(rid, doc, *, etype="Explosions/Remote violence", sub="Air/drone strike", date="2019-07-22", lat=35.65,
        lon=36.67, loc="Ma`arrat an Nu`man", fat=None, outlet=None, actor1="Military Forces of Russia", admin1="Idlib",
        cc="SY", claim=""):
    return {"report_id": rid, "doc_id": doc, "outlet": outlet or doc, "event_type": etype, "sub_event_type": sub,
            "event_date": date, "time_precision": 1, "actor1": actor1, "actor2": "Civilians (Syria)",
            "country": "Syria", "country_code": cc, "iso": 760, "admin1": admin1, "admin2": "", "location": loc,
            "latitude": lat, "longitude": lon, "geo_precision": 1, "fatalities": fat, "fatalities_low": None,
            "fatalities_high": None, "claimed_by": "", "claim": claim, "evidence": "", "published": date}


def test_same_strike_across_outlets_and_a_day_of_lag():
    a = row("a-0", "a", fat=37)
    b = row("b-0", "b", date="2019-07-23", lat=35.66, lon=36.68, actor1="Military Forces of Syria")
    assert same_event(a, b)


@pytest.mark.parametrize(
    "other",
    [
        row("b-0", "b", etype="Protests", sub="Peaceful protest"),  # a protest the same day in the same town
        row("b-0", "b", lat=35.93, lon=36.63, loc="Idlib"),  # a strike on another town 30 km away
        row("b-0", "b", date="2019-07-25"),  # three days later
        row("b-0", "b", etype="Battles", sub="Armed clash"),
    ],
)
def test_different_events_stay_apart(other):
    assert not same_event(row("a-0", "a"), other)


def test_reports_of_one_document_are_never_merged_here():
    assert not same_event(row("a-0", "a"), row("a-1", "a"))


def test_event_keeps_range_and_divergence():
    rows = [row("a-0", "a", fat=37), row("b-0", "b", fat=40, actor1="Military Forces of Syria"), row("c-0", "c")]
    ev = make_event(rows, "SYR")
    assert (ev.fatalities, ev.fatalities_low, ev.fatalities_high) == (37, 37, 40)
    assert ev.n_reports == 3 and ev.n_sources == 3
    assert "fatalities" in ev.divergence and "actor1" in ev.divergence
    assert ev.notes.startswith("On 22 July 2019")


def test_order_does_not_change_the_events():
    rows = [row(f"{d}-0", d, date=f"2019-07-{22 + (i % 3)}", lat=35 + (i % 4), lon=36.0) for i, d in enumerate("abcdefghij")]
    first = sorted(sorted(rows[i]["report_id"] for i in g) for g in cluster_reports(rows))
    shuffled = rows[:]
    random.Random(7).shuffle(shuffled)
    second = sorted(sorted(shuffled[i]["report_id"] for i in g) for g in cluster_reports(shuffled))
    assert first == second


def test_single_side_when_every_source_speaks_for_one_party():
    one = [dict(row("a-0", "a"), actor1="Military Forces of Syria", claimed_by="Syrian military source"),
           dict(row("b-0", "b"), actor1="Military Forces of Syria", claimed_by="Syrian army command")]
    assert make_event(one, "SYR").single_side
    both = [*one, dict(row("c-0", "c"), actor1="Military Forces of Syria", claimed_by="Syrian Observatory for Human Rights")]
    assert not make_event(both[2:], "SYR").single_side


def _groups(db):
    from khaldun.store import Store

    with Store(db, read_only=True) as s:
        rows = s.query("SELECT event_id, report_id FROM reports ORDER BY report_id")
        n_events = s.counts()["events"]
    by: dict[str, set[str]] = {}
    for r in rows:
        by.setdefault(r["event_id"], set()).add(r["report_id"])
    return sorted(sorted(v) for v in by.values()), set(by), n_events


def test_incremental_merge_equals_a_full_merge_in_any_order(tmp_path):
    from pathlib import Path

    from khaldun.pipeline import run

    pages = sorted(str(p) for p in (Path(__file__).resolve().parents[1] / "examples").glob("*.*")
                   if p.suffix in (".html", ".txt"))
    full = str(tmp_path / "full.duckdb")
    run(pages, db=full)
    forward, backward = str(tmp_path / "fwd.duckdb"), str(tmp_path / "bwd.duckdb")
    for i in range(0, len(pages), 4):  # four pages a run, as a daily crawl would add them
        run(pages[i:i + 4], db=forward)
    for i in range(0, len(pages), 5):
        run(list(reversed(pages))[i:i + 5], db=backward)
    assert _groups(forward) == _groups(full) == _groups(backward)


def _ids(rows, groups):
    return sorted(sorted(rows[i]["report_id"] for i in g) for g in groups)


def test_an_undated_report_does_not_join_events_months_apart():
    months = [row("b-0", "b", date="2019-03-01"), row("c-0", "c", date="2019-07-22"), row("d-0", "d", date="2019-11-15")]
    # no event date, published on 23 July: it is compared within a day of that, so it meets July only
    undated = dict(row("a-0", "a"), event_date=None, published="2019-07-23")
    assert _ids([undated, *months], cluster_reports([undated, *months])) == [["a-0", "c-0"], ["b-0"], ["d-0"]]
    assert not same_event(undated, months[0])
    # no date at all: it may meet its whole block, but a group may not span months, so it stands alone
    nodate = dict(undated, published=None)
    assert _ids([nodate, *months], cluster_reports([nodate, *months])) == [["a-0"], ["b-0"], ["c-0"], ["d-0"]]
    # ... and with one event only, it joins it
    assert _ids([nodate, months[1]], cluster_reports([nodate, months[1]])) == [["a-0", "c-0"]]


def _week(outlets="abc"):
    """One town shelled every day for a week, each day told by three outlets; on odd days two of them date it
    a day late."""
    rows = []
    for day in range(7):
        for k, o in enumerate(outlets):
            rows.append(row(f"{o}{day}-0", f"{o}{day}", date=f"2019-07-{15 + day + (k > 0 and day % 2):02d}"))
    return rows


def test_daily_reports_from_one_town_do_not_chain_into_one_event():
    rows = _week()
    groups = cluster_reports(rows)
    assert len(groups) >= 6  # one event per day, not one event of 21 reports over 8 days
    for g in groups:
        days = {rows[i]["event_date"] for i in g}
        assert len(days) == 1
    # a strike told on its day and, by a late outlet, the day after, is still one event
    pair = [row("a-0", "a", date="2019-07-22"), row("b-0", "b", date="2019-07-23"), row("c-0", "c", date="2019-07-22")]
    assert _ids(pair, cluster_reports(pair)) == [["a-0", "b-0", "c-0"]]


def test_the_chain_cut_does_not_depend_on_order():
    rows = _week() + [dict(row("u-0", "u"), event_date=None, published="2019-07-18"),
                      dict(row("v-0", "v"), event_date=None, published=None)]
    want = _ids(rows, cluster_reports(rows))
    for seed in range(5):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        assert _ids(shuffled, cluster_reports(shuffled)) == want


def _documents(n, seed, days=20):
    """Dense reports in three towns over twenty days: chains of daily events, undated reports (5 % with only a
    publication date, 3 % with no date at all)."""
    import datetime as dt

    from khaldun.records import Document, Place, Report

    rng = random.Random(seed)
    towns = [("Idlib", "SY", 35.93, 36.63), ("Ariha", "SY", 35.81, 36.61), ("Kharkiv", "UA", 49.99, 36.23)]
    types = [("Explosions/Remote violence", "Shelling/artillery/missile attack"), ("Battles", "Armed clash")]
    docs = []
    for i in range(n):
        loc, cc, lat, lon = rng.choice(towns)
        etype, sub = rng.choice(types)
        day = (dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, days - 1))).isoformat()
        x = rng.random()
        published, date = (None, None) if x < 0.03 else (day, None) if x < 0.08 else (day, day)
        place = Place(location=loc, country_code=cc, admin1=loc, latitude=lat, longitude=lon, geo_precision=1)
        doc_id = f"d{i:04d}"
        rep = Report(doc_id=doc_id, event_type=etype, sub_event_type=sub, event_date=date, time_precision=1,
                     place=place, country_code=cc, report_id=f"{doc_id}-00", evidence="x")
        docs.append(Document(doc_id=doc_id, outlet=f"o{i % 7}", published=published, text="x", reports=[rep]))
    return docs


@pytest.mark.parametrize(("seed", "days"), [(1, 20), (5, 30), (3, 60)])
def test_incremental_merge_with_chains_and_undated_reports_equals_a_full_merge(tmp_path, seed, days):
    from khaldun.cluster import recluster
    from khaldun.store import Store

    docs = _documents(200, seed, days)
    full = str(tmp_path / "full.duckdb")
    with Store(full) as s:
        s.write_documents(docs)
        recluster(s)
        events = s.query("SELECT * FROM events ORDER BY event_id")
        rows = s.reports_for_clustering()
    assert len(cluster_reports(rows)) > len(link_reports(rows))  # chains were cut
    rng = random.Random(seed)
    order = docs[:]
    rng.shuffle(order)
    inc = str(tmp_path / "inc.duckdb")
    with Store(inc) as s:
        i = 0
        while i < len(order):
            batch = order[i:i + rng.randint(1, 6)]
            i += len(batch)
            s.write_documents(batch)
            recluster(s, new_doc_ids=[d.doc_id for d in batch])
        assert s.query("SELECT * FROM events ORDER BY event_id") == events
    want = _groups(full)
    assert _groups(inc) == want
    assert max(len(g) for g in want[0]) > 1
