"""Many independent files (templates to write, returns to read): across the machine's cores."""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

PARALLEL_MIN = 32  # below this many items, one process is faster than starting workers

_TASK: dict = {}


def _run(item):
    return _TASK["fn"](item)


def parallel_map(fn: Callable, items: Iterable, progress: Callable[[int], None] | None = None) -> list:
    """``[fn(item) for item in items]`` in order, in forked workers when there are many items.

    ``fn`` may be a closure: forked workers inherit it instead of receiving it pickled. ``progress`` is
    called with 1 per item done.
    """
    return list(parallel_iter(fn, items, progress))


def parallel_iter(fn: Callable, items: Iterable, progress: Callable[[int], None] | None = None) -> Iterator:
    """:func:`parallel_map` one result at a time, in order, as the workers send them: a caller that keeps only
    what it needs of each result never holds them all."""
    items = list(items)
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < PARALLEL_MIN or workers < 2 or "fork" not in mp.get_all_start_methods():
        for item in items:
            yield fn(item)
            if progress:
                progress(1)
        return
    _TASK["fn"] = fn
    # The objects alive now are left out of the workers' garbage collections: a collection writes into every
    # object it visits, and each page it writes stops being shared with this process (some 50 MB per worker).
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
            for result in pool.map(_run, items, chunksize=max(1, len(items) // (8 * workers))):
                yield result
                if progress:
                    progress(1)
    finally:
        gc.unfreeze()
        _TASK.clear()



def _background(calls: list[Callable[[], object]], conn) -> None:
    """In a forked child: the calls' results (or the first exception) sent back through ``conn``."""
    try:
        out = (True, [call() for call in calls])
    except BaseException as err:  # noqa: BLE001 — raised again in the parent
        out = (False, err)
    try:
        conn.send(out)
    except Exception:  # noqa: BLE001 — an exception that does not pickle
        conn.send((False, RuntimeError(f"{type(out[1]).__name__}: {out[1]}")))
    conn.close()


def concurrently(first: Callable[[], object], *others: Callable[[], object]) -> list:
    """``[first(), *(call() for call in others)]``: ``first`` here while the others run one after the other in a
    forked child (independent writers of one run, on two cores). The child is a plain process, not a pool, so
    no helper thread runs here while ``first`` forks workers of its own. An exception is raised here once both
    are done."""
    if not others or (os.cpu_count() or 1) < 2 or "fork" not in mp.get_all_start_methods():
        return [first(), *(call() for call in others)]
    ctx = mp.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_background, args=(list(others), send))
    gc.freeze()  # as for parallel_iter's workers: the child's collections leave the inherited pages shared
    try:
        child.start()
    finally:
        gc.unfreeze()
    send.close()
    try:
        mine = first()
    finally:
        try:
            ok, theirs = receive.recv()
        except EOFError:  # the child died without a word (killed)
            ok, theirs = False, RuntimeError("background writer stopped")
        receive.close()
        child.join()
    if not ok:
        raise theirs
    return [mine, *theirs]
