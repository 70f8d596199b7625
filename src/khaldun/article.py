"""Document -> article text, title, outlet and publication date.

HTML goes through trafilatura (main-content extraction); plain text keeps its lines. Both then pass the
chrome-line filter (`data/chrome_patterns.txt`), because copy-pasted pages and some extractions keep menus,
share rows, newsletter boxes, consent banners and donation appeals.

The publication date is taken from the first rung of this cascade that gives one, and the rung is recorded
in `Document.published_source`:
  1. the input record (`published` of a JSONL line or feed item),
  2. `<meta property="article:published_time">` and its kin (`og:`, `datePublished`, `pubdate`, `date`),
  3. a `<time datetime>` element,
  4. JSON-LD `datePublished`,
  5. a visible dateline near the top of the text ("Posted on July 23, 2019", "16.03.2022 21:48"),
  6. `--published` from the command line,
  7. trafilatura's own date search (htmldate) on HTML pages.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from collections import Counter
from functools import lru_cache
from importlib import resources

from .dates import find_dateline, parse_date
from .errors import ExtractionError
from .records import Document

# trafilatura without its readability and jusText fallbacks: on the 181-page article-extraction benchmark
# khaldun's article text scores shingle F1 0.952 with it and 0.948 without, in 15 % less time
# (bench/bench_extraction.py)
FAST_EXTRACTION = True
MIN_LINE_KEEP_CHARS = 250  # a line this long is body text even if it matches a chrome pattern


def _unanchored_core(pat: str) -> str | None:
    """`X` for a pattern `.*X.*` with no top-level `|`: on one line, fullmatch(".*X.*") is search("X"),
    which does not backtrack over the line for every leading `.*` (the filter's main cost)."""
    if not (pat.startswith(".*") and pat.endswith(".*") and not pat.endswith("\\.*")):
        return None
    depth, esc, cls = 0, False, False
    for ch in pat:
        if esc:
            esc = False
        elif ch == "\\":
            esc = True
        elif cls:
            cls = ch != "]"
        elif ch == "[":
            cls = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return None
    return pat[2:-2]


@lru_cache(maxsize=1)
def chrome_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(whole-line patterns to fullmatch, `.*X.*` patterns as X to search)."""
    lines = resources.files("khaldun").joinpath("data/chrome_patterns.txt").read_text("utf-8").splitlines()
    pats = [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    cores = [_unanchored_core(p) for p in pats]
    whole = [p for p, c in zip(pats, cores) if c is None]
    inner = [c for c in cores if c is not None]
    return (re.compile("|".join(f"(?:{p})" for p in whole), re.I),
            re.compile("|".join(f"(?:{c})" for c in inner) or "(?!)", re.I))


def is_chrome(line: str) -> bool:
    s = line.strip()
    if not s or len(s) >= MIN_LINE_KEEP_CHARS:
        return False
    whole, inner = chrome_patterns()
    # `.` stops at a line break, so the `.*X.*` patterns cannot fullmatch text that spans lines
    return whole.fullmatch(s) is not None or ("\n" not in s and inner.search(s) is not None)


BODY_MIN_WORDS = 12  # a line this long that ends a sentence is article body (devset: no chrome line is)
SHORT_LINE_WORDS = 8  # below the last body paragraph, shorter lines are link lists and footers
_BLANKS = re.compile(r"[ \t\u00a0]+")
_SENTENCE_END = re.compile(r"[.!?…:;]['\"”’)\]]*$")


def _is_body(line: str) -> bool:
    n = len(line.split())
    return (n >= BODY_MIN_WORDS and bool(_SENTENCE_END.search(line))) or n >= 2 * BODY_MIN_WORDS


def _is_dateline(line: str) -> bool:
    from .dates import parse_date

    return len(line) < 60 and parse_date(line) is not None and len(line.split()) <= 8


def strip_chrome(text: str) -> str:
    """Drop chrome lines and collapse blank runs; paragraphs stay separated by a blank line.

    1. every line matching a chrome pattern goes;
    2. above the first body paragraph only the headline (the longest remaining line) stays: mastheads,
       section names, bylines and date lines go;
    3. below the last body paragraph, short lines (link lists, share rows, footers) go.
    Headings between body paragraphs stay: a roundup's "DHI QAR - Nasiriyah" says where the next
    paragraph happened."""
    lines = [ln.strip() for ln in _BLANKS.sub(" ", text).splitlines()]
    keep = [bool(ln) and not is_chrome(ln) and not _is_social(ln) for ln in lines]
    body = [i for i, ln in enumerate(lines) if keep[i] and _is_body(ln)]
    if body:
        first, last = body[0], body[-1]
        top = [i for i in range(first) if keep[i] and not _is_dateline(lines[i]) and len(lines[i].split()) >= 4]
        title = max(top, key=lambda i: len(lines[i])) if top else None
        for i in range(first):
            keep[i] = keep[i] and i == title
        for i in range(last + 1, len(lines)):
            keep[i] = keep[i] and _is_body(lines[i]) and len(lines[i].split()) > SHORT_LINE_WORDS
    out: list[str] = []
    for i, ln in enumerate(lines):
        if not ln:
            if out and out[-1] != "":
                out.append("")
        elif keep[i]:
            out.append(ln)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


_SOCIAL = re.compile(r"(?:facebook|twitter|x|whatsapp|telegram|linkedin|reddit|email|print|pinterest|vk|copy link)"
                     r"(?:\s*[|·•,]?\s*(?:facebook|twitter|x|whatsapp|telegram|linkedin|reddit|email|print|pinterest|vk|copy link))*",
                     re.I)


def _is_social(line: str) -> bool:
    return _SOCIAL.fullmatch(line) is not None


_META_DATE = re.compile(
    r"""<meta\s+[^>]*(?:property|name|itemprop)=["'](?:article:published_time|og:published_time|"""
    r"""datePublished|pubdate|publishdate|date|dc\.date|dcterms\.date|sailthru\.date|article\.published)["']"""
    r"""[^>]*>""",
    re.I,
)
_CONTENT = re.compile(r"""content=["']([^"']+)["']""", re.I)
_TIME = re.compile(r"""<time[^>]*\bdatetime=["']([^"']+)["']""", re.I)
_JSONLD = re.compile(r"""<script[^>]*application/ld\+json[^>]*>(.*?)</script>""", re.I | re.S)
_SITE = re.compile(r"""<meta\s+[^>]*property=["']og:site_name["'][^>]*>""", re.I)
_TITLE_OG = re.compile(r"""<meta\s+[^>]*property=["']og:title["'][^>]*>""", re.I)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.I | re.S)


def _jsonld_dates(html: str) -> str | None:
    for block in _JSONLD.findall(html):
        try:
            data = json.loads(block)
        except json.JSONDecodeError:
            m = re.search(r'"datePublished"\s*:\s*"([^"]+)"', block)
            if m:
                return m.group(1)
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                if isinstance(item.get("datePublished"), str):
                    return item["datePublished"]
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    return None


def _jsonld_field(html: str, key: str) -> str | None:
    m = re.search(rf'"{key}"\s*:\s*(?:\{{[^}}]*?"name"\s*:\s*)?"([^"]+)"', " ".join(_JSONLD.findall(html)))
    return m.group(1) if m else None


def html_published(html: str) -> tuple[str | None, str]:
    """Rungs 2-4 of the cascade: (ISO date, rung name)."""
    for m in _META_DATE.finditer(html):
        c = _CONTENT.search(m.group(0))
        d = parse_date(c.group(1)) if c else None
        if d:
            return d.isoformat(), "meta"
    for m in _TIME.finditer(html):
        d = parse_date(m.group(1))
        if d:
            return d.isoformat(), "time"
    s = _jsonld_dates(html)
    d = parse_date(s) if s else None
    if d:
        return d.isoformat(), "json-ld"
    return None, ""


def _meta_content(rx: re.Pattern[str], html: str) -> str:
    m = rx.search(html)
    if m:
        c = _CONTENT.search(m.group(0))
        if c:
            return htmllib.unescape(c.group(1)).strip()
    return ""


def html_title(html: str) -> str:
    t = _meta_content(_TITLE_OG, html)
    if not t:
        m = _H1.search(html) or _TITLE.search(html)
        t = htmllib.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip() if m else ""
    return re.sub(r"\s+", " ", t)


def html_site_name(html: str) -> str:
    return _meta_content(_SITE, html) or (_jsonld_field(html, "publisher") or "")


_OUTLET_LINES = [
    re.compile(r"GDPR rules by the EU:\s*(?P<o>.+?)\s+will use", re.I),
    re.compile(r"^Posted on .+? by (?P<o>[A-Z][\w .&'-]{2,40})$", re.I | re.M),
    re.compile(r"(?:©|\(c\)|copyright)\s*(?:(?:19|20)\d\d\s*)?(?:[-–]\s*(?:19|20)\d\d\s*)?(?P<o>[A-Z][\w .&'-]{2,40}?)[.,]?\s*(?:All rights reserved|Reproduction|Content licensed|$)", re.I | re.M),
]


def outlet_from_text(text: str) -> str:
    for rx in _OUTLET_LINES:
        m = rx.search(text)
        if m:
            return m.group("o").strip(" .")
    return ""


_SUFFIX = re.compile(r"^.{10,}?\s+[|–—-]\s+(?P<o>[^|–—-]{3,40})$")


def _title_suffix(html: str) -> str:
    """"Strikes on Idlib kill dozens | Meridian Wire" -> "Meridian Wire"."""
    m = _TITLE.search(html)
    t = htmllib.unescape(re.sub(r"\s+", " ", m.group(1))).strip() if m else ""
    s = _SUFFIX.match(t)
    return s.group("o").strip() if s else ""


def _masthead(raw: str, title: str) -> str:
    """A pasted page often starts with the site's name, a short line above the headline."""
    for line in raw.splitlines()[:6]:
        s = re.split(r"\s+[—–|-]\s+", line.strip())[0].strip()
        if s == title or not s:
            continue
        if 2 <= len(s) <= 45 and len(s.split()) <= 6 and not is_chrome(s) and not s.endswith("."):
            return s
        break
    return ""


def _text_title(lines: list[str]) -> str:
    for line in lines[:8]:
        s = line.strip()
        if 15 <= len(s) <= 160 and not s.endswith(".") and not is_chrome(s):
            return s
    return ""


def extract(doc: Document, *, default_published: str | None = None) -> Document:
    """Fill `text`, `title`, `outlet`, `published` and `published_source` from `raw`."""
    raw = doc.raw
    if doc.content_type == "html":
        import trafilatura

        body = trafilatura.extract(raw, include_comments=False, include_tables=False, favor_precision=False,
                                   deduplicate=False, with_metadata=False, fast=FAST_EXTRACTION)
        if not body:
            # a page trafilatura finds no article in: fall back to its visible paragraphs
            paras = re.findall(r"<p[^>]*>(.*?)</p>", raw, re.I | re.S)
            body = "\n".join(htmllib.unescape(re.sub(r"<[^>]+>", "", p)) for p in paras)
        text = strip_chrome(body)
        doc.title = doc.title or html_title(raw)
        visible: list[str] = []  # the page's visible lines, made once and only for the fallbacks below
        doc.outlet = doc.outlet or html_site_name(raw) or _title_suffix(raw) or outlet_from_text(
            "\n".join(visible or _visible_lines(raw, visible)))
        if not doc.published:
            doc.published, doc.published_source = html_published(raw)
            if not doc.published:
                # the visible dateline may sit outside the extracted body (e.g. under the headline)
                top = strip_chrome("\n".join(visible or _visible_lines(raw, visible)))
                d = find_dateline(top, max_lines=40)
                if d:
                    doc.published, doc.published_source = d.isoformat(), "dateline"
    else:
        text = strip_chrome(raw)
        lines = text.splitlines()
        doc.title = doc.title or _text_title(lines)
        doc.outlet = doc.outlet or outlet_from_text(raw) or _masthead(raw, doc.title)
    if not doc.published:
        d = find_dateline(text, infer_year=False) or (
            find_dateline(raw, infer_year=False) if doc.content_type == "text" else None) or find_dateline(
            text, year_text=raw if doc.content_type == "text" else None)
        if d:
            doc.published, doc.published_source = d.isoformat(), "dateline"
    if not doc.published:
        fallback = default_published or doc.metadata.get("published_default")
        if fallback:
            doc.published, doc.published_source = str(fallback), "--published"
    if not doc.published and doc.content_type == "html":
        from htmldate import find_date

        # htmldate's quick search (2 ms) first, its extensive one (16 ms) only when that finds nothing
        found = find_date(raw, extensive_search=False, original_date=True) or find_date(raw, original_date=True)
        if found:
            doc.published, doc.published_source = str(found)[:10], "htmldate"
    if not text.strip():
        raise ExtractionError("the page has no article text")
    doc.text = text
    doc.language = doc.language or guess_language(text)
    return doc


_STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "was", "were", "said", "on", "with", "for", "that", "by", "at", "from"},
    "fr": {"le", "la", "les", "des", "et", "du", "une", "dans", "est", "a", "au", "par", "pour", "que", "sur"},
    "es": {"el", "la", "los", "las", "de", "y", "en", "que", "del", "por", "un", "una", "con", "se", "fue"},
    "de": {"der", "die", "das", "und", "den", "von", "mit", "ist", "im", "sich", "auf", "ein", "eine", "wurde"},
    "pt": {"o", "os", "as", "de", "e", "do", "da", "em", "que", "um", "uma", "para", "com", "foi", "no"},
}
_SCRIPTS = [("ar", re.compile(r"[\u0600-\u06ff]")), ("ru", re.compile(r"[\u0400-\u04ff]")),
            ("he", re.compile(r"[\u0590-\u05ff]")), ("zh", re.compile(r"[\u4e00-\u9fff]"))]
_LETTER = re.compile(r"[^\W\d_]")  # str.isalpha, counted in C


def guess_language(text: str) -> str:
    """A cheap language guess (ISO 639-1) from the script and common words: the coder reads English, so
    a page in another language is kept, labelled, and not coded rather than coded wrongly."""
    sample = text[:4000]
    if not sample.isascii():
        letters = 0
        for code, rx in _SCRIPTS:
            n = len(rx.findall(sample))
            if n:
                letters = letters or len(_LETTER.findall(sample))
                if n > letters / 3:
                    return code
    words = Counter(re.findall(r"[a-zà-ÿ]+", sample.lower()))
    if not words:
        return ""
    counts = {lang: sum(words[w] for w in sw) for lang, sw in _STOPWORDS.items()}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] >= 3 else ""


def _visible_lines(raw: str, into: list[str]) -> list[str]:
    """The non-blank lines of the page's visible text (tags removed), appended to `into`."""
    text = htmllib.unescape(_TAG.sub("\n", _body_part(raw)))
    into.extend(ln for ln in text.splitlines() if ln.strip())
    return into


_TAG = re.compile(r"<[^>]+>")


def _body_part(html: str) -> str:
    m = re.search(r"<body[^>]*>(.*)</body>", html, re.I | re.S)
    part = m.group(1) if m else html
    return re.sub(r"<(script|style|noscript)[^>]*>.*?</\1>", " ", part, flags=re.I | re.S)
