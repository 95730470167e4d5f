"""The notebooks: stored without outputs, on the public API only, no typed numbers, and each
executes top to bottom on a real kernel.

Rules checked here (notebooks/README.md says the same to a contributor):

- **No outputs in git.** Every code cell has no outputs and no execution count; run a notebook
  to see its results (``bench/notebooks.py`` runs them all and prints their times).
- **Public API only.** Code cells are parsed with :mod:`ast` (IPython ``%`` magics dropped
  first). Allowed: ``import simulator`` (no alias), ``from simulator import X`` and attribute
  uses ``simulator.X`` with ``X`` in ``simulator.__all__``, any library that is not
  ``simulator``, and shell lines ``!simulator ...`` (the CLI). Anything else that reaches into
  ``simulator.*`` fails.
- **No typed numbers in prose.** Every number a notebook states is computed in a cell and
  shown with ``Markdown`` (the ``say`` helper). So a markdown cell may hold a digit only inside:
  a fiscal-year label (``FY26``, ``FY2026``), a calendar year (``2025``, 1900–2099), a target
  named by its level (``$5B``, ``$10B``, ``$20B``, ``$500M``), list numbering at the start of a
  line (``1. ``), another notebook's file name (``05-how-honest.ipynb``) or an identifier in
  backticks (`` `p50` ``, a field name). Any other digit fails the test.
- **Question and answer.** The first cell is a markdown heading that asks a question (ends in
  "?"); the last cell is code whose output is Markdown starting "**Answer.**".
- **Executes** with nbclient on the ``python3`` kernel; the per-cell timeout is a hang guard
  only (the 30 s goal per notebook is measured by ``bench/notebooks.py``, not asserted here).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import simulator

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]
EXPECTED = [
    "01-how-likely.ipynb",
    "02-what-would-it-take.ipynb",
    "03-what-if.ipynb",
    "04-this-year.ipynb",
    "05-how-honest.ipynb",
]
#: Seconds a single cell may run before the test calls it hung (not a timing goal).
CELL_TIMEOUT = 300

#: What a markdown cell may hold digits in (the rule in the module docstring), removed before
#: looking for any digit left.
ALLOWED_NUMBERS = [
    re.compile(r"\b\d{2}-[a-z-]+\.ipynb\b"),  # another notebook's file name
    re.compile(r"\bFY\d{2}(?:\d{2})?\b"),  # FY26, FY2026 (and each end of FY26–FY30)
    re.compile(r"\b(?:19|20)\d{2}\b"),  # a calendar year
    re.compile(r"\$(?:5|10|20)B\b|\$500M\b"),  # a target named by its level
    re.compile(r"^\s*\d+\.\s", re.MULTILINE),  # list numbering
    re.compile(r"`[A-Za-z_][A-Za-z0-9_]*`"),  # an identifier in backticks
]


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def stray_digits(markdown: str) -> list[str]:
    """The words of ``markdown`` that hold a digit the rule does not allow."""
    text = markdown
    for pattern in ALLOWED_NUMBERS:
        text = pattern.sub(" ", text)
    return [w for w in text.split() if re.search(r"\d", w)]


def python_source(cell_source: str) -> tuple[str, list[str]]:
    """A code cell as Python for :mod:`ast` (IPython magics blanked), and its shell lines."""
    lines, shell = [], []
    for line in cell_source.splitlines():
        stripped = line.lstrip()
        if stripped.startswith("%"):
            lines.append("")
        elif stripped.startswith("!"):
            shell.append(stripped)
            lines.append("")
        else:
            lines.append(line)
    return "\n".join(lines), shell


def private_uses(cell_source: str) -> list[str]:
    """Everything in a code cell that reaches past ``simulator.__all__``."""
    code, shell = python_source(cell_source)
    public = set(simulator.__all__)
    bad = [s for s in shell if not re.match(r"!simulator(\s|$)", s)]
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "simulator" and a.asname is None:
                    continue
                if a.name == "simulator" or a.name.startswith("simulator."):
                    bad.append(f"import {a.name}" + (f" as {a.asname}" if a.asname else ""))
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 0 and module == "simulator":
                bad += [
                    f"from simulator import {a.name}" for a in node.names if a.name not in public
                ]
            elif module.startswith("simulator."):
                bad.append(f"from {module} import ...")
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "simulator"
            and node.attr not in public
        ):
            bad.append(f"simulator.{node.attr}")
    return bad


# --- the rules themselves, on made-up cells -------------------------------------------------


def test_the_digit_rule_allows_labels_and_refuses_numbers() -> None:
    allowed = (
        "# What would it take to reach $10B by FY2029?\n"
        "1. Copy the file (see `05-how-honest.ipynb`).\n"
        "2. July 2025 – June 2026 is FY26; FY26–FY30; \\$500M and \\$20B targets."
    )
    assert stray_digits(allowed) == []
    assert stray_digits("the median `p50` and `p_hit`") == []
    for typed in (
        "P(hit) is 18%",
        "a median of $4,672M",
        "20,000 paths",
        "k = 0..4",
        "$50B",
        "`20_000` paths",
        "`growth[1].mean`",
    ):
        assert stray_digits(typed), typed


def test_the_import_rule_allows_the_public_api_only() -> None:
    ok = (
        "%matplotlib inline\nimport numpy as np\nimport simulator\n"
        "from simulator import simulate\nsimulator.plot_fan\n!simulator run x.yaml"
    )
    assert private_uses(ok) == []
    for bad in (
        "import simulator.plotting",
        "from simulator.present.text import money",
        "from simulator import _LAZY",
        "import simulator as sim",
        "simulator.engine.runs",
        "!python -c 'import simulator.engine'",
    ):
        assert private_uses(bad), bad


# --- the committed notebooks ------------------------------------------------------------------


def test_the_five_notebooks_are_there() -> None:
    assert [p.name for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    for cell in _read(path).cells:
        if cell.cell_type == "code":
            assert not cell.outputs, f"{path.name}: clear outputs before committing"
            assert cell.execution_count is None, f"{path.name}: clear execution counts"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_uses_only_the_public_api(path: Path) -> None:
    bad = [u for c in _read(path).cells if c.cell_type == "code" for u in private_uses(c.source)]
    assert not bad, f"{path.name} reaches past simulator.__all__: {bad}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_prose_types_no_numbers(path: Path) -> None:
    stray = {
        i: words
        for i, c in enumerate(_read(path).cells)
        if c.cell_type == "markdown" and (words := stray_digits(c.source))
    }
    assert not stray, f"{path.name}: numbers typed in markdown cells (compute them): {stray}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_opens_with_a_question_and_closes_with_code(path: Path) -> None:
    cells = _read(path).cells
    first = cells[0].source.splitlines()[0]
    assert cells[0].cell_type == "markdown" and first.startswith("# ") and first.endswith("?")
    assert cells[-1].cell_type == "code" and "**Answer.**" in cells[-1].source


def _texts(nb: nbformat.NotebookNode) -> list[str]:
    out = []
    for c in nb.cells:
        if c.cell_type != "code":
            continue
        for o in c.outputs:
            if o.output_type == "stream":
                out.append(o.text)
            for kind in ("text/plain", "text/markdown"):
                if kind in o.get("data", {}):
                    out.append(o["data"][kind])
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_executes(path: Path) -> None:
    nb = _read(path)
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()  # raises CellExecutionError on any failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert any("image/png" in o.get("data", {}) for o in outputs), "it shows a chart"
    last = nb.cells[-1].outputs
    answer = [o["data"]["text/markdown"] for o in last if "text/markdown" in o.get("data", {})]
    assert answer and answer[0].startswith("**Answer.**"), "it ends with the answer"
    assert re.search(r"\d", answer[0]), "the answer quotes computed numbers"
    for text in _texts(nb):
        # A chance is written by the project's formatter, never as a rounded-away "0.0%".
        assert not re.search(r"(?<![\d.+-])0\.0%", text), text
