"""Per-year statistics of the path matrix in one selection pass per year, spread over threads.

``np.quantile(values, qs, axis=0)`` copies the whole (paths, years) matrix and partitions it;
``np.median`` of a target's year copies and partitions that column again. Here each year's
column is copied once (one column, never the matrix) and its order statistics are selected
in place: the lower neighbour of each quantile's virtual index and the median's middle one or
two, by nested single-``kth`` partitions; each upper neighbour is then a short minimum.
NumPy's partition releases the GIL, so the years run in parallel on a thread pool.

The results are bit-for-bit NumPy's: with ``n`` paths, NumPy's default ("linear", Hyndman and
Fan type 7) quantile ``q`` has virtual index ``h = (n - 1) q``, neighbours ``j = floor(h)`` and
``j + 1`` (both ``n - 1`` when ``h >= n - 1``) and ``gamma = h - j``, and is
``a + (b - a) gamma`` for ``gamma < 0.5``, else ``b - (b - a)(1 - gamma)`` (``a, b`` the order
statistics ``x_(j), x_(j+1)``); the median is ``x_(n//2)`` for odd ``n`` and
``(x_(n/2-1) + x_(n/2)) / 2`` for even ``n``. The same float operations in the same order give
the same numbers; ``tests/test_fast.py`` checks it.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class ColumnStats:
    """Quantiles, median and mean of each column of a (paths, n_cols) matrix.

    Attributes
    ----------
    quantiles : ndarray, shape (len(qs), n_cols) — as ``np.quantile(values, qs, axis=0)``
    median : ndarray, shape (n_cols,) — as ``np.median(values, axis=0)``
    mean : ndarray, shape (n_cols,) — as ``values.mean(axis=0)``
    """

    quantiles: FloatArray
    median: FloatArray
    mean: FloatArray


def _indices(n: int, qs: Sequence[float]) -> tuple[FloatArray, NDArray[np.intp], NDArray[np.intp]]:
    virt = (n - 1) * np.asarray(qs, dtype=np.float64)
    prev = np.floor(virt)
    nxt = prev + 1
    above = virt >= n - 1
    prev[above] = n - 1
    nxt[above] = n - 1
    below = virt < 0
    prev[below] = 0
    nxt[below] = 0
    prev_i, next_i = prev.astype(np.intp), nxt.astype(np.intp)
    gamma = virt - prev_i
    return gamma, prev_i, next_i


def _select(part: FloatArray, lo: int, hi: int, kth: list[int]) -> None:
    """Put the order statistics ``kth`` (sorted, within ``lo:hi``) in place, in place.

    One single-``kth`` partition of the slice at the middle one, then the same on each side:
    about ``n log2(len(kth))`` work. (NumPy's ``partition`` with many ``kth`` at once was 20x
    slower than with one, and slower than a full sort, on 1M doubles with NumPy 2.4.)
    """
    if not kth:
        return
    m = len(kth) // 2
    k = kth[m]
    part[lo:hi].partition(k - lo)
    _select(part, lo, k, kth[:m])
    _select(part, k + 1, hi, kth[m + 1 :])


def column_stats(
    values: FloatArray, qs: Sequence[float], *, threads: int | None = None
) -> ColumnStats:
    """Quantiles ``qs``, median and mean of every column, one partition per column.

    Parameters
    ----------
    values : ndarray, shape (paths, n_cols) — any units (best Fortran-ordered: a column is
        then contiguous and its copy is a straight memcpy)
    qs : sequence of float in [0, 1]
    threads : int, optional — default: the cores this process may use
    """
    from simulator.engine.streams import cpu_count

    n, n_cols = values.shape
    gamma, prev_i, next_i = _indices(n, qs)
    mid = [n // 2] if n % 2 else [n // 2 - 1, n // 2]
    # Partition at the lower neighbours and the median only; each upper neighbour x_(j+1) is
    # then the smallest element between j + 1 and the next partition point (a short min
    # instead of another selection pass).
    kth = np.unique(np.concatenate([prev_i, mid]))
    ends = np.append(kth[1:], n - 1)
    seg_end = {int(k): int(e) for k, e in zip(kth, ends, strict=True)}
    quant = np.empty((len(qs), n_cols))
    median = np.empty(n_cols)
    mean = np.empty(n_cols)
    take_hi = gamma >= 0.5

    def one(t: int) -> None:
        col = values[:, t]
        mean[t] = np.add.reduce(col) / n if col.flags.c_contiguous else np.nan
        part = col.copy()
        _select(part, 0, n, [int(k) for k in kth])
        a = part[prev_i]
        b = np.array(
            [
                part[j] if nj == j else part[j + 1 : seg_end[int(j)] + 1].min()
                for j, nj in zip(prev_i, next_i, strict=True)
            ]
        )
        diff = b - a
        quant[:, t] = np.where(take_hi, b - diff * (1 - gamma), a + diff * gamma)
        median[t] = part[mid[0]] if len(mid) == 1 else (part[mid[0]] + part[mid[1]]) / 2.0

    workers = max(1, min(threads or cpu_count(), n_cols))
    if workers == 1:
        for t in range(n_cols):
            one(t)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(one, range(n_cols)))
    if np.isnan(mean).any():  # non-contiguous columns: NumPy's own column reduction
        mean = values.mean(axis=0)
    return ColumnStats(quantiles=quant, median=median, mean=mean)
