"""``godmode-server run --workers N``: N processes serving one port, acting as one server.

One Python process uses one core.  The parent binds the listening socket and starts N worker
processes that each run the whole server (store, hub, archive, background tasks) on that
same socket; the kernel hands each new connection to one of them.  The workers are nodes of
one cluster, exactly as separate hosts would be: they share the live state and the event
stream through Redis (a sample posted to one reaches dashboards held by the others) and the
accounts, keys and archive through the database.  So ``--workers`` needs Redis, and a database
every process can write (PostgreSQL, or SQLite on a local disk).

The parent only supervises: it forwards SIGTERM/SIGINT to the workers, and when one worker
ends on its own it stops the others and exits with that worker's status, so the service
manager (systemd, a container runtime) restarts the whole server rather than leaving it at
reduced capacity unnoticed.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import signal
import socket
import threading
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from types import FrameType

#: How long the workers get to finish (drain their dashboards) after a stop, before SIGKILL.
STOP_GRACE_SECONDS = 30.0


class WorkersError(RuntimeError):
    """A configuration that several workers cannot serve."""


def check(workers: int, redis_url: str | None) -> None:
    if workers > 1 and not redis_url:
        raise WorkersError(
            f"--workers {workers} needs GODMODE_REDIS_URL: the workers share the live state "
            "and the event stream through Redis (the embedded store is one process's)"
        )


def listening_socket(host: str, port: int, backlog: int = 2048) -> socket.socket:
    """The socket every worker accepts on (bound once, here, so that they share one queue)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    sock.set_inheritable(True)
    return sock


def supervise(
    workers: int,
    target: Callable[..., None],
    args: tuple[object, ...],
    sock: socket.socket,
) -> int:
    """Run ``target(*args, sock)`` in ``workers`` processes until they end; their exit status.

    ``target`` and ``args`` must be picklable (the workers are spawned, not forked: a fork of
    a process with threads, as this one may have, can deadlock)."""
    ctx = mp.get_context("spawn")
    procs: list[BaseProcess] = []
    stopping = threading.Event()

    def stop(signum: int, _frame: FrameType | None) -> None:
        stopping.set()
        for proc in procs:
            if proc.pid is not None and proc.exitcode is None:
                with contextlib.suppress(ProcessLookupError):  # it may have just ended
                    proc.terminate()  # SIGTERM: uvicorn's graceful shutdown

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        for index in range(workers):
            proc = ctx.Process(
                target=target, args=(*args, sock), name=f"godmode-worker-{index + 1}"
            )
            proc.start()
            procs.append(proc)
        status = _wait_first(procs)
        asked = stopping.is_set()  # a signal to stop, rather than a worker ending on its own
        if not asked:
            stop(signal.SIGTERM, None)
        for worker in procs:
            worker.join(STOP_GRACE_SECONDS)
            if worker.exitcode is None:
                worker.kill()
                worker.join()
        if asked:
            return 0
        return status if status > 0 else 1  # a worker ended unasked: never a clean exit
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _wait_first(procs: list[BaseProcess]) -> int:
    """Block until any worker ends; its exit status."""
    from multiprocessing.connection import wait

    ended = wait([proc.sentinel for proc in procs])
    for proc in procs:
        if proc.sentinel in ended:
            proc.join()
            return proc.exitcode if proc.exitcode is not None else 1
    return 1
