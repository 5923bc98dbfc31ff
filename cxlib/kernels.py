"""Kernels for step notebooks: a client that cannot miss a reply, and kernels started ahead.

Why the client: under papermill, a cell that displays widgets sometimes never finished. The
kernel had sent its ``execute_reply`` and the message sat in the client's shell socket
(``ZMQ_EVENTS`` reported ``POLLIN``), but pyzmq's asyncio socket, which waits for an
edge-triggered file descriptor, was never woken, and nbclient waits for that reply without a
time limit (upstream: jupyter/nbclient#312). :class:`ShellChannel` waits in slices of
:data:`WAKE_CHECK_S` and looks at the socket itself after each, so a lost wake-up costs at
most one slice.

Why kernels ahead: starting a kernel and importing pandas, SciPy, plotly and cxlib takes
seconds, most of a step's notebook overhead. :class:`KernelPool` starts the next kernels in
the background, with those imports done, while earlier steps run; every step still gets a
fresh kernel of its own (steps talk only through saved results).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import threading
import time
import uuid
import weakref
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from queue import Empty

import zmq
from jupyter_client import AsyncKernelManager
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from traitlets import DottedObjectName, Type

from .errors import CxError
from .steps import REGISTRY

#: Longest wait for one look at the shell socket before it is checked directly (seconds).
WAKE_CHECK_S = 0.5
#: Longest a notebook cell may run before its step fails (seconds): generous, but a cell that
#: stalls becomes a named failure instead of blocking the run.
CELL_TIMEOUT_S = 1800
#: Longest a kernel may take to start and answer (seconds); past it the step's start failed.
START_TIMEOUT_S = 60
#: Kernel log at error level: cell errors still reach the notebook, start-up chatter does not reach the terminal.
KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR"]
#: Imports every step notebook needs, done in a kernel before its step starts; figures then
#: refer to plotly.js instead of embedding it in the notebook (the page renderer embeds it).
PRELOAD = ("import cxlib.session, cxlib.report.charts, cxlib.report.display, cxlib.results, cxlib.io.workshop, "
           + ", ".join(f"cxlib.steps.{spec.module}" for spec in REGISTRY.values())
           + "\ncxlib.report.display.refer_to_plotlyjs()")


class KernelStartError(CxError):
    """A kernel did not start, or did not answer within :data:`START_TIMEOUT_S`."""


class ShellChannel(AsyncZMQSocketChannel):
    """The shell channel of step kernels: a reply that arrived is always received.

    ``get_msg`` waits in slices of :data:`WAKE_CHECK_S` seconds; after each slice it reads the
    socket's ``EVENTS`` itself, which also re-arms pyzmq's wake-up.
    """

    async def get_msg(self, timeout: float | None = None) -> dict:
        """The next message; raises :class:`queue.Empty` after ``timeout`` seconds (``None``: no limit)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = WAKE_CHECK_S if deadline is None else min(WAKE_CHECK_S, deadline - time.monotonic())
            if await self.socket.poll(max(0, int(left * 1000))) or self.socket.get(zmq.EVENTS) & zmq.POLLIN:
                return await self._recv()
            if deadline is not None and time.monotonic() >= deadline:
                raise Empty


class StepKernelClient(AsyncKernelClient):
    """Kernel client whose shell channel is a :class:`ShellChannel`."""

    shell_channel_class = Type(ShellChannel)


class StepKernelManager(AsyncKernelManager):
    """Kernel manager of step notebooks.

    Its clients are :class:`StepKernelClient`, and on POSIX it talks to the kernel over Unix
    sockets (no TCP port to race for). It remembers its instances so that Ctrl-C can
    interrupt the kernels (they run in sessions of their own, so the terminal's SIGINT never
    reaches them).
    """

    client_class = DottedObjectName("cxlib.kernels.StepKernelClient")
    client_factory = Type(StepKernelClient)  # AsyncKernelManager's own default ignores client_class

    def __init__(self, **kwargs):
        # Unix sockets where there are any: TCP ports are picked free and bound later by the
        # kernel, so kernels starting at the same moment can race for one port. The sockets'
        # path is absolute (the kernel runs in another folder) and short (Unix limits it).
        if os.name == "posix" and "transport" not in kwargs:
            kwargs.update(transport="ipc", ip=os.path.join(tempfile.gettempdir(), f"cxwb-{uuid.uuid4().hex}"))
        super().__init__(**kwargs)
        _KERNELS.add(self)


_KERNELS: weakref.WeakSet[StepKernelManager] = weakref.WeakSet()


def signal_kernels(stop: bool = False) -> None:
    """Interrupt every running step kernel (its running cell raises KeyboardInterrupt), or with
    ``stop`` shut it down at once (its step fails as a dead kernel).
    """
    for km in list(_KERNELS):
        if km.has_kernel:
            with contextlib.suppress(Exception):  # a kernel that just ended cannot be signalled
                asyncio.run(km.shutdown_kernel(now=True) if stop else km.interrupt_kernel())


def stop_kernel(km: StepKernelManager) -> None:
    """Shut ``km``'s kernel down at once (its step has saved everything it keeps)."""
    with contextlib.suppress(Exception):  # already dead
        asyncio.run(km.shutdown_kernel(now=True))


async def _start(cwd: Path, preload: str, timeout: float) -> StepKernelManager:
    km = StepKernelManager(kernel_name="python3")
    await km.start_kernel(extra_arguments=KERNEL_ARGS, cwd=str(cwd))
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=timeout)
        if preload:  # silent: no output, and the notebook's execution count still starts at 1
            msg_id = kc.execute(preload, silent=True, store_history=False)
            while (await kc.get_shell_msg(timeout=timeout))["parent_header"].get("msg_id") != msg_id:
                pass
    except BaseException:
        await km.shutdown_kernel(now=True)
        raise
    finally:
        kc.stop_channels()
    return km


def start_kernel(cwd: Path, preload: str = PRELOAD, timeout: float = START_TIMEOUT_S) -> StepKernelManager:
    """Start a Python kernel in ``cwd`` and run ``preload`` in it silently.

    Raises :class:`KernelStartError` when the kernel does not start or answer within
    ``timeout`` seconds. A failing ``preload`` is not an error here: the notebook's own cell
    then shows it.
    """
    try:
        return asyncio.run(_start(cwd, preload, timeout))
    except Exception as exc:
        raise KernelStartError(f"The kernel did not start: {type(exc).__name__}: {exc}") from exc


class KernelPool:
    """Kernels started ahead of the steps that take them.

    ``ahead`` kernels start at a time in background threads; :meth:`take` hands out the oldest
    (starting one first if none is under way) and :meth:`prepare` keeps kernels under way for
    the steps still to come. :meth:`close` shuts down the kernels nobody took.
    """

    def __init__(self, cwd: Path, ahead: int = 2, preload: str = PRELOAD, timeout: float = START_TIMEOUT_S):
        self.cwd, self.ahead, self.preload, self.timeout = cwd, max(1, ahead), preload, timeout
        self._starter = ThreadPoolExecutor(self.ahead, thread_name_prefix="cxwb-kernel")
        self._starting: deque[Future] = deque()
        self._lock = threading.Lock()  # steps take kernels from several threads

    def prepare(self, wanted: int) -> None:
        """Have ``wanted`` kernels (at most ``ahead``) started or starting."""
        with self._lock:
            while len(self._starting) < min(wanted, self.ahead):
                self._start_one()

    def take(self) -> StepKernelManager:
        """A started kernel; raises :class:`KernelStartError` when it did not start."""
        with self._lock:
            if not self._starting:
                self._start_one()
            future = self._starting.popleft()
        km = future.result()
        if not asyncio.run(km.is_alive()):
            raise KernelStartError("The kernel started ahead died before its step began.")
        return km

    def _start_one(self) -> None:  # with the lock held
        self._starting.append(self._starter.submit(start_kernel, self.cwd, self.preload, self.timeout))

    def close(self) -> None:
        """Shut down the kernels nobody took; one still starting is shut down once it has
        started, without waiting for it here.
        """
        with self._lock:
            while self._starting:
                future = self._starting.popleft()
                future.cancel()
                future.add_done_callback(_stop_started)  # called at once when already done
        self._starter.shutdown(wait=False)


def _stop_started(future: Future) -> None:
    if not future.cancelled() and future.exception() is None:
        stop_kernel(future.result())
