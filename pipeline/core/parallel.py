"""Many independent files (templates to write, returns to read): across the machine's cores."""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterable
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
    items = list(items)
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < PARALLEL_MIN or workers < 2 or "fork" not in mp.get_all_start_methods():
        out = []
        for item in items:
            out.append(fn(item))
            if progress:
                progress(1)
        return out
    _TASK["fn"] = fn
    try:
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
            out = []
            for result in pool.map(_run, items, chunksize=max(1, len(items) // (8 * workers))):
                out.append(result)
                if progress:
                    progress(1)
            return out
    finally:
        _TASK.clear()
