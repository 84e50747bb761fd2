"""Warm kernels: one kernel per job, started once per build and reused across notebooks.

Starting a kernel and importing the report's libraries cost about a second per notebook; a
build runs each worker's notebooks on one kernel instead, resetting it between notebooks
(:mod:`.warm`), so the outputs are byte-identical to fresh kernels (a test compares them).
Each worker thread owns its kernel (the kernel's asyncio objects belong to that thread's
loop), runs notebooks from a shared queue, and at the end asks its kernel to shut down
while the main thread writes the index: shutdown is off the critical path.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gealc_analysis.build.execute import KERNEL_START_ATTEMPTS, KERNEL_START_FAILURE
from gealc_analysis.build.kernel import KERNEL_NAME, this_interpreter_kernel_manager

REMEMBER = "from gealc_analysis.build import warm as _w; _w.remember_start_state(); del _w"
RESTORE = "from gealc_analysis.build import warm as _w; _w.restore_start_state()"
STARTUP_TIMEOUT = 60.0


class KernelSetupError(RuntimeError):
    """A pooled kernel could not be started or reset."""


class WarmKernel:
    """One kernel of this interpreter, reused by the one thread that created it."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self.manager: Any = None
        self.used = False  # has run a notebook since its start state was recorded

    def ready(self) -> Any:
        """The kernel manager, started (first call) or reset to a fresh kernel's state."""
        from jupyter_core.utils import run_sync

        if self.manager is not None and not run_sync(self.manager.is_alive)():
            self.discard()
        if self.manager is None:
            self._start()
        elif self.used:
            self._run(RESTORE)
        self.used = True
        return self.manager

    def _start(self) -> None:
        from jupyter_core.utils import run_sync

        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            manager = this_interpreter_kernel_manager()(kernel_name=KERNEL_NAME)
            run_sync(manager.start_kernel)(cwd=str(self.cwd))
            self.manager = manager
            try:
                self._run(REMEMBER)
                return
            except (RuntimeError, KernelSetupError) as error:
                self.discard()
                if attempt == KERNEL_START_ATTEMPTS or KERNEL_START_FAILURE not in str(error):
                    raise

    def _run(self, code: str) -> None:
        """Execute ``code`` silently on the kernel; raise if it fails."""
        from jupyter_core.utils import run_sync

        client = self.manager.client()
        client.start_channels()
        try:
            run_sync(client.wait_for_ready)(timeout=STARTUP_TIMEOUT)
            reply = run_sync(client.execute_interactive)(
                code,
                silent=True,
                store_history=False,
                timeout=STARTUP_TIMEOUT,
                output_hook=lambda _message: None,
            )
        finally:
            client.stop_channels()
        content = reply.get("content", {})
        if content.get("status") != "ok":
            raise KernelSetupError(
                f"kernel setup failed: {content.get('ename')}: {content.get('evalue')}"
            )

    def release_clients(self) -> None:
        """Close the client nbclient opened on this kernel (it keeps kernels it does not own,
        and their clients, open)."""
        if self.manager is not None:
            self.release_clients_of(self.manager)

    def discard(self) -> None:
        """Stop the kernel now (after a failure its state is unknown: never reuse it)."""
        from jupyter_core.utils import run_sync

        if self.manager is None:
            return
        manager, self.manager, self.used = self.manager, None, False
        try:
            self.release_clients_of(manager)
            run_sync(manager.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 - already dead or half-started: nothing to save
            pass

    @staticmethod
    def release_clients_of(manager: Any) -> None:
        for client in manager.take_clients():
            client.stop_channels()

    def shut_down(self) -> None:
        """Ask the kernel to stop and wait for it (called last, off the critical path)."""
        from jupyter_core.utils import run_sync

        if self.manager is None:
            return
        manager, self.manager = self.manager, None
        try:
            self.release_clients_of(manager)
            run_sync(manager.shutdown_kernel)()
        except Exception:  # noqa: BLE001 - a kernel that died on its own is stopped too
            pass


class KernelPool:
    """``jobs`` worker threads, each with its own :class:`WarmKernel`, fed from one queue.

    ``submit`` tasks (callables taking the worker's kernel); results arrive on ``results``
    in completion order. ``close()`` lets the workers shut their kernels down once the queue
    is empty; ``join()`` waits for that.
    """

    def __init__(self, jobs: int, cwd: Path) -> None:
        self._tasks: queue.Queue[Callable[[WarmKernel], None] | None] = queue.Queue()
        self._closed = False
        self._threads = [
            threading.Thread(
                target=self._work, args=(WarmKernel(cwd),), name=f"notebook-{number}", daemon=True
            )
            for number in range(1, jobs + 1)
        ]
        for thread in self._threads:
            thread.start()

    def _work(self, kernel: WarmKernel) -> None:
        try:
            while (task := self._tasks.get()) is not None:
                task(kernel)  # a task never raises: it reports its outcome itself
        finally:
            kernel.shut_down()

    def submit(self, task: Callable[[WarmKernel], None]) -> None:
        self._tasks.put(task)

    def close(self) -> None:
        """No more tasks: each worker shuts its kernel down when the queue is empty."""
        if self._closed:
            return
        self._closed = True
        for _thread in self._threads:
            self._tasks.put(None)

    def join(self) -> None:
        for thread in self._threads:
            thread.join()
