"""Place every event on the map: find the toponyms of an article, choose the event's place, geocode it with
ACLED's geo_precision.

    geo = Geocoder.default()                     # the cached GeoNames index (gazetteer.py), loaded once
    mentions = geo.find_mentions(text)           # every toponym (and country adjective) in the article
    place = geo.locate(text, start, end, mentions=mentions, outlet_country="SY")

**Finding the event's place** (`locate`), a numbered cascade; `Place.reason` says which rung won:

1. the evidence sentence's own places, ranked by the words that introduce them ("in", "at", "the town of",
   "near", "on the outskirts of", "X province", "X's Y district") and by how specific they are (town before
   district before province); a leading dateline ("ERBIL, Iraq, Feb 16 -") is where the reporter was and is
   skipped here;
2. the sentences before it in the same paragraph, nearest first, then the ones after it;
3. the lede's dateline, when the evidence is the lede and it points at no other, unnamed place
   ("a village in northern Burkina Faso");
4. the article's most-mentioned town, at geo_precision 2;
5. the dateline, at geo_precision 2;
6. the country alone (sentence, then article): `Place(location="", country_code=...)`, no coordinates --
   never a silent country centroid.

**Precision** (ACLED, shared/ACLED-NOTES.md 1.5): 1 a town or village (its outskirts included); 2 "near X",
"north of X", "X countryside", a district, or a fallback of rung 4 or 5; 3 a province only, at its capital.

**Disambiguation**: a name's candidates are scored on the countries the article names (names, aliases and
adjectives), the provinces it names, the other places it names, the outlet's home country and population,
in that order of weight, and exact spellings before loose (transliteration-folded) ones; a town whose own
name it is before one that has it only as an alternate name; loose spellings only inside the countries the
article is about.

Docs: docs/geocoding.md
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from . import gazetteer as gz
from .gazetteer import exact_key, loose_key
from .records import Place, Span

__all__ = ["Geocoder", "PlaceMention", "add_geonames_file"]

# -- tuning (calibrated on shared/devset gold evidence sentences and the three public benchmarks) -----------
W_LOOSE = -2.5  # a transliteration-folded match loses to any exact one of similar standing
W_COUNTRY_SHARE = 3.0  # times the share of the article's country evidence that names the candidate's country
W_COUNTRY_NAMED = 1.5  # the candidate's country is named at all
W_ADMIN1 = 1.5  # the candidate lies in a province the article names
W_NEIGHBOUR = 0.5  # per other place of the article within NEIGHBOUR_KM (at most W_NEIGHBOUR_MAX)
W_NEIGHBOUR_MAX = 1.5
NEIGHBOUR_KM = 150.0
W_OUTLET = 1.0  # the outlet's home country
W_POP = 0.35  # times log10(population + 1)
W_METROPOLIS = 1.0  # a city of METROPOLIS people is what a bare "London" or "Paris" means, barring context
METROPOLIS = 1_000_000
W_COUNTRY_KIND = 2.5  # a country name read as the country, not as a town of that name
W_ADMIN1_KIND = 0.6  # a name followed by "province" is the province; else the town of that name wins
W_LONE_DIVISION = 1.5  # a division whose name no town of SMALL_TOWN people shares is the division
W_KIND_MAX = 1.5  # the largest kind adjustment `_best` adds after `_score` (for the pruning bound)
MAX_CANDIDATES = 120  # candidates scored per name (largest first); the rest are villages of a common name
LOOSE_MIN_SHARE = 0.3  # a loose match needs its country to hold this share of the article's country evidence
SMALL_TOWN = 20_000  # below this, a town named without "in"/"near"/"the town of" needs its country named
DOMINANT_RATIO = 10  # a big town this many times larger than any namesake abroad is what its name means
BIG_TOWN = 100_000  # a town this large may stand alone inside a longer capitalised run (a person's name)
MAX_NGRAM = 6
LOOKUP_MEMO_MAX = 100_000  # phrases whose lookup a geocoder remembers (per process; cleared when full)
PARAGRAPHS_BACK = 2  # an event sentence without a place may lean on this many paragraphs before it
W_ALIAS = -1.5  # a row that has the name only as an alternate loses to a row whose own name it is ...
ALIAS_RATIO = 10  # ... unless it is this many times larger (Kyiv for "Kiev" beats a village called Kiev)
INSIDE_KM = 30.0  # "X in Y" (a town Y): a reading of X farther than this from Y is a namesake, not X

_data = resources.files("khaldun") / "data"
_STOPWORDS = frozenset(
    exact_key(w) for w in (_data / "place_stopwords.txt").read_text(encoding="utf-8").split("\n")
    if w.strip() and not w.startswith("#")
)

# Words that may sit inside a place name between capitalised words: Arabic articles, "ibn", Romance particles.
_CONNECTORS = frozenset(
    ["al", "el", "as", "es", "ad", "ed", "an", "en", "ar", "er", "at", "et", "az", "ez", "ash", "ul", "il", "de", "du", "des", "del", "della", "la", "le", "les", "di", "da", "dos", "das", "do", "of", "the", "bin", "ibn", "bint", "wa", "e", "i", "y", "und", "am", "an", "der"]
)
_WORD = re.compile(r"[^\W\d_](?:[\w'’`ʿʾ‘-]*[^\W_])?")
_POSSESSIVE = ("'s", "’s")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# What may follow a dateline's place on its line before the story starts.
_DATELINE_TAIL = re.compile(
    r"^(?:\s*/\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})*"
    r"(?:\s+(?:province|governorate|region|state))?(?:\s*,\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})?"
    r"(?:\s*,?\s*(?:\d{1,2}\s+" + _MONTH + r"|" + _MONTH + r"\s+\d{1,2})(?:,?\s+\d{4})?\.?)?"
    r"\s*(?P<agency>\([^)\n]{1,40}\))?\s*(?:/[^/\n]{1,40}/\.?)?\s*(?:[-—–:]|\.\s)"
)
_NEAR = re.compile(
    r"(?:\bnear(?:by)?|\bclose to|\b(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)"
    r"(?:ern)?\s+of|\b(?:km|kms|kilomet(?:re|er)s?|miles?)\s+(?:\w+\s+)?(?:of|from)|\bcountryside\s+of|"
    r"\bvicinity\s+of|\bapproaches\s+to|\bvillages?\s+around|\baround|\boutside\s+of)\s+"
    r"(?:the\s+)?(?:[\w'’-]+\s+){0,4}$",
    re.IGNORECASE,
)
_ELSEWHERE = re.compile(r"\b(?:sent|came|arrived|returned|fled|flown|brought|transferred|moved|deployed|driven|evacuated|"
                        r"diverted|rerouted|relocated)"
                        r"\s+(?:down\s+|up\s+|in\s+|back\s+)?(?:from|to)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,1}$", re.IGNORECASE)
_IN = re.compile(
    r"(?:\bin|\binside|\bat|\binto|\bacross|\bthroughout|\bwithin|\b(?:town|village|city|hamlet|settlement|"
    r"neighbou?rhood|district|suburb|camp|outskirts|heart|centre|center|streets)\s+of|\boutside|\bhit|"
    r"\bstruck|\bshelled|\bbombed|\bpounded|\btargeted|\bstormed|\battacked|\braided|\bover|\bentered|"
    r"\bcaptured|\bseized|\bsiege\s+of|\bon)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}$",
    re.IGNORECASE,
)
# A title just before a name in a capitalised run makes the name a person's, however large the town it
# spells: "President Vladimir Putin", "General Khalifa Haftar", "Mayor Vitali Klitschko".
_TITLES = frozenset({
    "president", "vice", "prime", "minister", "premier", "king", "queen", "prince", "princess", "emir",
    "sheikh", "shaikh", "general", "gen", "lt", "colonel", "col", "major", "maj", "captain", "capt",
    "commander", "brigadier", "admiral", "sergeant", "sgt", "mr", "mrs", "ms", "dr", "senator", "sen",
    "governor", "gov", "mayor", "ambassador", "pope", "bishop", "cardinal", "imam", "ayatollah", "chancellor",
    "secretary", "chairman", "spokesman", "spokeswoman", "judge", "justice", "leader", "chief", "marshal",
    "sultan"
})
_PROVINCE_AFTER = re.compile(r"(?:['’]s)?\s+(?:province|governorate|region|state|oblast|wilaya)\b", re.IGNORECASE)
_AREA_AFTER = re.compile(r"(?:['’]s)?\s+(?:countryside|area|outskirts|environs|suburbs|district|frontline|township)\b",
                         re.IGNORECASE)
_SUBDISTRICT_AFTER = re.compile(
    r"['’]s\s+(?:[A-Z][\w'’-]*\s+){1,3}(?:district|neighbou?rhood|quarter|area)\b"
)
_DISTRICT_AFTER = re.compile(r"\s+district\b", re.IGNORECASE)
_UNNAMED_PLACE = re.compile(
    r"\b(?:a|one|two|three|several)\s+(?:\w+\s+)?(?:village|town|hamlet|camp|area|district|region)s?\b|"
    r"\b(?:northern|southern|eastern|western|central|north-?eastern|north-?western|south-?eastern|"
    r"south-?western)\s+[A-Z]",
)
_CAPITAL = re.compile(
    r"\bthe\s+(?P<adj>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)\s+capital\b|"
    r"\bthe\s+capital(?:\s+city)?\s+of\s+(?P<of>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})|"
    r"\b(?P<poss>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)['’]s\s+capital\b"
)
# "the left bank of the Dnipro", "the Euphrates river": a river, not the town of that name.
_RIVER_BEFORE = re.compile(r"\b(?:banks?|shores?)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_RIVER_AFTER = re.compile(r"\s+[Rr]iver\b")
# "X gendarmerie school in Y", "the X district of Y", "X in Y": X lies inside the town Y.
_INSIDE_GAP = re.compile(r"^(?:\s+[\w'’-]+){0,3}?\s+(?:in|of)\s+(?:the\s+)?(?:(?:city|town|capital)\s+of\s+)?$")
_NOT_INSIDE_GAP = re.compile(r"\b(?:(?:north|south|east|west)\w*|km|kilomet\w*|miles?|near|outside|from|to|banks?|"
                             r"and|or|but|while|then|as|also)\b", re.IGNORECASE)
_TOWN_OF = re.compile(r"\b(?:city|town|village)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
# "a town in Ethiopia's Amhara region": one place the sentence does not name (the next one may).
_UNNAMED_TOWN = re.compile(r"\b(?:a|an|one)\s+(?:[a-z]+\s+)?(?:village|town|city|hamlet|settlement)\b")
# Descriptive last words of a name ("Hpakant Township"): a loose match may drop them.
_GENERIC_TAIL = frozenset(["township", "district", "village", "town", "city", "camp", "county", "municipality",
                           "neighbourhood", "neighborhood", "quarter", "suburb", "area", "locality", "region",
                           "province", "state", "governorate", "division", "oblast"])
_PARAGRAPH = re.compile(r"\n\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])['\"”’)]*\s+(?=[\"“'‘(]?[A-Z0-9])")


@dataclass(slots=True)
class PlaceMention:
    """A toponym (or a country adjective, `kind="demonym"`) found in the article text.

    `kind` is the kind of the best candidate before any context: "country", "admin1", "admin2", "populated",
    "feature" or "demonym". `candidates` are gazetteer row numbers, largest population first. `match` is
    "exact", "loose" (transliteration-folded) or "capital" ("the Afghan capital"). `dateline` marks the place
    of a leading dateline. `country_code` is the best candidate's country ("" when unknown).
    """

    span: Span
    kind: str
    country_code: str
    candidates: tuple[int, ...] = ()
    match: str = "exact"
    dateline: bool = False
    initial: bool = False  # first word of a line or sentence: capitalised anyway, a weaker signal
    in_run: bool = False  # part of a longer capitalised run that is not itself a place (a name, a title)


@dataclass(slots=True)
class _Context:
    """What the whole article says about where it is: the weights `_score` uses."""

    countries: Counter[str] = field(default_factory=Counter)
    admin1: set[str] = field(default_factory=set)
    points: list[tuple[float, float, int]] = field(default_factory=list)  # (lat, lon, mention index)
    outlet: str | None = None
    best: dict[int, int] = field(default_factory=dict)  # mention index -> chosen row
    placed: set[str] = field(default_factory=set)  # countries of the towns and provinces the article names
    datelines: set[int] = field(default_factory=set)  # mention indexes of datelines (where reporters were)

    @property
    def total(self) -> float:
        return sum(self.countries.values())

    def share(self, cc: str) -> float:
        total = self.total
        return self.countries[cc] / total if total else 0.0

    def top(self) -> str | None:
        return self.countries.most_common(1)[0][0] if self.countries else None

    def about(self, cc: str) -> bool:
        """Is the article about this country, enough to trust a folded (loose) spelling there? It holds
        LOOSE_MIN_SHARE of the country evidence and is either the main country or has places named in it
        (a country named only as an actor, "U.S. warplanes struck ...", is not where the article is)."""
        return self.share(cc) >= LOOSE_MIN_SHARE and (cc == self.top() or cc in self.placed)


@dataclass(slots=True)
class _Choice:
    mention: PlaceMention
    row: int
    precision: int
    why: str
    index: int


class Geocoder:
    """Finds toponyms and geocodes events against the cached GeoNames index (`gazetteer.py`).

    `Geocoder.default()` returns one process-wide instance; building it the first time in a fresh cache takes
    about 30 seconds, loading it afterwards well under a second.
    """

    _default: Geocoder | None = None
    _default_index: str = ""  # the cache file `_default` was loaded from
    _lock = threading.Lock()

    def __init__(self, gazetteer: gz.Gazetteer) -> None:
        self.g = gazetteer
        self._ctx_cache: tuple[Sequence[PlaceMention], str, str, _Context] | None = None
        self._lookups: dict[str, tuple[str, tuple[int, ...], str]] = {}  # phrase -> `_lookup`'s answer
        self._aliases: dict[str, tuple[frozenset[int], int]] = {}  # phrase -> `_alias_only`'s answer

    @classmethod
    def default(cls) -> Geocoder:
        """The process-wide geocoder over the cached index (built on first use; `KHALDUN_CACHE_DIR`)."""
        if cls._default is None:
            with cls._lock:
                if cls._default is None:
                    cls._default_index = str(gz.index_path())
                    cls._default = cls(gz.load_or_build())
        return cls._default

    @classmethod
    def default_is_current(cls) -> bool:
        """Is the loaded default geocoder still the one the cache would give (no file added since)? A worker
        forked from a long-lived warm process asks before trusting the geocoder it inherited."""
        return cls._default is not None and cls._default_index == str(gz.index_path())

    @classmethod
    def reset_default(cls) -> None:
        """Forget the process-wide instance (after `add_geonames_file`, so the next call rebuilds)."""
        with cls._lock:
            cls._default = None

    # -- countries ------------------------------------------------------------------------------------------
    def country_info(self, code: str) -> tuple[str, str, int | None]:
        """(alpha-2, English short name, ISO 3166-1 numeric): ("SY", "Syria", 760); ("", "", None) if unknown."""
        row = self.g.countries.get(code.upper()) if code else None
        if row is None:
            return ("", "", None)
        return (code.upper(), row[0], row[1] or None)

    def country_for_word(self, word: str) -> str | None:
        """A country's alpha-2 for its name, alias or adjective ("Iraqi" -> "IQ", "U.S." -> "US"); else None."""
        key = exact_key(word.removesuffix("'s").removesuffix("’s"))
        return self.g.words.get(key)

    # -- finding toponyms -----------------------------------------------------------------------------------
    def find_mentions(self, text: str) -> list[PlaceMention]:
        """Every toponym and country adjective in `text`, in text order, non-overlapping (longest match wins)."""
        out: list[PlaceMention] = []
        for run in _runs(text):
            out.extend(self._match_run(text, run))
        out.extend(self._capital_mentions(text, out))
        out.sort(key=lambda m: m.span.start)
        self._mark_datelines(text, out)
        return out

    def _lookup(self, phrase: str) -> tuple[str, tuple[int, ...], str]:
        """(match, rows, demonym-country) for one phrase: exact rows, else a demonym, else ("", (), "")."""
        memo = self._lookups
        hit = memo.get(phrase)
        if hit is None:
            if len(memo) >= LOOKUP_MEMO_MAX:
                memo.clear()
            hit = memo[phrase] = self._lookup_key(exact_key(phrase))
        return hit

    def _lookup_key(self, key: str) -> tuple[str, tuple[int, ...], str]:
        rows = self.g.rows(key) or self.g.rows(gz.bare_key(key))
        cc = self.g.words.get(key)
        if cc and key in self.g.demonyms and not any(self.g.kind[r] == gz.COUNTRY for r in rows[:MAX_CANDIDATES]):
            return "demonym", (), cc  # "Somali" is the adjective before it is Ethiopia's Somali region
        if rows:
            return "exact", rows, ""
        return "", (), ""

    def _match_run(self, text: str, run: list[tuple[int, int, bool]]) -> list[PlaceMention]:
        """Longest exact matches left to right inside one capitalised run; loose matches for what is left."""
        g = self.g
        found: list[PlaceMention] = []
        n = len(run)
        whole = (run[0][0], run[-1][1])
        i = 0
        covered = [False] * n
        while i < n:
            if not run[i][2]:  # runs never start on a connector
                i += 1
                continue
            hit = None
            for j in range(min(n, i + MAX_NGRAM) - 1, i - 1, -1):
                if not run[j][2]:
                    continue
                s, e = run[i][0], run[j][1]
                phrase = text[s:e]
                if j == i and exact_key(phrase) in _STOPWORDS:
                    break
                match, rows, cc = self._lookup(phrase)
                if match:
                    hit = (j, s, e, match, rows, cc)
                    break
            if hit is None:
                i += 1
                continue
            j, s, e, match, rows, cc = hit
            part = (s, e) != whole
            if match == "demonym":
                found.append(PlaceMention(Span(s, e, text[s:e]), "demonym", cc, (), "demonym", in_run=part))
            else:
                best = rows[0]
                kind = gz.KIND_NAMES[g.kind[best]]
                kinds = {g.kind[r] for r in rows[:MAX_CANDIDATES]}
                if gz.COUNTRY in kinds:
                    kind = "country"
                    best = next(r for r in rows if g.kind[r] == gz.COUNTRY)
                elif gz.ADMIN1 in kinds and _PROVINCE_AFTER.match(text, e):
                    kind = "admin1"  # "Nineveh province"
                    best = next(r for r in rows if g.kind[r] == gz.ADMIN1)
                titled = part and j == i and 0 < i < n - 1 and exact_key(text[run[i - 1][0]:run[i - 1][1]]) in _TITLES
                # "Kanbalu Township", "Jangebe Village": a place word after the name says it is a place
                tailed = j + 1 < n and exact_key(text[run[j + 1][0]:run[j + 1][1]]) in _GENERIC_TAIL
                if titled or (part and j == i and kind == "populated" and g.pop[best] < BIG_TOWN
                              and not _is_admin(kinds) and not tailed):
                    i += 1  # "Ali" in "Ali Haji Adan", "Vladimir" in "President Vladimir Putin": a person's name
                    continue
                found.append(PlaceMention(Span(s, e, text[s:e]), kind, g.cc[best], rows, match, in_run=part))
            for k in range(i, j + 1):
                covered[k] = True
            i = j + 1
        # Loose (transliteration-folded) matches, only for runs where nothing matched exactly.
        if not any(covered):
            found.extend(self._loose_run(text, run))
        for m in found:
            m.initial = _starts_sentence(text, m.span.start)
        return found

    def _loose_run(self, text: str, run: list[tuple[int, int, bool]]) -> list[PlaceMention]:
        g = self.g
        n = len(run)
        # Only the whole run (less leading stop words): a folded part of a longer name is too often a person.
        while run and exact_key(text[run[0][0]:run[0][1]]) in _STOPWORDS:
            run = run[1:]
        n = len(run)
        if n == 0 or n > MAX_NGRAM:
            return []
        if n >= 2 and exact_key(text[run[-1][0]:run[-1][1]]) in _GENERIC_TAIL:
            # "Hpakant Township": the name without its descriptive last word (its precision follows that word)
            lk = loose_key(text[run[0][0]:run[-1][1]])
            if not (lk and g.rows(lk, loose=True)):
                run = run[:-1]
                n -= 1
                while n and not run[-1][2]:
                    run = run[:-1]
                    n -= 1
                if n == 0:
                    return []
        for size in (n,):
            for i in range(n - size + 1):
                j = i + size - 1
                if not (run[i][2] and run[j][2]):
                    continue
                s, e = run[i][0], run[j][1]
                phrase = text[s:e]
                key = exact_key(phrase)
                if size == 1 and key in _STOPWORDS:
                    continue
                lk = loose_key(phrase, exact=key)
                rows = g.rows(lk, loose=True) if lk else ()
                if rows:
                    best = rows[0]
                    kind = "country" if any(g.kind[r] == gz.COUNTRY for r in rows) else gz.KIND_NAMES[g.kind[best]]
                    return [PlaceMention(Span(s, e, phrase), kind, g.cc[best], rows, "loose", in_run=size < n)]
        return []

    def _capital_mentions(self, text: str, found: list[PlaceMention]) -> list[PlaceMention]:
        """"the Afghan capital", "the capital of Iraq", "Syria's capital" -> the national capital."""
        out = []
        taken = {(m.span.start, m.span.end) for m in found}
        for m in _CAPITAL.finditer(text):
            word = m.group("adj") or m.group("of") or m.group("poss")
            cc = self.country_for_word(word)
            if not cc or cc not in self.g.capitals:
                continue
            s, e = m.span()
            if (s, e) in taken:
                continue
            row = self.g.capitals[cc]
            out.append(PlaceMention(Span(s, e, text[s:e]), "populated", cc, (row,), "capital"))
        return out

    def _mark_datelines(self, text: str, mentions: list[PlaceMention]) -> None:
        """Mark leading datelines. The rest of a dateline ("NAIROBI, Kenya (APA) -", "BEIRUT/JERUSALEM, July 4")
        is dateline too: its country and second city say where the reporters were, and a name in its
        parentheses is the agency ("(Meridian)", "(APA)"), not a place at all."""
        agency: list[PlaceMention] = []
        for k, m in enumerate(mentions):
            if m.kind == "demonym" or m.dateline:
                continue
            line_start = text.rfind("\n", 0, m.span.start) + 1
            if text[line_start:m.span.start].strip():
                continue
            tail = text[m.span.end:m.span.end + 90]
            if tail[:1] in ("\n", "") or not tail.strip():
                continue  # a heading line ("NAJAF"), not a dateline
            tm = _DATELINE_TAIL.match(tail)
            if not (tm or (m.span.text.isupper() and len(m.span.text) > 2)):
                continue
            m.dateline = True
            end = m.span.end + tm.end() if tm else m.span.end
            a_start, a_end = (m.span.end + tm.start("agency"), m.span.end + tm.end("agency")) \
                if tm and tm.group("agency") else (-1, -1)
            prev = m
            for other in mentions[k + 1:]:
                if other.span.start >= end and not (text[prev.span.end:other.span.start].strip() == "/"
                                                    and "\n" not in text[prev.span.end:other.span.start]):
                    break
                if a_start <= other.span.start < a_end:
                    agency.append(other)
                else:
                    other.dateline = True
                prev = other
        for m in agency:
            mentions.remove(m)

    # -- context and scoring ----------------------------------------------------------------------------------
    def _context(self, text: str, mentions: Sequence[PlaceMention], outlet: str | None) -> _Context:
        cached = self._ctx_cache
        # Keyed on the mentions object itself (held, so its id cannot be reused), the text and the outlet.
        if cached is not None and cached[0] is mentions and cached[1] is text and cached[2] == (outlet or ""):
            return cached[3]
        g = self.g
        ctx = _Context(outlet=outlet)
        # Country evidence: country names (2), adjectives (1), provinces of one country (2). Towns only add to
        # a country already named (a town's name alone may be a person's or a group's: "Taliban", "Aden").
        towns: list[tuple[str, str, bool]] = []
        names_country = False
        for m in mentions:
            if m.kind == "demonym":  # inside a name ("the Saudi Hospital") an adjective says little
                ctx.countries[m.country_code] += 0.5 if m.in_run else 1  # type: ignore[assignment]
            elif m.kind == "country" and m.match != "loose":
                ctx.countries[m.country_code] += 2
                names_country = True
            elif m.match in ("exact", "capital") and not m.in_run:
                # Readings by an alternate name smaller than a reading by the own name do not make a name
                # ambiguous (a Greek village once called "Kherson" beside Kherson).
                alias, own_top = self._alias_only(m)
                cands = m.candidates[:MAX_CANDIDATES]
                if alias and own_top >= 0:
                    cands = tuple(r for r in cands if r not in alias or g.pop[r] >= own_top)
                ccs = {g.cc[r] for r in cands}
                if m.kind == "admin1" and len(ccs) == 1:
                    ctx.countries[next(iter(ccs))] += 2
                    names_country = True  # "in the Sahel region" says the country as well as its name would
                elif cands[0] in alias and g.pop[cands[0]] < SMALL_TOWN and not _cued(text, m):
                    pass  # a village's old or foreign name ("Liberty Square") says nothing about the country
                elif len(ccs) == 1 or self._dominant(cands):
                    # A name found in several countries is evidence only when one reading dwarfs the others
                    # (Baghdad, not Tripoli or Hyderabad).
                    towns.append((g.cc[cands[0]], exact_key(m.span.text), _cued(text, m)))
        if outlet and not names_country:
            # an outlet of the country ("Burkina Information Agency") that names no country: its own is the
            # story's, before a village namesake abroad
            ctx.countries[outlet] += 1
            names_country = True
        named = set(ctx.countries)
        distinct: dict[str, set[str]] = {}
        for cc, name_key, _ in towns:
            distinct.setdefault(cc, set()).add(name_key)
        for cc, _, cued in towns:
            # A town adds to a country already named, or one that two different towns agree on, or when it is
            # introduced as a place ("in Latakia").
            if cc in named or not named or (cued and not names_country) or len(distinct[cc]) >= 2:
                ctx.countries[cc] += 1
        # Resolve every mention once with the country evidence, then collect provinces and points: the exact
        # names first, then the folded ones, which must lie near the places the exact ones gave.
        for loose in (False, True):
            for idx, m in enumerate(mentions):
                if m.kind == "demonym" or not m.candidates or (m.match == "loose") != loose:
                    continue
                row = self._best(m, ctx, text)
                if row is None or not self._plausible(m, row, ctx, text):
                    continue
                ctx.best[idx] = row
                if g.kind[row] == gz.ADMIN1:
                    ctx.admin1.add(g.admin1[row])
                if m.dateline:
                    ctx.datelines.add(idx)
                if g.kind[row] not in (gz.COUNTRY, gz.CONTINENT):
                    ctx.points.append((g.lat[row], g.lon[row], idx))
                    if not loose:
                        ctx.placed.add(g.cc[row])
        ctx.best = dict(sorted(ctx.best.items()))
        self._ctx_cache = (mentions, text, outlet or "", ctx)
        return ctx

    def _alias_only(self, m: PlaceMention) -> tuple[frozenset[int], int]:
        """The candidates that carry the mention's name only as an alternate name (Chattogram, once
        "Islamabad"; a Greek village once "Kherson"; a US village once "Liberty Square"), and the population
        of the largest candidate whose own name it is (-1 when none is). Divisions and countries count as
        named by their variants."""
        if m.match != "exact" or not m.candidates:
            return frozenset(), -1
        phrase = m.span.text
        hit = self._aliases.get(phrase)
        if hit is None:
            g = self.g
            key = exact_key(phrase)
            bare = gz.bare_key(key)
            alias: list[int] = []
            own_top = -1
            for r in m.candidates[:MAX_CANDIDATES]:
                if g.kind[r] == gz.POPULATED:
                    own_key = exact_key(g.name[r])
                    if own_key != key and gz.bare_key(own_key) != bare:
                        alias.append(r)
                        continue
                own_top = max(own_top, g.pop[r])
            if len(self._aliases) >= LOOKUP_MEMO_MAX:
                self._aliases.clear()
            hit = self._aliases[phrase] = (frozenset(alias), own_top)
        return hit

    def _dominant(self, rows: tuple[int, ...]) -> bool:
        g = self.g
        top = rows[0]
        if g.pop[top] < BIG_TOWN:
            return False
        other = next((r for r in rows[1:MAX_CANDIDATES] if g.cc[r] != g.cc[top]), None)
        return other is None or g.pop[top] >= DOMINANT_RATIO * g.pop[other]

    def _plausible(self, m: PlaceMention, row: int, ctx: _Context, text: str) -> bool:
        """Is the best reading of a mention a place at all? A capitalised word that is only a village in a
        country the article never names ("Taliban", "Arab", "Centre", "Hayat") is a name, not a place."""
        g = self.g
        cc = g.cc[row]
        if g.kind[row] in (gz.COUNTRY, gz.CONTINENT) or m.match == "capital":
            return True
        if m.match == "loose":
            # A folded spelling is trusted only inside a country the article is about, and near its other
            # places when it names some in that country; never for a capitalised first word ("Instead").
            if not ctx.about(cc) or m.initial:
                return False
            if g.pop[row] >= BIG_TOWN and cc == ctx.top():
                return True  # a city of the main country may lie far from its other places (Nasiriyah, Baghdad)
            same = [(a, b) for (a, b, i) in ctx.points if g.cc[ctx.best[i]] == cc and i not in ctx.datelines]
            return not same or g.admin1[row] in ctx.admin1 or any(
                gz.haversine_km(a, b, g.lat[row], g.lon[row]) <= NEIGHBOUR_KM for a, b in same)
        if ctx.countries[cc] == 0 and row in self._alias_only(m)[0] and g.pop[row] < METROPOLIS \
                and not _cued(text, m):
            return False  # a foreign or old name of a town abroad ("Hamas", once a name of Hamm)
        if m.in_run and g.kind[row] == gz.POPULATED and g.pop[row] < BIG_TOWN and cc != ctx.top():
            return False  # "St. Francis" in "St. Francis Xavier Catholic Church": part of a longer name
        if ctx.countries[cc] > 0:
            if cc == ctx.top() or g.kind[row] != gz.POPULATED or g.pop[row] >= SMALL_TOWN:
                return True
            return _cued(text, m)  # a village of a side country, named without "in"/"near": likely a word
        if not ctx.countries:  # an article that names no country at all: trust big towns and provinces only
            return g.pop[row] >= BIG_TOWN or g.kind[row] == gz.ADMIN1
        return g.pop[row] >= BIG_TOWN and not m.in_run and not m.initial

    def _score(self, m: PlaceMention, row: int, ctx: _Context, *, index: int | None = None,
               floor: float = -math.inf) -> float:
        """The candidate's score; the neighbour term (the costly one) is skipped when even its maximum could
        not lift the score above `floor` (the best score so far)."""
        g = self.g
        cc = g.cc[row]
        kind = g.kind[row]
        pop = g.pop[row]
        s = W_LOOSE if m.match == "loose" else 0.0
        total = ctx.total
        if total:
            share = ctx.countries[cc] / total
            if share:
                s += W_COUNTRY_SHARE * share + W_COUNTRY_NAMED
        if ctx.admin1 and kind != gz.COUNTRY and g.admin1[row] in ctx.admin1:
            s += W_ADMIN1
        if ctx.outlet and cc == ctx.outlet:
            s += W_OUTLET
        s += W_POP * math.log10(pop + 1) + (W_METROPOLIS if pop >= METROPOLIS else 0.0)
        if kind == gz.COUNTRY:
            s += W_COUNTRY_KIND
        if ctx.points and kind not in (gz.COUNTRY, gz.ADMIN1) and s + W_NEIGHBOUR_MAX + W_KIND_MAX > floor:
            lat, lon = g.lat[row], g.lon[row]
            near = 0
            for a, b, i in ctx.points:
                if i != index and abs(a - lat) < 1.5 and abs(b - lon) < 2.5 and \
                        gz.haversine_km(a, b, lat, lon) <= NEIGHBOUR_KM:
                    near += 1
            s += min(W_NEIGHBOUR_MAX, W_NEIGHBOUR * near)
        return s

    def _best(self, m: PlaceMention, ctx: _Context, text: str, *, index: int | None = None,
              strict: bool = True) -> int | None:
        g = self.g
        rows = m.candidates[:MAX_CANDIDATES]
        if len(rows) == 1 and m.match != "loose":
            return rows[0]
        if m.match == "loose":
            # Folded spellings are read only inside the countries the article is about.
            about = {cc for cc in ctx.countries if ctx.about(cc)}  # once: a folded name has a hundred candidates
            kept = tuple(r for r in rows if g.cc[r] in about)
            if not kept and strict:
                return None
            if not kept:  # a name given as a toponym (resolve): any country of some weight, else the best reading
                kept = tuple(r for r in rows if ctx.share(g.cc[r]) >= LOOSE_MIN_SHARE)
            rows = kept or rows
        province = bool(_PROVINCE_AFTER.match(text, m.span.end)) if text else False
        # A division is read as its town namesake when one lies inside it ("Idlib", "Kharkiv", "Marib"), else
        # as the division ("Missouri", "Ontario", "Texas").
        towns_in = {g.admin1[r] for r in rows if g.kind[r] == gz.POPULATED}
        # A reading by an alternate name loses W_ALIAS to one by the own name, unless ALIAS_RATIO times larger.
        alias, own_top = self._alias_only(m)
        alias_floor = ALIAS_RATIO * own_top if alias and own_top >= 0 else -1
        best, best_s = None, -math.inf
        for r in rows:
            s = self._score(m, r, ctx, index=index, floor=best_s)
            if g.pop[r] < alias_floor and r in alias:
                s += W_ALIAS
            if g.kind[r] == gz.ADMIN1:
                s += W_ADMIN1_KIND if province else -W_ADMIN1_KIND if g.admin1[r] in towns_in else W_LONE_DIVISION
            elif province and g.kind[r] == gz.POPULATED:
                s -= W_ADMIN1_KIND
            if s > best_s:
                best, best_s = r, s
        return best

    # -- the event's place ----------------------------------------------------------------------------------
    def locate(self, text: str, start: int, end: int, *, mentions: Sequence[PlaceMention] | None = None,
               outlet_country: str | None = None) -> Place | None:
        """Where the event reported by the sentence `text[start:end]` happened (cascade in the module docstring).

        Returns a `Place` with coordinates and geo_precision 1-3, or a country-only `Place` (location "",
        no coordinates, geo_precision None) when only the country can be known, or None when not even that.

        Docs: docs/geocoding.md#finding-the-events-place
        """
        if mentions is None:
            mentions = self.find_mentions(text)
        ctx = self._context(text, mentions, outlet_country)
        inside = [i for i, m in enumerate(mentions) if start <= m.span.start and m.span.end <= end]
        # Rung 1: the sentence itself.
        choice = self._choose(text, mentions, ctx, [i for i in inside if not mentions[i].dateline], "sentence")
        if choice is None:
            # Rung 2: the paragraph, sentences before (nearest first), then after.
            p_start = text.rfind("\n", 0, start) + 1
            p_end_i = text.find("\n", end)
            p_end = len(text) if p_end_i < 0 else p_end_i
            before, after = _neighbour_sentences(text, p_start, p_end, start, end)
            for (s, e), where in [*((b, "preceding sentence") for b in before),
                                  *((a, "following sentence") for a in after)]:
                idx = [i for i, m in enumerate(mentions) if s <= m.span.start and m.span.end <= e
                       and not mentions[i].dateline]
                choice = self._choose(text, mentions, ctx, idx, where)
                if choice is not None:
                    break
        if choice is None:
            # Rung 2b: the paragraphs before it (a section heading "NAJAF", or "in the city" after a paragraph
            # about one town), up to PARAGRAPHS_BACK of them, nearest first.
            p_end = text.rfind("\n", 0, start)
            for _ in range(PARAGRAPHS_BACK):
                if p_end <= 0:
                    break
                p_start = text.rfind("\n", 0, p_end) + 1
                idx = [i for i, m in enumerate(mentions) if p_start <= m.span.start and m.span.end <= p_end
                       and not m.dateline]
                choice = self._choose(text, mentions, ctx, idx, "an earlier paragraph")
                if choice is not None:
                    break
                p_end = p_start - 1
        sentence = text[start:end]
        sent_cc = self._sentence_country(mentions, inside, ctx)
        if choice is None:
            dl = next((i for i, m in enumerate(mentions) if m.dateline and i in ctx.best), None)
            lede = dl is not None and any(mentions[i].dateline for i in inside)
            # Rung 3: the lede's own dateline, unless the lede points at an unnamed place elsewhere.
            if dl is not None and lede and not _UNNAMED_PLACE.search(sentence):
                row = ctx.best[dl]
                if not sent_cc or self.g.cc[row] == sent_cc or sent_cc in ctx.countries:
                    choice = _Choice(mentions[dl], row, self._precision_of(row, 1), "the dateline of the lede", dl)
            # Rung 4: the article's most-mentioned town (in the sentence's country when it names one).
            if choice is None:
                choice = self._most_mentioned(mentions, ctx, sent_cc)
            # Rung 5: the dateline, whatever the sentence says.
            if choice is None and dl is not None and (not sent_cc or self.g.cc[ctx.best[dl]] == sent_cc):
                choice = _Choice(mentions[dl], ctx.best[dl], 2, "only the dateline names a place", dl)
        if choice is not None and choice.precision == 3 and choice.why.startswith("sentence"):
            choice = (self._unknown_village(text, mentions, ctx, inside, choice, start, end)
                      or self._named_after(text, mentions, ctx, choice, start, end) or choice)
        if choice is not None:
            return self._place(choice)
        # Rung 6: the country alone.
        cc = sent_cc or ctx.top() or outlet_country
        if not cc or cc not in self.g.countries:
            return None
        alpha2, name, iso = self.country_info(cc)
        why = "only the country is named" if sent_cc else "no place is named; the article's main country"
        return Place(location="", country_code=alpha2, country=name, iso=iso, reason=why)

    def _unknown_village(self, text: str, mentions: Sequence[PlaceMention], ctx: _Context, inside: list[int],
                         choice: _Choice, start: int, end: int) -> _Choice | None:
        """A sentence that names a place the gazetteer lacks ("the village of Solhan") and its province: the
        place goes to a town of that province named in the same paragraph (else the article), precision 2."""
        g = self.g
        unknown = [mentions[i] for i in inside if i not in ctx.best and mentions[i].kind != "demonym"
                   and _cued(text, mentions[i])]
        if not unknown:
            return None
        a1 = g.admin1[choice.row]
        p_start = text.rfind("\n", 0, start) + 1
        p_end = text.find("\n", end)
        p_end = len(text) if p_end < 0 else p_end
        for lo, hi, where in ((p_start, p_end, "its paragraph"), (0, len(text), "the article")):
            for i, row in sorted(ctx.best.items()):
                m = mentions[i]
                if lo <= m.span.start < hi and g.kind[row] == gz.POPULATED and g.admin1[row] == a1:
                    why = (f"sentence: '{unknown[0].span.text}' is not in the gazetteer; placed at "
                           f"'{m.span.text}', a town of its province named in {where}")
                    return _Choice(m, row, 2, why, i)
        return None

    def _named_after(self, text: str, mentions: Sequence[PlaceMention], ctx: _Context, choice: _Choice,
                     start: int, end: int) -> _Choice | None:
        """A sentence that puts the event in "a town" of a province ("a town in Ethiopia's Amhara region") and
        names that town only afterwards ("The strike hit the centre of Finote Selam"): the first town of that
        province named in the rest of its paragraph or the next one, unless named as a landmark ("near X",
        "south of X")."""
        g = self.g
        if g.kind[choice.row] != gz.ADMIN1 or not _UNNAMED_TOWN.search(text, start, end):
            return None
        a1 = g.admin1[choice.row]
        p_end = text.find("\n", end)
        p_end = len(text) if p_end < 0 else p_end
        q = p_end
        while q < len(text) and text[q].isspace():
            q += 1
        limit = text.find("\n", q)
        limit = len(text) if limit < 0 else limit
        for i, row in ctx.best.items():
            m = mentions[i]
            if m.span.start < end or m.span.start >= limit or m.dateline:
                continue
            if g.kind[row] != gz.POPULATED or g.admin1[row] != a1:
                continue
            before = text[max(0, m.span.start - 60):m.span.start]
            if _NEAR.search(before) or _ELSEWHERE.search(before):
                continue
            why = (f"sentence: an unnamed town in '{choice.mention.span.text}'; named after it: "
                   f"'{m.span.text}'")
            return _Choice(choice.mention, row, 1, why, choice.index)  # the sentence's words stay its mention
        return None

    def _precision_of(self, row: int, wanted: int) -> int:
        k = self.g.kind[row]
        if k == gz.ADMIN1:
            return 3
        if k in (gz.ADMIN2, gz.OTHER):
            return max(wanted, 2)
        return wanted

    def _choose(self, text: str, mentions: Sequence[PlaceMention], ctx: _Context, idxs: list[int],
                where: str) -> _Choice | None:
        """The best sub-country place among the mentions `idxs`, with its precision and the reason."""
        g = self.g
        best: tuple[tuple[float, ...], _Choice] | None = None
        # Provinces these sentences name ("near Bamba, in the Gao region"): when a town of one is named too, the
        # towns outside them rank below (a boat named "Tombouctou"), the province itself between.
        named_a1 = {g.admin1[ctx.best[i]] for i in idxs if i in ctx.best
                    and (g.kind[ctx.best[i]] == gz.ADMIN1 or mentions[i].kind == "admin1")}
        towns_in_named = bool(named_a1) and any(
            g.kind[ctx.best[i]] == gz.POPULATED and mentions[i].kind != "admin1" and g.admin1[ctx.best[i]] in named_a1
            for i in idxs if i in ctx.best)
        for k, i in enumerate(idxs):
            m = mentions[i]
            row = ctx.best.get(i)
            if row is None or g.kind[row] in (gz.COUNTRY, gz.CONTINENT) or m.kind == "demonym":
                continue
            inside = self._container(text, m, row, mentions[idxs[k + 1]], ctx.best.get(idxs[k + 1])) \
                if k + 1 < len(idxs) else None
            if inside is False:
                continue  # "the Faladie gendarmerie school in Bamako": not the village Faladie 70 km away
            if m.initial and m.kind == "populated" and m.match != "capital" and g.pop[row] < BIG_TOWN and \
                    ctx.countries[g.cc[row]] == 0:
                continue  # a capitalised first word that is also a village somewhere else
            before = text[max(0, m.span.start - 60):m.span.start]
            after = text[m.span.end:m.span.end + 60]
            if _ELSEWHERE.search(before):
                continue  # "forces sent down from Baghdad", "fled to Erbil": where someone came from or went
            if _RIVER_BEFORE.search(before) or _RIVER_AFTER.match(after):
                continue  # "the left bank of the Dnipro", "the Euphrates River": the river, not its town
            near = bool(_NEAR.search(before))
            cue_in = bool(_IN.search(before)) or bool(inside)  # "to Hpakant Township in Kachin State"
            province = bool(_PROVINCE_AFTER.match(after))
            area = bool(_AREA_AFTER.match(after))
            if province and g.kind[row] != gz.ADMIN1:
                a1 = g.admin1_rows.get(g.admin1[row])
                if a1 is not None and (_same_name(loose_key(m.span.text), loose_key(g.name[a1]))
                                       or exact_key(m.span.text) == exact_key(g.name[a1])):  # "Gao region"
                    row = a1  # "Idlib province": the province, not the town
            precision = 1
            why = f"{where}: '{m.span.text}'"
            if near:
                precision, why = 2, why + " (near)"
            elif area and not _SUBDISTRICT_AFTER.match(after):
                precision, why = 2, why + " (its district or countryside)"
            elif _SUBDISTRICT_AFTER.match(after):
                why += " (a quarter of the town)"
            precision = self._precision_of(row, precision)
            cue = 2.0 if near else 3.0 if cue_in else 1.0  # "in X ... near Y": X is the more specific
            if m.in_run:
                cue -= 0.5
            specific = {gz.POPULATED: 3, gz.OTHER: 3, gz.ADMIN2: 2, gz.ADMIN1: 1}.get(g.kind[row], 0)
            confident = 0 if m.match == "loose" else 1
            in_named = 1
            if towns_in_named:
                in_named = 1 if g.kind[row] == gz.ADMIN1 or m.kind == "admin1" else 2 if g.admin1[row] in named_a1 \
                    else 0
            key = (in_named, cue, specific, confident, -m.span.start)
            if best is None or key > best[0]:
                best = (key, _Choice(m, row, precision, why, i))
        return best[1] if best else None

    def _container(self, text: str, m: PlaceMention, row: int, nxt: PlaceMention, nrow: int | None) -> bool | None:
        """When the text puts `m` inside the place named right after it ("X school in Y", "the X district of
        Y", "X Township in Y State"): True if the reading of `m` lies in it (in that province, or within
        INSIDE_KM of that town), False if not -- a namesake elsewhere, X being a quarter or a landmark of the
        town Y that the gazetteer lacks; None when the text says no such thing."""
        g = self.g
        if nrow is None or nxt.kind == "demonym" or nrow == row or g.kind[nrow] not in (gz.POPULATED, gz.ADMIN1) \
                or nxt.in_run:  # "Kramatorsk in the Donetsk People's Republic": a region named after a city
            return None
        gap = text[m.span.end:nxt.span.start]
        if len(gap) > 50 or not _INSIDE_GAP.match(gap) or _NOT_INSIDE_GAP.search(gap):
            return None
        if g.kind[nrow] == gz.ADMIN1 or nxt.kind == "admin1" or _PROVINCE_AFTER.match(text, nxt.span.end):
            return True if g.admin1[row] == g.admin1[nrow] else None  # "Maarat al-Numan in Idlib province"
        if _TOWN_OF.search(text, max(0, m.span.start - 30), m.span.start):
            return None  # "the city of X in Y": X is a town in its own right
        return gz.haversine_km(g.lat[row], g.lon[row], g.lat[nrow], g.lon[nrow]) <= INSIDE_KM

    def _sentence_country(self, mentions: Sequence[PlaceMention], inside: list[int], ctx: _Context) -> str | None:
        named = [mentions[i].country_code for i in inside if mentions[i].kind == "country"
                 and mentions[i].match != "loose" and not mentions[i].dateline]
        if named:
            return Counter(named).most_common(1)[0][0]
        return None  # an adjective ("a Russian aircraft") names an actor's country, not the event's

    def _most_mentioned(self, mentions: Sequence[PlaceMention], ctx: _Context, cc: str | None) -> _Choice | None:
        g = self.g
        counts: Counter[int] = Counter()
        first: dict[int, int] = {}
        for i, row in ctx.best.items():
            m = mentions[i]
            if m.dateline or g.kind[row] in (gz.COUNTRY, gz.CONTINENT) or (cc and g.cc[row] != cc):
                continue
            if m.initial and g.pop[row] < BIG_TOWN and m.match != "capital":
                continue
            counts[row] += 1
            first.setdefault(row, i)
        if not counts:
            return None
        # Towns before provinces at equal counts.
        row = max(counts, key=lambda r: (counts[r], g.kind[r] != gz.ADMIN1, -first[r]))
        i = first[row]
        why = f"no place in the sentence or its paragraph; the article's most-mentioned place '{mentions[i].span.text}'"
        return _Choice(mentions[i], row, self._precision_of(row, 2), why, i)

    def _place(self, c: _Choice) -> Place:
        g = self.g
        row = c.row
        alpha2, name, iso = self.country_info(g.cc[row])
        kind = g.kind[row]
        a1 = g.admin1[row]
        admin1 = g.admin1_names.get(a1, "")
        match = {"loose": "a transliteration match", "capital": "the national capital"}.get(c.mention.match, "")
        reason = c.why + (f", {match}" if match else "")
        reason += f" -> {g.name[row]}" + (f" ({admin1}, {name})" if admin1 else f" ({name})")
        if kind == gz.ADMIN1:
            reason += ", province only: its capital's coordinates"
        return Place(
            location=g.name[row], country_code=alpha2, country=name, iso=iso, admin1=admin1, admin2=g.admin2[row],
            latitude=round(g.lat[row], 5), longitude=round(g.lon[row], 5), geo_precision=c.precision,
            geonameid=int(g.gid[row]) or None, reason=reason, mention=c.mention.span,
        )

    # -- one name -------------------------------------------------------------------------------------------
    def resolve(self, name: str, *, text: str = "", start: int | None = None, mentions: Sequence[PlaceMention] | None = None,
                outlet_country: str | None = None) -> Place | None:
        """Geocode one given name, with the article (if any) as context; countries get a representative point.

        This is what the toponym-resolution benchmarks measure (bench/geocode_benchmark.py): the name is given,
        only the choice among its candidates is tested.
        """
        if mentions is None:
            mentions = self.find_mentions(text) if text else []
        ctx = self._context(text, mentions, outlet_country) if mentions else _Context(outlet=outlet_country)
        m = None
        if start is not None:
            m = next((x for x in mentions if x.span.start == start and x.span.text == name), None)
        if m is None:
            match, rows, cc = self._lookup(name)
            if match == "demonym" or (not rows and self.g.words.get(exact_key(name))):
                cc = cc or self.g.words[exact_key(name)]
                rows = (self.g.countries[cc][2],) if cc in self.g.countries else ()
                match = "exact"
            if not rows:
                lk = loose_key(name)
                rows = self.g.rows(lk, loose=True) if lk else ()
                match = "loose"
            if not rows:
                return None
            s = start or 0
            m = PlaceMention(Span(s, s + len(name), name), gz.KIND_NAMES[self.g.kind[rows[0]]], self.g.cc[rows[0]],
                             rows, match)
        if m.kind == "demonym":
            rows = (self.g.countries[m.country_code][2],) if m.country_code in self.g.countries else ()
            if not rows:
                return None
            m = PlaceMention(m.span, "country", m.country_code, rows, "exact")
        row = self._best(m, ctx, text, strict=False)
        if row is None:
            return None
        g = self.g
        kind = g.kind[row]
        if kind == gz.CONTINENT:
            return Place(location=g.name[row], country_code="", latitude=g.lat[row], longitude=g.lon[row],
                         reason=f"'{name}' is a continent", mention=m.span)
        precision = 3 if kind == gz.ADMIN1 else 1
        place = self._place(_Choice(m, row, precision, f"'{name}'", -1))
        if kind == gz.ADMIN1 and g.admin1[row] in g.admin1_points:
            # A named division as such (not an event in it): the middle of its towns, not its capital.
            place.latitude, place.longitude = (round(v, 5) for v in g.admin1_points[g.admin1[row]])
        if kind == gz.COUNTRY:
            place.geo_precision = None
            place.location = ""
        return place


def _same_name(said: str, admin: str) -> bool:
    """"Idlib" names "Idlib Governorate"; "Sagaing" names GeoNames' "Sagain": containment, or one spelling
    a letter longer than the other."""
    if not said or not admin:
        return False
    short, long_ = sorted((said, admin), key=len)
    return said in admin or (len(short) >= 5 and long_.startswith(short) and len(long_) - len(short) <= 1)


def _cued(text: str, m: PlaceMention) -> bool:
    """Is the mention introduced as a place ("in X", "near X", "the town of X", "X province")?"""
    before = text[max(0, m.span.start - 60):m.span.start]
    after = text[m.span.end:m.span.end + 40]
    return bool(_IN.search(before) or _NEAR.search(before) or _PROVINCE_AFTER.match(after) or _AREA_AFTER.match(after))


def _is_admin(kinds: set[int]) -> bool:
    return bool(kinds & {gz.ADMIN1, gz.COUNTRY, gz.ADMIN2})


def _starts_sentence(text: str, pos: int) -> bool:
    k = pos - 1
    while k >= 0 and text[k] in " \t\"“'‘(":
        k -= 1
    return k < 0 or text[k] in ".!?\n:;—–-"


_UPPER = "".join(c for c in map(chr, range(0x41, 0x250)) if c.isupper()) + "".join(
    c for c in map(chr, range(0x1E00, 0x1F00)) if c.isupper())
_ARTICLE_PREFIX = "(?:al|el|as|es|ad|ed|an|ar|at|az|ash|ez|ul|il|ibn|bin|abu|bani|beni|de|du|la|le)"
_CAPWORD = (rf"(?:{_ARTICLE_PREFIX}-)?[{_UPPER}][\w'’`ʿʾ‘.]*(?:-[\w'’`ʿʾ‘]+)*")
_CONNWORD = "(?:" + "|".join(sorted(_CONNECTORS, key=len, reverse=True)) + ")"
# A run of capitalised words joined by single spaces or hyphens, with connectors ("al", "of") between them;
# the regex engine skips lower-case text fast, so only capitalised stretches are looked at.
_RUN = re.compile(rf"(?<![\w'’`-]){_CAPWORD}(?:[ -](?:{_CONNWORD}[ -])*{_CAPWORD})*")
_TOKEN = re.compile(r"[^ ]+")


def _runs(text: str) -> list[list[tuple[int, int, bool]]]:
    """Runs of capitalised words (with connectors inside) separated only by spaces or hyphens.

    Each token is (start, end, capitalised); a possessive "'s" is cut off its token and ends the run (what
    follows starts another); a trailing full stop is dropped unless the token is an abbreviation ("U.S.").
    """
    out: list[list[tuple[int, int, bool]]] = []
    for m in _RUN.finditer(text):
        cur: list[tuple[int, int, bool]] = []
        base = m.start()
        for t in _TOKEN.finditer(m.group()):
            s, e = base + t.start(), base + t.end()
            word = t.group()
            if word.endswith(".") and word.count(".") == 1:
                e -= 1
                word = word[:-1]
            if not word:
                continue
            possessive = word.endswith(_POSSESSIVE)
            if possessive:
                e -= 2
                word = word[:-2]
            first = word[0]
            cap = first.isupper() or ("-" in word and word.split("-", 1)[1][:1].isupper())
            cur.append((s, e, cap))
            if possessive:  # "Ethiopia's Amhara region": the possessor is one run, what follows another
                _close_run(cur, out)
                cur = []
        _close_run(cur, out)
    return out


def _close_run(cur: list[tuple[int, int, bool]], out: list[list[tuple[int, int, bool]]]) -> None:
    while cur and not cur[-1][2]:
        cur.pop()
    while cur and not cur[0][2]:
        cur.pop(0)
    if cur:
        out.append(cur)


def _neighbour_sentences(text: str, p_start: int, p_end: int, start: int, end: int
                         ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Sentences of the paragraph [p_start, p_end) before `start` (nearest first) and after `end`."""
    bounds = [p_start]
    for m in _SENTENCE_END.finditer(text, p_start, p_end):
        bounds.append(m.end())
    bounds.append(p_end)
    spans = [(bounds[k], bounds[k + 1]) for k in range(len(bounds) - 1) if bounds[k] < bounds[k + 1]]
    before = [sp for sp in spans if sp[1] <= start + 1 and sp[0] < start]
    after = [sp for sp in spans if sp[0] >= end - 1 and sp[1] > end]
    return before[::-1], after


def add_geonames_file(path: str | Path) -> int:
    """Add a GeoNames file to the gazetteer (`khaldun gazetteer add FILE`); returns the rows taken.

    See `gazetteer.add_geonames_file` for the accepted files. The process-wide `Geocoder.default()` is dropped
    so that the next call rebuilds the index with the new rows.

    Docs: docs/geocoding.md#gazetteer-add
    """
    n = gz.add_geonames_file(path)
    Geocoder.reset_default()
    return n


def default_cache_path() -> Path:
    """The index file `Geocoder.default()` reads (see gazetteer.cache_dir)."""
    return gz.index_path()
