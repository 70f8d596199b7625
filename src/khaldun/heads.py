"""Many regexes, one scan: index patterns by how their matches begin.

One big alternation of a few hundred patterns costs Python's regex engine 10-40 ms on a news article, because
it tries every branch at every offset. Instead each pattern is indexed by the first `KEY_LEN` lower-cased
characters that a match of it can start with (its "heads", worked out from the parsed regex): one scan with a
character trie of all heads (`trie_regex`) finds the offsets worth trying, and only the patterns under that
head are tried there. A pattern whose heads cannot be worked out (it starts with \\d, \\w, a wide class ...)
is scanned on its own. The framing lexicon (`framing._Matcher`) and the coder's cue filter (`PatternIndex`)
both work this way.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib
import logging
import marshal
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

KEY_LEN = 3
DIGIT = "0"  # how a key spells "any digit"
DIGITS = re.compile(r"\d")
MAX_WALK = 64  # steps through a parsed regex before giving up on its heads
try:
    _SRE_PARSER: Any = importlib.import_module("re._parser")  # Python 3.11+; only used to index patterns
except ImportError:  # pragma: no cover - a later Python may move it; every pattern is then scanned on its own
    _SRE_PARSER = None


def _is_space_class(items: list[Any]) -> bool:
    """True for `\\s` and for `[^\\S\\n]`-like classes: whitespace only, so the first word has ended."""
    names = [(str(o), str(a)) for o, a in items]
    if names == [("CATEGORY", "CATEGORY_SPACE")]:
        return True
    return bool(names) and names[0][0] == "NEGATE" and ("CATEGORY", "CATEGORY_NOT_SPACE") in names


def _walk(seq: list[Any], prefix: str, out: set[str], steps: list[int]) -> bool:
    """Add to `out` the heads of the parsed-regex items `seq` after `prefix`; False when they are unknowable."""
    steps[0] += 1
    if steps[0] > MAX_WALK:
        return False
    if len(prefix) >= KEY_LEN:
        out.add(prefix[:KEY_LEN])
        return True
    if not seq:
        out.add(prefix)
        return bool(prefix)
    (op, av), rest = seq[0], seq[1:]
    name = str(op)
    if name in {"AT", "ASSERT", "ASSERT_NOT"}:  # zero-width
        return _walk(rest, prefix, out, steps)
    if name == "SUBPATTERN":
        return _walk(list(av[-1].data) + rest, prefix, out, steps)
    if name == "BRANCH":
        return all(_walk(list(alt.data) + rest, prefix, out, steps) for alt in av[1])
    if name in {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}:
        low, high, sub = av
        ok = low > 0 or _walk(rest, prefix, out, steps)
        again = [(op, (max(low - 1, 0), high - 1, sub))] if high > 1 else []
        return ok and (high < 1 or _walk(list(sub.data) + again + rest, prefix, out, steps))
    if name == "LITERAL":
        chars = [chr(av)]
    elif name == "IN" and _is_space_class(av):
        chars = [" "]
    elif name == "IN" and [(str(o), str(a)) for o, a in av] == [("CATEGORY", "CATEGORY_DIGIT")]:
        chars = [DIGIT]  # any digit: keys spell digits as "0"
    elif name == "IN" and all(str(o) == "LITERAL" for o, _ in av):
        chars = [chr(a) for _, a in av]
    else:
        return False
    for char in chars:
        low_char = char.lower()
        if low_char.isalnum() or low_char == "_":
            if not _walk(rest, prefix + low_char, out, steps):
                return False
        elif prefix:  # a non-word character ends the first word: the head is the whole (short) word
            out.add(prefix)
        else:
            return False
    return True


def heads(body: str, *, max_walk: int = MAX_WALK) -> frozenset[str] | None:
    """The lower-cased first `KEY_LEN` characters (or the whole first word, when shorter) of every match of
    the regex `body`, or None when they cannot be worked out (in `max_walk` steps)."""
    if _SRE_PARSER is None:
        return None
    memo = _memo()
    key = (body, max_walk)
    if key in memo:
        return memo[key]
    out: set[str] = set()
    ok = _walk(list(_SRE_PARSER.parse(body, re.IGNORECASE).data), "", out, [MAX_WALK - max_walk])
    found = memo[key] = frozenset(out) if ok and out else None
    _state["dirty"] = True
    return found


# Working out the heads parses every pattern a second time (re.compile parsed it once): about 60 ms of each
# process's start-up for the coder's, the tolls' and the framing lexicon's patterns. The answers are kept
# in the cache folder (beside the gazetteer index), keyed by this module's source and the Python version.
MEMO_MAX = 20_000  # entries kept on disk; past that the memo starts over (edited patterns leave old entries)
_state: dict[str, Any] = {"memo": None, "dirty": False, "path": None}
log = logging.getLogger(__name__)


def _memo_path() -> Path:
    from .gazetteer import cache_dir

    digest = hashlib.sha256(Path(__file__).read_bytes() + sys.version.encode()).hexdigest()[:12]
    return cache_dir() / f"heads-{digest}.marshal"


def _memo() -> dict[tuple[str, int], frozenset[str] | None]:
    memo = _state["memo"]
    if memo is None:
        memo = {}
        try:
            path = _state["path"] = _memo_path()
            loaded = marshal.loads(path.read_bytes()) if path.is_file() else {}
            if isinstance(loaded, dict):
                memo = loaded
        except (OSError, ValueError, EOFError, TypeError) as exc:  # unreadable: work them out again
            log.debug("heads memo unreadable: %s", exc)
        _state["memo"] = memo
        atexit.register(save_memo)
    return memo


def save_memo() -> None:
    """Write the heads worked out since the memo was read (atomically; a read-only cache is not an error)."""
    memo, path = _state["memo"], _state["path"]
    if not _state["dirty"] or memo is None or path is None:
        return
    _state["dirty"] = False
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".heads-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(marshal.dumps(memo if len(memo) <= MEMO_MAX else {}))
        os.replace(tmp, path)
        tmp = None
        from .gazetteer import prune_other_indexes

        prune_other_indexes(path)
    except OSError as exc:
        log.debug("heads memo not written: %s", exc)
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)  # a full disk leaves no half-written file behind


_PLAIN_WORD = re.compile(r"[^\W\d_]+")


def literal_heads(term: str) -> frozenset[str] | None:
    """`heads` of a literal term's regex, read off the term when it starts with a plain word (most do);
    None when the regex must be parsed."""
    low = term.lower()
    word = _PLAIN_WORD.match(low)
    if word is None:
        return None
    w = word.group()
    if len(w) >= KEY_LEN:
        return frozenset({w[:KEY_LEN]})
    if word.end() == len(low) or low[word.end()] == " ":
        return frozenset({w})  # a short first word ends at a space (or the term): the head is the word
    return None


def trie_regex(keys: set[str]) -> re.Pattern[str]:
    """A regex that matches, at a word start, any key as a prefix; a key shorter than `KEY_LEN` only as a
    whole word. Written as a character trie so that the engine tries few branches at each offset."""
    root: dict[str, Any] = {}
    for key in keys:
        node = root
        for char in key:
            node = node.setdefault(char, {})
        node[""] = len(key) < KEY_LEN

    def render(node: dict[str, Any]) -> str:
        alternatives = [
            (r"\d" if c == DIGIT else re.escape(c)) + render(child) for c, child in sorted(node.items()) if c
        ]
        if node.get(""):
            alternatives.append(r"(?!\w)")
        if not alternatives:
            return ""
        return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"

    return re.compile(r"\b" + render(root) if root else r"(?!x)x")


def lowered(text: str) -> str:
    """`text.lower()` with the offsets of `text` (a character whose lower case is longer, "İ", stays)."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low


def index_by_heads(bodies: list[str], *, max_walk: int = MAX_WALK) -> tuple[dict[str, list[int]], list[int]]:
    """(head -> positions in `bodies` of the patterns that can start with it, positions of the patterns whose
    heads cannot be worked out)."""
    by_head: dict[str, list[int]] = {}
    unknown: list[int] = []
    for i, body in enumerate(bodies):
        hs = heads(body, max_walk=max_walk)
        if hs is None:
            unknown.append(i)
            continue
        for h in hs:
            by_head.setdefault(h, []).append(i)
    return by_head, unknown


class PatternIndex:
    """Where any of `patterns` matches as a whole word-ish token: the starts and ends that one alternation
    `(?<![\\w-])(?:p1|p2|...)(?![\\w-])` (case-insensitive) finds at some offset, from one trie scan of the heads
    and a match of the head's own patterns at each hit. On the coder's 300 cue patterns this is five times
    faster than the alternation, which searched every sentence of every page."""

    __slots__ = ("_by_head", "_compiled", "_scanned", "trigger")

    def __init__(self, patterns: list[str]) -> None:
        index, unknown = index_by_heads(patterns)
        by_head = {h: [patterns[i] for i in ids] for h, ids in index.items()}
        scanned = [patterns[i] for i in unknown]
        self._by_head = by_head
        self._compiled: dict[str, re.Pattern[str]] = {}
        self._scanned = re.compile(rf"(?<![\w-])(?:{'|'.join(scanned)})(?![\w-])", re.IGNORECASE) if scanned else None
        self.trigger = trie_regex(set(by_head))

    def _under(self, head: str) -> re.Pattern[str]:
        rx = self._compiled.get(head)
        if rx is None:  # compiled on first use: a run meets part of the heads
            rx = self._compiled[head] = re.compile(rf"(?:{'|'.join(self._by_head[head])})(?![\w-])", re.IGNORECASE)
        return rx

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of a match at every offset where one starts, in text order."""
        out: list[tuple[int, int]] = []
        for hit in self.trigger.finditer(lowered(text)):
            start = hit.start()
            if start and (text[start - 1].isalnum() or text[start - 1] in "_-"):
                continue  # the (?<![\w-]) of the alternation: "re-shelled", "anti-aircraft" are not cues here
            key = hit.group()
            if not key.isalpha():
                key = DIGITS.sub(DIGIT, key)
            m = self._under(key).match(text, start) if key in self._by_head else None
            if m is not None:
                out.append((start, m.end()))
        if self._scanned is not None:
            out.extend(m.span() for m in self._scanned.finditer(text))
            out.sort()
        return out


class PatternSet:
    """The matches of several compiled patterns, each list the same as the pattern's own `finditer` gives,
    from one trie scan of all their heads and a `match` of a pattern only where one of its heads starts. The
    toll patterns share long alternations of number words and victims that `finditer` tried at every offset
    of every sentence. A pattern whose heads cannot be worked out is run with `finditer`."""

    __slots__ = ("_by_head", "_scanned", "patterns", "trigger")
    MAX_WALK = 5_000  # patterns built of long alternations have many heads

    def __init__(self, patterns: list[re.Pattern[str]]) -> None:
        self.patterns = patterns
        by_head, unknown = index_by_heads([p.pattern for p in patterns], max_walk=self.MAX_WALK)
        self._by_head = by_head
        self._scanned = set(unknown)
        self.trigger = trie_regex(set(by_head))

    def finditer_each(self, text: str) -> list[list[re.Match[str]]]:
        starts: list[list[int]] = [[] for _ in self.patterns]
        by_head = self._by_head
        for hit in self.trigger.finditer(lowered(text)):
            key = hit.group()
            if not key.isalpha():
                key = DIGITS.sub(DIGIT, key)
            for i in by_head.get(key, ()):
                starts[i].append(hit.start())
        out: list[list[re.Match[str]]] = []
        for i, p in enumerate(self.patterns):
            if i in self._scanned:
                out.append(list(p.finditer(text)))
                continue
            found: list[re.Match[str]] = []
            resume = 0  # finditer goes on from the end of its last match
            for pos in starts[i]:
                if pos < resume:
                    continue
                m = p.match(text, pos)
                if m is not None:
                    found.append(m)
                    resume = m.end() if m.end() > pos else pos + 1
            out.append(found)
        return out
