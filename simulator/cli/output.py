"""How a command talks back: progress on the terminal, files on disk, and the one-line failure.

Shared by every command module of :mod:`simulator.cli`; nothing here computes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from simulator.cli.options import EXIT_USER
from simulator.errors import UserInputError

if TYPE_CHECKING:
    from simulator.present.files import FileContent
    from simulator.report.charts import Draw


def _quiet() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.obj and ctx.obj.get("quiet"))


@contextmanager
def progress_bar(length: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on a terminal (stderr), unless --quiet; otherwise nothing is shown."""
    if _quiet() or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar.update


@contextmanager
def counter(label: str) -> Iterator[Callable[[int], None] | None]:
    """A running count on a terminal (stderr), for work of unknown length; quiet otherwise."""
    if _quiet() or not sys.stderr.isatty():
        yield None
        return
    count = [0]

    def step(n: int) -> None:
        count[0] += n
        click.echo(f"\r{label} {count[0]}", err=True, nl=False)

    try:
        yield step
    finally:
        click.echo("\r" + " " * (len(label) + 8) + "\r", err=True, nl=False)


def output_folder(out_dir: str | None, default: Path) -> Path:
    """The folder a command writes to (``--out`` or ``default``), refused before any work if
    it is not one the command may replace (see ``present.files.check_output_folder``)."""
    from simulator.present.files import check_output_folder

    out = Path(out_dir) if out_dir else default
    check_output_folder(out)
    return out


def write(out: Path, files: Mapping[str, FileContent]) -> list[Path]:
    """Replace the folder ``out`` with ``files`` as one step (``present.files.write_outputs``);
    a folder that cannot be written is a user error, not a crash."""
    from simulator.present.files import write_outputs

    try:
        return write_outputs(out, files)
    except OSError as exc:
        raise _unwritable(out, exc) from exc


def write_one(path: Path, content: FileContent) -> Path:
    """Write one file whole (``present.files.write_file``), leaving its folder's other files."""
    from simulator.present.files import write_file

    try:
        return write_file(path, content)
    except OSError as exc:
        raise _unwritable(path, exc) from exc


def _unwritable(where: Path, exc: OSError) -> UserInputError:
    reason = exc.strerror or str(exc)
    return UserInputError(
        f"cannot write the outputs: {reason}; choose another --out folder", file=str(where)
    )


def write_with_charts(
    out: Path,
    files: Mapping[str, FileContent],
    draws: Mapping[str, Draw],
    fmt: str,
) -> list[Path]:
    """Write ``files`` plus one ``<name>.<fmt>`` per chart in ``draws`` (see ``charts.saver``)."""
    from simulator.report import charts

    every: dict[str, FileContent] = dict(files)
    every.update({f"{name}.{fmt}": charts.saver(draw) for name, draw in draws.items()})
    return write(out, every)


def echo_written(out: Path, written: list[Path]) -> None:
    """The closing line of a command that wrote files."""
    names = ", ".join(p.name for p in written)
    click.echo(f"\nWrote {len(written)} file{'s' * (len(written) != 1)} to {out}/: {names}")


def fail(message: str, code: int = EXIT_USER) -> NoReturn:
    """Print ``message`` on stderr and exit with ``code`` (a user error by default)."""
    for line in message.splitlines() or [message]:
        click.echo(line, err=True)
    sys.exit(code)
