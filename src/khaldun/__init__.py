"""khaldun: news reports of armed conflict in, a corroborated, geocoded ACLED-style event dataset out,
every field traced to the words it came from."""

from __future__ import annotations

import logging

from .records import Discard, Document, Event, Place, Report, Span

__version__ = "0.1.0"

__all__ = ["Discard", "Document", "Event", "Place", "Report", "Span", "__version__"]

logging.getLogger(__name__).addHandler(logging.NullHandler())
