"""Write a run's outputs: ``summary.json``, ``quantiles.csv``, ``targets.csv`` and the charts.

Files are written whole or not at all: everything goes to a temporary folder beside the output
folder first, and each finished file is then moved into place with an atomic rename.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from simulator.stats.targets import QUANTILES

FORMATS = ("png", "svg", "pdf")


def quantiles_csv(summary: Mapping[str, Any]) -> str:
    """CSV text: one row per fiscal year (mean and quantiles, USD million)."""
    cols = ["fiscal_year", "mean"] + [f"p{round(q * 100):02d}" for q in QUANTILES]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([*cols, "series"])
    for row in summary["years"]:
        w.writerow([_fmt(row[c]) for c in cols] + ["total"])
    for name, rows in summary.get("components", {}).items():
        for row in rows:
            w.writerow([_fmt(row[c]) for c in cols] + [name])
    return buf.getvalue()


def targets_csv(summary: Mapping[str, Any]) -> str:
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
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for t in summary["targets"]:
        ci = t.get("p_hit_sim_error") or [None, None]
        row = {**t, "p_hit_sim_error_lo": ci[0], "p_hit_sim_error_hi": ci[1]}
        w.writerow([_fmt(row.get(c)) for c in cols])
    return buf.getvalue()


def _fmt(x: Any) -> str:
    if x is None:
        return ""
    if isinstance(x, float):
        return f"{x:.6g}" if abs(x) < 1 else f"{x:.2f}"
    return str(x)


Writer = Callable[[Path], None]
#: What a file of a command's outputs is made from: its text, its bytes, or a writer.
FileContent = str | bytes | Writer


def write_outputs(out_dir: Path, files: Mapping[str, FileContent]) -> list[Path]:
    """Write named files into ``out_dir`` whole or not at all.

    Parameters
    ----------
    out_dir : Path
        Created if missing.
    files : mapping of file name to text, bytes, or a function that writes to a given path

    Returns
    -------
    list of Path — the files written

    Raises
    ------
    OSError
        If a file cannot be produced; nothing in ``out_dir`` is then changed (and a folder this
        call created is removed again).
    """
    created = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=out_dir))
    done = False
    try:
        staged = []
        for name, content in files.items():
            path = tmp / name
            if isinstance(content, str):
                path.write_text(content, encoding="utf-8")
            elif isinstance(content, bytes):
                path.write_bytes(content)
            else:
                content(path)
            staged.append(name)
        written = []
        for name in staged:
            os.replace(tmp / name, out_dir / name)
            written.append(out_dir / name)
        done = True
        return written
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if created and not done and not any(out_dir.iterdir()):
            out_dir.rmdir()


def summary_json(summary: Mapping[str, Any]) -> str:
    """``summary.json`` text (NaN-free, indented)."""
    return json.dumps(summary, indent=2, allow_nan=False) + "\n"


def run_files(summary: Mapping[str, Any], *, fmt: str = "png") -> dict[str, str | Writer]:
    """Every file ``simulator run`` writes, by name."""
    from simulator.present.newsroom import newsroom_files
    from simulator.report import charts
    from simulator.report.html import fan_html

    files: dict[str, str | Writer] = {
        "summary.json": summary_json(summary),
        "quantiles.csv": quantiles_csv(summary),
        "targets.csv": targets_csv(summary),
        **newsroom_files(summary),
        "fan.html": fan_html(summary),
    }
    for name, draw in charts.run_charts(summary).items():
        files[f"{name}.{fmt}"] = charts.saver(draw)
    return files


def sensitivity_csv(result: dict[str, Any]) -> str:
    """CSV text (``sensitivity.csv``): one row per input and target, in the result's order.

    P(hit) 0-1; medians USD million (the total in the target's fiscal year).
    """
    import csv
    import io

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
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for rank, row in enumerate(result["inputs"], start=1):
        for t in result["targets"]:
            name, fy = t["name"], str(t["fiscal_year"])
            w.writerow(
                [
                    rank,
                    row["key"],
                    row["kind"],
                    row["label"],
                    name,
                    fy,
                    f"{t['value']:g}",
                    row["low_setting"],
                    row["high_setting"],
                    f"{result['base']['p_hit'][name]:.6g}",
                    f"{row['low']['p_hit'][name]:.6g}",
                    f"{row['high']['p_hit'][name]:.6g}",
                    f"{row['span'][name]:.6g}",
                    f"{row['span_se'][name]:.6g}",
                    f"{result['base']['median'][fy]:.2f}",
                    f"{row['low']['median'][fy]:.2f}",
                    f"{row['high']['median'][fy]:.2f}",
                ]
            )
    return buf.getvalue()
