"""The scenario schema's provenance: where a scenario came from, and what a derived variant says."""

from __future__ import annotations

from pathlib import Path

from simulator.questions.goalseek import shift_growth
from simulator.scenario.loader import load_scenario


def test_a_loaded_scenario_knows_its_file_digest_and_lines(baseline_file: Path) -> None:
    sc = load_scenario(baseline_file)
    assert sc.file == str(baseline_file)
    assert sc.sha256 is not None and len(sc.sha256) == 64
    file, line = sc.provenance.locate(("horizon",))
    assert file == str(baseline_file)
    text = baseline_file.read_text(encoding="utf-8").splitlines()
    assert line is not None and text[line - 1].startswith("horizon:")


def test_a_derived_variant_does_not_claim_its_parents_digest(baseline_file: Path) -> None:
    sc = load_scenario(baseline_file)
    variant = shift_growth(sc, 0.01)  # goal seek's variant: a model_copy with changes
    assert variant.sha256 is None
    assert variant.provenance.derived
    assert variant.provenance.derived_from == sc.sha256
    # Its values are not the file's, so it claims no line in it either.
    assert variant.provenance.locate(("growth", 0, "mean")) == (str(baseline_file), None)
    # An unchanged copy is still the file.
    assert sc.model_copy().sha256 == sc.sha256


def test_a_variant_of_a_variant_still_names_the_file_it_came_from(baseline_file: Path) -> None:
    sc = load_scenario(baseline_file)
    twice = shift_growth(shift_growth(sc, 0.01), 0.01)
    assert twice.provenance.derived_from == sc.sha256
    assert twice.file == sc.file
