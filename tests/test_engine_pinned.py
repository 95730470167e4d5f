"""Pinned engine output: the optimised engine draws the same numbers as the original one.

``PINNED`` was produced by the engine as of commit 7a0b2e6 (before the performance work) with
``simulate(scenario, paths=70_000, seed=7, threads=1)``. Rows 32767/32768 straddle a random-number
block and 69999 lies in the last, partial block. Values agree to ~1e-12 relative: the stream
layout and the model are unchanged; only the order of a few floating-point operations may differ.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from simulator.engine.runs import simulate
from simulator.scenario.loader import load_scenario
from simulator.scenario.schema import Scenario

REFERENCE_YAML = """\
name: Bench reference
nowcast: false
description: baseline growth, call-centre components, one lever, one shock
base: history
horizon: 2030
paths: 100000
seed: 2026
growth:
  - years: 2026-2027
    dist: normal
    mean: 0.19
    sd: 0.06
  - years: 2028-2030
    dist: normal
    mean: 0.17
    sd: 0.08
persistence: 0.4
components:
  - name: call_centres
    base: 328
    growth:
      - years: 2026-2030
        dist: lognormal
        mean: 0.10
        sd: 0.05
  - name: rest
    base: rest
correlation: [[1.0, 0.5], [0.5, 1.0]]
levers:
  - name: export_facilitation
    years: 2027-2030
    dist: interval
    low: 0.0
    high: 0.04
shocks:
  - name: global_slowdown
    years: 2026-2030
    probability: 0.1
    impact: {dist: normal, mean: -0.08, sd: 0.03}
    recovery: 0.5
targets: uraan
"""

#: The generic (scipy) route, a once-only shock on two components, a lever on one component,
#: negative persistence and binding limits.
EXOTIC_YAML = """\
name: exotic
nowcast: false
base: {fiscal_year: 2025, value: 3810}
horizon: 2031
seed: 5
growth:
  - years: 2026-2031
    dist: t
    mean: 0.15
    sd: 0.2
    df: 5
persistence: -0.3
components:
  - name: a
    base: {share: 0.3}
    growth:
      - years: 2026-2028
        dist: pert
        low: -0.1
        mode: 0.1
        high: 0.5
      - years: 2029-2031
        dist: split_normal
        mode: 0.1
        sd_low: 0.1
        sd_high: 0.2
  - name: b
    base: rest
  - name: c
    base: 100
    growth:
      - years: 2026-2031
        dist: uniform
        low: 0.0
        high: 0.3
correlation: [[1.0, 0.3, -0.2], [0.3, 1.0, 0.1], [-0.2, 0.1, 1.0]]
levers:
  - name: push
    years: 2027-2029
    components: [b]
    dist: triangular
    low: 0.0
    mode: 0.02
    high: 0.06
shocks:
  - name: crash
    years: 2027-2030
    probability: 0.3
    once: true
    impact: {dist: lognormal, mean: -0.2, sd: 0.1}
    recovery: 1.0
    components: [a, c]
limits:
  floor: -0.05
  cap: 0.4
"""

IID_YAML = """\
name: iid reference
nowcast: false
base: {fiscal_year: 2025, value: 3810}
horizon: 2030
seed: 1
growth:
  - years: 2026-2030
    dist: normal
    mean: 0.18
    sd: 0.06
targets: uraan
"""

YAMLS = {"reference": REFERENCE_YAML, "exotic": EXOTIC_YAML, "iid": IID_YAML}

PINNED = {
    "reference": {
        "values": {
            0: [
                4550.555350227105,
                5717.848050821704,
                8086.149210537117,
                10584.048380813483,
                12954.619930171653,
            ],
            32767: [
                4766.6695681118845,
                6092.286832773827,
                6963.550556048424,
                8363.820781956489,
                9378.475895144802,
            ],
            32768: [
                4523.733591438257,
                5650.334623252211,
                6929.530047183501,
                8031.541307727825,
                9125.90099312727,
            ],
            69999: [
                4431.46490933897,
                5368.68373110833,
                6427.966726857382,
                7668.670818663639,
                8719.021457647892,
            ],
        },
        "components": {
            "call_centres": [
                370.40329155722065,
                417.3062653886276,
                493.6358808473767,
                556.7946851416825,
                604.2085135181577,
            ],
            "rest": [
                4061.061617781749,
                4951.377465719703,
                5934.330846010005,
                7111.876133521956,
                8114.812944129735,
            ],
        },
        "floor_binds": [0.0, 0.0, 0.0, 0.0, 0.0],
        "cap_binds": [0.0, 0.0, 0.0, 0.0, 0.0],
        "shock_hits": {
            "global_slowdown": [
                0.10131428571428572,
                0.09741428571428572,
                0.0988,
                0.09884285714285715,
                0.09917142857142858,
            ]
        },
        "mean": [
            4467.961376940083,
            5358.999923303828,
            6331.942379881614,
            7491.691440084694,
            8870.082580961694,
        ],
    },
    "exotic": {
        "values": {
            0: [
                4430.492904895719,
                5274.231815842906,
                6010.4881122081715,
                6214.711728295671,
                7533.690489975782,
                8431.201344541534,
            ],
            32767: [
                4008.2580067184417,
                4841.043240533374,
                4895.735586304743,
                5365.3279219594215,
                6474.871356401682,
                8376.283055450209,
            ],
            32768: [
                4243.390933100006,
                5034.9497495753685,
                6304.977078966742,
                7862.617602300307,
                10419.248721413114,
                12613.030054236771,
            ],
            69999: [
                4510.510923205785,
                5921.342255405499,
                6686.990923601101,
                7879.861829757755,
                9010.57246177421,
                10720.438586878705,
            ],
        },
        "components": {
            "a": [
                1540.9760087402872,
                1940.510816741064,
                2056.3362958058947,
                1953.5194810156,
                2734.92727342184,
                3075.8320267940226,
            ],
            "b": [
                2859.6789817615104,
                3850.0826574468556,
                4495.7965173252815,
                5798.227143795727,
                6102.623964126056,
                7420.45894616753,
            ],
            "c": [
                109.85593270398728,
                130.74878121757996,
                134.8581104699245,
                128.11520494642826,
                173.02122422631518,
                224.14761391715098,
            ],
        },
        "floor_binds": [
            0.051666666666666666,
            0.16515714285714286,
            0.12712857142857142,
            0.1009,
            0.09269047619047618,
            0.05612380952380953,
        ],
        "cap_binds": [
            0.030476190476190476,
            0.036585714285714284,
            0.1477,
            0.13792380952380953,
            0.10911904761904762,
            0.09539523809523809,
        ],
        "shock_hits": {
            "crash": [
                0.0,
                0.29954285714285717,
                0.21092857142857144,
                0.14655714285714286,
                0.102,
                0.0,
            ]
        },
        "mean": [
            4375.789081654718,
            5009.180170009301,
            5845.5298655252445,
            6859.038267318202,
            7945.033206137459,
            9224.113993765148,
        ],
    },
    "iid": {
        "values": {
            0: [
                4649.364004215226,
                5770.027027058715,
                6937.400619318015,
                8507.240226429285,
                9622.643926023475,
            ],
            32767: [
                4404.764704784771,
                5362.23585276989,
                5694.899081754455,
                6823.217456832117,
                7730.678642561495,
            ],
            32768: [
                4534.448294136685,
                4958.037732484043,
                5841.032811663456,
                7185.897492107096,
                8625.571038938062,
            ],
            69999: [
                4393.957749908916,
                5438.030601038843,
                6790.680387569953,
                8557.37351847692,
                10007.304460741027,
            ],
        },
        "components": {},
        "floor_binds": [0.0, 0.0, 0.0, 0.0, 0.0],
        "cap_binds": [0.0, 0.0, 0.0, 0.0, 0.0],
        "shock_hits": {},
        "mean": [
            4495.120752370423,
            5302.657770965129,
            6255.4864300010095,
            7382.827134050981,
            8708.650587966255,
        ],
    },
}


RTOL = 1e-12


def _load(tmp_path: Path, text: str) -> Scenario:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return load_scenario(path)


@pytest.mark.parametrize("name", list(YAMLS))
@pytest.mark.parametrize(("threads", "chunk_size"), [(1, 1 << 17), (2, 1 << 15)])
def test_pinned_numbers(tmp_path: Path, name: str, threads: int, chunk_size: int) -> None:
    res = simulate(
        _load(tmp_path, YAMLS[name]), paths=70_000, seed=7, threads=threads, chunk_size=chunk_size
    )
    pinned = PINNED[name]
    for row, expected in pinned["values"].items():
        np.testing.assert_allclose(res.values[row], expected, rtol=RTOL)
    assert set(res.components) == set(pinned["components"])
    for comp, expected in pinned["components"].items():
        np.testing.assert_allclose(res.components[comp][69_999], expected, rtol=RTOL)
    np.testing.assert_allclose(res.values.mean(axis=0), pinned["mean"], rtol=RTOL)
    # Counts (shares of a fixed number of paths) must match exactly.
    np.testing.assert_array_equal(res.floor_binds, pinned["floor_binds"])
    np.testing.assert_array_equal(res.cap_binds, pinned["cap_binds"])
    assert {k: v.tolist() for k, v in res.shock_hits.items()} == pinned["shock_hits"]
