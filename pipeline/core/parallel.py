"""Many independent files (templates to write, returns to read): across the machine's cores."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import multiprocessing as mp
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

PARALLEL_MIN = 32  # below this many items, one process is faster than starting workers

_TASK: dict = {}


@functools.cache
def _libc_trim():
    """glibc's ``malloc_trim``, or None (another C library, another system)."""
    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)  # the symbols already loaded: the C library's
    except (OSError, TypeError):
        return None


def release_memory() -> None:
    """Give the memory freed since the last call back to the system. After a batch of many files, what the
    workers sent and was then freed stays in this process's heap, in pages scattered among live objects,
    which glibc keeps (some 75 MB after 10,000 returns): counted in its memory, and in each worker forked
    afterwards."""
    gc.collect()
    trim = _libc_trim()
    if trim is not None:
        trim(0)


def settle() -> None:
    """Once, as a process starts its work (the installed command; the web front's server as it starts): what is
    alive now (the modules loaded, the project) stays to the end, and is left out of every garbage collection
    from now on. Each full collection visited the hundred thousand objects of pandas, pandera, lxml…: 0.6 s of
    garbage collection in a consolidation of 1,000 companies, 0.1 s once settled. Not in the middle of a
    long-lived process: an object frozen then and dropped later in a reference cycle is never collected."""
    gc.collect()
    gc.freeze()


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
    workers = _workers(items)
    if not workers:
        for item in items:
            yield fn(item)
            if progress:
                progress(1)
        return
    with _forked(fn, items, workers) as results:
        for result in results:
            yield result
            if progress:
                progress(1)


@contextlib.contextmanager
def started(fn: Callable, items: Iterable, beside: bool) -> Iterator[Callable[[], list]]:
    """``parallel_map(fn, items)`` whose results are asked for later, through the function the context gives.
    With ``beside``, the workers start at once, one core fewer, and the caller goes on with its own work on that
    core while they run (their memory then adds to the caller's) — a worker even for a few items (the return-to-sender
    workbooks of a hundred companies, 0.14 s of 2.3 s), unless other threads run in the caller's process (the web
    front's server: a fork could inherit a lock one of them holds); without, the work is done before the caller goes
    on. Leaving the context waits for the workers."""
    items = list(items)
    workers = _workers(items, few=beside and threading.active_count() == 1)
    if not beside or not workers:
        done = parallel_map(fn, items)
        del fn, items  # nothing of the work kept alive while the caller goes on
        yield lambda: done
        return
    with _forked(fn, items, workers - 1) as results:  # a core left to the caller's own work
        del fn, items
        yield functools.cache(lambda: list(results))


def _workers(items: list, few: bool = False) -> int:
    """How many forked workers for ``items``: none when one process does better (few items, one core, no fork).
    ``few``: a worker even for a few items (work beside the caller's own, in a process without other threads)."""
    workers = min(os.cpu_count() or 1, 8)
    enough = len(items) >= (1 if few else PARALLEL_MIN)
    return workers if enough and workers >= 2 and "fork" in mp.get_all_start_methods() else 0


@contextlib.contextmanager
def _forked(fn: Callable, items: list, workers: int) -> Iterator[Iterator]:
    """The results of ``fn`` on each item, in order, from forked workers: all forked as the work is handed out."""
    _TASK["fn"] = fn
    release_memory()  # the freed heap given back first: the workers would inherit it
    # Each worker leaves what it inherited out of its garbage collections (gc.freeze as it starts): a collection
    # writes into every object it visits, and each page it writes stops being shared with this process (some
    # 50 MB per worker).
    try:
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"), initializer=gc.freeze) as pool:
            yield pool.map(_run, items, chunksize=max(1, len(items) // (8 * workers)))
    finally:
        _TASK.clear()
