"""Run chunks of work in forked worker processes (annotation and scoring of large runs).

The heavy parts of a large run are Python text processing and SciPy sparse products, both of
which hold the GIL, so threads do not help; forked processes share the read-only inputs
copy-on-write and send back only small results. Small runs (missions) stay in-process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_SHARED: dict[str, Any] = {}


def default_workers() -> int:
    """Use the cores this process may run on, at most 4."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        available = os.cpu_count() or 1
    return max(1, min(4, available))


def _call(job: tuple[Callable[[dict[str, Any], Any], Any], Any]) -> Any:
    func, chunk = job
    return func(_SHARED, chunk)


def fork_map(
    func: Callable[[dict[str, Any], T], R],
    chunks: Sequence[T],
    shared: dict[str, Any],
    workers: int,
) -> list[R]:
    """``[func(shared, chunk) for chunk in chunks]``, in ``workers`` forked processes.

    ``func`` must be a module-level function; ``shared`` reaches the workers through fork,
    not pickling. Falls back to a plain loop with one worker, one chunk, or no fork.
    """
    if workers <= 1 or len(chunks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [func(shared, chunk) for chunk in chunks]
    _SHARED.clear()
    _SHARED.update(shared)
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(min(workers, len(chunks))) as pool:
            return pool.map(_call, [(func, chunk) for chunk in chunks])
    finally:
        _SHARED.clear()


def split(count: int, parts: int) -> list[range]:
    """``range(count)`` cut into ``parts`` contiguous, nearly equal ranges."""
    parts = max(1, min(parts, count))
    bounds = [count * k // parts for k in range(parts + 1)]
    return [range(bounds[k], bounds[k + 1]) for k in range(parts)]
