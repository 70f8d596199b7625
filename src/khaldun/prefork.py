"""The warm fork server that `--workers N` forks its worker processes from.

Kept apart from `pipeline` so that the console entry point (`launch`) can start it after importing nothing
but multiprocessing: every millisecond before the server starts is a millisecond before the first worker.
"""

from __future__ import annotations

import os


def start_workers(workers: int) -> None:
    """Start the process that forks the workers, early and in the background: it imports khaldun and runs
    `pipeline.warm_up` once (`khaldun._warm`) while this process opens the database and starts reading, and
    each worker is then forked from it already warm, instead of importing and loading everything itself."""
    if workers <= 1 or os.name != "posix":
        return
    import multiprocessing as mp
    from multiprocessing import forkserver

    mp.get_context("forkserver").set_forkserver_preload(["khaldun._warm"])
    forkserver.ensure_running()
