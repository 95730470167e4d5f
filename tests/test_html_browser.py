"""The HTML outputs in a real browser: headless Chromium (Debian's, driven by Playwright) with
the network blocked. The chart must render, a tooltip must appear on hover, and moving an
explorer slider must show the P(hit) the engine gives for that grid point.

Under CI=true these tests may not skip; elsewhere they skip when no Chromium is found.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from simulator.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Where a failing test leaves its screenshots for a person to look at.
SHOTS = os.environ.get("SIMULATOR_SCREENSHOTS")


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = _missing()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests may not skip under CI=true: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page whose every non-file request is aborted and recorded in ``page.blocked``."""
    context = browser.new_context(viewport={"width": 900, "height": 800})
    blocked: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.blocked = blocked
    pg.errors = errors
    yield pg
    context.close()


def _open(page: Any, path: Path) -> None:
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)
    page.wait_for_selector("#chart svg .mark-area path", timeout=10_000)


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def _tooltip_after_hover(page: Any, marks: Any, index: int, *, down: float = 0.5) -> str:
    """Hover the ``index``-th of ``marks``, ``down`` of the way down its box; the tooltip."""
    box = marks.nth(index).bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] * down)
    tip = page.locator("#vg-tooltip-element.visible")
    tip.wait_for(timeout=5_000)
    return str(tip.inner_text())


def test_fan_html_renders_and_shows_tooltips_offline(page: Any, tmp_path: Path) -> None:
    res = CliRunner().invoke(
        cli,
        ["-q", "run", str(SCENARIOS / "ai-push.yaml"), "--paths", "2000", "--out", str(tmp_path)],
    )
    assert res.exit_code == 0, res.output
    _open(page, tmp_path / "fan.html")
    _shot(page, "fan.png")
    svg_text = page.locator("#chart svg").first.text_content() or ""
    assert "Scenario: AI services push" in svg_text
    # One hover column per year: a column of a projected year gives its median and bands.
    columns = page.locator("#chart svg .mark-rect path")
    n = columns.count()
    assert n >= 10
    text = _tooltip_after_hover(page, columns, n - 2, down=0.95)
    assert "Median projection" in text and "80% of paths" in text
    _shot(page, "fan_tooltip.png")
    page.mouse.move(1, 1)
    # The target diamonds are the last layer of symbols (the actuals' dots come first).
    diamonds = page.locator("#chart svg g.mark-symbol").last.locator("path")
    assert diamonds.count() == 3
    text = _tooltip_after_hover(page, diamonds, 1)
    assert "P(hit)" in text and "%" in text
    assert page.blocked == []
    assert page.errors == []


def test_explorer_slider_shows_the_precomputed_chance(page: Any, tmp_path: Path) -> None:
    from simulator.present.text import chance_text
    from simulator.report.explorer import evaluate_variant
    from simulator.scenario.loader import load_scenario

    scenario = SCENARIOS / "ai-push.yaml"
    args = [
        "-q", "explore", str(scenario), "--paths", "1000", "--seed", "7", "--out", str(tmp_path),
        "--vary", "levers.ai_services_push=0:0.06:3", "--vary", "persistence=0.0:0.8:3",
    ]  # fmt: skip
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    _open(page, tmp_path / "explorer.html")
    _shot(page, "explorer.png")
    sc = load_scenario(scenario)
    head = 1  # $10B by FY29
    assert "$10B by FY29" in page.locator("#p-hit tr").nth(head + 1).inner_text()
    cell = page.locator(f"#p-hit-{head}")
    median = page.locator("#chart svg .mark-line path").first.get_attribute("d")
    shown = {}
    for lever, growth in ((0, 0), (2, 2)):
        page.locator("#knob-0").fill(str(lever))
        page.locator("#knob-1").fill(str(growth))
        overrides = [("levers.ai_services_push", [0.0, 0.03, 0.06][lever]),
                     ("persistence", [0.0, 0.4, 0.8][growth])]  # fmt: skip
        want = evaluate_variant(sc, overrides, paths=1000, seed=7).p_hit[head]
        assert want is not None
        assert cell.inner_text() == chance_text(want)
        shown[lever] = cell.inner_text()
    assert shown[0] != shown[2]
    assert page.locator("#chart svg .mark-line path").first.get_attribute("d") != median
    _shot(page, "explorer_moved.png")
    assert page.blocked == []
    assert page.errors == []
