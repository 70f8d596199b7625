"""ACLED's vocabulary as data: event types, sub-event types, families, precision codes, and the editable
actor and cue tables in `data/*.toml`. Stage modules take type strings from here, never as literals.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

# ACLED-NOTES.md §1.2: 6 event types, 25 sub-event types, exact spelling ("protesters").
SUB_EVENT_TYPES: dict[str, str] = {
    "Armed clash": "Battles",
    "Government regains territory": "Battles",
    "Non-state actor overtakes territory": "Battles",
    "Chemical weapon": "Explosions/Remote violence",
    "Air/drone strike": "Explosions/Remote violence",
    "Suicide bomb": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Grenade": "Explosions/Remote violence",
    "Sexual violence": "Violence against civilians",
    "Attack": "Violence against civilians",
    "Abduction/forced disappearance": "Violence against civilians",
    "Peaceful protest": "Protests",
    "Protest with intervention": "Protests",
    "Excessive force against protesters": "Protests",
    "Violent demonstration": "Riots",
    "Mob violence": "Riots",
    "Agreement": "Strategic developments",
    "Arrests": "Strategic developments",
    "Change to group/activity": "Strategic developments",
    "Disrupted weapons use": "Strategic developments",
    "Headquarters or base established": "Strategic developments",
    "Looting/property destruction": "Strategic developments",
    "Non-violent transfer of territory": "Strategic developments",
    "Other": "Strategic developments",
}
EVENT_TYPES = sorted(set(SUB_EVENT_TYPES.values()))
FAMILY = {
    "Battles": "violence",
    "Explosions/Remote violence": "violence",
    "Violence against civilians": "violence",
    "Protests": "demonstration",
    "Riots": "demonstration",
    "Strategic developments": "strategic",
}

# names used by the coder, kept here so that stage modules hold no literal type strings
AIR = "Air/drone strike"
SHELLING = "Shelling/artillery/missile attack"
IED = "Remote explosive/landmine/IED"
SUICIDE = "Suicide bomb"
GRENADE = "Grenade"
CHEMICAL = "Chemical weapon"
CLASH = "Armed clash"
NSA_TERRITORY = "Non-state actor overtakes territory"
GOV_TERRITORY = "Government regains territory"
ATTACK = "Attack"
ABDUCTION = "Abduction/forced disappearance"
SEXUAL = "Sexual violence"
PEACEFUL = "Peaceful protest"
INTERVENTION = "Protest with intervention"
EXCESSIVE = "Excessive force against protesters"
VIOLENT_DEMO = "Violent demonstration"
MOB = "Mob violence"
AGREEMENT = "Agreement"
ARRESTS = "Arrests"
DISRUPTED = "Disrupted weapons use"
LOOTING = "Looting/property destruction"
CHANGE = "Change to group/activity"
HQ = "Headquarters or base established"

TIME_PRECISION = {1: "day", 2: "week", 3: "month"}
GEO_PRECISION = {1: "town", 2: "near a town or district", 3: "province"}


def event_type(sub_event_type: str) -> str:
    return SUB_EVENT_TYPES[sub_event_type]


def family(event_type_name: str) -> str:
    return FAMILY.get(event_type_name, "")


@lru_cache(maxsize=None)
def load_table(name: str) -> dict[str, Any]:
    """A TOML table from khaldun/data (actors, triggers)."""
    with resources.files("khaldun").joinpath(f"data/{name}.toml").open("rb") as fh:
        return tomllib.load(fh)


def alternation(patterns: list[str]) -> str:
    """Longest first, so that "car bomb" wins over "bomb"."""
    return "|".join(sorted(patterns, key=len, reverse=True))


def grouped_alternation(patterns: list[str]) -> str:
    """The same alternation grouped by first letter ("a(?:ir ?strikes?|rtillery)|b(?:...)"): the regex
    engine then tries one group per position instead of every alternative (3-4x faster on news text, same
    matches; docs/performance.md)."""
    groups: dict[str, list[str]] = {}
    other: list[str] = []
    for p in patterns:
        if len(p) > 1 and p[0].isalpha() and p[1] not in "?*+{":
            groups.setdefault(p[0].lower(), []).append(p[1:])
        else:
            other.append(p)
    parts = [f"{c}(?:{alternation(rest)})" for c, rest in sorted(groups.items())]
    return "|".join(parts + ([alternation(other)] if other else []))


@lru_cache(maxsize=None)
def cue(section: str, key: str) -> re.Pattern[str]:
    """Compiled word-bounded regex for one entry of data/triggers.toml."""
    pats = load_table("triggers")[section][key]
    return re.compile(rf"(?<![\w-])(?:{alternation(pats)})(?![\w-])", re.I)


def validate(sub_event_type: str, event_type_name: str) -> bool:
    return SUB_EVENT_TYPES.get(sub_event_type) == event_type_name
