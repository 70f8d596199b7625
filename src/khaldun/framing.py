"""Framing: loaded language and opinion in a document, and the profile of an outlet over its documents.

`frame_text(text)` returns, for one article text,

* `flags`: spans of loaded language, each anchored to the text (`text[start:end] == flag.text`), with a category and
  the reason the lexicon gives for it: dehumanising labels, insults, sectarian labels, superlatives,
  evaluative and glorifying words, delegitimising words, unattributed accusations, calls to action, and scare
  quotes;
* `loaded_score`: the flags' weights per 100 words, squashed into 0..1 (see `SCORE_SCALE`);
* `sentences`: every sentence (from `khaldun.sentences.split_sentences`) as `reporting` or `opinion`, with
  the cues that decided it.

`outlet_profile(framings)` aggregates the results of one outlet's documents (`khaldun outlets`).

The vocabularies are data, not code: `data/framing/categories.toml` (categories, weights, cue points),
`data/framing/loaded.txt` (loaded-language entries) and `data/framing/cues.txt` (sentence cues). Each entry has a
category and a reason; `load_lexicon(directory)` reads an edited copy. How a document is read, in order:

1. split the text into sentences; find quotations (straight, curly and angle quotes);
2. find every lexicon match in one scan (`_Matcher`): cues (attribution, dated action, modal, first person,
   imperative, stance ...) are given to their sentence;
3. a loaded-language match becomes a flag unless it lies inside a quotation (the words are the source's), or
   its category is `unattributed` (accusations, calls to action, evaluative words) and its sentence carries
   an attribution cue (the outlet reports someone else's charge, demand or verdict);
4. short quotations in sentences without attribution, not introduced as a name or term, become scare quotes;
5. each sentence adds its opinion points (modal, "we", opening imperative, rhetorical question, stance, the
   weight of its flags ...) and its reporting points (attribution, dated action); it is opinion when the
   opinion points reach `OPINION_MIN_POINTS` and exceed the reporting points.

Docs: docs/framing.md
"""

from __future__ import annotations

import bisect
import math
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

from .heads import DIGIT as _DIGIT
from .heads import DIGITS as _DIGITS
from .heads import heads as _heads
from .heads import literal_heads as _literal_heads
from .heads import lowered as _lowered
from .heads import trie_regex as _trie_regex
from .sentences import split_sentences

__all__ = [
    "Flag",
    "Lexicon",
    "Sentence",
    "frame_text",
    "load_lexicon",
    "outlet_profile",
]

# The loaded score is 1 - exp(-density / SCORE_SCALE), density = 100 * sum(flag weights) / max(words, MIN_WORDS).
# Dev set, 2026-11 (46 pages through article.extract): wire and local pages have density 0 (score 0), NGO pages
# 0-1.2, state pages 0-3.6, partisan pages 0-5.0; the seed page 4.8. At 3.0 a density of 3 weighted flags per
# 100 words scores 0.63: the partisan range reads 0.4-0.8, and one insult in a 300-word story stays at 0.2.
SCORE_SCALE = 3.0
MIN_WORDS = 50  # a headline alone is scored as if it were 50 words long, so one word cannot saturate it
OPINION_MIN_POINTS = 2  # fewest opinion points that make an opinion sentence: one modal, one "we", one insult
SCARE_MAX_WORDS = 4  # a quotation of 1..4 words may be scare quotes; longer ones are quotations
TOP_TERMS = 5  # terms per category in an outlet profile
CUE_REPEAT_CAP = 2  # a cue category scores at most twice in a sentence ("once again ... once again")

Kind = Literal["reporting", "opinion"]
_DATA = "data/framing"


@dataclass(slots=True, frozen=True)
class Flag:
    """A span of loaded language: `text == document_text[start:end]`."""

    start: int
    end: int
    text: str
    category: str
    why: str


@dataclass(slots=True, frozen=True)
class Sentence:
    """A sentence, `reporting` or `opinion`, with the cues that decided it in `why`."""

    start: int
    end: int
    kind: Kind
    why: str


@dataclass(slots=True, frozen=True)
class _Entry:
    category: str
    term: str
    why: str
    source: str  # "file:line", for error messages
    group: str  # which matching pass: flag | cue | exempt | rule
    rank: int  # at one offset the entry of lowest rank wins (literal terms, longest first, then regexes)
    pattern: str
    prefix: str  # lower-cased letters every match starts with ("" for a regex): a cheap test before `regex`
    heads: frozenset[str] | None  # the `heads.KEY_LEN`-letter starts of its matches; None: scan for it

    @property
    def regex(self) -> re.Pattern[str]:
        """Compiled on first use: a run meets a fraction of the entries, and compiling all cost 80 ms of
        every process's start-up."""
        rx = _COMPILED.get(self.pattern)
        if rx is None:
            rx = _COMPILED[self.pattern] = re.compile(self.pattern, re.IGNORECASE)
        return rx


_COMPILED: dict[str, re.Pattern[str]] = {}


@dataclass(slots=True, frozen=True)
class _FlagCategory:
    weight: float
    unattributed: bool
    description: str


@dataclass(slots=True, frozen=True)
class _CueCategory:
    side: str  # reporting | opinion | exempt | rule
    points: int
    where: str  # anywhere | outside_quotes | start
    exempts: str
    description: str


# Matching many entries fast: see `khaldun.heads`.


class _Matcher:
    """Finds the matches of all entries: per group, the leftmost matches, not overlapping, and at one offset
    the entry of lowest rank (the same result as one alternation of the group's entries, in rank order)."""

    __slots__ = ("index", "scanned", "trigger")

    def __init__(self, entries: list[_Entry]) -> None:
        self.index: dict[str, list[_Entry]] = {}
        self.scanned: list[_Entry] = []
        for entry in entries:
            heads = entry.heads
            if heads is None:
                self.scanned.append(entry)
                continue
            for head in heads:
                self.index.setdefault(head, []).append(entry)
        for bucket in self.index.values():
            bucket.sort(key=lambda e: e.rank)
        self.trigger = _trie_regex(set(self.index))

    def find(self, text: str) -> dict[str, list[tuple[_Entry, re.Match[str]]]]:
        lowered = _lowered(text)
        candidates: list[tuple[int, int, _Entry, re.Match[str]]] = []
        index = self.index
        for hit in self.trigger.finditer(lowered):
            start = hit.start()
            key = hit.group()
            if not key.isalpha():
                key = _DIGITS.sub(_DIGIT, key)
            for entry in index.get(key, ()):
                if not lowered.startswith(entry.prefix, start):
                    continue
                m = entry.regex.match(text, start)
                if m is not None:
                    candidates.append((start, entry.rank, entry, m))
        for entry in self.scanned:
            candidates.extend((m.start(), entry.rank, entry, m) for m in entry.regex.finditer(text))
        candidates.sort(key=lambda c: (c[0], c[1]))
        found: dict[str, list[tuple[_Entry, re.Match[str]]]] = {}
        last_end: dict[str, int] = {}
        for start, _, entry, m in candidates:
            if start >= last_end.get(entry.group, 0) and m.end() > start:
                found.setdefault(entry.group, []).append((entry, m))
                last_end[entry.group] = m.end()
        return found


@dataclass(slots=True, frozen=True)
class Lexicon:
    """The compiled vocabularies; build it with `load_lexicon`."""

    flag_categories: dict[str, _FlagCategory]
    cue_categories: dict[str, _CueCategory]
    entries: tuple[_Entry, ...]
    matcher: _Matcher


# --- lexicon files ------------------------------------------------------------------------------------------

_ENTRY_LINE = re.compile(r"(?P<category>\S+)\s+(?P<term>.+?)\s+#\s+(?P<why>.+)")
_LITERAL_PREFIX = re.compile(r"[^\s*'\u2019-]*")  # a literal term's plain letters, up to its first special
_SPACE = r"[^\S\n\r]+"  # a space in a term: whitespace that does not cross a line (a line is a sentence end)


def _term_regex(term: str) -> str:
    """The regex of one lexicon term (syntax in data/framing/loaded.txt)."""
    if len(term) > 1 and term.startswith("/") and term.endswith("/"):
        body = term[1:-1]
    else:
        words = []
        for word in term.split():
            parts = []
            for ch in word:
                if ch == "*":
                    parts.append(r"\w*")
                elif ch in "'\u2019":
                    parts.append("['\u2019]")
                elif ch == "-":
                    parts.append(r"[-\u2010\u2011 ]?")
                else:
                    parts.append(re.escape(ch))
            words.append("".join(parts))
        body = _SPACE.join(words)
    return rf"(?<!\w)(?:{body})(?!\w)"


def _read_entries(path: Traversable, categories: dict[str, str]) -> list[tuple[str, str, str, str, str]]:
    """(category, term, why, source, group) of each entry line; `categories` maps category -> group."""
    rows = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        source = f"{path.name}:{number}"
        m = _ENTRY_LINE.fullmatch(stripped)
        if m is None:
            msg = f"{source}: expected '<category> <term>  # <why>', got {stripped!r}"
            raise ValueError(msg)
        if m["category"] not in categories:
            msg = f"{source}: unknown category {m['category']!r} (known: {', '.join(sorted(categories))})"
            raise ValueError(msg)
        rows.append((m["category"], m["term"], m["why"].strip(), source, categories[m["category"]]))
    return rows


def _entries(rows: list[tuple[str, str, str, str, str]]) -> list[_Entry]:
    """Compile each row; rank literal terms first, longest first, then regexes, longest first."""
    order = sorted(range(len(rows)), key=lambda i: (rows[i][1].startswith("/"), -len(rows[i][1]), i))
    rank = {row: r for r, row in enumerate(order)}
    entries = []
    for i, (category, term, why, source, group) in enumerate(rows):
        pattern = _term_regex(term)
        literal = not term.startswith("/")
        heads = _literal_heads(term) if literal else None
        if heads is None:
            try:  # compiled here, where the message can name the line; a literal term is compiled on first use
                _COMPILED[pattern] = re.compile(pattern, re.IGNORECASE)
                heads = _heads(pattern)
            except re.error as exc:
                msg = f"{source}: bad regular expression {term!r}: {exc}"
                raise ValueError(msg) from exc
        prefix = _LITERAL_PREFIX.match(term.lower()).group() if literal else ""  # type: ignore[union-attr]
        entries.append(_Entry(category, term, why, source, group, rank[i], pattern, prefix, heads))
    return entries


def load_lexicon(directory: Path | None = None) -> Lexicon:
    """Read and compile the framing vocabularies.

    Args:
        directory: a folder with `categories.toml`, `loaded.txt` and `cues.txt` (an edited copy of
            `khaldun/data/framing/`); None reads the packaged ones.

    Returns:
        The compiled `Lexicon`, to pass to `frame_text(text, lexicon=...)`.

    Raises:
        ValueError: a line that is not `<category> <term>  # <why>`, an unknown category or a bad regex;
            the message names the file and line.

    Docs: docs/framing.md#editing-the-lexicons
    """
    base: Traversable = (
        Path(directory) if directory is not None else resources.files("khaldun").joinpath(_DATA)
    )
    with base.joinpath("categories.toml").open("rb") as fh:
        table = tomllib.load(fh)
    flag_categories = {
        name: _FlagCategory(
            float(c["weight"]), bool(c.get("unattributed", False)), str(c.get("description", ""))
        )
        for name, c in table.get("flag", {}).items()
    }
    cue_categories = {
        name: _CueCategory(
            str(c["side"]),
            int(c.get("points", 0)),
            str(c.get("where", "anywhere")),
            str(c.get("exempts", "")),
            str(c.get("description", "")),
        )
        for name, c in table.get("cue", {}).items()
    }
    # Cue groups are matched apart from each other, so that the exempt "told us" cancels "us" and still
    # leaves the attribution "told", and "called" can introduce a quotation while "called on" attributes.
    cue_group = {"reporting": "cue", "opinion": "cue", "exempt": "exempt", "rule": "rule"}
    rows = _read_entries(base.joinpath("loaded.txt"), dict.fromkeys(flag_categories, "flag"))
    rows += _read_entries(
        base.joinpath("cues.txt"), {name: cue_group.get(c.side, "cue") for name, c in cue_categories.items()}
    )
    entries = _entries(rows)
    return Lexicon(flag_categories, cue_categories, tuple(entries), _Matcher(entries))


@lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    return load_lexicon()


# --- reading a document -------------------------------------------------------------------------------------

# Quotations: straight and curly double quotes, guillemets, and single quotes that open after a non-word
# character and close before one (so that apostrophes in "US's" or "don't" are not taken for quotes). Found
# by scanning for an opening mark and matching there: one alternation over the whole text was 3 times slower.
_QUOTE_OPEN = re.compile("[\"\u201c\u00ab\u2018']")
_QUOTE_AT = {
    '"': re.compile(r"\"[^\"\n]{1,600}\""),
    "\u201c": re.compile(r"\u201c[^\u201d\n]{1,600}\u201d"),
    "\u00ab": re.compile(r"\u00ab[^\u00bb\n]{1,600}\u00bb"),
    "\u2018": re.compile(r"(?<!\w)\u2018[^\n]{1,200}?\u2019(?!\w)"),
    "'": re.compile(r"(?<!\w)'[^'\n]{1,200}?'(?!\w)"),
}
_WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")
_CLOSERS = "\"'\u201d\u2019\u00bb)]"
_INTRO_GAP = re.compile(r"[^\S\n]*(?:(?:a|an|the|as|of)[^\S\n]+)?[:,]?[^\S\n]*", re.IGNORECASE)


class _Sentences:
    """Sentence offsets with a lookup from a character offset to its sentence."""

    __slots__ = ("ends", "spans", "starts")

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def index(self, pos: int) -> int:
        """The sentence holding `pos`, or -1 (whitespace between sentences)."""
        i = bisect.bisect_right(self.starts, pos) - 1
        return i if i >= 0 and pos < self.ends[i] else -1


class _Quotes:
    __slots__ = ("ends", "starts")

    def __init__(self, text: str) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        end = 0
        for opening in _QUOTE_OPEN.finditer(text):
            start = opening.start()
            if start < end:
                continue
            m = _QUOTE_AT[opening.group()].match(text, start)
            if m is not None:
                self.starts.append(start)
                end = m.end()
                self.ends.append(end)

    def inside(self, start: int, end: int) -> bool:
        """True when `[start, end)` lies within one quotation."""
        i = bisect.bisect_right(self.starts, start) - 1
        return i >= 0 and end <= self.ends[i]


@dataclass(slots=True)
class _Tally:
    """What one sentence has collected: cue category -> matched words (at most CUE_REPEAT_CAP), and flags."""

    cues: dict[str, list[str]]
    flags: list[Flag]


_Found = dict[str, list[tuple[_Entry, re.Match[str]]]]


def _cue_matches(lex: Lexicon, found: _Found, sents: _Sentences, quotes: _Quotes) -> list[_Tally]:
    tallies = [_Tally({}, []) for _ in sents.spans]
    exempt: dict[str, list[tuple[int, int]]] = {}
    for entry, m in found.get("exempt", ()):
        exempt.setdefault(lex.cue_categories[entry.category].exempts, []).append(m.span())
    for entry, m in found.get("cue", ()):
        cat = lex.cue_categories[entry.category]
        start, end = m.span()
        i = sents.index(start)
        if i < 0 or len(tallies[i].cues.get(entry.category, ())) >= CUE_REPEAT_CAP:
            continue
        if cat.where == "start" and start != sents.starts[i]:
            continue
        if cat.where == "outside_quotes" and quotes.inside(start, end):
            continue
        if any(s <= start and end <= e for s, e in exempt.get(entry.category, ())):
            continue
        tallies[i].cues.setdefault(entry.category, []).append(m.group())
    return tallies


def _flag_matches(
    lex: Lexicon, found: _Found, sents: _Sentences, quotes: _Quotes, tallies: list[_Tally]
) -> None:
    for entry, m in found.get("flag", ()):
        start, end = m.start(), m.end()
        i = sents.index(start)
        if i < 0 or quotes.inside(start, end):
            continue
        if lex.flag_categories[entry.category].unattributed and "attribution" in tallies[i].cues:
            continue
        tallies[i].flags.append(Flag(start, end, m.group(), entry.category, entry.why))


def _scare_quotes(
    text: str, found: _Found, sents: _Sentences, quotes: _Quotes, tallies: list[_Tally]
) -> None:
    intro_ends = [m.end() for _, m in found.get("rule", ())]
    quoted_with_source = set()  # a phrase the document quotes from a source elsewhere is a quotation here too
    for q_start, q_end in zip(quotes.starts, quotes.ends, strict=True):
        i = sents.index(q_start)
        if i >= 0 and "attribution" in tallies[i].cues:
            quoted_with_source.add(_phrase(text[q_start + 1 : q_end - 1]))
    for q_start, q_end in zip(quotes.starts, quotes.ends, strict=True):
        i = sents.index(q_start)
        if i < 0 or "attribution" in tallies[i].cues:
            continue
        if q_start == sents.starts[i] and q_end >= sents.ends[i] - 1:
            continue  # the whole sentence is a quotation
        words = _WORD.findall(text, q_start + 1, q_end - 1)
        if not 1 <= len(words) <= SCARE_MAX_WORDS:
            continue
        if all(w[0].isupper() or w[0].isdigit() for w in words):
            continue  # a name or title: "Second Balanced Deterrence Operation"
        if _phrase(text[q_start + 1 : q_end - 1]) in quoted_with_source:
            continue  # a headline's "de-escalation zones" that the story quotes from a source
        j = bisect.bisect_right(intro_ends, q_start) - 1
        if j >= 0 and _INTRO_GAP.fullmatch(text, intro_ends[j], q_start):
            continue  # introduced as a name or term: what they called "a market massacre"
        before = text[sents.starts[i] : q_start].rstrip()
        if before.endswith(":"):
            continue  # a quotation after a colon
        why = "a short phrase in quotation marks, with no source quoted in the sentence"
        tallies[i].flags.append(Flag(q_start, q_end, text[q_start:q_end], "scare_quotes", why))


def _phrase(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").split())


def _ends_with(text: str, start: int, end: int, mark: str, quotes: _Quotes) -> bool:
    """True when the sentence `text[start:end]` ends with `mark`, outside a quotation."""
    stripped = text[start:end].rstrip(_CLOSERS)
    pos = start + len(stripped) - 1
    return stripped.endswith(mark) and not quotes.inside(pos, pos + 1)


def _classify(text: str, lex: Lexicon, span: tuple[int, int], tally: _Tally, quotes: _Quotes) -> Sentence:
    start, end = span
    points = {"reporting": 0, "opinion": 0}
    reasons: list[str] = []
    for category, words in tally.cues.items():
        cat = lex.cue_categories[category]
        points[cat.side] += cat.points * len(words)
        reasons.extend(f"{category} {w!r}" for w in words)
    rules = lex.cue_categories
    if "attribution" not in tally.cues and _ends_with(text, start, end, "?", quotes) and "question" in rules:
        points["opinion"] += rules["question"].points
        reasons.append("question")
    if _ends_with(text, start, end, "!", quotes) and "exclamation" in rules:
        points["opinion"] += rules["exclamation"].points
        reasons.append("exclamation")
    if tally.flags and "flag" in rules:
        weight = sum(lex.flag_categories[f.category].weight for f in tally.flags)
        points["opinion"] += round(rules["flag"].points * weight)
        reasons.extend(f"{f.category} {f.text!r}" for f in tally.flags)
    opinion, reporting = points["opinion"], points["reporting"]
    kind: Kind = "opinion" if opinion >= OPINION_MIN_POINTS and opinion > reporting else "reporting"
    why = f"opinion {opinion} vs reporting {reporting}: " + ("; ".join(reasons) if reasons else "no cue")
    return Sentence(start, end, kind, why)


def _score(text: str, flags: list[Flag], lex: Lexicon) -> tuple[float, int]:
    n_words = len(text.split())
    weighted = sum(lex.flag_categories[f.category].weight for f in flags)
    density = 100.0 * weighted / max(n_words, MIN_WORDS)
    return round(1.0 - math.exp(-density / SCORE_SCALE), 4), n_words


def frame_text(text: str, *, lexicon: Lexicon | None = None) -> dict[str, Any]:
    """Find the loaded language and the opinion sentences of one article text.

    Args:
        text: the article text (one paragraph a line, site chrome removed).
        lexicon: vocabularies from `load_lexicon`; None uses the packaged ones.

    Returns:
        A JSON-serialisable dict: `loaded_score` (0..1: 1 - exp(-density / SCORE_SCALE), where density is
        100 * the sum of the flags' category weights / max(words, MIN_WORDS)), `flags` (`start`, `end`,
        `text`, `category`, `why`; `text[start:end] == text`), `sentences` (`start`, `end`, `kind`
        "reporting" or "opinion", `why`), `n_reporting`, `n_opinion` and `n_words`.

    Docs: docs/framing.md
    """
    lex = lexicon if lexicon is not None else _default_lexicon()
    sents = _Sentences(split_sentences(text))
    quotes = _Quotes(text)
    found = lex.matcher.find(text)
    tallies = _cue_matches(lex, found, sents, quotes)
    _flag_matches(lex, found, sents, quotes, tallies)
    if "scare_quotes" in lex.flag_categories:
        _scare_quotes(text, found, sents, quotes, tallies)
    sentences = [
        _classify(text, lex, span, tally, quotes) for span, tally in zip(sents.spans, tallies, strict=True)
    ]
    flags = sorted((f for t in tallies for f in t.flags), key=lambda f: (f.start, f.end))
    score, n_words = _score(text, flags, lex)
    n_opinion = sum(1 for s in sentences if s.kind == "opinion")
    return {
        "loaded_score": score,
        "flags": [
            {"start": f.start, "end": f.end, "text": f.text, "category": f.category, "why": f.why}
            for f in flags
        ],
        "sentences": [{"start": s.start, "end": s.end, "kind": s.kind, "why": s.why} for s in sentences],
        "n_reporting": len(sentences) - n_opinion,
        "n_opinion": n_opinion,
        "n_words": n_words,
    }


# --- outlets ------------------------------------------------------------------------------------------------


def outlet_profile(framings: list[dict[str, Any]]) -> dict[str, Any]:
    """Aggregate the `frame_text` results of one outlet's documents.

    Args:
        framings: `frame_text` results (or stored `Document.framing` dicts) of the outlet's documents.

    Returns:
        A JSON-serialisable dict: `n_docs`; `mean_loaded_score` and `max_loaded_score`; `opinion_share`
        (opinion sentences / all sentences, over all documents); `n_sentences`; `flags_per_doc`;
        `category_counts` (category -> number of flags); `top_terms` (category -> up to `TOP_TERMS`
        `{"term", "count"}`, most frequent first, terms lower-cased).

    Docs: docs/framing.md#outlet-profiles
    """
    n_docs = len(framings)
    scores = [float(f.get("loaded_score", 0.0)) for f in framings]
    n_opinion = sum(int(f.get("n_opinion", 0)) for f in framings)
    n_sentences = n_opinion + sum(int(f.get("n_reporting", 0)) for f in framings)
    terms: dict[str, Counter[str]] = {}
    for framing in framings:
        for flag in framing.get("flags", []):
            terms.setdefault(flag["category"], Counter())[_phrase(flag["text"])] += 1
    n_flags = sum(sum(c.values()) for c in terms.values())
    return {
        "n_docs": n_docs,
        "mean_loaded_score": round(sum(scores) / n_docs, 4) if n_docs else 0.0,
        "max_loaded_score": max(scores, default=0.0),
        "opinion_share": round(n_opinion / n_sentences, 4) if n_sentences else 0.0,
        "n_sentences": n_sentences,
        "flags_per_doc": round(n_flags / n_docs, 4) if n_docs else 0.0,
        "category_counts": {cat: sum(c.values()) for cat, c in sorted(terms.items())},
        "top_terms": {
            cat: [
                {"term": t, "count": n}
                for t, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TERMS]
            ]
            for cat, c in sorted(terms.items())
        },
    }
