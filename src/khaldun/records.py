"""Typed records that flow one way through khaldun.

    paths/URLs --ingest--> Document --article--> Document(+text) --events--> Document(+reports)
    --places/dates--> Document(+resolved reports) == store ==> DuckDB --cluster--> Event

A `Document` is the unit of the per-document stages (it carries its `Report`s); `Event` is made by the
corpus stage (`cluster.py`) from many reports. Every annotation is anchored to the article text by a `Span`
whose `start`/`end` are character offsets into `Document.text`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True, frozen=True)
class Span:
    """A piece of the article text: `text == doc.text[start:end]`."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class Place:
    """A resolved place, GeoNames-backed, with ACLED's geo_precision (1 town, 2 near/district, 3 province)."""

    location: str
    country_code: str
    country: str = ""
    iso: int | None = None
    admin1: str = ""
    admin2: str = ""
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    geonameid: int | None = None
    reason: str = ""  # why this place was chosen (shown by `khaldun show`)
    mention: Span | None = None


@dataclass(slots=True)
class Report:
    """One event as one document reports it (a row of the reports table)."""

    doc_id: str
    event_type: str
    sub_event_type: str
    actor1: str = ""
    actor2: str = ""
    event_date: str | None = None  # ISO yyyy-mm-dd
    time_precision: int | None = None
    place: Place | None = None
    country_code: str = ""  # known even when the place is not (never a silent centroid)
    fatalities: int | None = None
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    claimed_by: str = ""
    claim: str = ""  # killed | present | wounded | denied ... : what the text claims about people
    evidence: str = ""
    evidence_start: int = 0
    evidence_end: int = 0
    mentions: dict[str, Span] = field(default_factory=dict)  # field name -> the words that set it
    report_id: str = ""
    event_id: str = ""
    confidence: float = 0.0


@dataclass(slots=True)
class Discard:
    """A normal non-result with its reason (not an exception): a sentence or page that is not an event."""

    reason: str
    span: Span | None = None


@dataclass(slots=True)
class Document:
    """One article. Ingest fills the source fields, later stages fill text, reports and framing."""

    doc_id: str
    source_path: str = ""
    url: str = ""
    outlet: str = ""
    title: str = ""
    published: str | None = None  # ISO date
    published_source: str = ""  # which rung of the date cascade gave `published`
    language: str = ""
    content_type: str = "text"  # "html" | "text"
    raw: str = ""
    text: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    reports: list[Report] = field(default_factory=list)
    discards: list[Discard] = field(default_factory=list)
    framing: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Event:
    """A corroborated event: one or more reports of the same real-world happening."""

    event_id: str
    event_date: str | None
    time_precision: int | None
    event_type: str
    sub_event_type: str
    actor1: str
    actor2: str
    country: str
    country_code: str
    iso: int | None
    admin1: str
    admin2: str
    location: str
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    fatalities: int | None
    fatalities_low: int | None
    fatalities_high: int | None
    notes: str
    source: str
    n_reports: int
    n_sources: int
    sources: str
    divergence: str = ""
    single_side: bool = False


def asdict(record: Any) -> dict[str, Any]:
    """`dataclasses.asdict` that works on slotted records."""
    return dataclasses.asdict(record)
