"""Write a command's outputs: ``summary.json``, ``quantiles.csv``, ``targets.csv``, the charts.

The one home of writing to disk. An output folder holds one run: it is written whole into a
temporary folder beside it and then swapped in (:func:`write_outputs`), so it never mixes two
runs' files and an interrupted run leaves the previous one whole. A single file (a chart named
on the command line, a scenario that ``calibrate`` writes) is written whole by
:func:`write_file`.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.errors import OutputFolderError
from simulator.present.rows import csv_text
from simulator.stats.chart_data import ChartData
from simulator.stats.summary import QUANTILE_NAMES, Summary

if TYPE_CHECKING:
    from simulator.questions.compare import Comparison
    from simulator.questions.sensitivity import SensitivityResult

FORMATS = ("png", "svg", "pdf")


def quantiles_csv(summary: Summary) -> str:
    """CSV text: one row per fiscal year (mean and quantiles, USD million)."""
    series = [("total", summary.years), *summary.components.items()]
    return csv_text(
        ["fiscal_year", "mean", *QUANTILE_NAMES, "series"],
        (
            [row.fiscal_year, row.mean, *(row.quantile(q) for q in QUANTILE_NAMES), name]
            for name, rows in series
            for row in rows
        ),
    )


def targets_csv(summary: Summary) -> str:
    """CSV text: one row per target."""
    cols = [
        "name",
        "fiscal_year",
        "value",
        "kind",
        "component",
        "status",
        "p_hit",
        "p_hit_sim_error_lo",
        "p_hit_sim_error_hi",
        "p50",
        "p50_gap",
        "expected_shortfall",
        "required_cagr",
    ]
    rows = []
    for t in summary.targets:
        lo, hi = t.p_hit_sim_error or (None, None)
        cells = [
            t.name,
            t.fiscal_year,
            t.value,
            t.kind,
            t.component,
            t.status,
            t.p_hit,
            lo,
            hi,
            t.p50,
            t.p50_gap,
            t.expected_shortfall,
            t.required_cagr,
        ]
        rows.append(cells)
    return csv_text(cols, rows)


def comparison_csv(comparison: Comparison) -> str:
    """``comparison.csv`` text: one row per target and scenario (probabilities 0-1)."""
    cols = [
        "target",
        "fiscal_year",
        "value",
        "scenario",
        "p_hit",
        "p_hit_sim_error_lo",
        "p_hit_sim_error_hi",
        "diff_vs_first",
        "diff_se",
    ]
    rows = []
    for t in comparison.targets:
        for r in t.results:
            lo, hi = r.p_hit_sim_error or (None, None)
            rows.append(
                [t.name, t.fiscal_year, t.value, r.scenario, r.p_hit, lo, hi, r.diff, r.diff_se]
            )
    return csv_text(cols, rows)


#: The file that marks a folder as a command's output folder, so the next run may replace it.
MARKER = ".simulator-output"
_MARKER_TEXT = (
    "This folder was written by the simulator command line. The next run with this --out\n"
    "replaces everything in it; remove this file to keep the folder from being replaced.\n"
)

Writer = Callable[[Path], None]
#: What a file of a command's outputs is made from: its text, its bytes, or a writer.
FileContent = str | bytes | Writer


def _produce(path: Path, content: FileContent) -> None:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        content(path)


def write_file(path: Path, content: FileContent) -> Path:
    """Write one file whole or not at all: a temporary file beside it, then an atomic rename.

    The temporary name keeps ``path``'s suffix, so a chart writer sees the format it must
    write. Nothing else in ``path``'s folder is touched.

    Raises
    ------
    OSError
        If the file cannot be produced; ``path`` is then as it was.
    """
    parent = path.parent if str(path.parent) else Path(".")
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=parent)
    os.close(fd)
    tmp = Path(name)
    try:
        _produce(tmp, content)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def check_output_folder(out_dir: Path) -> None:
    """Refuse an output folder a command may not replace: a file, or a folder with other files.

    A missing folder, an empty one, or one a command wrote before (it holds :data:`MARKER`)
    may be replaced.

    Raises
    ------
    OutputFolderError
        Otherwise, naming the folder.
    """
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise OutputFolderError("is not a folder; choose another --out", file=str(out_dir))
    if (out_dir / MARKER).is_file() or not any(out_dir.iterdir()):
        return
    raise OutputFolderError(
        "holds files this tool did not write; choose a new or empty --out folder "
        f"(a folder holding {MARKER} is replaced whole)",
        file=str(out_dir),
    )


def write_outputs(out_dir: Path, files: Mapping[str, FileContent]) -> list[Path]:
    """Replace ``out_dir`` with exactly ``files``, as one step, or leave it as it was.

    Everything is written into a temporary folder beside ``out_dir`` first, with
    :data:`MARKER`; only when every file is done does that folder take ``out_dir``'s place
    (an atomic exchange of the two names on Linux, two renames elsewhere), and the old
    contents are removed. So files of an earlier run (charts in another ``--format``) never
    stay beside the new ones, and an interrupted or failed run leaves the old folder whole.

    Parameters
    ----------
    out_dir : Path
        Created (with its parents) if missing; must pass :func:`check_output_folder`.
    files : mapping of file name to text, bytes, or a function that writes to a given path

    Returns
    -------
    list of Path — the files written, in ``files``' order (the marker is not listed)

    Raises
    ------
    OutputFolderError
        If ``out_dir`` is not a folder this tool may replace.
    OSError
        If a file cannot be produced; ``out_dir`` is then unchanged.
    """
    check_output_folder(out_dir)
    target = Path(os.path.abspath(out_dir))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        os.chmod(tmp, 0o777 & ~_umask())
        for name, content in files.items():
            _produce(tmp / name, content)
        (tmp / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        if target.exists():
            _exchange(tmp, target)  # tmp now holds the old contents
        else:
            os.rename(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [out_dir / name for name in files]


def _exchange(a: Path, b: Path) -> None:
    """Swap the names of two folders: atomically with Linux's ``renameat2(RENAME_EXCHANGE)``
    (no moment without ``b``), else with two renames."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = getattr(libc, "renameat2", None)
        if renameat2 is not None:
            at_fdcwd, rename_exchange = -100, 2
            if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
                return
    old = a.with_name(a.name + "-old")
    os.rename(b, old)
    try:
        os.rename(a, b)
    except OSError:
        os.rename(old, b)
        raise
    os.rename(old, a)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def summary_json(summary: Mapping[str, Any]) -> str:
    """``summary.json`` text (NaN-free, indented)."""
    return json.dumps(summary, indent=2, allow_nan=False) + "\n"


def run_files(
    summary: Summary, chart_data: ChartData, *, fmt: str = "png", spaghetti: bool = False
) -> dict[str, str | Writer]:
    """Every file ``simulator run`` writes, by name: ``summary.json`` is the summary and
    nothing else, ``chart_data.json`` what the charts draw beyond it."""
    from simulator.present.newsroom import newsroom_files
    from simulator.report import charts
    from simulator.report.html import fan_html

    data = summary.to_dict()
    files: dict[str, str | Writer] = {
        "summary.json": summary_json(data),
        "chart_data.json": summary_json(chart_data.to_dict()),
        "quantiles.csv": quantiles_csv(summary),
        "targets.csv": targets_csv(summary),
        **newsroom_files(summary),
        "fan.html": fan_html(summary),
    }
    for name, draw in charts.run_charts(summary, chart_data, spaghetti=spaghetti).items():
        files[f"{name}.{fmt}"] = charts.saver(draw)
    return files


def sensitivity_csv(result: SensitivityResult) -> str:
    """CSV text (``sensitivity.csv``): one row per input and target, in the result's order.

    P(hit) 0-1; medians USD million (the total in the target's fiscal year).
    """
    cols = [
        "rank",
        "key",
        "kind",
        "label",
        "target",
        "fiscal_year",
        "target_value",
        "low_setting",
        "high_setting",
        "p_hit_base",
        "p_hit_low",
        "p_hit_high",
        "span",
        "span_se",
        "median_base",
        "median_low",
        "median_high",
    ]
    rows = []
    for rank, row in enumerate(result.swings, start=1):
        i = row.input
        for t in result.targets:
            rows.append(
                [
                    rank,
                    i.key,
                    i.kind,
                    i.label,
                    t.name,
                    str(t.fiscal_year),
                    t.value,
                    i.low_setting,
                    i.high_setting,
                    result.p_hit(result.base, t),
                    result.p_hit(row.low, t),
                    result.p_hit(row.high, t),
                    result.span(row, t),
                    result.span_se(row, t),
                    result.median(result.base, t),
                    result.median(row.low, t),
                    result.median(row.high, t),
                ]
            )
    return csv_text(cols, rows)
