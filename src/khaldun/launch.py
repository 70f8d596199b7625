"""The `khaldun` console entry point.

`khaldun run --workers N` (N > 1) starts the worker fork server (`prefork.start_workers`) before the
command-line modules are imported (typer, click, rich, pydantic: about a fifth of a second), so that the
workers warm up while this process is still starting. Everything else goes straight to `khaldun.cli`.
"""

from __future__ import annotations

import sys


def workers_asked(argv: list[str]) -> int:
    """N of `run ... --workers N` (or `--workers=N`) with the local engine; 0 for anything else."""
    args = [a for a in argv if a not in ("-v", "-vv", "-vvv", "--verbose")]
    if not args or args[0] != "run" or "--engine=dask" in args or any(
            a == "--engine" and args[i + 1:i + 2] == ["dask"] for i, a in enumerate(args)):
        return 0
    for i, a in enumerate(args):
        value = a.partition("=")[2] if a.startswith("--workers=") else (
            args[i + 1] if a == "--workers" and i + 1 < len(args) else None)
        if value is not None:
            return int(value) if value.isdigit() else 0
    return 0


def main() -> None:
    n = workers_asked(sys.argv[1:])
    if n > 1:
        from .prefork import start_workers

        start_workers(n)
    from .cli import main as cli_main

    cli_main()
