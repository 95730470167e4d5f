"""Who runs many independent tasks: threads, processes or a Dask cluster, behind one interface.

A sweep or a global sensitivity analysis is many scenario variants, each a full Monte Carlo
run, and the runs are independent. :func:`make_executor` picks what runs them:

- threads in this process (the default: NumPy releases the GIL in the engine's hot loops);
- ``workers=N``: a :class:`concurrent.futures.ProcessPoolExecutor` on this machine;
- ``scheduler="local"``: a ``dask.distributed`` ``LocalCluster`` started (and shut down) here;
- ``scheduler="tcp://host:8786"``: an existing Dask cluster.

Every executor has the same :meth:`Executor.map`: it applies a function to tasks and returns the
results **in task order**, whatever order they finish in. Tasks must carry everything that
decides their result (the run's seed among it), so the combined result does not depend on who
ran what: a sweep's files are byte-identical on one thread, two processes or a cluster. Results
should be small reductions (counts, medians), never paths: they cross process and network
boundaries. At most ``window`` tasks are in flight, so tasks produced by a generator are
created only as workers free up and memory stays flat in the number of tasks.

Dask is an optional extra (``pip install "simulator[dask]"``) and is imported only when a
scheduler is asked for.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures import Executor as _FuturesExecutor
from types import TracebackType
from typing import Any, TypeVar

from simulator.errors import SimulatorError, UserInputError

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")
Progress = Callable[[int], None]

#: Tasks kept in flight per worker: enough to keep every worker busy while results come back.
IN_FLIGHT_PER_WORKER = 4
#: Workers of a LocalCluster when none are asked for.
DEFAULT_LOCAL_WORKERS = 2


class ExecutorError(SimulatorError):
    """An executor cannot be started (for example, no Dask cluster at the address given)."""


class Executor(ABC):
    """Runs independent tasks and hands back their results in task order.

    Use as a context manager; :meth:`close` releases the workers (and shuts down a cluster the
    executor started).
    """

    #: Short description for logs and benchmark output, such as "2 processes".
    description: str = ""

    @property
    @abstractmethod
    def workers(self) -> int:
        """Number of tasks that run at the same time."""

    @abstractmethod
    def map(
        self,
        fn: Callable[[T], R],
        tasks: Iterable[T],
        *,
        progress: Progress | None = None,
    ) -> list[R]:
        """Apply ``fn`` to every task; return the results in task order.

        Parameters
        ----------
        fn : callable
            A module-level function (it is pickled for processes and clusters).
        tasks : iterable
            Consumed lazily: at most :data:`IN_FLIGHT_PER_WORKER` tasks per worker exist at once.
        progress : callable, optional
            Called with 1 in this thread each time a task finishes.

        Raises
        ------
        KeyboardInterrupt
            Re-raised after the outstanding tasks are cancelled.
        """

    @abstractmethod
    def close(self) -> None:
        """Release the workers."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _ordered_map(
    submit: Callable[[int, T], Any],
    wait_some: Callable[[set[Any]], tuple[set[Any], set[Any]]],
    result: Callable[[Any], R],
    cancel: Callable[[set[Any]], None],
    tasks: Iterable[T],
    window: int,
    progress: Progress | None,
) -> list[R]:
    """The bounded-window loop every executor shares: submit, wait, collect by index."""
    out: dict[int, R] = {}
    index_of: dict[Any, int] = {}
    pending: set[Any] = set()
    it = iter(enumerate(tasks))
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) < window:
                try:
                    i, task = next(it)
                except StopIteration:
                    exhausted = True
                    break
                fut = submit(i, task)
                index_of[fut] = i
                pending.add(fut)
            if not pending:
                break
            done, pending = wait_some(pending)
            for fut in done:
                out[index_of.pop(fut)] = result(fut)
                if progress is not None:
                    progress(1)
    except BaseException:
        cancel(pending)
        raise
    return [out[i] for i in range(len(out))]


class _FuturesBased(Executor):
    """Threads or processes through :mod:`concurrent.futures`."""

    def __init__(self, pool: _FuturesExecutor, workers: int) -> None:
        self._pool = pool
        self._workers = workers

    @property
    def workers(self) -> int:
        return self._workers

    def map(
        self,
        fn: Callable[[T], R],
        tasks: Iterable[T],
        *,
        progress: Progress | None = None,
    ) -> list[R]:
        def wait_some(pending: set[Any]) -> tuple[set[Any], set[Any]]:
            done, rest = wait(pending, return_when=FIRST_COMPLETED)
            return set(done), set(rest)

        def cancel(pending: set[Any]) -> None:
            for fut in pending:
                fut.cancel()
            self._pool.shutdown(wait=False, cancel_futures=True)

        def result(fut: Future[R]) -> R:
            return fut.result()

        return _ordered_map(
            lambda _i, task: self._pool.submit(fn, task),
            wait_some,
            result,
            cancel,
            tasks,
            IN_FLIGHT_PER_WORKER * self._workers,
            progress,
        )

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class ThreadExecutor(_FuturesBased):
    """Threads in this process (the default)."""

    def __init__(self, threads: int | None = None) -> None:
        n = max(1, threads or cpu_count())
        super().__init__(ThreadPoolExecutor(max_workers=n), n)
        self.description = f"{n} thread{'s' if n != 1 else ''}"


class ProcessExecutor(_FuturesBased):
    """A pool of ``workers`` processes on this machine.

    Processes start with ``forkserver`` (``spawn`` where that is missing): forking a parent that
    already runs threads (NumPy's, the thread pool's) is unsafe.
    """

    def __init__(self, workers: int) -> None:
        n = max(1, int(workers))
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        super().__init__(ProcessPoolExecutor(max_workers=n, mp_context=ctx), n)
        self.description = f"{n} process{'es' if n != 1 else ''}"


class DaskExecutor(Executor):
    """Tasks on a ``dask.distributed`` cluster: a LocalCluster started here, or one at an address.

    Parameters
    ----------
    scheduler : str
        ``"local"`` to start a LocalCluster (shut down again by :meth:`close`), or the address
        of a running scheduler such as ``tcp://10.0.0.5:8786``.
    workers : int, optional
        Workers of a LocalCluster (default :data:`DEFAULT_LOCAL_WORKERS`), one thread each.
        Ignored for an existing cluster.

    Raises
    ------
    UserInputError
        When Dask is not installed (with the command that installs it).
    ExecutorError
        When no scheduler answers at the address.
    """

    def __init__(self, scheduler: str, *, workers: int | None = None) -> None:
        distributed = import_distributed()
        self._cluster: Any = None
        self._client: Any = None
        try:
            if scheduler == "local":
                import dask

                n = workers or DEFAULT_LOCAL_WORKERS
                # Dask sets MALLOC_TRIM_THRESHOLD_ in its workers, which turns off glibc's
                # adaptive mmap threshold: every block-sized array of the engine is then
                # mmap'ed and zero-filled afresh, and a point runs 2-3x slower than in a plain
                # process (measured with bench/sweep.py). Workers keep glibc's default.
                # Its statistical profiler (every 10 ms, all threads) is off for the same
                # reason: nobody looks at a dashboard here.
                with dask.config.set(
                    {
                        "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                        "distributed.worker.profile.enabled": False,
                    }
                ):
                    self._cluster = distributed.LocalCluster(
                        n_workers=n,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                        silence_logs=logging.ERROR,
                    )
                self._client = distributed.Client(self._cluster, set_as_default=False)
                self.description = f"Dask LocalCluster, {n} workers"
            else:
                self._client = distributed.Client(scheduler, timeout="10s", set_as_default=False)
                self.description = f"Dask cluster at {scheduler}"
        except OSError as exc:
            self.close()
            raise ExecutorError(
                f"no Dask scheduler answers at {scheduler} ({exc}); start one with "
                "'dask scheduler' and 'dask worker ADDRESS', or use --scheduler local"
            ) from exc
        except BaseException:
            self.close()
            raise
        self._distributed = distributed

    @property
    def workers(self) -> int:
        info = self._client.scheduler_info()
        threads = sum(int(w.get("nthreads", 1)) for w in info.get("workers", {}).values())
        return max(1, threads)

    def map(
        self,
        fn: Callable[[T], R],
        tasks: Iterable[T],
        *,
        progress: Progress | None = None,
    ) -> list[R]:
        client = self._client
        done_queue = self._distributed.as_completed(loop=client.loop)
        token = os.urandom(6).hex()  # task keys unique to this call; results depend on index only

        def submit(i: int, task: T) -> Any:
            fut = client.submit(fn, task, key=f"simulator-task-{token}-{i}", pure=False)
            done_queue.add(fut)
            return fut

        def wait_some(pending: set[Any]) -> tuple[set[Any], set[Any]]:
            first = next(done_queue)
            done = {first}
            done.update(f for f in done_queue.next_batch(block=False) if f in pending)
            return done, pending - done

        def cancel(pending: set[Any]) -> None:
            if pending:
                client.cancel(list(pending), force=True)

        def result(fut: Any) -> R:
            return fut.result()  # type: ignore[no-any-return]

        return _ordered_map(
            submit,
            wait_some,
            result,
            cancel,
            tasks,
            IN_FLIGHT_PER_WORKER * self.workers,
            progress,
        )

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def import_distributed() -> Any:
    """Import ``dask.distributed``, or raise a one-line error that says how to install it."""
    try:
        import distributed
    except ImportError as exc:
        raise UserInputError(
            "--scheduler needs Dask, which is not installed; install it with "
            'pip install "simulator[dask]"'
        ) from exc
    return distributed


def make_executor(
    *, workers: int | None = None, scheduler: str | None = None, threads: int | None = None
) -> Executor:
    """The executor a command asked for.

    Parameters
    ----------
    workers : int, optional
        Processes on this machine; with ``scheduler="local"``, the LocalCluster's workers.
    scheduler : str, optional
        ``"local"`` or a Dask scheduler address (``tcp://host:8786``).
    threads : int, optional
        Threads in this process when neither of the above is given (default: all cores).
    """
    if scheduler is not None:
        return DaskExecutor(scheduler, workers=workers)
    if workers is not None:
        return ProcessExecutor(workers)
    return ThreadExecutor(threads)


def cpu_count() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1
