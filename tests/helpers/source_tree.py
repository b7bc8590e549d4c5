"""One build of the project in the checkout at a time, across the suite's parallel workers.

Building the project (``pip wheel .`` in ``make dist`` and ``make image``, ``python -m build``,
``make lock``'s metadata) writes ``build/`` and the egg-info inside the checkout; two at once
remove each other's files.  The lock is a file lock (``flock``), so it holds between the
processes pytest-xdist runs, and it goes with the process that held it.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def building_in_the_checkout() -> Iterator[None]:
    lock = REPO / "build" / ".checkout-build.lock"
    lock.parent.mkdir(exist_ok=True)
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        yield
