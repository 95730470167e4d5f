"""Random-number streams and samplers: where the engine's normal scores come from.

Plain Monte Carlo (``sampler: mc``)
    One ``SeedSequence`` per run. Paths are cut into fixed blocks of :data:`BLOCK` paths; each
    block and each named role (``growth:<series>``, ``lever:<name>``, ``shock:<name>``,
    ``nowcast:...``) gets its own child sequence, ``SeedSequence(entropy, spawn_key=(block,
    role_id(role)))`` (:func:`draw_normals`). A path's scores depend only on the run's entropy,
    the role and the path's index: not on chunking, threads, or which other roles exist.

Randomized quasi-Monte Carlo (``sampler: sobol``)
    The growth innovations of all series (``n_series * n_years`` dimensions, series-major) are
    one scrambled Sobol point per path instead of independent normals, mapped to normal scores
    by ``ndtri`` and then through exactly the same correlation, AR(1) and Gaussian copula as
    plain Monte Carlo. Paths are cut into *randomizations* of :data:`SOBOL_POINTS` consecutive
    paths (a power of two that divides :data:`BLOCK`); randomization ``j`` is the first
    :data:`SOBOL_POINTS` points of ``scipy.stats.qmc.Sobol(d, scramble=True)`` (Owen-type
    linear matrix scramble plus digital shift), seeded by ``SeedSequence(entropy,
    spawn_key=(j, role_id("sobol:growth")))``. Randomizations are independent and each is
    unbiased, so the simulation error of any average is the spread of its per-randomization
    values over ``sqrt(R)`` (:func:`randomization_error`). Because randomizations are
    addressed by path index like blocks, a path's scores again depend only on the entropy and
    its index: the same numbers whatever the chunking or thread count, and the first ``n``
    paths of a longer run are the paths of a run of ``n``. Levers, shocks and the nowcast keep
    their plain pseudo-random streams (random "padding" of the quasi-random point, which is
    unbiased); common random numbers across scenarios hold for every role, the growth scores
    whenever the scenarios simulate the same series.

Importance sampling
    :class:`Sampler` ``shift`` adds a constant vector to a role's innovations (a mean shift of
    the normal scores); :mod:`simulator.stats.rare` computes the likelihood-ratio weights.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

#: Paths per random-number block: the unit of seeding, fixed so results never depend on chunking.
BLOCK = 1 << 15
#: Paths per Sobol randomization (a power of two dividing :data:`BLOCK`).
SOBOL_POINTS = 1 << 10
#: Names a scenario may give its ``sampler``.
SAMPLERS = ("mc", "sobol")
_SOBOL_BITS = 30


def entropy_of(seed: int | None) -> int:
    """The entropy of a run's root ``SeedSequence``: ``seed`` itself, or fresh entropy for None.

    ``SeedSequence(entropy_of(None))`` replays the unseeded run, so that entropy is what an
    unseeded run records (and ``--seed`` takes to replay it).
    """
    return int(np.random.SeedSequence(seed).entropy)  # type: ignore[arg-type]


def cpu_count() -> int:
    """Cores this process may run on (its CPU affinity where the OS reports it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def role_id(role: str) -> int:
    """Stable 32-bit id of a named random-number role (CRC-32 of its name)."""
    return zlib.crc32(role.encode("utf-8"))


def draw_normals(
    entropy: int, role: str, start: int, stop: int, rows: int, *, out: FloatArray | None = None
) -> FloatArray:
    """Standard normal scores for paths ``start:stop``, shape (rows, stop - start).

    Drawn block by block from ``SeedSequence(entropy, spawn_key=(block, role_id(role)))``: block
    ``b`` holds ``rows * BLOCK`` consecutive normals, row-major (row ``r`` of path ``b * BLOCK + i``
    is normal number ``r * BLOCK + i`` of its stream). So the scores of a path depend only on the
    run's entropy, the role and the path's index.

    Parameters
    ----------
    out : ndarray, shape (rows, stop - start), optional
        Filled in place (each row must be C-contiguous) and returned. Whole blocks are drawn
        straight into it; only the parts of a partial block that are not wanted pass through
        a scratch buffer.
    """
    if out is None:
        out = np.empty((rows, stop - start))
    role_key = role_id(role)
    scratch: FloatArray | None = None
    for b in range(start // BLOCK, -(-stop // BLOCK)):
        lo, hi = max(start, b * BLOCK), min(stop, (b + 1) * BLOCK)
        ss = np.random.SeedSequence(entropy, spawn_key=(b, role_key))
        gen = np.random.Generator(np.random.PCG64(ss))
        head, tail = lo - b * BLOCK, (b + 1) * BLOCK - hi
        for r in range(rows):
            if head:
                scratch = _scratch(scratch)
                gen.standard_normal(out=scratch[:head])
            gen.standard_normal(out=out[r, lo - start : hi - start])
            if tail and r < rows - 1:  # the last row's tail is never needed
                scratch = _scratch(scratch)
                gen.standard_normal(out=scratch[:tail])
    return out


def _scratch(buf: FloatArray | None) -> FloatArray:
    return np.empty(BLOCK) if buf is None else buf


def sobol_normals(
    entropy: int, dims: int, start: int, stop: int, *, points: int = SOBOL_POINTS
) -> FloatArray:
    """Scrambled-Sobol normal scores for paths ``start:stop``, shape (dims, stop - start).

    Path ``j * points + i`` gets point ``i`` of randomization ``j`` (see the module notes). The
    unit-cube point is moved to the centre of its ``2**-30`` cell before ``ndtri``, so no score
    is infinite.
    """
    from scipy.special import ndtri
    from scipy.stats import qmc

    out = np.empty((dims, stop - start))
    key = role_id("sobol:growth")
    for j in range(start // points, -(-stop // points)):
        lo, hi = max(start, j * points), min(stop, (j + 1) * points)
        rng = np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(entropy, spawn_key=(j, key)))
        )
        engine = qmc.Sobol(dims, scramble=True, bits=_SOBOL_BITS, rng=rng)
        u = engine.random(points)[lo - j * points : hi - j * points]  # whole sets: balanced
        u += 0.5 ** (_SOBOL_BITS + 1)
        out[:, lo - start : hi - start] = ndtri(u).T
    return out


@dataclass(frozen=True)
class Sampler:
    """How the engine turns a role into normal scores.

    Attributes
    ----------
    kind : "mc" or "sobol" — plain pseudo-random, or scrambled Sobol for the growth roles
    series : tuple of str — the simulated series (the growth roles, in Sobol dimension order)
    rows : int — rows (fiscal years) per growth role
    points : int — paths per Sobol randomization
    shift : mapping of role to tuple of float — mean shift added to each row of that role's
        scores (importance sampling); empty for an ordinary run
    """

    kind: Literal["mc", "sobol"] = "mc"
    series: tuple[str, ...] = ()
    rows: int = 0
    points: int = SOBOL_POINTS
    shift: Mapping[str, tuple[float, ...]] = field(default_factory=dict)

    def normals(
        self,
        entropy: int,
        role: str,
        start: int,
        stop: int,
        rows: int,
        *,
        out: FloatArray | None = None,
    ) -> FloatArray:
        """Scores of ``role`` for paths ``start:stop``, shape (rows, stop - start) (like
        :func:`draw_normals`, which it is for plain Monte Carlo and for every non-growth role)."""
        name = role.removeprefix("growth:")
        if self.kind == "sobol" and role.startswith("growth:") and name in self.series:
            s = self.series.index(name)
            z = sobol_normals(
                entropy, len(self.series) * self.rows, start, stop, points=self.points
            )
            part = z[s * self.rows : s * self.rows + rows]
            if out is None:
                out = np.ascontiguousarray(part)
            else:
                out[...] = part
        else:
            out = draw_normals(entropy, role, start, stop, rows, out=out)
        mu = self.shift.get(role)
        if mu is not None:
            out += np.asarray(mu, dtype=np.float64)[:rows, None]
        return out

    def randomizations(self, paths: int) -> int:
        """Independent randomizations in a run of ``paths`` (0 for plain Monte Carlo)."""
        return -(-paths // self.points) if self.kind == "sobol" else 0


MC = Sampler()


def make_sampler(kind: str, series: tuple[str, ...], rows: int) -> Sampler:
    """The sampler called ``kind`` (one of :data:`SAMPLERS`) for these growth series."""
    if kind not in SAMPLERS:
        raise ValueError(f"sampler must be one of {', '.join(SAMPLERS)} (got {kind!r})")
    return Sampler(kind="sobol" if kind == "sobol" else "mc", series=series, rows=rows)


def randomization_error(x: FloatArray, *, points: int = SOBOL_POINTS) -> float:
    """Standard error of ``x.mean()`` from the spread across Sobol randomizations.

    ``x`` holds one value per path (an indicator, a weight, a level), in path order, so
    randomization ``j`` is ``x[j*points:(j+1)*points]``. With per-randomization means
    ``m_j``, sizes ``n_j`` (the last may be partial) and ``w_j = n_j / n``, the error is
    ``sqrt(R / (R - 1) * sum_j w_j**2 (m_j - mean)**2)`` (equal to ``sd(m_j) / sqrt(R)`` when
    every randomization is whole). NaN with a single randomization.
    """
    n = x.size
    r = -(-n // points)
    if r < 2:
        return float("nan")
    edges = np.arange(0, n, points)
    sums = np.add.reduceat(np.asarray(x, dtype=np.float64), edges)
    sizes = np.diff(np.append(edges, n)).astype(np.float64)
    mean = float(sums.sum() / n)
    w = sizes / n
    dev = sums / sizes - mean
    return float(np.sqrt(r / (r - 1) * np.sum(w * w * dev * dev)))
