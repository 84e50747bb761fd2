"""What only a real kernel can show, on tiny fixture notebooks (tests/fixtures/notebooks).

One real build of five fixtures (English only, one kernel at a time) is shared by the tests
that read it: the notebooks run on this interpreter in their own folder, receive the build's
parameters, get the build's validated data handed over, and each starts from a clean process
(a notebook that dirties its kernel leaves nothing to the next). Two one-notebook builds show
a real cell error and a real cell timeout named as papermill and nbclient report them. The
build's own mechanics are in ``test_build.py`` with the fake executor.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import notebooks_folder, small_data_folder
from fakes import memoize_pure_steps

from gealc_analysis.build import BuildError, BuildResult, build_report, failed_dir
from gealc_analysis.notebook import handoff

pytestmark = pytest.mark.slow


def stream_text(executed: Path) -> str:
    nb = nbformat.read(executed, as_version=4)
    return "".join(
        output.get("text", "")
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )


@pytest.fixture(scope="module")
def kernels(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    """The fixtures 01_simple, 05_handoff, 07_probe, 06_dirty and 07_probe again, built for
    real in English with one kernel at a time; the build result and its notebooks folder."""
    root = tmp_path_factory.mktemp("kernels")
    notebooks = notebooks_folder(
        root,
        "01_simple",
        "05_handoff:02_handoff",
        "07_probe:03_probe",
        "06_dirty:04_dirty",
        "07_probe:05_probe",
    )
    with pytest.MonkeyPatch.context() as patch:
        memoize_pure_steps(patch)
        result = build_report(
            root / "report",
            data_dir=small_data_folder(root / "curated"),
            notebooks_dir=notebooks,
            lang="en",
            progress=lambda message: None,
        )
    return result, notebooks


def executed_text(kernels: tuple[BuildResult, Path], stem: str) -> str:
    result, _ = kernels
    return stream_text(result.out_dir / "en" / "notebooks" / f"{stem}.ipynb")


def test_notebooks_run_on_this_interpreter_in_the_notebooks_folder(kernels) -> None:
    text = executed_text(kernels, "01_simple")
    assert f"EXECUTABLE={sys.executable}\n" in text
    assert f"CWD={kernels[1].resolve()}\n" in text


def test_notebooks_receive_the_build_parameters_as_variables(kernels) -> None:
    text = executed_text(kernels, "01_simple")
    assert "ANSWER=42" in text
    assert "YEARS=[2020, 2024] BASELINE=2020 COMPARE=2024 LANG=en" in text
    page = (kernels[0].out_dir / "en" / "01_simple.html").read_text(encoding="utf-8")
    assert "ANSWER=42" in page and "data:image/png;base64," in page  # matplotlib's inline PNG
    executed = nbformat.read(kernels[0].out_dir / "en" / "notebooks" / "01_simple.ipynb", 4)
    # The executed copy names its outputs' folder relative to itself: no staging path (it
    # holds the build's PID), so two builds of one commit write the same bytes.
    assert executed.metadata.papermill.parameters["output_dir"] == "../01_simple"


def test_a_build_hands_its_validated_frames_to_the_notebooks(kernels) -> None:
    text = executed_text(kernels, "02_handoff")
    assert "HANDED=True" in text and "SAME_PLANS=True" in text, text
    assert handoff.ENV_VAR not in os.environ  # only during the build


def states(kernels, stem: str) -> list[dict[str, object]]:
    """The process states a fixture notebook printed (``STATE=<json>`` lines), in order."""
    return [
        json.loads(line.removeprefix("STATE="))
        for line in executed_text(kernels, stem).splitlines()
        if line.startswith("STATE=")
    ]


def test_a_notebook_sees_nothing_another_notebook_changed(kernels) -> None:
    """A probe, a notebook that changes the process state a reused kernel would pass on (a
    module-level dict of the package, pandas options, warning filters and registries,
    rcParams, sys.path, os.environ, cwd, names, execution count), and the probe again, one
    after the other (jobs=1): the second probe sees exactly what the first saw."""
    [before] = states(kernels, "03_probe")
    [dirty] = states(kernels, "04_dirty")
    [after] = states(kernels, "05_probe")
    assert before.keys() == dirty.keys() == after.keys()
    unchanged = [name for name in before if dirty[name] == before[name]]
    assert not unchanged, f"the fixture did not change {unchanged}"
    leaked = {name: after[name] for name in before if after[name] != before[name]}
    assert not leaked, leaked


def failed_build(tmp_path: Path, notebook: str, **options: object) -> BuildError:
    """The error of an English build of one fixture notebook, on real kernels, that fails."""
    with pytest.raises(BuildError) as caught:
        build_report(
            tmp_path / "report",
            data_dir=small_data_folder(tmp_path / "curated"),
            notebooks_dir=notebooks_folder(tmp_path, notebook),
            lang="en",
            progress=lambda message: None,
            **options,
        )
    return caught.value


def test_a_failing_cell_is_named_as_papermill_reports_it(tmp_path: Path) -> None:
    message = str(failed_build(tmp_path, "03_broken"))
    assert message.startswith("notebook 03_broken failed in cell In ["), message
    assert "ZeroDivisionError: division by zero" in message
    executed = failed_dir(tmp_path / "report") / "en" / "notebooks" / "03_broken.ipynb"
    assert message.endswith(f"executed copy kept at {executed}")
    assert "BEFORE_ERROR" in stream_text(executed)
    assert "NEVER_REACHED" not in stream_text(executed)


def test_a_hanging_cell_is_stopped_at_the_timeout_and_named(tmp_path: Path) -> None:
    error = failed_build(tmp_path, "04_slow", cell_timeout=2)
    message = str(error)
    # cell #4 of the executed copy: papermill inserted the injected parameters before it
    assert message.startswith(
        'notebook 04_slow timed out: cell #4 ("import time") ran longer than 2 s'
    ), message
    assert "--cell-timeout" in message
    assert error.exit_code == 1


def test_the_kernels_own_error_log_stays_out_of_the_build_output(
    capfd: pytest.CaptureFixture[str],
) -> None:
    """jupyter_client interrupts a kernel before shutting it down, which can make ipykernel
    log a spurious "ERROR | KeyboardInterrupt caught in kernel"; the kernel's log is quiet."""
    import asyncio
    import concurrent.futures

    from gealc_analysis.build.kernel import KERNEL_NAME, this_interpreter_kernel_manager

    async def log_an_error_in_a_kernel() -> str:
        manager = this_interpreter_kernel_manager()(kernel_name=KERNEL_NAME)
        await manager.start_kernel()
        client = manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            reply = await client.execute_interactive(
                "get_ipython().kernel.log.error('KERNEL-LOG-LINE')", timeout=60
            )
        finally:
            client.stop_channels()
            await manager.shutdown_kernel(now=True)  # killed, as the build ends its kernels
        return reply["content"]["status"]

    # A worker thread has no event loop of its own, whatever the test session left running in
    # this one (the shared Chromium's Playwright keeps a loop running in the main thread).
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        status = pool.submit(asyncio.run, log_an_error_in_a_kernel()).result()
    assert status == "ok"
    assert "KERNEL-LOG-LINE" not in capfd.readouterr().err
