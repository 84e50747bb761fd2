"""The kernel every notebook runs on: *this* interpreter, through a private kernelspec.

Notebooks run on an in-memory kernelspec whose command is ``sys.executable``, never on
whatever ``python`` the PATH or an installed ``python3`` kernelspec points at, so the report
is built with the packages of the environment that runs the command, activated or not.
Every notebook gets a kernel of its own, shut down after its last cell: nothing one notebook
changes reaches another. In a build the kernels are *warm* (:class:`WarmKernels`): each is
started, and the package imported into it silently (no name bound, no history, execution
count 0), while the notebook before it runs, so a notebook does not wait for a kernel and
its imports; outside a pool nbclient starts a fresh kernel. Either way the kernel is forked
from the build's kernel zygote where it can be (:mod:`.zygote`: the interpreter and its
imports paid once per build, not once per notebook). A warm, forked kernel writes the same
executed notebook as a freshly spawned one (``tests/test_warm_kernels.py``). The kernel manager only
adds the spec and a record of running kernels, through jupyter_client's public methods
(``start_kernel``, ``has_kernel``, ``signal_kernel``, ``shutdown_kernel``, ``client``), so an
interrupted build can stop them, warm ones included.
"""

from __future__ import annotations

import functools
import logging
import os
import signal
import sys
import threading
import uuid
import weakref
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gealc_analysis.build.zygote import NOTEBOOK_IMPORTS, forking_provisioner

# Name of the private kernelspec; no installed kernelspec is ever looked up under it.
KERNEL_NAME = "gealc-report-this-python"
# Kernels started by this process, so an interrupted build can stop them at once (they run
# in their own session: a Ctrl-C in the terminal does not reach them).
_RUNNING: weakref.WeakSet[Any] = weakref.WeakSet()
# Set once a build is stopping: a kernel still starting is stopped as soon as it is up.
_STOPPING = threading.Event()


# Loggers that report a kernel's death on stderr: after an interrupt that death is ours,
# and the one line the command prints says so.
_KERNEL_LOGGERS: tuple[str, ...] = ("papermill", "nbclient", "traitlets")


# The stop the command's signal handler asked for (Ctrl-C, SIGTERM), raised again wherever the
# build next looks (:func:`raise_if_stop_requested`): the handler raises it in the main
# thread, but a raise that lands inside a finaliser or a C callback is only reported
# ("Exception ignored in …") and the build would go on with its signals ignored.
_STOP_REQUEST: list[BaseException] = []


def request_stop(stop: BaseException) -> None:
    """Record ``stop`` (a KeyboardInterrupt) for :func:`raise_if_stop_requested`."""
    _STOP_REQUEST[:] = [stop]


def raise_if_stop_requested() -> None:
    """Raise the stop a signal asked for, if any: called where the build can stop cleanly
    (between notebooks, before each language's pages, before the report is swapped in)."""
    if _STOP_REQUEST:
        raise _STOP_REQUEST[0]


def allow_kernels() -> None:
    """A new build starts: kernels may run again (after an interrupted build in-process)."""
    _STOPPING.clear()
    _STOP_REQUEST.clear()
    for name in _KERNEL_LOGGERS:
        logging.getLogger(name).disabled = False


def stop_running_kernels() -> int:
    """Kill every kernel this process started and has not shut down; how many.

    Used when a build is interrupted: the notebooks running in other threads then fail at
    once instead of running to their end. Kernels that are still starting are stopped as
    soon as they are up (see ``start_kernel``).
    """
    _STOPPING.set()
    for name in _KERNEL_LOGGERS:
        logging.getLogger(name).disabled = True
    return sum(_terminate(manager) for manager in list(_RUNNING))


def _terminate(manager: Any) -> bool:
    """SIGKILL to the kernel's process group (``signal_kernel``), if it still has a kernel.

    Not SIGTERM: a kernel spawned while the command's signal handler had set SIGTERM to
    "ignore" inherits that and would run its notebook to the end; a stopped build's kernels
    have nothing to save.

    Called from the main thread while the kernel's own thread runs its notebook: sending a
    signal reads no channel of the kernel, so it needs no event loop of that thread.
    """
    from jupyter_core.utils import run_sync

    if not manager.has_kernel:
        return False
    try:
        run_sync(manager.signal_kernel)(signal.SIGKILL)
    except (RuntimeError, OSError):  # stopped meanwhile
        return False
    return True


def this_interpreter_kernelspec() -> Any:
    """A kernelspec (in memory, no kernel.json on disk) that starts ``sys.executable``.

    Built from ipykernel's own description of this interpreter's kernel, so its metadata
    (debugger, transport encryption) matches the installed ipykernel. The environment pins
    the inline matplotlib backend (an inherited ``MPLBACKEND=Agg`` would silently drop every
    figure from the pages) and the hash seed (set order, hence outputs, same every build).

    The kernel's own log is limited to CRITICAL (ipykernel's public ``log_level`` option):
    jupyter_client interrupts every kernel before shutting it down, and when that SIGINT
    lands while ipykernel is still finishing a request it logs "ERROR | KeyboardInterrupt
    caught in kernel" into the build output (about one notebook in a dozen), although
    nothing failed. What does fail reaches the build through nbclient instead: a cell's
    error, a dead kernel, a timeout.

    IPython's input history is off (``HistoryManager.enabled``): every kernel would otherwise
    open the user's one ``history.sqlite``, write each cell to it from a thread of its own
    and close it at exit, concurrent kernels sharing that file, for a history nobody reads.
    Execution counts do not depend on it.
    """
    from ipykernel.kernelspec import get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec

    spec = get_kernel_dict()
    spec.update(
        name=KERNEL_NAME,
        display_name=f"Python ({sys.executable})",
        language="python",
        argv=[
            sys.executable,
            "-m",
            "ipykernel_launcher",
            "-f",
            "{connection_file}",
            "--IPKernelApp.log_level=CRITICAL",
            "--HistoryManager.enabled=False",
        ],
        env={"MPLBACKEND": "module://matplotlib_inline.backend_inline", "PYTHONHASHSEED": "0"},
    )
    return KernelSpec(**spec)


@functools.cache
def this_interpreter_kernel_manager() -> type:
    """An nbclient kernel manager class whose spec manager knows :data:`KERNEL_NAME`.

    Passed to papermill as ``kernel_manager_class`` with ``kernel_name=KERNEL_NAME``: it is
    per call, so nothing global changes (no JUPYTER_PATH, no temp kernel.json, no installed
    kernelspec), which also keeps concurrent notebooks (``jobs > 1``) independent. It
    extends only public methods and traits of jupyter_client (``get_kernel_spec``,
    ``kernel_spec_manager``, ``start_kernel``, ``transport_encryption``). Where
    jupyter_client and pyzmq can, the local connection is CurveZMQ-encrypted ("auto": only
    if the kernel declares support), which also keeps ipykernel from warning on every run.
    """
    import zmq
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpecManager
    from traitlets import default

    encrypt = "transport_encryption" in AsyncKernelManager.class_trait_names() and zmq.has("curve")

    class ThisInterpreterSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> Any:
            if kernel_name == KERNEL_NAME:
                return this_interpreter_kernelspec()
            return super().get_kernel_spec(kernel_name)

    class ThisInterpreterKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: Any) -> None:
            if encrypt:
                kwargs.setdefault("transport_encryption", "auto")
            super().__init__(**kwargs)

        @default("kernel_spec_manager")
        def _this_interpreter_specs(self) -> KernelSpecManager:
            return ThisInterpreterSpecs(data_dir=self.data_dir)

        async def start_kernel(self, **kwargs: Any) -> None:
            if _STOPPING.is_set():  # the build was interrupted before this kernel started
                raise RuntimeError("the build is stopping: no kernel is started")
            if self.provisioner is None:  # forked from a zygote where it can (zygote.py)
                self.kernel_id = self.kernel_id or kwargs.pop("kernel_id", str(uuid.uuid4()))
                self.provisioner = forking_provisioner()(
                    kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
                )
            await super().start_kernel(**kwargs)
            _RUNNING.add(self)
            if _STOPPING.is_set():  # the build was interrupted while this kernel started
                # SIGKILL, not SIGTERM: a kernel spawned after the command's own signal
                # handler set SIGTERM to "ignore" (so the clean-up is not interrupted)
                # inherits that disposition and would run its notebook to the end.
                await self.signal_kernel(signal.SIGKILL)

    return ThisInterpreterKernelManager


# What a warm kernel imports before it is given a notebook: what every report notebook
# imports first (already imported in a kernel forked from the zygote, which preloads them).
# Run as expressions, silently: nothing is bound in the notebook's namespace, nothing is
# stored in its history and the execution count stays at 0, so a warm kernel runs a notebook
# exactly as a fresh one does (``tests/test_warm_kernels.py`` compares the executed bytes).
WARM_IMPORTS: tuple[str, ...] = NOTEBOOK_IMPORTS
# Seconds a warm kernel may take to start and import (then the notebook waits no longer).
WARM_START_TIMEOUT = 120.0
# Seconds between two looks at whether the warming kernel is still alive.
WARM_POLL_SECONDS = 0.2


def start_warm_kernel(cwd: Path, imports: Sequence[str] = WARM_IMPORTS) -> Any:
    """A kernel of this interpreter started in ``cwd``, ``imports`` already imported, with
    no client attached: nbclient attaches its own when the notebook runs on it.

    The kernel inherits this process's environment now (the build's data handoff), as a
    fresh kernel started for the notebook would.
    """
    from jupyter_core.utils import run_sync

    manager = this_interpreter_kernel_manager()(kernel_name=KERNEL_NAME)
    run_sync(manager.start_kernel)(cwd=str(cwd))
    try:
        run_sync(_import_silently)(manager, imports)
    except BaseException:
        shutdown_kernel(manager)
        raise
    return manager


async def _import_silently(manager: Any, imports: Sequence[str]) -> None:
    """Run the imports on the kernel as a silent request and wait for its reply, giving up
    at once if the kernel dies or the build is stopping (an interrupt never waits here)."""
    import queue
    import time

    code = "\n".join(f"__import__({name!r})" for name in imports)
    client = manager.client()
    # The shell channel alone, and no ``wait_for_ready``: the request waits in the channel's
    # queue until the kernel listens, and this loop looks at the stop every poll (the
    # heartbeat and ``wait_for_ready`` each wait up to a second before they notice a stop or
    # a dead kernel, which made a build stopped while its kernel started take seconds).
    client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
    try:
        request = client.execute(code, silent=True, store_history=False)
        deadline = time.monotonic() + WARM_START_TIMEOUT
        while True:
            if _STOPPING.is_set() or not await manager.is_alive():
                raise RuntimeError("the build is stopping: no kernel is started")
            if time.monotonic() > deadline:
                raise RuntimeError(f"a kernel took over {WARM_START_TIMEOUT:g} s to import")
            try:
                reply = await client.get_shell_msg(timeout=WARM_POLL_SECONDS)
            except queue.Empty:
                continue
            if reply["parent_header"].get("msg_id") != request:
                continue
            if reply["content"]["status"] != "ok":
                found = reply["content"].get("evalue", "")
                raise RuntimeError(f"a warm kernel could not import: {found}")
            return
    finally:
        client.stop_channels()


def start_zygote_ahead(cwd: Path) -> None:
    """Start the kernel zygote for kernels in ``cwd`` now (``zygote.py``), so its imports run
    while the build loads the data: the first kernel is then a fork away. Its environment is
    the one every kernel gets (this process's and the spec's; the per-kernel variables,
    such as the data handoff set later, are not part of a zygote's key)."""
    # pandera sets SPARK_LOCAL_IP and PYARROW_IGNORE_TIMEZONE in this process's environment
    # when first imported, as the data load below does: imported first, the zygote starts
    # with the environment the kernels will get (else a second zygote would start).
    import pandera.pandas  # noqa: F401

    from gealc_analysis.build import zygote

    if zygote.ENABLED:
        zygote.zygote_for(str(cwd), {**os.environ, **this_interpreter_kernelspec().env})


def shutdown_kernel(manager: Any) -> None:
    """Shut down a kernel nbclient did not start (it leaves those running): killed at once,
    its connection files and sockets cleaned up.

    Killed, not asked: once its notebook ran (or when it will run none) a kernel has nothing
    left to save (its notebook's outputs are received, its history is off), and ipykernel 7
    now and then ignores a shutdown request, which jupyter_client then waits for 2.5 s
    before it kills the kernel anyway: the build's end waited that long about one build in
    two. nbclient ends the kernels it starts the same way (``execute.py``).
    """
    from jupyter_core.utils import run_sync

    if manager.has_kernel:
        try:
            run_sync(manager.shutdown_kernel)(now=True)
        except (RuntimeError, OSError):  # killed meanwhile (an interrupted build)
            pass
    _RUNNING.discard(manager)


def import_runner_modules() -> None:
    """Import what starting a kernel and running a notebook import, in the calling thread,
    before the threads that start kernels and run notebooks do: two threads importing
    jupyter_client's mutually importing modules at once can find one half-initialised
    (``ImportError: cannot import name 'AsyncKernelManager'``)."""
    import jupyter_client  # noqa: F401
    import nbclient  # noqa: F401
    import papermill  # noqa: F401


class WarmKernels:
    """Kernels started ahead of the notebooks that will run on them, each used once.

    ``take()`` hands out a kernel whose imports are done and starts the next in the
    background, so on a build of several notebooks a kernel's start and imports overlap the
    notebook before it. At most ``ahead`` kernels wait, and never more kernels are started
    than ``count`` (the notebooks left to run), so no kernel is started for nothing unless a
    notebook fails. Nothing starts until the first ``take()`` (an executor that needs no
    kernel costs none). Every kernel still serves one notebook only and is shut down after
    it: nothing one notebook changes reaches another.

    A used kernel is handed back (``release``) and shut down in the background: even killed
    (:func:`shutdown_kernel`), its end and the clean-up of its sockets take about 0.1 s, which
    the next notebook need not wait for. ``close`` waits until every kernel handed back
    has exited, so a build never ends with a kernel of its own still running.
    """

    def __init__(self, cwd: Path, count: int, ahead: int = 1) -> None:
        self.cwd = cwd
        self.left = count
        self.ahead = max(1, ahead)
        self._lock = threading.Lock()
        self._waiting: list[Future[Any]] = []
        self._starter = ThreadPoolExecutor(max_workers=self.ahead, thread_name_prefix="kernel")
        self._stopper = ThreadPoolExecutor(max_workers=self.ahead, thread_name_prefix="kernel-stop")
        self._closed = False

    def _start_more(self) -> None:
        if not self._closed and self.left > 0:
            import_runner_modules()
        while not self._closed and self.left > 0 and len(self._waiting) < self.ahead:
            self.left -= 1
            self._waiting.append(self._starter.submit(start_warm_kernel, self.cwd))

    def start(self) -> None:
        """Start warming the first kernels now, before any is taken (the build does so as
        soon as it knows it will run notebooks on kernels)."""
        with self._lock:
            self._start_more()

    def take(self) -> Any | None:
        """The next warm kernel (waiting for it to be ready), starting the next one; None
        once ``count`` kernels were taken (the caller then starts a fresh one)."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the build is stopping: no kernel is started")
            self._start_more()
            if not self._waiting:
                return None
            future = self._waiting.pop(0)
            self._start_more()
        return future.result()

    def release(self, manager: Any) -> None:
        """Shut down a kernel taken from this pool once its notebook ran, in the background
        (at once in this thread if the pool is closed)."""
        with self._lock:
            if not self._closed:
                self._stopper.submit(shutdown_kernel, manager)
                return
        shutdown_kernel(manager)

    def close(self) -> None:
        """Shut down the kernels started and not taken (a notebook failed or was stopped), and
        wait for the kernels handed back to have exited."""
        with self._lock:
            self._closed = True
            waiting, self._waiting = self._waiting, []
        for future in waiting:
            future.cancel()
        self._starter.shutdown(wait=True)
        for future in waiting:
            if future.done() and not future.cancelled() and future.exception() is None:
                shutdown_kernel(future.result())
        self._stopper.shutdown(wait=True)


_POOL = threading.local()


@contextmanager
def warm_kernels_for_this_thread(pool: WarmKernels | None) -> Iterator[None]:
    """Let the notebook run in this (worker) thread take its kernel from ``pool``."""
    previous = getattr(_POOL, "pool", None)
    _POOL.pool = pool
    try:
        yield
    finally:
        _POOL.pool = previous


def warm_kernel(cwd: Path) -> Any | None:
    """A warm kernel started in ``cwd`` for the notebook this thread runs, or None (no pool:
    nbclient starts a fresh kernel)."""
    pool: WarmKernels | None = getattr(_POOL, "pool", None)
    if pool is None or pool.cwd != cwd:
        return None
    return pool.take()


def release_kernel(manager: Any) -> None:
    """Shut down a kernel :func:`warm_kernel` gave this thread once its notebook ran: in the
    background through the thread's pool (which waits for it when closed), else now."""
    pool: WarmKernels | None = getattr(_POOL, "pool", None)
    if pool is None:
        shutdown_kernel(manager)
    else:
        pool.release(manager)
