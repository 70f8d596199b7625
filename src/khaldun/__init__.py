"""khaldun: news reports of armed conflict in, a corroborated, geocoded ACLED-style event dataset out,
every field traced to the words it came from."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .records import Discard, Document, Event, Place, Report, Span

__version__ = "0.1.0"

__all__ = ["Discard", "Document", "Event", "Place", "Report", "Span", "__version__"]

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str) -> Any:
    # The records load on first use: the console entry point (`launch`) starts the worker fork server
    # before anything else, and dataclasses is a fifth of what importing the package would cost it.
    if name in __all__:
        from . import records

        return getattr(records, name)
    raise AttributeError(f"module 'khaldun' has no attribute {name!r}")
