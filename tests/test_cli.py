"""`khaldun` end to end through the installed console script, on the example corpus."""

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from khaldun.store import DOCUMENT_COLUMNS, EVENT_COLUMNS, REPORT_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def kh(*args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "khaldun", *args]
    out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=300)
    if check:
        assert out.returncode == 0, out.stderr
    return out


@pytest.fixture(scope="module")
def example_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("cli") / "ex.duckdb"
    out = kh("run", str(EXAMPLES), "--db", str(db))
    assert "documents read" in out.stdout
    return db, out


def test_run_prints_events_and_summary(example_db):
    _, out = example_db
    assert "Events" in out.stdout
    summary = out.stdout.strip().splitlines()[-1]
    assert "failed" in summary and "reports" in summary and "events" in summary


def test_rerun_adds_nothing(example_db):
    db, first = example_db
    again = kh("run", str(EXAMPLES), "--db", str(db), "--no-table")
    assert "0 failed" in again.stdout and "already stored" in again.stdout
    n_first = first.stdout.strip().splitlines()[-1].split(" events")[0].split()[-1]
    n_again = again.stdout.strip().splitlines()[-1].split(" events")[0].split()[-1]
    assert n_first == n_again


@pytest.mark.parametrize(("level", "cols"), [("reports", REPORT_COLUMNS), ("events", EVENT_COLUMNS),
                                             ("documents", DOCUMENT_COLUMNS)])
def test_export_csv_columns(example_db, level, cols):
    db, _ = example_db
    out = kh("export", "--db", str(db), "--level", level, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert rows and list(rows[0])[: len(cols)] == cols


@pytest.mark.parametrize("fmt", ["jsonl", "geojson", "parquet"])
def test_export_formats(example_db, tmp_path, fmt):
    db, _ = example_db
    target = tmp_path / f"events.{fmt}"
    kh("export", "--db", str(db), "--level", "events", "--format", fmt, "-o", str(target))
    assert target.stat().st_size > 0
    if fmt == "geojson":
        assert json.loads(target.read_text())["type"] == "FeatureCollection"


def test_show_traces_fields_to_evidence(example_db):
    db, _ = example_db
    out = kh("export", "--db", str(db), "--level", "events", "--format", "jsonl")
    event = max((json.loads(line) for line in out.stdout.splitlines()), key=lambda e: e["n_reports"])
    shown = kh("show", event["event_id"], "--db", str(db))
    assert event["event_id"] in shown.stdout and "evidence [" in shown.stdout
    as_json = json.loads(kh("show", event["event_id"], "--db", str(db), "--json").stdout)
    assert len(as_json["reports"]) == event["n_reports"]


def test_default_db_from_environment(tmp_path):
    page = tmp_path / "p.txt"
    page.write_text("KABUL, May 8 - A car bomb exploded outside a school in Kabul on Saturday, killing 12 people, "
                    "officials said.\n")
    db = tmp_path / "env.duckdb"
    kh("run", str(page), "--published", "2021-05-09", env={"KHALDUN_DB": str(db)})
    assert db.exists()


@pytest.mark.parametrize(
    "args",
    [["run", "/no/such/folder"], ["run", "examples", "--published", "yesterday-ish"], ["export", "--format", "xlsx"],
     ["run", "examples", "--workers", "0"]],
)
def test_bad_command_lines_exit_non_zero(args, tmp_path):
    out = kh(*args, "--db", str(tmp_path / "x.duckdb"), check=False)
    assert out.returncode != 0 and "error" in (out.stderr + out.stdout).lower()


def test_unusable_database_path(tmp_path):
    out = kh("run", str(EXAMPLES), "--db", str(tmp_path), check=False)  # a directory
    assert out.returncode == 2 and "directory" in out.stderr


def test_bad_pages_never_stop_the_batch(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("MOGADISHU, Aug 20 - Al-Shabaab gunmen stormed a hotel in Mogadishu on Friday, "
                                     "killing 12 people, police said.\n")
    (folder / "binary.html").write_bytes(b"\x00\x01\x02\x03" * 500)
    (folder / "empty.txt").write_text("")
    (folder / "arabic.txt").write_bytes("قتل عشرة مدنيين في قصف على السوق".encode("cp1256"))
    (folder / "bad.jsonl").write_text('{"url": "u", "text": "ok text about nothing."}\n{broken\n')
    db = tmp_path / "b.duckdb"
    out = kh("run", str(folder), "--db", str(db), "--published", "2022-08-21", "--no-table")
    assert "3 failed" in out.stdout  # binary, empty, the broken JSONL line
    docs = kh("export", "--db", str(db), "--level", "documents", "--format", "jsonl").stdout.splitlines()
    errors = sorted((json.loads(d)["error"] or "")[:4] for d in docs)
    assert errors == ["", "", "", "K010", "K012", "K013"]


def test_killed_run_leaves_a_consistent_database(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(300):
        (folder / f"p{i:03d}.txt").write_text(
            f"KIRKUK, Iraq - A roadside bomb killed {i % 9 + 2} soldiers near Kirkuk on Monday, police said. Ref {i}.\n")
    db = tmp_path / "k.duckdb"
    proc = subprocess.Popen([sys.executable, "-m", "khaldun", "run", str(folder), "--db", str(db), "--no-table",
                             "--published", "2021-03-09"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(6)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    out = kh("run", str(folder), "--db", str(db), "--no-table", "--published", "2021-03-09")
    assert "300 documents read" in out.stdout and "0 failed" in out.stdout
    docs = kh("export", "--db", str(db), "--level", "documents", "--format", "csv").stdout
    assert len(list(csv.DictReader(io.StringIO(docs)))) == 300


def _rows(db: Path, level: str) -> list[dict]:
    out = kh("export", "--db", str(db), "--level", level, "--format", "jsonl")
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    return sorted(rows, key=lambda r: r.get("report_id") or r.get("event_id") or r.get("doc_id"))


def test_two_workers_give_what_one_gives(example_db, tmp_path):
    # the workers are forked from a warmed-up fork server (prefork.start_workers); their output must not differ
    db, _ = example_db
    db2 = tmp_path / "w2.duckdb"
    kh("run", str(EXAMPLES), "--db", str(db2), "--workers", "2", "--no-table")
    for level in ("reports", "events"):
        one, two = _rows(db, level), _rows(db2, level)
        assert one and len(one) == len(two)
        assert one == two


@pytest.mark.parametrize(("argv", "n"), [
    (["run", "x", "--workers", "2"], 2), (["run", "x", "--workers=3"], 3), (["-v", "run", "--workers", "2", "x"], 2),
    (["run", "x", "--engine", "dask", "--workers", "2"], 0), (["run", "x", "--engine=dask", "--workers", "2"], 0),
    (["export", "--workers", "2"], 0), (["run", "x"], 0), (["run", "--workers", "two"], 0), (["run", "--workers"], 0),
])
def test_entry_point_sees_the_workers_a_run_asks_for(argv, n):
    from khaldun.launch import workers_asked

    assert workers_asked(argv) == n
