"""Date expressions to ISO dates with ACLED's time_precision (1 day, 2 week, 3 month).

`parse_date` reads a stated date ("2019-07-22T14:52Z", "July 23, 2019", "16.03.2022", "Tuesday, 16 February
2021"); `resolve` finds the date an event sentence gives, relative to the publication date ("on Monday",
"yesterday", "overnight", "last week", "on 31 December").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    m: i
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for m in names
}
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}

_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_ISO = re.compile(r"(?P<y>(?:19|20)\d\d)[-/](?P<m>\d\d?)[-/](?P<d>\d\d?)")
_DMY_NUM = re.compile(r"\b(?P<d>\d\d?)[./](?P<m>\d\d?)[./](?P<y>(?:19|20)\d\d)\b")
_MDY = re.compile(rf"\b{_MON}\s+(?P<d>\d\d?)(?:st|nd|rd|th)?(?:,?\s+(?P<y>(?:19|20)\d\d))?\b", re.I)
_DMY = re.compile(rf"\b(?P<d>\d\d?)(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}(?:,?\s+(?P<y>(?:19|20)\d\d))?\b", re.I)
_MY = re.compile(rf"\b(?:in|during|since|from|of|last|early|late|mid|mid-)\s+(?:(?:early|late|mid)-?\s*)?{_MON}(?:\s+(?P<y>(?:19|20)\d\d))?\b", re.I)
_YEAR = re.compile(r"\b(?:in|since|from|of|during|until|by)\s+(?:late\s+|early\s+)?(?P<y>(?:19|20)\d\d)\b", re.I)
# "the 2014 abduction of 276 girls": a year that dates the event named right after it
_YEAR_OF_EVENT = re.compile(r"\b(?:the|a|its|their|his|her)\s+(?P<y>(?:19|20)\d\d)(?=\s+(?:[a-z-]+\s+)?(?:abductions?|kidnappings?|"
                            r"attacks?|assaults?|bombings?|massacres?|killings?|raids?|offensives?|invasions?|war|uprisings?|"
                            r"coups?|sieges?|shootings?|ambush(?:es)?|strikes?|airstrikes?|clashes|fighting)\b)", re.I)
_WEEKDAY = re.compile(
    r"\b(?:(?:late|early)\s+)?(?:on\s+|last\s+|this\s+)?(?:(?:late|early)\s+)?"
    r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"(?:\s+(?P<part>morning|afternoon|evening|night))?\b",
    re.I,
)
_RELATIVE = re.compile(
    r"\b(?P<rel>yesterday|last night|overnight|earlier today|today|this morning|this afternoon|tonight|"
    r"on the same day|the day before|the previous day|last week|last weekend|this week|earlier this week|"
    r"earlier in the week|at the start of the week|at the beginning of the week|"
    r"earlier this month|last month|this month|over the weekend|at the weekend|this weekend|during the weekend)\b",
    re.I,
)


# "... on Saturday, in the deadliest raid since the war began in April": a date inside a since-clause sets
# no day for the sentence's weekday
SINCE_CLAUSE = re.compile(r"\b(?:since|until|till)\b[^,;]*$", re.I)


@dataclass(slots=True, frozen=True)
class DateHit:
    date: dt.date
    precision: int
    start: int
    end: int
    text: str
    explicit: bool  # a calendar date was written (not a relative expression)


def _month(s: str) -> int:
    key = s.lower().rstrip(".")
    return MONTHS.get(key) or MONTHS[key[:3]]


def _safe(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def parse_date(s: str) -> dt.date | None:
    """A stated date in any common page format; None if there is none."""
    s = s.strip()
    m = _ISO.search(s)
    if m:
        return _safe(int(m["y"]), int(m["m"]), int(m["d"]))
    m = _DMY_NUM.search(s)
    if m:
        return _safe(int(m["y"]), int(m["m"]), int(m["d"]))
    for rx in (_MDY, _DMY):
        m = rx.search(s)
        if m and m["y"]:
            return _safe(int(m["y"]), _month(m["mon"]), int(m["d"]))
    return None


_LEADING_PLACE = re.compile(r"^[A-Z][\w .'’&-]{1,40},\s*(?:[A-Z][A-Za-z .'-]{1,30},\s*)?")
_YEAR_ANY = re.compile(r"\b(?:19|20)\d\d\b")
DATELINE_MAX_WORDS = 10  # a line that is a date and a few words ("Posted on ... by Admin") is a dateline


def find_dateline(text: str, *, max_lines: int = 25, infer_year: bool = True, year_text: str | None = None) -> dt.date | None:
    """A publication date written near the top: a line of its own ("Posted on July 23, 2019 by X",
    "DAILY DIGEST - Thursday, 28 November 2019"), or a "CITY, 4 August 2023 -" opening of the first
    paragraph. A "CITY, May 4." opening without a year takes the latest year the text (or `year_text`: the
    whole pasted page, whose footer says "© 2025") mentions."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()][:max_lines]
    for line in lines:
        if len(line) < 120:
            d = parse_date(line)
            if d and len(line.split()) - 3 <= DATELINE_MAX_WORDS:
                return d
        m = _LEADING_PLACE.match(line)
        if m:
            head = line[m.end():m.end() + 40]
            d = parse_date(head)
            if d and head.find(str(d.year)) >= 0:
                return d
    if not infer_year:
        return None
    for line in lines:
        m = _LEADING_PLACE.match(line)
        if not m:
            continue
        md = re.match(rf"{_MON}\s+(?P<d>\d\d?)\b", line[m.end():], re.I) or re.match(
            rf"(?P<d>\d\d?)\s+{_MON}", line[m.end():], re.I)
        years = [int(y) for y in _YEAR_ANY.findall(year_text or text)]
        if md and years:
            return _safe(max(years), _month(md["mon"]), int(md["d"]))
    return None


def _before(published: dt.date, month: int, day: int, year: int | None) -> dt.date | None:
    """A day-month without a year: the latest such date not after publication (+2 days of slack)."""
    if year:
        return _safe(year, month, day)
    d = _safe(published.year, month, day)
    if d and d > published + dt.timedelta(days=2):
        d = _safe(published.year - 1, month, day)
    return d


def _mid_week(d: dt.date) -> dt.date:
    # ACLED weeks run Saturday-Friday; the middle of the week is its Tuesday/Wednesday.
    start = d - dt.timedelta(days=(d.weekday() - 5) % 7)
    return start + dt.timedelta(days=3)


_YEAR_SAID = re.compile(r",?\s+(?:of\s+)?(?P<which>last|this|next) year\b", re.I)


def _year_said(sentence: str, end: int, published: dt.date | None) -> int | None:
    """The year a month's own words give it: "in August of last year", "on March 3 this year"."""
    m = _YEAR_SAID.match(sentence, end)
    if m is None or published is None:
        return None
    return published.year + {"last": -1, "this": 0, "next": 1}[m["which"].lower()]


def find_dates(sentence: str, published: dt.date | None, *, skip_until: int = 0) -> list[DateHit]:
    """Every date expression in a sentence, resolved against the publication date. Text before
    `skip_until` (a dateline: "ERBIL, Iraq, Feb 16 -") is the filing place and date, not the event's."""
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []

    def add(d: dt.date | None, prec: int, m: re.Match[str], explicit: bool) -> None:
        if d is None or m.start() < skip_until:
            return
        if any(not (m.end() <= a or m.start() >= b) for a, b in taken):
            return
        taken.append((m.start(), m.end()))
        hits.append(DateHit(d, prec, m.start(), m.end(), m.group(0), explicit))

    for m in _ISO.finditer(sentence):
        add(_safe(int(m["y"]), int(m["m"]), int(m["d"])), 1, m, True)
    for rx in (_MDY, _DMY):
        for m in rx.finditer(sentence):
            y = int(m["y"]) if m["y"] else _year_said(sentence, m.end(), published)
            if y is None and published is None:
                continue
            add(_before(published, _month(m["mon"]), int(m["d"]), y) if published or y else None, 1, m, True)
    for m in _MY.finditer(sentence):
        y = int(m["y"]) if m["y"] else _year_said(sentence, m.end(), published)
        mon = _month(m["mon"])
        if y is None:
            if published is None:
                continue
            y = published.year if mon <= published.month else published.year - 1
        low = m.group(0).lower()
        day = 5 if "early" in low else 25 if "late" in low else 15
        add(_safe(y, mon, day), 3, m, True)
    for rx in (_YEAR, _YEAR_OF_EVENT):
        for m in rx.finditer(sentence):
            add(_safe(int(m["y"]), 7, 1), 4, m, True)
    if published is not None:
        for m in _WEEKDAY.finditer(sentence):
            wd = WEEKDAYS[m["wd"].lower()]
            back = (published.weekday() - wd) % 7
            if "last" in m.group(0).lower() and back == 0:
                back = 7
            add(published - dt.timedelta(days=back), 1, m, False)
        for m in _RELATIVE.finditer(sentence):
            rel = m["rel"].lower()
            if rel in ("yesterday", "last night", "the day before", "the previous day"):
                add(published - dt.timedelta(days=1), 1, m, False)
            elif rel == "overnight":
                # the night that ends on the report's day: wire copy says "overnight" of attacks in the small
                # hours before it files ("killed about 100 civilians overnight ..., sources said on Saturday")
                add(published, 1, m, False)
            elif rel in ("today", "earlier today", "this morning", "this afternoon", "tonight"):
                add(published, 1, m, False)
            elif rel in ("last week", "last weekend"):
                add(_mid_week(published - dt.timedelta(days=7)), 2, m, False)
            elif rel in ("over the weekend", "at the weekend", "this weekend", "during the weekend"):
                # the weekend just before publication (its Saturday): ACLED's week precision
                add(published - dt.timedelta(days=(published.weekday() - 5) % 7), 2, m, False)
            elif rel in ("this week", "earlier this week", "earlier in the week", "at the start of the week",
                         "at the beginning of the week"):
                add(_mid_week(published), 2, m, False)
            elif rel in ("earlier this month", "this month"):
                add(_safe(published.year, published.month, 15), 3, m, False)
            elif rel == "last month":
                prev = published.replace(day=1) - dt.timedelta(days=1)
                add(_safe(prev.year, prev.month, 15), 3, m, False)
    if any(h.explicit and h.precision <= 3 and not SINCE_CLAUSE.search(sentence[:h.start]) for h in hits):
        # "In January this year, gunmen attacked Sunday Mass": the weekday belongs to the stated date
        hits = [h for h in hits if h.explicit or not re.match(r"(?:on |last |this |late |early )*[a-z]+day", h.text, re.I)]
    hits.sort(key=lambda h: h.start)
    return hits
