"""`khaldun` command line: thin wrappers over the library (run, export, show, score, serve, outlets,
gazetteer). The only module that prints or exits."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from . import __version__
from .errors import KhaldunError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="khaldun: news reports of armed conflict in, a corroborated ACLED-style event dataset out.")
gazetteer_app = typer.Typer(no_args_is_help=True, help="Extend the gazetteer with GeoNames dump files.")
app.add_typer(gazetteer_app, name="gazetteer")
console = Console(stderr=True)
out = Console()

DbOpt = Annotated[Optional[str], typer.Option("--db", help="DuckDB file (default: $KHALDUN_DB or ./khaldun.duckdb)")]
PROGRESS_MIN_DOCS = 5  # a progress bar only for runs of more than a few documents


def _fail(msg: str, code: int = 2) -> None:
    console.print(f"[red]error:[/red] {msg}")
    raise typer.Exit(code)


def _db(db: str | None) -> str:
    from .store import default_db_path

    return db or default_db_path()


def _check_db_path(path: str) -> None:
    p = Path(path)
    if p.is_dir():
        _fail(f"database path {path} is a directory")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.exists():
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            _fail(f"cannot create the database folder {parent}: {exc}")
    if not os.access(parent, os.W_OK):
        _fail(f"the database folder {parent} is not writable")


@app.callback()
def _main(verbose: Annotated[int, typer.Option("-v", "--verbose", count=True, help="-v info, -vv debug")] = 0,
          version: Annotated[bool, typer.Option("--version", help="print the version")] = False) -> None:
    logging.basicConfig(level=[logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)],
                        format="%(levelname)s %(name)s: %(message)s")
    if version:
        out.print(f"khaldun {__version__}")
        raise typer.Exit(0)


def _count_inputs(paths: list[str]) -> int | None:
    from .ingest import iter_paths

    n = 0
    for path, _ in iter_paths(paths):
        if path is None or path.suffix.lower() in (".jsonl", ".ndjson", ".xml", ".rss", ".atom") or "warc" in path.name:
            return None  # a container: its document count is known only by reading it
        n += 1
    return n


@app.command()
def run(paths: Annotated[list[str], typer.Argument(help="files, folders (recursive) or feed URLs")],
        db: DbOpt = None,
        published: Annotated[Optional[str], typer.Option(help="publication date (YYYY-MM-DD) for inputs that carry none")] = None,
        workers: Annotated[Optional[int], typer.Option(help="worker processes for the per-document stages (default 1; with --engine dask: one per core)")] = None,
        engine: Annotated[str, typer.Option(help="local | dask")] = "local",
        scheduler: Annotated[Optional[str], typer.Option(help="Dask scheduler address (with --engine dask)")] = None,
        parts: Annotated[Optional[str], typer.Option(help="folder for the Parquet parts (with --engine dask; default DB.parts/)")] = None,
        table: Annotated[bool, typer.Option("--table/--no-table", help="print the events table at the end")] = True,
        ) -> None:
    """Read every page, code its events, store them and merge reports into events."""
    from .dates import parse_date
    from .pipeline import run as run_pipeline

    if published is not None:
        d = parse_date(published)
        if d is None:
            _fail(f"--published {published!r} is not a date (use YYYY-MM-DD)")
        published = d.isoformat()  # type: ignore[union-attr]
    if workers is not None and workers < 1:
        _fail("--workers must be at least 1")
    missing = [p for p in paths if not p.startswith(("http://", "https://")) and not Path(p).exists()]
    if missing and len(missing) == len(paths):
        _fail(f"no such file or folder: {', '.join(missing)}")
    path = _db(db)
    _check_db_path(path)
    try:
        if engine == "dask":
            from .scale import run_dask

            summary = run_dask(paths, db=path, published=published, scheduler=scheduler,
                               workers=workers, parts=parts)
        elif engine == "local":
            # A progress bar only where someone watches it: on a pipe or in a log file its refresh thread would
            # only take CPU from the workers (a few per cent of a core).
            total = _count_inputs(paths) if console.is_terminal else 0
            if total is None or total > PROGRESS_MIN_DOCS:
                from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

                with Progress(TextColumn("coding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                              console=console, transient=True) as bar:
                    task = bar.add_task("docs", total=total)
                    summary = run_pipeline(paths, db=path, published=published, workers=workers or 1,
                                           progress=lambda n: bar.advance(task, n))
            else:
                summary = run_pipeline(paths, db=path, published=published, workers=workers or 1)
        else:
            _fail(f"unknown engine {engine!r} (local or dask)")
            return
    except KhaldunError as exc:
        _fail(str(exc))
        return
    except KeyboardInterrupt:
        console.print("[yellow]interrupted[/yellow]: what was stored is kept; run again to continue")
        raise typer.Exit(130) from None
    for err in summary.errors[:20]:
        console.print(f"[yellow]failed[/yellow] {err}")
    if len(summary.errors) > 20:
        console.print(f"... and {len(summary.errors) - 20} more failed documents")
    if table:
        _events_table(path)
    out.print(summary.line(), soft_wrap=True, highlight=False)


def _events_table(path: str, limit: int = 50) -> None:
    from .store import Store

    with Store(path, read_only=True) as store:
        rows = store.query(
            "SELECT event_id, event_date, sub_event_type, actor1, actor2, location, country, fatalities, "
            "n_sources FROM events ORDER BY event_date DESC NULLS LAST, event_id LIMIT ?", [limit])
    if not rows:
        return
    t = Table(title="Events", show_lines=False)
    for col in ("event_id", "date", "sub-event type", "actor1", "actor2", "location", "country", "fatal.", "src"):
        t.add_column(col, overflow="fold")
    for r in rows:
        t.add_row(r["event_id"], r["event_date"] or "", r["sub_event_type"], r["actor1"] or "", r["actor2"] or "",
                  r["location"] or "", r["country"] or "", "" if r["fatalities"] is None else str(r["fatalities"]),
                  str(r["n_sources"]))
    out.print(t)


@app.command()
def export(level: Annotated[str, typer.Option(help="reports | events | documents")] = "events",
           format: Annotated[str, typer.Option("--format", "-f", help="csv | jsonl | geojson | parquet")] = "csv",  # noqa: A002
           output: Annotated[Optional[str], typer.Option("-o", "--output", help="output file (default stdout)")] = None,
           db: DbOpt = None) -> None:
    """Export reports, events or documents."""
    from .store import EXPORTERS, Store

    if level not in ("reports", "events", "documents"):
        _fail(f"unknown level {level!r} (reports, events or documents)")
    if format not in EXPORTERS:
        _fail(f"unknown format {format!r} ({', '.join(sorted(EXPORTERS))})")
    if format == "parquet" and not output:
        _fail("parquet needs -o FILE")
    path = _db(db)
    if not Path(path).exists():
        _fail(f"no database at {path} (run `khaldun run` first)")
    try:
        with Store(path, read_only=True) as store:
            store.export(level, format, output)
    except KhaldunError as exc:
        _fail(str(exc))


@app.command()
def show(event_id: str, db: DbOpt = None,
         as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """One event with its reports, their evidence sentences and sources."""
    from .store import Store

    path = _db(db)
    if not Path(path).exists():
        _fail(f"no database at {path}")
    with Store(path, read_only=True) as store:
        ev = store.event(event_id)
    if ev is None:
        _fail(f"no event {event_id}", code=1)
        return
    if as_json:
        out.print_json(json.dumps(ev, default=str))
        return
    out.print(f"[bold]{ev['event_id']}[/bold]  {ev['event_date'] or '?'} (precision {ev['time_precision']})")
    out.print(f"{ev['event_type']} / {ev['sub_event_type']}")
    out.print(f"actor1: {ev['actor1'] or ''}   actor2: {ev['actor2'] or ''}")
    out.print(f"place: {ev['location'] or '?'}, {ev['admin2'] or ''} {ev['admin1'] or ''}, {ev['country'] or ''} "
              f"({ev['latitude']}, {ev['longitude']}) geo_precision {ev['geo_precision']}")
    out.print(f"fatalities: {ev['fatalities']} (range {ev['fatalities_low']}-{ev['fatalities_high']})   "
              f"reports {ev['n_reports']}, sources {ev['n_sources']}: {ev['sources']}")
    if ev.get("divergence"):
        out.print(f"[yellow]sources disagree on[/yellow]: {ev['divergence']}")
    out.print(f"notes: {ev['notes']}", markup=False)
    for r in ev["reports"]:
        out.print("")
        out.print(f"[bold]report {r['report_id']}[/bold]  {r['outlet'] or ''}  published {r['published'] or '?'}  "
                  f"{r['source_path'] or r['source_url'] or ''}")
        out.print(f"  {r['sub_event_type']} | {r['actor1'] or ''} -> {r['actor2'] or ''} | {r['event_date']} | "
                  f"{r['location'] or '?'} | fatalities {r['fatalities']} | claim {r['claim'] or ''} | "
                  f"claimed by {r['claimed_by'] or ''}", markup=False)
        out.print(f"  place: {r['place_reason'] or ''}", markup=False)
        out.print(f"  evidence [{r['evidence_start']}:{r['evidence_end']}]: {r['evidence']}", markup=False)
        for field, (s, e, text) in sorted(r["mentions"].items()):
            out.print(f"    {field:<12} [{s}:{e}] {text}", markup=False)


@app.command()
def score(gold_dir: Annotated[str, typer.Argument(help="folder with gold_*.jsonl and docs/")],
          docs: Annotated[Optional[str], typer.Option(help="documents folder (default GOLD_DIR/docs)")] = None,
          as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
          keep: Annotated[Optional[str], typer.Option(help="keep the database and exports in this folder")] = None,
          ) -> None:
    """Run the pipeline on a gold folder (devset/SPEC.md format) and print per-field metrics."""
    from .score import score_gold_dir

    try:
        res = score_gold_dir(gold_dir, docs_dir=docs, keep=keep)
    except KhaldunError as exc:
        _fail(str(exc))
        return
    if as_json:
        out.print_json(json.dumps(res))
        return
    t = Table(title=f"khaldun score: {gold_dir}")
    t.add_column("metric")
    t.add_column("value", justify="right")
    for k, v in res.items():
        if isinstance(v, dict):
            for kk, vv in v.items():
                t.add_row(f"{k}.{kk}", str(vv))
        else:
            t.add_row(k, str(v))
    out.print(t)


@app.command()
def serve(db: DbOpt = None, host: Annotated[str, typer.Option()] = "127.0.0.1",
          port: Annotated[int, typer.Option()] = 8000,
          token: Annotated[Optional[str], typer.Option(help="enables POST /api/documents for requests carrying it", envvar="KHALDUN_TOKEN")] = None,
          ) -> None:
    """Serve the REST API and the web map."""
    from .api import serve as serve_app

    path = _db(db)
    if not Path(path).exists():
        _fail(f"no database at {path} (run `khaldun run` first)")
    serve_app(path, host=host, port=port, token=token)


@app.command()
def outlets(db: DbOpt = None, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Per-outlet framing profile: documents, loaded-language score, opinion share, flagged terms."""
    from .framing import outlet_profile
    from .store import Store

    path = _db(db)
    if not Path(path).exists():
        _fail(f"no database at {path}")
    with Store(path, read_only=True) as store:
        rows = store.query("SELECT outlet, framing FROM documents WHERE framing IS NOT NULL")
    by: dict[str, list[dict[str, object]]] = {}
    for r in rows:
        by.setdefault(r["outlet"] or "(unknown)", []).append(json.loads(r["framing"]))
    profiles = {o: outlet_profile(f) for o, f in sorted(by.items())}
    if as_json:
        out.print_json(json.dumps(profiles))
        return
    t = Table(title="Outlets")
    for c in ("outlet", "docs", "loaded score", "opinion share", "top flags"):
        t.add_column(c, overflow="fold")
    for o, p in profiles.items():
        top = p.get("top_terms") or {}
        flat = "; ".join(f"{k}: " + ", ".join(f"{t['term']} ({t['count']})" for t in v[:3]) for k, v in top.items())
        t.add_row(o, str(p.get("n_docs")), f"{p.get('mean_loaded_score', 0):.2f}", f"{p.get('opinion_share', 0):.2f}", flat)
    out.print(t)


@gazetteer_app.command("add")
def gazetteer_add(files: Annotated[list[str], typer.Argument(help="GeoNames dump files (e.g. SY.txt, alternateNamesV2.txt)")]) -> None:
    """Add GeoNames dump files to the gazetteer (rebuilds the cached index)."""
    from .places import add_geonames_file

    for f in files:
        if not Path(f).exists():
            _fail(f"no such file: {f}")
        try:
            n = add_geonames_file(f)
        except KhaldunError as exc:
            _fail(str(exc))
            return
        out.print(f"{f}: {n} rows added")


def main() -> None:
    try:
        app()
    except KhaldunError as exc:
        console.print(f"[red]error:[/red] {exc}")
        sys.exit(2)


if __name__ == "__main__":
    main()
