"""Where the chunks of a sweep run: in this process, on a local process pool, or on Dask.

* ``"vectorized"`` -- chunk after chunk in this process (the default on one machine).
* ``"pool"`` -- a local pool of ``workers`` processes (``concurrent.futures``, started with
  ``spawn``).  Each process compiles the scenario once.  Scenarios that cannot be vectorised
  (trees with information sets) are solved exactly point by point; the pool spreads that work.
* ``"dask"`` -- a Dask cluster: ``scheduler`` is an address (``"tcp://host:8786"``,
  ``"tls://..."``) or a ``distributed.Client``.  Dask is the optional extra ``[dask]``; the
  workers need ``negotiate`` installed.

Every engine runs the same task, :func:`negotiate.sweeps.plan.run_chunk`, on the same chunks,
so the results are bit-identical whatever the engine and the number of workers.  Tasks are
idempotent (Dask executes at least once: a task whose worker dies is run again), and with an output
directory a task whose file exists does nothing.

**Security of a Dask cluster.**  Anyone who can connect to a scheduler or worker can run
code on it (tasks are pickled functions; ``Client.run``).  Plain ``tcp://`` is neither
authenticated nor encrypted.  Keep local clusters on ``127.0.0.1``
(``LocalCluster(host="127.0.0.1")``); on any shared network use TLS with mutual
authentication, ``distributed.Security(require_encryption=True, tls_ca_file=...,
tls_client_cert=..., tls_client_key=...)``, passed here as ``security=``, and never expose
scheduler, worker or dashboard ports publicly.  Only your own code is shipped to the workers.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from negotiate.errors import ModelError, NegotiateError, NotApplicableError
from negotiate.sweeps.plan import ChunkResult, SweepPlan, run_chunk

__all__ = ["ENGINES", "SweepClusterError", "SweepInterrupted", "choose_engine", "execute"]

ENGINES = ("vectorized", "pool", "dask")
_STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name)
)


class SweepInterrupted(NegotiateError):
    """A signal (SIGTERM, SIGHUP, SIGINT) stopped a sweep; its workers were shut down first.

    The chunks already written stay; ``resume=True`` (``--resume``) computes the rest.
    """

    def __init__(self, signum: int) -> None:
        self.signum = signum
        name = signal.Signals(signum).name
        super().__init__(
            f"the sweep was stopped by {name}; its workers were shut down and the chunks "
            "written so far are kept: run it again with --resume (resume=True) to continue"
        )


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[None]:
    """Turn SIGTERM, SIGHUP and SIGINT into :class:`SweepInterrupted` while the block runs
    (main thread only: signal handlers cannot be set elsewhere), then restore the handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise SweepInterrupted(signum)

    previous = {s: signal.signal(s, handler) for s in _STOP_SIGNALS}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


@contextlib.contextmanager
def _ignore_signals() -> Iterator[None]:
    """Ignore further stop signals while the workers are being ended (a second Ctrl-C must
    not leave them running)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in _STOP_SIGNALS}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: cancel what is queued and end its worker processes."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        if p.is_alive():
            p.terminate()
    for p in processes:
        p.join(timeout=10)
        if p.is_alive():  # pragma: no cover - a worker that ignores SIGTERM
            p.kill()
            p.join(timeout=10)


def choose_engine(engine: str, workers: int | None, scheduler: Any, kernel_exact: bool) -> str:
    """Resolve ``"auto"``: Dask with a scheduler, a pool with several workers or an exact
    kernel, else in-process."""
    if engine not in (*ENGINES, "auto"):
        raise ModelError("engine", engine, f"expected 'auto' or one of {ENGINES}")
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int) or workers < 1
    ):
        raise ModelError("workers", workers, "expected a positive whole number")
    if engine == "auto":
        if scheduler is not None:
            return "dask"
        if (workers or 1) > 1 or (kernel_exact and workers is None and (os.cpu_count() or 1) > 1):
            return "pool"
        return "vectorized"
    if engine == "dask" and scheduler is None:
        raise ModelError("scheduler", None, "the dask engine needs a scheduler address or Client")
    if engine != "dask" and scheduler is not None:
        raise ModelError(
            "scheduler", str(scheduler), f"is only used by the dask engine, not {engine!r}"
        )
    return engine


def execute(
    plan: SweepPlan,
    chunks: Sequence[int],
    out: str | None,
    engine: str,
    on_result: Callable[[ChunkResult], None],
    workers: int | None = None,
    scheduler: Any = None,
    security: Any = None,
) -> None:
    """Run ``chunks`` of ``plan`` on ``engine``; ``on_result`` receives each result as it ends."""
    if engine == "vectorized":
        with _stop_on_signals():
            for c in chunks:
                on_result(run_chunk(plan, c, out))
    elif engine == "pool":
        _pool(plan, chunks, out, on_result, workers or os.cpu_count() or 1)
    elif engine == "dask":
        _dask(plan, chunks, out, on_result, scheduler, security)
    else:  # pragma: no cover - choose_engine validates
        raise ModelError("engine", engine, f"expected one of {ENGINES}")


def _pool(
    plan: SweepPlan,
    chunks: Sequence[int],
    out: str | None,
    on_result: Callable[[ChunkResult], None],
    workers: int,
) -> None:
    if not chunks:
        return
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=ctx)
    try:
        with _stop_on_signals():
            pending = {pool.submit(run_chunk, plan, c, out) for c in chunks[: 2 * workers]}
            rest = iter(chunks[2 * workers :])
            while pending:
                done = next(as_completed(pending))
                pending.discard(done)
                on_result(done.result())
                nxt = next(rest, None)
                if nxt is not None:
                    pending.add(pool.submit(run_chunk, plan, nxt, out))
    except BaseException:
        # a signal, a failed chunk or an error in on_result: no worker may outlive the sweep
        with _ignore_signals():
            _terminate(pool)
        raise
    pool.shutdown(wait=True)


def _dask(
    plan: SweepPlan,
    chunks: Sequence[int],
    out: str | None,
    on_result: Callable[[ChunkResult], None],
    scheduler: Any,
    security: Any,
) -> None:
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:  # pragma: no cover - depends on the environment
        raise NotApplicableError(
            "the dask engine needs dask[distributed] (pip install 'negotiate-solver[dask]')",
            ("vectorized", "pool"),
        ) from None
    own = not isinstance(scheduler, Client)
    with _stop_on_signals(), _quiet_lost_connections():
        client = _connect(scheduler, security) if own else scheduler
        try:
            if not chunks:
                return
            try:
                [shared] = client.scatter([plan], broadcast=True, hash=False)
                keys = [f"negotiate-sweep-{plan.key[:16]}-{c}" for c in chunks]
                futures = client.map(
                    run_chunk, [shared] * len(chunks), list(chunks), [out] * len(chunks), key=keys
                )
                for future in dask_completed(futures):
                    on_result(future.result())
                    future.release()
            except (NegotiateError, KeyboardInterrupt, SystemExit):
                raise  # a task's own error (bad input) or a stop signal
            except BaseException as exc:  # the cluster failed: lost scheduler, dead workers
                raise SweepClusterError(
                    f"the Dask cluster failed during the sweep ({_first_line(exc)})"
                ) from None
        finally:
            if own:
                _close_quietly(client)


_SCHEMES = ("tcp", "tls", "inproc", "ws", "wss", "ucx")


class SweepClusterError(NegotiateError):
    """The Dask scheduler could not be reached or failed during a sweep.

    The chunks already written stay; ``resume=True`` (``--resume``) computes the rest.
    """

    def __init__(self, message: str) -> None:
        super().__init__(
            f"{message}. The chunks written so far are kept: run the sweep again with "
            "--resume (resume=True) to continue"
        )


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0][:160]}" if lines else type(exc).__name__


def _connect(scheduler: Any, security: Any) -> Any:
    from distributed import Client

    if not isinstance(scheduler, str) or "://" not in scheduler:
        raise ModelError("scheduler", scheduler, "expected an address such as tcp://host:8786")
    scheme = scheduler.split("://", 1)[0].lower()
    if scheme not in _SCHEMES:
        raise ModelError(
            "scheduler",
            scheduler,
            f"unknown address scheme {scheme!r}; use one of {', '.join(_SCHEMES)} "
            "(tcp://host:8786, or tls://host:8786 with TLS)",
        )
    kwargs = {"security": security} if security is not None else {}
    try:
        return Client(scheduler, **kwargs)
    except (NegotiateError, KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # refused, timed out, TLS mismatch, bad host
        raise SweepClusterError(
            f"cannot reach the Dask scheduler at {scheduler} ({_first_line(exc)})"
        ) from None


_DASK_LOGGERS = (
    "distributed.client",
    "distributed.core",
    "distributed.utils",
    "distributed.comm",
    "distributed.comm.tcp",
    "distributed.batched",
)


class _LostConnection:
    """A logging filter that drops distributed's tracebacks of a lost connection (the
    sweep raises one :class:`SweepClusterError` for it instead)."""

    def filter(self, record: Any) -> bool:
        import asyncio

        from distributed.comm.core import CommClosedError

        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, CommClosedError | OSError | asyncio.CancelledError)


@contextlib.contextmanager
def _quiet_lost_connections() -> Iterator[None]:
    import logging

    filt = _LostConnection()
    loggers = [logging.getLogger(n) for n in _DASK_LOGGERS]
    for lg in loggers:
        lg.addFilter(filt)
    try:
        yield
    finally:
        for lg in loggers:
            lg.removeFilter(filt)


def _close_quietly(client: Any) -> None:
    """Close a client; with its scheduler gone, distributed logs reconnection errors, which
    are not the user's concern (the sweep's own error says what happened)."""
    import logging

    loggers = [logging.getLogger(n) for n in ("distributed", "tornado", "asyncio")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        client.close(timeout=10)
    except Exception:  # closing a client of a dead scheduler may fail; nothing to do
        pass
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)
