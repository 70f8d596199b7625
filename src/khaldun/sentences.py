"""Split article text into sentences, as character offsets.

`split_sentences(text)` returns `(start, end)` pairs with `text[start:end]` stripped of surrounding whitespace.
It is a rule splitter, one regex pass plus a look at the word before each candidate boundary, because every
stage that reads sentences (events, framing) runs it on every document and it must stay well under a
millisecond for a 5,000-character article (`tests/test_sentences.py` times it).

Rules, in the order they are applied:

1. A newline always ends a sentence: copy-pasted pages and extracted article text keep one paragraph a line,
   and a headline or dateline line has no final full stop.
2. Inside a line, a candidate boundary is `.`, `!`, `?` or `…` (possibly repeated), then any closing quotes or
   brackets, then spaces, then a character that is not a lower-case letter ("said so." he added -> one
   sentence; "Why?" she asked -> one sentence).
3. A `.` candidate is refused when the word before it is
   a. a title or other abbreviation that always takes a following word (`Mr.`, `Dr.`, `Col.`, `Gen.`, `St.`);
   b. an abbreviation that takes a number (`No. 3`, `Feb. 16`, `Art. 5`) and a digit follows;
   c. a single capital letter, an initial (`George W. Bush`, `J. K. Rowling`);
   d. a dotted acronym or abbreviation that may also end a sentence (`U.S.`, `a.m.`, `p.m.`, `U.N.`, `Inc.`),
      unless the next word is a common sentence opener (`The`, `He`, `It`, `Police` ...).
   Decimals ("3.5 km") and dotted numbers never match rule 2, because no space follows the point.
"""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

# One scan finds every place a sentence may end: a newline (rule 1), or terminal punctuation with what follows
# it, closing quotes and brackets and whitespace (rule 2). The scan starts with a bare character class so the
# regex engine can skip ahead fast; an alternation or a leading `+` made it 2-3 times slower.
_CANDIDATE = re.compile(r"[.!?\u2026\n\r][.!?\u2026\"'\u201d\u2019\u00bb)\]]*[ \t\u00a0\n\r]*")
_OPENERS = "\"'\u201c\u2018\u00ab(["
_WORD_LEAD = "\"'\u201c\u2018\u00ab([-"
_SPACES = " \t\u00a0"
_WORD_AFTER = re.compile(r"[\w'\u2019-]+")
_MAX_WORD = 24  # longest word looked at before a full stop
_MAX_ACRONYM = 8  # "u.s.a", "a.m", "d.c", "ph.d": dotted letters ...
_MAX_ACRONYM_PART = 2  # ... each piece one or two letters long

# fmt: off
# Rule 3a: abbreviations that always take a following word (titles, ranks, "St." for Saint/Street).
_ALWAYS_ABBREV = frozenset((
    "mr", "mrs", "ms", "mssrs", "messrs", "dr", "prof", "rev", "fr", "sr", "sra", "srta", "st", "mt",
    "ft", "gov", "govt", "sen", "rep", "pres", "amb", "col", "lt", "gen", "maj", "capt", "cpt", "sgt",
    "cpl", "pvt", "adm", "cmdr", "cdr", "brig", "lieut", "supt", "insp", "cmdt", "vs", "v", "cf", "viz",
    "approx", "est", "dept", "univ", "assn", "bros", "e.g", "i.e",
))
# Rule 3b: abbreviations that take a number ("No. 3", "Feb. 16", "Art. 5", "pp. 4").
_NUMBER_ABBREV = frozenset((
    "no", "nos", "vol", "vols", "art", "arts", "fig", "figs", "p", "pp", "para", "ch", "sec", "op",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
))
# Rule 3d: abbreviations that may also end a sentence; a boundary only before a common sentence opener.
_AMBIGUOUS_ABBREV = frozenset((
    "a.m", "p.m", "u.s", "u.k", "u.n", "u.s.a", "e.u", "u.a.e", "d.c", "etc", "inc", "ltd", "co",
    "corp", "jr",
))
_SENTENCE_OPENERS = frozenset((
    "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "this", "that", "these", "those",
    "there", "his", "her", "its", "their", "our", "my", "in", "on", "at", "after", "before", "but",
    "and", "or", "so", "yet", "however", "meanwhile", "earlier", "later", "also", "then", "when",
    "while", "police", "officials", "witnesses", "residents", "no", "one", "some", "many", "most",
    "all", "both", "several",
))
# fmt: on


def _refuse_full_stop(text: str, stop: int, after: int) -> bool:
    """True when the full stop at `stop` is part of an abbreviation or initial (rule 3)."""
    begin = stop
    while begin > 0 and stop - begin < _MAX_WORD and not text[begin - 1].isspace():
        begin -= 1
    raw = text[begin:stop].lstrip(_WORD_LEAD)
    if not raw:
        return False
    word = raw.lower()
    if word in _ALWAYS_ABBREV:
        return True
    if word in _NUMBER_ABBREV and after < len(text) and text[after].isdigit():
        return True
    if len(raw) == 1 and raw.isupper():  # an initial
        return True
    if word in _AMBIGUOUS_ABBREV or (
        "." in word
        and len(word) <= _MAX_ACRONYM
        and all(len(p) <= _MAX_ACRONYM_PART for p in word.split("."))
    ):
        next_word = _WORD_AFTER.match(text, after)
        return next_word is None or next_word.group().lower() not in _SENTENCE_OPENERS
    return False


def _append_stripped(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        start += len(piece) - len(piece.lstrip())
        out.append((start, start + len(stripped)))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split `text` into sentences.

    Args:
        text: article text, one paragraph a line.

    Returns:
        `(start, end)` character offsets, in order, not overlapping; `text[start:end]` has no leading or
        trailing whitespace and is never empty. Closing quotes and brackets after the final punctuation stay
        with their sentence.

    Docs: docs/framing.md#sentences
    """
    out: list[tuple[int, int]] = []
    n = len(text)
    sent_start = 0
    for m in _CANDIDATE.finditer(text):
        pos = m.start()
        if text[pos] in "\n\r":  # rule 1 (the match may run on over ".\n": every newline in it ends one)
            for q in range(pos, m.end()):
                if text[q] in "\n\r":
                    _append_stripped(text, sent_start, q, out)
                    sent_start = q + 1
            continue
        after = m.end()
        if "\n" in m.group() or "\r" in m.group():  # punctuation at the end of a line
            _append_stripped(text, sent_start, after, out)
            sent_start = after
            continue
        if text[after - 1] not in _SPACES:
            continue  # no space after the point: a decimal, "U.S.-led", "e.g.,"
        nxt = after
        while nxt < n and text[nxt] in _OPENERS:
            nxt += 1
        if nxt >= n or text[nxt].islower():
            continue
        if text[pos] == "." and _refuse_full_stop(text, pos, nxt):
            continue
        _append_stripped(text, sent_start, after, out)
        sent_start = after
    _append_stripped(text, sent_start, n, out)
    return out
