"""Random-number streams: one ``SeedSequence`` per run, addressed by block and role.

Paths are cut into fixed blocks of :data:`BLOCK` paths; each block and each named role
(``growth:<series>``, ``lever:<name>``, ``shock:<name>``, ``nowcast:...``) gets its own child
sequence, addressed by ``spawn_key = (block, role_id)`` (what ``SeedSequence.spawn`` does, made
explicit so a role's numbers do not depend on which other roles a scenario has). So results do
not depend on the chunk size or the number of threads, and two scenarios run with the same seed
share their normal scores role by role: common random numbers.
"""

from __future__ import annotations

import os
import zlib

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

#: Paths per random-number block: the unit of seeding, fixed so results never depend on chunking.
BLOCK = 1 << 15


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
