"""Reports -> corroborated events across documents.

Reports are blocked by (country, family of event type) and compared only with reports within a few days
of them in the same block, so cost grows close to linearly with the corpus. A report's day is its event date,
or its publication date when it has none. Two reports are linked when their types are compatible, their days
equal or adjacent (publication lag, "overnight"), and their places close (or, without coordinates, the same
province). Linked reports are one event, except that an event may not span more than two days: a chain of
links whose days lie further apart (a town reported every day) is cut at the day boundaries, into the reports
of each day linked on that day. Both steps are functions of the set of reports, so the same corpus gives the
same events whatever order it was read in (docs/merging.md).

This module imports nothing from the per-document stages: it works on report rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from .acled import FAMILY
from .distance import haversine_km
from .records import Event

DATE_WINDOW_DAYS = 1  # ACLED: same day; one day of slack for time zones, "overnight" and publication lag
EVENT_SPAN_DAYS = 1  # an event's last day is at most this many days after its first; longer chains are cut by day
SAME_PLACE_KM = 25.0  # score.py's geo_25km; the same town in two gazetteers lies well within it
COMPATIBLE_TYPES = [  # event types that may be told as one another by different outlets
    {"Explosions/Remote violence", "Violence against civilians"},
    {"Battles"},
    {"Protests", "Riots"},
    {"Strategic developments"},
]

Row = dict[str, Any]


def km(a: Row, b: Row) -> float:
    if a.get("latitude") is None or b.get("latitude") is None:
        return math.inf
    return haversine_km(a["latitude"], a["longitude"], b["latitude"], b["longitude"])


def _group(event_type: str) -> int:
    for i, g in enumerate(COMPATIBLE_TYPES):
        if event_type in g:
            return i
    return -1


def _as_date(v: Any) -> dt.date | None:
    if not v:
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10])


def _date(r: Row) -> dt.date | None:
    return _as_date(r.get("event_date"))


def _day(r: Row) -> dt.date | None:
    """The day a report is placed on: its event date, else its publication date (as the coder's own fallback),
    else None: such a report is compared with its whole (country, type) block."""
    return _as_date(r.get("event_date")) or _as_date(r.get("published"))


def same_event(a: Row, b: Row) -> bool:
    """Could these two reports be of one real-world event?"""
    if a.get("doc_id") == b.get("doc_id"):
        return False  # the coder already merged what one article retells
    if _group(a["event_type"]) != _group(b["event_type"]):
        return False
    if a["event_type"] == "Strategic developments" and a["sub_event_type"] != b["sub_event_type"]:
        return False
    da, db = _day(a), _day(b)
    if da and db and abs((da - db).days) > DATE_WINDOW_DAYS:
        return False
    d = km(a, b)
    if d <= SAME_PLACE_KM:
        return True
    if d == math.inf:
        if a.get("location") and a.get("location") == b.get("location"):
            return True
        # one of them is not placed: the same province (or, for both unplaced, the same country) will do
        if a.get("latitude") is None or b.get("latitude") is None:
            if a.get("admin1") and a.get("admin1") == b.get("admin1"):
                return True
            return not a.get("admin1") and not b.get("admin1") and a.get("country_code") == b.get("country_code")
    return False


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def link_reports(rows: Sequence[Row]) -> list[list[int]]:
    """Groups of row indexes joined by chains of `same_event` links, before the span bound (`split_chain`).

    Blocking: country x type family, then a sliding window of DATE_WINDOW_DAYS over the reports' days (event
    date, else publication date). Only a report with neither date meets its whole block."""
    return _link(rows)[0]


def _link(rows: Sequence[Row]) -> tuple[list[list[int]], list[dt.date | None]]:
    n = len(rows)
    rows_sorted = sorted(range(n), key=lambda i: rows[i]["report_id"])
    days = [_day(r) for r in rows]
    uf = _UnionFind(n)
    blocks: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i in rows_sorted:
        r = rows[i]
        blocks[(r.get("country_code") or "", _group(r["event_type"]))].append(i)
    for members in blocks.values():
        dated = sorted((m for m in members if days[m]), key=lambda m: (days[m], rows[m]["report_id"]))
        lo = 0
        for hi, m in enumerate(dated):
            dm = days[m]
            while (dm - days[dated[lo]]).days > DATE_WINDOW_DAYS:  # type: ignore[operator]
                lo += 1
            for k in range(lo, hi):
                if same_event(rows[dated[k]], rows[m]):
                    uf.union(dated[k], m)
        for u in members:  # rare: a report with no date at all meets its whole block
            if days[u] is None:
                for m in members:
                    if m != u and same_event(rows[u], rows[m]):
                        uf.union(u, m)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in rows_sorted:
        groups[uf.find(i)].append(i)
    return list(groups.values()), days


def _short(days: Iterable[dt.date | None]) -> bool:
    known = [d for d in days if d]
    return not known or (max(known) - min(known)).days <= EVENT_SPAN_DAYS


def split_chain(rows: Sequence[Row]) -> list[list[int]]:
    """The events of one linked group (`link_reports`), as lists of indexes into `rows`.

    A group whose days lie within EVENT_SPAN_DAYS of each other is one event. A longer one is a chain (a town
    reported day after day, each day linked to the next): it is cut at the day boundaries into the reports of
    each day that `same_event` links on that day; a report with no date cannot be placed on a day and stands
    alone. The cut depends only on the group, not on the order its reports came in."""
    days = [_day(r) for r in rows]
    order = sorted(range(len(rows)), key=lambda i: rows[i]["report_id"])
    if _short(days):
        return [order]
    uf = _UnionFind(len(rows))
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for i in order:
        if days[i]:
            by_day[days[i]].append(i)  # type: ignore[index]
    for members in by_day.values():
        for k, a in enumerate(members):
            for b in members[k + 1:]:
                if uf.find(a) != uf.find(b) and same_event(rows[a], rows[b]):
                    uf.union(a, b)
    pieces: dict[int, list[int]] = defaultdict(list)
    for i in order:
        pieces[uf.find(i)].append(i)
    return list(pieces.values())


def cluster_reports(rows: Sequence[Row]) -> list[list[int]]:
    """Groups of row indexes, each one event: linked reports (`link_reports`), chains cut by day (`split_chain`)."""
    groups, days = _link(rows)
    out = []
    for g in groups:
        if len(g) == 1 or _short(days[i] for i in g):
            out.append(g)
        else:
            out += [[g[j] for j in piece] for piece in split_chain([rows[i] for i in g])]
    return out


def _mode(values: Iterable[Any]) -> Any:
    vals = [v for v in values if v not in (None, "")]
    if not vals:
        return None
    counts = Counter(vals)
    best = max(counts.values())
    return min(v for v, c in counts.items() if c == best)  # ties broken by value: order-independent


def event_id_for(rows: Sequence[Row], iso3: str) -> str:
    first = min(r["report_id"] for r in rows)
    return f"{iso3 or 'XXX'}-{hashlib.sha1(first.encode()).hexdigest()[:8]}"


def _fmt_date(d: str | None) -> str:
    if not d:
        return "On an unknown date"
    x = dt.date.fromisoformat(str(d)[:10])
    return f"On {x.day} {x.strftime('%B')} {x.year}"


def make_event(rows: Sequence[Row], iso3: str) -> Event:
    """The corroborated event: consensus fields, conservative toll with the range, and what differs."""
    sub = _mode(r["sub_event_type"] for r in rows)
    etype = next(r["event_type"] for r in rows if r["sub_event_type"] == sub)
    date = _mode(str(r["event_date"])[:10] for r in rows if r.get("event_date"))
    prec = _mode(r["time_precision"] for r in rows if str(r.get("event_date"))[:10] == date)
    placed = [r for r in rows if r.get("latitude") is not None]
    if placed:
        loc_votes = Counter(r["location"] for r in placed)
        place = min(placed, key=lambda r: (r.get("geo_precision") or 9, -loc_votes[r["location"]], r["location"] or ""))
    else:
        place = min(rows, key=lambda r: r["report_id"])
    actor1 = _mode(r["actor1"] for r in rows) or ""
    actor2 = _mode(r["actor2"] for r in rows) or ""
    fat = [r["fatalities"] for r in rows if r.get("fatalities") is not None]
    lows = fat + [r["fatalities_low"] for r in rows if r.get("fatalities_low") is not None]
    highs = fat + [r["fatalities_high"] for r in rows if r.get("fatalities_high") is not None]
    outlets = sorted({(r.get("outlet") or r["doc_id"]) for r in rows})
    divergence = []
    if len(set(fat)) > 1 or (lows and highs and min(lows) != max(highs)):
        divergence.append("fatalities")
    for f in ("actor1", "actor2", "sub_event_type"):
        if len({r[f] for r in rows if r.get(f)}) > 1:
            divergence.append(f)
    if len({str(r["event_date"])[:10] for r in rows if r.get("event_date")}) > 1:
        divergence.append("event_date")
    # over distinct points: a chain of daily reports from one town is hundreds of rows but a few points
    coords = sorted({(r["latitude"], r["longitude"]) for r in placed})
    points = [{"latitude": la, "longitude": lo} for la, lo in coords]
    if len(points) > 1 and max(km(a, b) for a in points for b in points) > SAME_PLACE_KM / 5:
        divergence.append("location")
    claims = [r for r in rows if r.get("claim") == "present"]
    sides = {_side(r.get("claimed_by") or "", actor1, actor2) for r in rows}
    notes = _notes(rows, date, sub, actor1, actor2, place, fat, claims)
    return Event(
        event_id=event_id_for(rows, iso3), event_date=date, time_precision=prec, event_type=etype,
        sub_event_type=sub, actor1=actor1, actor2=actor2, country=place.get("country") or "",
        country_code=place.get("country_code") or "", iso=place.get("iso"), admin1=place.get("admin1") or "",
        admin2=place.get("admin2") or "", location=place.get("location") or "", latitude=place.get("latitude"),
        longitude=place.get("longitude"), geo_precision=place.get("geo_precision"),
        fatalities=min(fat) if fat else None, fatalities_low=min(lows) if len(set(lows + highs)) > 1 else None,
        fatalities_high=max(highs) if len(set(lows + highs)) > 1 else None, notes=notes, source="; ".join(outlets),
        n_reports=len(rows), n_sources=len(outlets), sources="; ".join(outlets), divergence=", ".join(divergence),
        single_side=len(sides) == 1 and "" not in sides,
    )


def _stems(actor: str) -> set[str]:
    """Words that name an actor's side in a source line: "Military Forces of Syria" -> {"syri"},
    "Houthis" -> {"houthi"}; ACLED's generic actors (civilians, unidentified groups) have no side."""
    if not actor or actor.startswith(("Civilians", "Unidentified", "Protesters", "Rioters")):
        return set()
    core = actor.split(" of ")[-1] if actor.startswith(("Military Forces", "Police Forces", "Government")) else actor
    core = core.removeprefix("the ").split(" (")[0]
    stems = {w.lower()[:5] for w in core.replace("-", " ").split() if len(w) > 3}
    return stems - {"state", "force", "unite", "democ", "repub", "islam", "front", "peopl", "natio"}


_OFFICIAL = re.compile(r"\b(?:military|army|armed forces|ministry|defen[cs]e|government|command|spokes\w+|official|"
                       r"state|agency|president|police|forces|authorities)\b", re.IGNORECASE)


def _speaks_for(actor: str, words: set[str], claimed_by: str) -> bool:
    if not _stems(actor) & words:
        return False
    # a state's side is its officials ("Syrian military source"), not any body with the country's name
    # ("Syrian Observatory for Human Rights")
    return not actor.startswith(("Military Forces", "Police Forces", "Government")) or bool(_OFFICIAL.search(claimed_by))


def _side(claimed_by: str, actor1: str, actor2: str) -> str:
    """Which party a report's source speaks for ("Syrian military source" -> actor1 when actor1 is the
    Syrian army), or "" when it is neither or cannot be told."""
    words = {w.lower()[:5] for w in claimed_by.replace("-", " ").split()}
    a1, a2 = _speaks_for(actor1, words, claimed_by), _speaks_for(actor2, words, claimed_by)
    if a1 and not a2:
        return "actor1"
    if a2 and not a1:
        return "actor2"
    return ""


def _notes(rows: Sequence[Row], date: str | None, sub: str, actor1: str, actor2: str, place: Row,
           fat: list[int], present: list[Row]) -> str:
    where = place.get("location") or place.get("admin1") or place.get("country") or "an unknown place"
    if place.get("admin1") and place.get("location"):
        where = f"{place['location']} ({place['admin1']})"
    target = f" against {actor2}" if actor2 else ""
    s = f"{_fmt_date(date)}, {actor1 or 'an unidentified actor'}: {sub.lower()}{target} in {where}."
    figures = []
    for r in sorted(rows, key=lambda r: (r.get("fatalities") is None, r.get("fatalities") or 0)):
        who = r.get("outlet") or "one outlet"
        by = f", according to {r['claimed_by']}" if r.get("claimed_by") else ""
        if r.get("fatalities") is not None:
            rng = (f"{r['fatalities_low']}-{r['fatalities_high']}" if r.get("fatalities_high") not in (None, r["fatalities"])
                   else str(r["fatalities"]))
            figures.append(f"{rng} killed ({who}{by})")
        elif r.get("claim") == "present":
            figures.append(f"people present but no deaths stated ({who}{by})")
    if figures:
        s += " Sources report " + "; ".join(dict.fromkeys(figures)) + "."
    if len(set(fat)) > 1:
        s += f" Fatalities coded as the most conservative figure, {min(fat)}."
    return s


def event_for(members: Sequence[Row]) -> Event:
    """The event of one group of report rows (in report_id order), as `recluster` and scale.py make it."""
    from .countries import iso3

    cc = _mode(r.get("country_code") for r in members) or ""
    return make_event(members, iso3(cc) if cc else "")


def recluster(store: Any, new_doc_ids: Collection[str] | None = None) -> int:
    """Merge reports into events and store them; returns the number of events in the store.

    With `new_doc_ids`, only the neighbourhood of the new documents' reports is merged again: every report of
    the same country whose day lies within DATE_WINDOW_DAYS + EVENT_SPAN_DAYS of a new report's day (the whole
    country when a report of a type family the new reports share has no date at all). The linked groups that
    hold a new report are complete there, and so is what `split_chain` needs to cut them; every other event
    is left as it is. The result is the one a full merge gives, whatever order documents arrive in.
    """
    if new_doc_ids is not None and store.counts()["events"] > 0:
        return _recluster_around(store, list(new_doc_ids))
    rows = store.reports_for_clustering()
    events, assignment = _events_of(rows, cluster_reports(rows))
    store.replace_events(events, assignment)
    return len(events)


def _events_of(rows: Sequence[Row], groups: list[list[int]]) -> tuple[list[Event], dict[str, str]]:
    events, assignment = [], {}
    for g in groups:
        members = [rows[i] for i in g]
        ev = event_for(members)
        events.append(ev)
        for r in members:
            assignment[r["report_id"]] = ev.event_id
    return events, assignment


_DAY_SQL = "coalesce(event_date, CAST(published AS DATE))"


def _neighbourhood(store: Any, new: Sequence[Row]) -> list[Row]:
    """The reports a full merge would need to place the new ones (see `recluster`)."""
    reach = dt.timedelta(days=DATE_WINDOW_DAYS + EVENT_SPAN_DAYS)
    by_country: dict[str, list[dt.date | None]] = defaultdict(list)
    families: dict[str, set[int]] = defaultdict(set)
    for r in new:
        cc = r.get("country_code") or ""
        by_country[cc].append(_day(r))
        families[cc].add(_group(r["event_type"]))

    def where(cc: str) -> tuple[str, list[Any]]:
        return ("country_code = ?", [cc]) if cc else ("country_code IS NULL", [])

    clauses, params, whole = [], [], set()
    for cc, days in by_country.items():
        cc_clause, cc_params = where(cc)
        known = [d for d in days if d]
        if len(known) < len(days):
            whole.add(cc)  # a new report with no date at all meets its whole block
            continue
        clauses.append(f"({cc_clause} AND ({_DAY_SQL} BETWEEN ? AND ? OR {_DAY_SQL} IS NULL))")
        params += [*cc_params, min(known) - reach, max(known) + reach]
    rows = store.reports_for_clustering(" OR ".join(clauses), params) if clauses else []
    # a stored report with no date links across any span of days: its country is merged whole
    whole |= {r.get("country_code") or "" for r in rows
              if _day(r) is None and _group(r["event_type"]) in families[r.get("country_code") or ""]}
    if whole:
        rows = [r for r in rows if (r.get("country_code") or "") not in whole]
        for cc in sorted(whole):
            rows += store.reports_for_clustering(*where(cc))
        rows.sort(key=lambda r: r["report_id"])
    return rows


def _recluster_around(store: Any, doc_ids: list[str]) -> int:
    # the new documents' reports, and any left unmerged by a run that was killed before it merged
    new = store.reports_for_clustering("doc_id IN (SELECT unnest(?)) OR event_id IS NULL", [doc_ids])
    if new:
        rows = _neighbourhood(store, new)
        new_ids = {r["report_id"] for r in new}
        groups: list[list[int]] = []
        for g in link_reports(rows):
            if any(rows[i]["report_id"] in new_ids for i in g):
                groups += [[g[j] for j in piece] for piece in split_chain([rows[i] for i in g])]
        touched = sorted({rows[i]["event_id"] for g in groups for i in g if rows[i].get("event_id")})
        events, assignment = _events_of(rows, groups)
        store.replace_events(events, assignment, replacing=touched)
    return int(store.counts()["events"])


__all__ = ["FAMILY", "cluster_reports", "event_for", "link_reports", "make_event", "recluster", "same_event",
           "split_chain"]
