"""Helpers shared by the bench scripts: child-process timing with peak RSS, medians, log-log fits, tables.

Every measurement runs in a fresh child process so that imports, caches and memory start from zero, the way a
user's `khaldun run` does. Wall time, CPU time (user + system, children included) and peak RSS come from
`os.wait4`; the peak RSS and CPU time of a whole process tree (`--workers N`, Dask) are sampled with psutil
when it is installed. The bench machine may be shared: each measurement first waits (up to two minutes)
until other processes leave the CPUs idle, and the CPU column is the one that such noise moves least.
"""

from __future__ import annotations

import gzip
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_PAGES = ROOT.parent / "shared" / "benchmarks" / "article-extraction"
PYTHON = sys.executable
TREE_SAMPLE_S = 0.05  # psutil sampling period for the process-tree peak and CPU ...
TREE_REFRESH = 5  # ... and every this many samples, the search for new descendants
IDLE_BUSY = 0.15  # before each run, wait until other processes use less than this share of the CPUs ...
IDLE_MAX_WAIT_S = 120.0  # ... for at most this long (then measure anyway; the load average is printed)


_BYTECODE_READY = False


@dataclass(slots=True)
class Measure:
    wall_s: float
    cpu_s: float  # user + system of the whole process tree (psutil samples), else of the child (wait4)
    rss_mb: float  # peak RSS of the child process itself (wait4's ru_maxrss)
    tree_rss_mb: float  # peak of the summed RSS over the child and its descendants (psutil); 0 without psutil
    stdout: str
    stderr: str


@dataclass(slots=True)
class _Tree:
    peak_mb: float = 0.0
    cpu: dict[int, float] | None = None  # pid -> last seen user + system seconds


def _sample_tree(pid: int, stop: threading.Event, out: _Tree) -> None:
    try:
        import psutil
    except ImportError:
        return
    try:
        root = psutil.Process(pid)
    except psutil.Error:
        return
    out.cpu = {}
    procs = [root]
    i = 0
    while not stop.is_set():
        # Finding the descendants scans every process on the machine: do it every TREE_REFRESH samples only,
        # so that the sampler itself does not take a noticeable share of a 2-core machine from the run.
        if i % TREE_REFRESH == 0:
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
        i += 1
        total = 0
        for p in procs:
            try:
                with p.oneshot():
                    total += p.memory_info().rss
                    t = p.cpu_times()
                    out.cpu[p.pid] = t.user + t.system
            except psutil.Error:
                pass
        out.peak_mb = max(out.peak_mb, total / 2**20)
        stop.wait(TREE_SAMPLE_S)


def cpu_busy(seconds: float = 1.0) -> float:
    """Share of the machine's CPU time spent busy over `seconds` (from /proc/stat; 0 where unreadable)."""

    def snap() -> tuple[int, int]:
        f = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return sum(f), f[3] + (f[4] if len(f) > 4 else 0)

    try:
        t0, i0 = snap()
        time.sleep(seconds)
        t1, i1 = snap()
    except (OSError, ValueError, IndexError):
        return 0.0
    return 1.0 - (i1 - i0) / max(1, t1 - t0)


def wait_idle(*, busy_below: float = IDLE_BUSY, max_wait_s: float = IDLE_MAX_WAIT_S) -> float:
    """Wait (up to `max_wait_s`) until other processes leave the machine idle; returns the busy share seen.

    The bench machine may be shared: a measurement taken while another job runs says little about khaldun.
    """
    deadline = time.monotonic() + max_wait_s
    busy = cpu_busy()
    while busy > busy_below and time.monotonic() < deadline:
        busy = cpu_busy(2.0)
    return busy


def measure(cmd: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
            check: bool = True, idle: bool = True) -> Measure:
    """Run `cmd` in a child process (after waiting for an idle machine); wall time, CPU time, peak RSS."""
    if idle:
        wait_idle()
    t0 = time.perf_counter()
    proc = subprocess.Popen(list(cmd), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd)
    stop, tree = threading.Event(), _Tree()
    sampler = threading.Thread(target=_sample_tree, args=(proc.pid, stop, tree), daemon=True)
    sampler.start()
    out_chunks: list[bytes] = []
    err_chunks: list[bytes] = []
    readers = [threading.Thread(target=lambda s=s, b=b: b.append(s.read()), daemon=True)
               for s, b in ((proc.stdout, out_chunks), (proc.stderr, err_chunks))]
    for r in readers:
        r.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    stop.set()
    for r in readers:
        r.join()
    sampler.join()
    stdout = b"".join(out_chunks).decode("utf-8", "replace")
    stderr = b"".join(err_chunks).decode("utf-8", "replace")
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{stderr[-3000:]}")
    own = usage.ru_utime + usage.ru_stime
    cpu = max(own, sum(tree.cpu.values())) if tree.cpu else own
    return Measure(wall, cpu, usage.ru_maxrss / 1024, tree.peak_mb, stdout, stderr)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def loglog_fit(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Least-squares slope of log(y) on log(x): the growth exponent (1.0 is linear)."""
    if len(xs) < 2:
        return float("nan")
    lx = [math.log(x) for x in xs]
    ly = [math.log(max(y, 1e-9)) for y in ys]
    mx, my = statistics.fmean(lx), statistics.fmean(ly)
    sxx = sum((a - mx) ** 2 for a in lx)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / sxx if sxx else float("nan")


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub-flavoured Markdown table (it reads fine in a terminal and pastes into docs/performance.md)."""
    cells = [[str(h) for h in headers]] + [[_fmt(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(cells[0], widths, strict=True)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in cells[1:]]
    return "\n".join(lines)


def _fmt(v: object) -> str:
    if isinstance(v, float):
        if math.isnan(v):
            return "-"
        return f"{v:.3g}" if abs(v) < 10 else f"{v:,.1f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def machine() -> str:
    """One line naming the machine: CPU model, cores, RAM, Python, library versions."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        kb = int(next(ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")).split()[1])
        ram = f", {kb / 2**20:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    versions = []
    for mod in ("trafilatura", "duckdb", "lxml", "dask", "distributed", "pyarrow"):
        try:
            from importlib.metadata import version

            versions.append(f"{mod} {version(mod)}")
        except Exception:  # noqa: BLE001, S112 - a missing library is simply not listed
            continue
    return (f"{cpu}, {os.cpu_count()} cores{ram}; Python {platform.python_version()} ({platform.system()}); "
            + ", ".join(versions))


def load_average() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def find_pages(arg: str | None) -> Path:
    """The article-extraction benchmark folder: the argument, else ../shared/benchmarks/article-extraction."""
    p = Path(arg) if arg else SHARED_PAGES
    if not p.exists():
        sys.exit(f"no benchmark pages at {p}: pass the folder of the article-extraction benchmark "
                 "(html/*.html.gz) as an argument")
    return p


def unpack_pages(src: Path, dest: Path) -> list[Path]:
    """Copy the benchmark pages into `dest` as plain .html files (khaldun reads .html, not .html.gz)."""
    dest.mkdir(parents=True, exist_ok=True)
    html_dir = src / "html" if (src / "html").is_dir() else src
    out = []
    for f in sorted(html_dir.iterdir()):
        if f.name.endswith(".html.gz"):
            target = dest / f.name[: -len(".gz")]
            with gzip.open(f, "rb") as fin, target.open("wb") as fout:
                shutil.copyfileobj(fin, fout)
        elif f.suffix.lower() in (".html", ".htm"):
            target = dest / f.name
            shutil.copyfile(f, target)
        else:
            continue
        out.append(target)
    if not out:
        sys.exit(f"no .html or .html.gz pages under {html_dir}")
    return out


def ensure_bytecode() -> None:
    """Compile khaldun's modules to bytecode before timing it, as `pip install .` does at install time.

    An editable install (`pip install -e .`, the README's) writes the bytecode on first import, unless
    PYTHONDONTWRITEBYTECODE is set, as it is on the bench machine: then every start compiles khaldun's
    9,000 lines from source again, 0.2-0.3 s that an installed copy does not pay (trafilatura's bytecode
    is already in site-packages). Compiling is idempotent and skips what is up to date.
    """
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("khaldun")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        compileall.compile_dir(folder, quiet=1)


def khaldun_cmd(*args: str) -> list[str]:
    """`khaldun ARGS` run with this interpreter (the venv's), whatever PATH says, its bytecode compiled."""
    global _BYTECODE_READY
    if not _BYTECODE_READY:
        ensure_bytecode()
        _BYTECODE_READY = True
    return [PYTHON, "-m", "khaldun", *args]
