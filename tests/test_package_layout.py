"""The package's shape (the architecture issue): small modules that each name their one job, and
untyped dicts only where JSON is read or written.

Import cycles are checked in ``test_package_imports.py``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import simulator

PACKAGE = Path(simulator.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))

#: No module longer than this (lines).
MAX_LINES = 700
#: At most this many untyped mappings (``dict[str, Any]``, ``Mapping[str, Any]`` or an alias of
#: one) in the whole package: the JSON edges.
DICT_BUDGET = 20

_UNTYPED = re.compile(r"\b(?:dict|Mapping|MutableMapping)\[str,\s*Any\]")
_ALIAS = re.compile(r"^(\w+)(?:\s*:\s*TypeAlias)?\s*=\s*(?:dict|Mapping)\[str,\s*Any\]\s*$", re.M)


def _rel(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


def test_no_module_is_over_the_line_limit() -> None:
    long = {
        _rel(p): n
        for p in MODULES
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_every_module_names_its_job_in_a_docstring() -> None:
    missing = [
        _rel(p)
        for p in MODULES
        if p.stat().st_size and not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))
    ]
    assert not missing, f"modules without a docstring: {missing}"


#: Modules whose job is a JSON (or YAML) format: the Vega-Lite pages, the JSON Schema, the YAML
#: reader with line numbers, and the one helper that writes a result as JSON.
JSON_MODULES = {
    "simulator/report/html.py",
    "simulator/report/explorer.py",
    "simulator/scenario/json_schema.py",
    "simulator/scenario/issues.py",
    "simulator/scenario/loader.py",
    "simulator/stats/jsonable.py",
}


def _scopes(tree: ast.AST) -> dict[int, list[str]]:
    """{line: names of the functions and classes around it, outermost first}."""
    out: dict[int, list[str]] = {}

    def visit(node: ast.AST, names: list[str]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                inner = [*names, child.name]
                for line in range(child.lineno, (child.end_lineno or child.lineno) + 1):
                    out[line] = inner
                visit(child, inner)
            else:
                visit(child, names)

    visit(tree, [])
    return out


def _at_json_edge(rel: str, scope: list[str]) -> bool:
    """A use in a JSON module, or in a function or class that reads or writes JSON by name."""
    return rel in JSON_MODULES or any(
        n in ("to_dict", "from_dict") or "json" in n.lower() for n in scope
    )


def untyped_mappings() -> tuple[list[str], list[str]]:
    """Uses of untyped string-keyed mappings in the package, as ``file:line: text``: the
    written-out ``dict[str, Any]`` / ``Mapping[str, Any]``, and uses of an alias of one
    (``JSONDict``) away from the JSON edge. Import lines and the alias's definition are not
    uses."""
    texts = {p: p.read_text(encoding="utf-8") for p in MODULES}
    aliases = {m.group(1) for text in texts.values() for m in _ALIAS.finditer(text)}
    alias_use = re.compile(rf"\b(?:{'|'.join(sorted(aliases))})\b") if aliases else None
    literal: list[str] = []
    stray: list[str] = []
    for path, text in texts.items():
        rel = _rel(path)
        scopes = _scopes(ast.parse(text))
        for i, line in enumerate(text.splitlines(), 1):
            code = line.split("#", 1)[0]
            if _ALIAS.match(code) or re.match(r"\s*(from|import)\b", code):
                continue
            where = f"{rel}:{i}: {line.strip()}"
            literal.extend([where] * len(_UNTYPED.findall(code)))
            if alias_use and alias_use.search(code) and not _at_json_edge(rel, scopes.get(i, [])):
                stray.append(where)
    return literal, stray


def test_untyped_dicts_stay_within_the_json_edge_budget() -> None:
    literal, _ = untyped_mappings()
    assert len(literal) <= DICT_BUDGET, "\n".join([f"{len(literal)} > {DICT_BUDGET}:", *literal])


def test_the_json_alias_is_used_only_where_json_is_read_or_written() -> None:
    _, stray = untyped_mappings()
    assert not stray, "JSONDict away from the JSON edge:\n" + "\n".join(stray)


#: Test files named after what they test, beside the package's modules and subpackages: the
#: package as a whole, and the project folders of scenarios and notebooks.
WHOLE = {"package", "scenarios", "notebooks"}


def test_test_files_are_named_after_the_modules_they_test() -> None:
    names = {p.stem for p in MODULES} | {p.name for p in PACKAGE.iterdir() if p.is_dir()} | WHOLE
    tests = sorted(Path(__file__).parent.glob("test_*.py"))
    stray = [
        t.name
        for t in tests
        if not any(t.stem[5:] == n or t.stem[5:].startswith(n + "_") for n in names)
    ]
    assert not stray, f"test files named after no module (test_<module>[_<aspect>].py): {stray}"


def test_the_readme_layout_names_every_module() -> None:
    """A newcomer finds a behaviour from the module names: the README's Layout sketch must
    name every one of them."""
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    sketch = readme.split("## Layout", 1)[1].split("```")[1]
    words = set(re.findall(r"[a-z_]+", sketch))
    missing = sorted(
        _rel(p) for p in MODULES if p.stem not in ("__init__", "__main__") and p.stem not in words
    )
    assert not missing, f"modules the README's Layout does not name: {missing}"
