"""Imported by the worker fork server (`prefork.start_workers`), the one hook multiprocessing gives into that
process: it warms khaldun up once, so that every worker forked from it starts with the gazetteer loaded and
the tables compiled."""

from __future__ import annotations

import logging

try:
    from .pipeline import warm_up

    warm_up()
except Exception:  # noqa: BLE001 - a failed warm-up only costs time: each worker then loads what it needs
    logging.getLogger(__name__).warning("worker warm-up failed; workers will load lazily", exc_info=True)
