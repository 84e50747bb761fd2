"""Kernels forked from a process that has already imported what every notebook imports.

Starting a kernel the ordinary way (``python -m ipykernel_launcher``) costs a new
interpreter and the imports of IPython, pandas, matplotlib and this package: about 1.5
CPU-seconds, paid 14 times in a full build, as much as the notebooks' own work in several
sections. A *kernel zygote* pays it once: a child process started in the notebooks' folder
with the kernels' environment, which imports all that and then, asked for a kernel, forks.

The fork runs exactly what ``ipykernel_launcher`` runs (``ipykernel.kernelapp`` with the same
arguments), in a session of its own (so signals to its process group reach it and nothing
else), in the requested folder, with the requested environment and ``sys.argv``. No cell has
run in the zygote: a notebook still gets a process of its own in which nothing before it
ran code: a cell sees what it sees in a spawned kernel (``tests/test_kernel_zygote.py``) and
a notebook writes the same bytes (``tests/test_warm_kernels.py``).
What a fork cannot redo is what was read at import: the interpreter's hash seed, the
matplotlibrc of the folder it started in and the environment at import. So a zygote serves
only kernels of its own folder and environment (:func:`zygote_key`); the variables that
change per kernel (:data:`PER_KERNEL_VARIABLES`) are read at run time only.

jupyter_client starts a forked kernel through ``ForkingProvisioner`` (see
:func:`forking_provisioner`), its public
provisioner interface; it signals, polls and kills the kernel as it does a spawned one
(:class:`ForkedKernel` answers as a ``subprocess.Popen`` does). Where ``os.fork`` is missing
or the zygote cannot start, kernels are spawned the ordinary way.
"""

from __future__ import annotations

import atexit
import json
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from gealc_analysis.notebook.handoff import ENV_VAR as HANDOFF_VARIABLE

# What every report notebook imports first: the package and, through it, pandas, matplotlib
# and the rest (a warm kernel imports the same, ``kernel.WARM_IMPORTS``).
NOTEBOOK_IMPORTS: tuple[str, ...] = (
    "gealc_analysis.notebook.section",
    "gealc_analysis.charts.plots",
    "gealc_analysis.words.findings",
)
# What the zygote imports before it forks: what a kernel imports to start, and the above.
PRELOAD: tuple[str, ...] = ("ipykernel.kernelapp", *NOTEBOOK_IMPORTS)
# Environment variables that differ from one kernel to the next and that nothing reads at
# import: jupyter_client's own, and the build's data handoff (read when a notebook opens
# its section). Every other variable is part of the zygote's key.
PER_KERNEL_VARIABLES: frozenset[str] = frozenset(
    {"JPY_PARENT_PID", "JPY_SESSION_NAME", HANDOFF_VARIABLE}
)
# Seconds to wait for the zygote's answer to one request (it forks at once once imported).
ANSWER_TIMEOUT = 120.0
# Whether kernels are forked at all (``tests/test_kernel_zygote.py`` turns it off to compare).
ENABLED = hasattr(os, "fork")


def zygote_key(cwd: str, env: Mapping[str, str]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """What a zygote must share with a kernel to serve it: the folder (matplotlib reads a
    ``matplotlibrc`` there at import) and every variable but the per-kernel ones."""
    kept = tuple(sorted((k, v) for k, v in env.items() if k not in PER_KERNEL_VARIABLES))
    return (str(Path(cwd).resolve()), kept)


class ForkedKernel:
    """A kernel process forked by a zygote, answering as ``subprocess.Popen`` does.

    The zygote is its parent and reaps it; the exit status reaches this object through the
    zygote's answers. If the zygote is gone, whether the process still exists is asked of
    the system (the exit status is then unknown: -1).
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int, zygote: KernelZygote) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._zygote = zygote

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self._zygote.exit_status(self.pid)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(["kernel", str(self.pid)], timeout or 0)
            self._zygote.wait_for_an_exit(0.05)
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class KernelZygote:
    """The build's side of one zygote process: asks it for kernels, hears of their exits."""

    def __init__(self, cwd: str, env: Mapping[str, str]) -> None:
        self.key = zygote_key(cwd, env)
        answers_read, answers_write = os.pipe()
        serve_call = f"import {__name__} as z; z.serve({answers_write}, {PRELOAD!r})"
        self._process = subprocess.Popen(
            [sys.executable, "-c", serve_call],
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.PIPE,
            pass_fds=(answers_write,),
            start_new_session=True,  # a Ctrl-C in the terminal is the build's to handle
        )
        os.close(answers_write)
        self._answers: IO[str] = os.fdopen(answers_read, encoding="utf-8")
        self._request_lock = threading.Lock()
        self._changed = threading.Condition()
        self._replies: list[dict[str, Any]] = []
        self._exits: dict[int, int] = {}
        self._alive_kernels: set[int] = set()
        self._gone = False
        threading.Thread(target=self._listen, name="kernel-zygote", daemon=True).start()

    def _listen(self) -> None:
        for line in self._answers:
            answer = json.loads(line)
            with self._changed:
                if "exited" in answer:
                    self._exits[answer["exited"]] = answer["status"]
                    self._alive_kernels.discard(answer["exited"])
                else:
                    self._replies.append(answer)
                self._changed.notify_all()
        with self._changed:
            self._gone = True
            self._changed.notify_all()

    @property
    def idle(self) -> bool:
        """No kernel it forked is still running."""
        with self._changed:
            return not self._alive_kernels

    def fork_kernel(self, argv: Sequence[str], cwd: str, env: Mapping[str, str]) -> ForkedKernel:
        """A new kernel running ``ipykernel_launcher`` with ``argv``, in ``cwd`` with ``env``."""
        request = json.dumps({"argv": list(argv), "cwd": cwd, "env": dict(env)}) + "\n"
        with self._request_lock:
            if self._gone or self._process.stdin is None:
                raise RuntimeError("the kernel zygote has exited")
            self._process.stdin.write(request.encode())
            self._process.stdin.flush()
            deadline = time.monotonic() + ANSWER_TIMEOUT
            with self._changed:
                while not self._replies:
                    if self._gone or time.monotonic() > deadline:
                        raise RuntimeError("the kernel zygote did not answer")
                    self._changed.wait(0.5)
                reply = self._replies.pop(0)
                if "pid" not in reply:
                    raise RuntimeError(f"the kernel zygote could not fork: {reply.get('error')}")
                self._alive_kernels.add(reply["pid"])
        return ForkedKernel(reply["pid"], self)

    def exit_status(self, pid: int) -> int | None:
        """The exit status of a kernel it forked, None while it runs."""
        with self._changed:
            if pid in self._exits:
                return self._exits[pid]
            if not self._gone:
                return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return -1
        return None

    def wait_for_an_exit(self, timeout: float) -> None:
        with self._changed:
            self._changed.wait(timeout)

    def close(self) -> None:
        """End the zygote: killed, as it holds nothing to save or clean up. Kernels it forked
        that still run then exit too (each watches its parent), so close only an idle zygote.

        Not its stdin closed and a wait for it to exit: a zygote still importing its preload
        reads its stdin only once the imports are done, a second or two, and a build
        stopped as it starts (or a short build) would wait that long for nothing."""
        if self._process.stdin is not None and not self._process.stdin.closed:
            try:
                self._process.stdin.close()
            except OSError:
                pass
        self._process.kill()
        self._process.wait()


_ZYGOTES: list[KernelZygote] = []
_ZYGOTES_LOCK = threading.Lock()


def zygote_for(cwd: str, env: Mapping[str, str]) -> KernelZygote:
    """The zygote for kernels in ``cwd`` with ``env``, started now if none serves them.

    Zygotes serving other folders or environments are ended once idle: a process keeps one
    zygote per kind of kernel it still runs, usually one.
    """
    key = zygote_key(cwd, env)
    with _ZYGOTES_LOCK:
        for zygote in list(_ZYGOTES):
            if zygote.key == key and not zygote._gone:
                return zygote
            if zygote.idle or zygote._gone:
                _ZYGOTES.remove(zygote)
                zygote.close()
        zygote = KernelZygote(cwd, env)
        _ZYGOTES.append(zygote)
        return zygote


@atexit.register
def close_zygotes() -> None:
    """End every zygote of this process (at exit; kernels are shut down before)."""
    with _ZYGOTES_LOCK:
        zygotes, _ZYGOTES[:] = list(_ZYGOTES), []
    for zygote in zygotes:
        zygote.close()


def forking_provisioner() -> type:
    """jupyter_client's local provisioner, launching ``ipykernel_launcher`` kernels by fork.

    Any other command (and any failure to reach a zygote) is launched as jupyter_client
    launches it. The process group is the kernel's own session, as a spawned kernel's is.
    """
    from jupyter_client.provisioning import LocalProvisioner

    class ForkingProvisioner(LocalProvisioner):  # type: ignore[misc]
        async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
            cwd = str(kwargs.get("cwd") or os.getcwd())
            env = kwargs.get("env") or dict(os.environ)
            if not (ENABLED and cmd[1:3] == ["-m", "ipykernel_launcher"]):
                return await super().launch_kernel(cmd, **kwargs)
            try:
                process = zygote_for(cwd, env).fork_kernel(cmd[3:], cwd, env)
            except (OSError, RuntimeError):
                return await super().launch_kernel(cmd, **kwargs)
            self.process = process
            self.pid = self.pgid = process.pid
            self.cwd = cwd
            return self.connection_info

    return ForkingProvisioner


# --- the zygote process ---------------------------------------------------------------


def serve(answers_fd: int, preload: Sequence[str] = PRELOAD) -> None:
    """The zygote's main loop: import ``preload``, then fork a kernel per request line
    read on stdin, answering on ``answers_fd`` with its pid, and with its exit status once
    it has exited. Ends when stdin closes (the build ended or died)."""
    # As ipykernel_launcher: the folder is not on sys.path while the libraries import
    # (IPython puts it back for the notebook).
    if sys.path and (sys.path[0] in ("", os.getcwd())):
        del sys.path[0]
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    try:
        for name in preload:
            __import__(name)
    except Exception:  # noqa: BLE001 - kernels are spawned instead, and meet the error in a cell
        os._exit(3)  # quietly: the build's output carries no traceback of ours
    answers = os.fdopen(answers_fd, "w", encoding="utf-8", buffering=1)
    selector = selectors.DefaultSelector()
    selector.register(0, selectors.EVENT_READ)
    selector.register(wake_read, selectors.EVENT_READ)
    pending = b""
    while True:
        for key, _ in selector.select():
            if key.fd == wake_read:
                os.read(wake_read, 4096)
                _report_exits(answers)
                continue
            chunk = os.read(0, 65536)
            if not chunk:
                return
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                request = json.loads(line)
                try:
                    pid = _fork_kernel(request, answers_fd, wake_read, wake_write)
                except OSError as error:
                    answers.write(json.dumps({"error": str(error)}) + "\n")
                else:
                    answers.write(json.dumps({"pid": pid}) + "\n")
        _report_exits(answers)


def _report_exits(answers: IO[str]) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        answers.write(json.dumps({"exited": pid, "status": os.waitstatus_to_exitcode(status)}))
        answers.write("\n")


def _fork_kernel(request: dict[str, Any], *zygote_fds: int) -> int:
    """Fork; the child becomes the kernel. Returns once the child has its own session."""
    ready_read, ready_write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        os.close(ready_read)
        code = 1
        try:
            os.setsid()
            os.close(ready_write)
            code = _run_kernel(request, zygote_fds)
        finally:
            os._exit(code)
    os.close(ready_write)
    os.read(ready_read, 1)  # EOF once the child has its session (or has died)
    os.close(ready_read)
    return pid


def _run_kernel(request: dict[str, Any], zygote_fds: Sequence[int]) -> int:
    """In the forked child: become what ``python -m ipykernel_launcher ARGV`` would be."""
    import traceback

    signal.set_wakeup_fd(-1)
    for signum in (signal.SIGINT, signal.SIGCHLD):
        signal.signal(signum, signal.SIG_DFL)
    for fd in zygote_fds:
        os.close(fd)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    # The kernel watches its parent, the zygote, which lives as long as the build does.
    os.environ["JPY_PARENT_PID"] = str(os.getppid())
    import ipykernel_launcher
    from ipykernel import kernelapp

    sys.argv = [ipykernel_launcher.__file__, *request["argv"]]
    code = 0
    try:
        kernelapp.launch_new_instance(argv=list(request["argv"]))
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:
        traceback.print_exc()
        code = 1
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    return code
