"""Kernels forked from the kernel zygote (``gealc_analysis/build/zygote.py``) are what a
spawned ``python -m ipykernel_launcher`` would be: same interpreter state as seen from a
cell, their own session, and they die when signalled (that a notebook run on one writes the
bytes a spawned kernel writes is ``test_warm_kernels.py``). Where the zygote cannot serve,
kernels are spawned as before.

Each test starts one or two real kernels (about a second each): slow, but no report build.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jupyter_core.utils import run_sync

from gealc_analysis.build import kernel, zygote

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"

# What a cell sees of its interpreter, as JSON; the connection file's name differs per kernel.
PROBE = """
import json, os, sys
import matplotlib
print(json.dumps({
    "executable": sys.executable,
    "argv": [a for a in sys.argv[1:] if not a.endswith(".json")],
    "launcher": os.path.basename(sys.argv[0]),
    "cwd": os.getcwd(),
    "path": sys.path,
    "own_session": os.getsid(0) == os.getpid(),
    "hash_seed": hash("gealc") ,
    "backend": matplotlib.get_backend(),
    "rc": sorted((k, str(v)) for k, v in matplotlib.rcParams.items()),
    "env": sorted((k, v) for k, v in os.environ.items() if not k.startswith("JPY_")),
    "probe": os.environ.get("GEALC_TEST_PROBE"),
    "main": sys.modules["__main__"].__name__,
    "parent": os.getppid(),
}))
"""


def run_code(manager: Any, code: str) -> str:
    """Run ``code`` on the kernel of ``manager``; what it printed."""
    client = manager.client()
    client.start_channels()
    printed: list[str] = []

    def hook(message: dict[str, Any]) -> None:
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])
        elif message["msg_type"] == "error":
            printed.append("\n".join(message["content"]["traceback"]))

    try:
        run_sync(client.wait_for_ready)(timeout=60)
        run_sync(client.execute_interactive)(code, output_hook=hook, timeout=60)
    finally:
        client.stop_channels()
    return "".join(printed)


@pytest.fixture
def started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A function starting a kernel in ``tmp_path`` (forked unless ``spawned``), shut down
    at the end of the test."""
    managers: list[Any] = []
    monkeypatch.setenv("GEALC_TEST_PROBE", "seen")

    def start(spawned: bool = False) -> Any:
        monkeypatch.setattr(zygote, "ENABLED", not spawned)
        manager = kernel.this_interpreter_kernel_manager()(kernel_name=kernel.KERNEL_NAME)
        run_sync(manager.start_kernel)(cwd=str(tmp_path))
        managers.append(manager)
        return manager

    yield start
    for manager in managers:
        kernel.shutdown_kernel(manager)


def test_a_forked_kernel_sees_what_the_kernel_spawned_without_a_zygote_sees(
    started: Any, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """A forked kernel is the zygote's child, not the build's, and a cell sees there what it
    sees in a kernel spawned the ordinary way, which is what a build gets where the zygote
    cannot start (here: an import it preloads fails)."""
    forked = started()
    assert isinstance(forked.provisioner.process, zygote.ForkedKernel)
    seen_forked = json.loads(run_code(forked, PROBE))
    parent = seen_forked.pop("parent")
    assert parent != os.getpid()
    assert any(z._process.pid == parent for z in zygote._ZYGOTES)
    assert seen_forked["own_session"] and seen_forked["probe"] == "seen"
    kernel.shutdown_kernel(forked)

    zygote.close_zygotes()
    monkeypatch.setattr(zygote, "PRELOAD", ("gealc_analysis.no_such_module",))
    spawned = started()
    assert not isinstance(spawned.provisioner.process, zygote.ForkedKernel)
    seen_spawned = json.loads(run_code(spawned, PROBE))
    assert seen_spawned.pop("parent") == os.getpid()
    assert seen_forked == seen_spawned
    zygote.close_zygotes()
    assert "Traceback" not in capfd.readouterr().err  # the failed zygote said nothing


def test_a_killed_forked_kernel_is_seen_dead_with_its_signal(started: Any) -> None:
    manager = started()
    run_sync(manager.signal_kernel)(signal.SIGKILL)
    deadline = time.monotonic() + 20
    while run_sync(manager.is_alive)() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not run_sync(manager.is_alive)()
    assert manager.provisioner.process.poll() == -signal.SIGKILL


def test_the_zygote_started_ahead_is_the_one_the_kernels_come_from(
    started: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A build starts its zygote before the data load (``kernel.start_zygote_ahead``), with
    the environment the kernels will get: no second zygote is started for them, even once
    the load has imported pandera (which sets two variables of this process's environment)."""
    zygote.close_zygotes()
    monkeypatch.delenv("SPARK_LOCAL_IP", raising=False)
    monkeypatch.delenv("PYARROW_IGNORE_TIMEZONE", raising=False)
    kernel.start_zygote_ahead(tmp_path)
    ahead = list(zygote._ZYGOTES)
    import pandera.pandas  # noqa: F401 - what the data load imports

    manager = started()
    assert isinstance(manager.provisioner.process, zygote.ForkedKernel)
    assert zygote._ZYGOTES == ahead and len(ahead) == 1
