"""Fast stand-ins for the notebook executor, so the build's mechanics are tested without kernels.

``build.run`` calls ``gealc_analysis.build.execute.execute_notebook(notebook, executed,
parameters, cell_timeout)``; a test replaces it (``FakeExecutor.install(monkeypatch)`` or
``monkeypatch.setattr(execute, "execute_notebook", fake_execute)``) and the whole build runs
as usual (folders, lock, cache, pages, index, brief, explorer, publish) in milliseconds per
notebook instead of a kernel's seconds.

- :func:`fake_execute` writes what a run writes: the executed notebook (papermill's own
  parameter injection and metadata; a stream, an HTML and a PNG display output), a figure
  (``figures/fake.png`` and ``.svg``) and a table (``tables/fake.csv`` and ``.xlsx``) under
  ``parameters["output_dir"]``. Deterministic: the same call writes the
  same bytes.
- :class:`FakeExecutor` is the same, told per notebook stem to fail (a cell raises, as
  papermill reports it), to hang (until the cell timeout, as nbclient reports it), or to
  raise any exception (a kernel that dies); it records every run.
- :func:`run_in_process` really runs a notebook's code, in this process, without a kernel:
  the displays of ``notebook.section`` become the executed notebook's outputs. It serves
  tests that need the real notebooks on special data (a third plan, a new funding code)
  where a kernel per notebook would cost seconds each; it runs one notebook at a time.

Run as a script (``python tests/fakes.py [options] build …``) it is ``gealc-report`` with
the fake executor installed, for tests of the command in a subprocess (see :func:`main` for
the options: a run that hangs, the real notebooks' code in process, briefs kept on disk).
"""

from __future__ import annotations

import base64
import contextlib
import io
import struct
import sys
import threading
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

FAKE_FIGURE = "fake"
FAKE_TABLE = "fake"
# Printed by a hanging fake run into its executed notebook once it hangs.
HANG_STARTED = "FAKE_HANG_STARTED"


def _png(width: int = 4, height: int = 3) -> bytes:
    """A small valid grey PNG, made without matplotlib (a fake run must stay cheap)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    pixels = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels, 9))
        + chunk(b"IEND", b"")
    )


FAKE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30" role="img">'
    '<title>Fake chart</title><rect width="40" height="30"/></svg>\n'
)


def parameterized(notebook: Path, parameters: Mapping[str, Any]) -> Any:
    """``notebook`` with the parameters injected as papermill injects them (a cell tagged
    ``injected-parameters`` after the ``parameters`` cell, ``metadata.papermill``)."""
    from papermill.parameterize import parameterize_notebook

    nb = nbformat.read(notebook, as_version=4)
    nb.metadata["papermill"] = nbformat.from_dict(
        {"input_path": notebook.name, "output_path": None, "parameters": {}}
    )
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])  # as papermill's own metadata step does
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return parameterize_notebook(nb, dict(parameters), kernel_name="python3", language="python")


def _work_cells(nb: Any) -> list[int]:
    """Indexes of the code cells a run executes after the parameters."""
    hidden = {"parameters", "injected-parameters"}
    return [
        index
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and not hidden & set(cell.metadata.get("tags", []))
    ]


def _html_output(markup: str) -> Any:
    return nbformat.v4.new_output("display_data", data={"text/html": markup, "text/plain": ""})


def write_fake_outputs(output_dir: Path, stem: str, lang: str, summary: str | None) -> None:
    """The files a section writes: a figure (PNG, SVG), a table (CSV, xlsx), and the
    headline Markdown the index shows (``summary``, if any)."""
    from gealc_analysis.core import outputs
    from gealc_analysis.core.paths import SUMMARY_FILE

    figures = output_dir / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    (figures / f"{FAKE_FIGURE}.png").write_bytes(_png())
    (figures / f"{FAKE_FIGURE}.svg").write_text(FAKE_SVG, encoding="utf-8")
    import pandas as pd

    table = pd.DataFrame({"section": [stem], "lang": [lang], "n": [42]})
    outputs.save_table(table, output_dir, FAKE_TABLE)
    if summary is not None:
        (output_dir / SUMMARY_FILE).write_text(summary, encoding="utf-8")


def fake_execute(
    notebook: Path,
    executed: Path,
    parameters: Mapping[str, Any],
    cell_timeout: float | None = None,
) -> None:
    """A successful run of ``notebook`` without a kernel (see the module's docstring)."""
    FakeExecutor()(notebook, executed, parameters, cell_timeout)


@dataclass
class FakeExecutor:
    """:func:`fake_execute`, told what to do per notebook stem.

    ``fail``: a cell raises ``ZeroDivisionError`` (papermill's ``PapermillExecutionError``,
    the executed copy keeps the error output). ``hang``: the first working cell runs until
    ``cell_timeout`` (or until :meth:`release`), then nbclient's ``CellTimeoutError``.
    ``raise_``: this exception escapes the run (a kernel that died or could not start).
    ``summaries``: the headline Markdown a notebook saves for the index (none otherwise).
    ``runs`` records ``(stem, lang)`` of every run started, in order.
    """

    fail: set[str] = field(default_factory=set)
    hang: set[str] = field(default_factory=set)
    raise_: dict[str, BaseException] = field(default_factory=dict)
    summaries: dict[str, str] = field(default_factory=dict)
    runs: list[tuple[str, str]] = field(default_factory=list)
    hanging: threading.Event = field(default_factory=threading.Event)  # a hang has started
    _released: threading.Event = field(default_factory=threading.Event)

    def install(self, monkeypatch: Any) -> FakeExecutor:
        """Make every build of this test run notebooks with this executor (and compute the
        brief and the font once, :func:`memoize_pure_steps`); a build stopping its kernels
        (Ctrl-C, SIGTERM) releases the hanging runs, as killing a kernel would."""
        from gealc_analysis.build import execute, run

        monkeypatch.setattr(execute, "execute_notebook", self)
        memoize_pure_steps(monkeypatch)
        stop = run.stop_running_kernels

        def stop_and_release() -> int:
            self.release()
            return stop()

        monkeypatch.setattr(run, "stop_running_kernels", stop_and_release)
        return self

    def release(self) -> None:
        """End every hanging run now (each raises as a timed-out cell)."""
        self._released.set()

    def __call__(
        self,
        notebook: Path,
        executed: Path,
        parameters: Mapping[str, Any],
        cell_timeout: float | None = None,
    ) -> None:
        stem, lang = notebook.stem, str(parameters.get("lang", "en"))
        self.runs.append((stem, lang))
        if stem in self.raise_:
            raise self.raise_[stem]
        nb = parameterized(notebook, parameters)
        work = _work_cells(nb) or [len(nb.cells) - 1]
        first = nb.cells[work[0]]
        if stem in self.hang:
            first.metadata["papermill"] = {"start_time": "fake", "status": "running"}
            first.outputs = [  # what a test in another process waits for
                nbformat.v4.new_output("stream", name="stdout", text=f"{HANG_STARTED}\n")
            ]
            nbformat.write(nb, executed)
            self.hanging.set()
            self._released.wait(cell_timeout)
            from nbclient.exceptions import CellTimeoutError

            raise CellTimeoutError(f"A cell timed out while it was being executed ({stem})")
        if stem in self.fail:
            first.outputs = [
                nbformat.v4.new_output(
                    "error", ename="ZeroDivisionError", evalue="division by zero", traceback=[]
                )
            ]
            first.execution_count = 1
            nbformat.write(nb, executed)
            from papermill.exceptions import PapermillExecutionError

            raise PapermillExecutionError(
                work[0], 1, first.source, "ZeroDivisionError", "division by zero", []
            )
        first.execution_count = 1
        first.outputs = [
            nbformat.v4.new_output("stream", name="stdout", text=f"FAKE_RUN {stem} lang={lang}\n"),
            _html_output(f"<p>Fake output of <strong>{stem}</strong> in {lang}.</p>"),
            nbformat.v4.new_output(
                "display_data", data={"image/png": base64.b64encode(_png()).decode("ascii")}
            ),
        ]
        write_fake_outputs(Path(parameters["output_dir"]), stem, lang, self.summaries.get(stem))
        nbformat.write(nb, executed)


# ------------------------------------------------------------ pure steps, computed once


def fake_brief(bundle: Any, *, out_path: Path | str, provenance: Mapping[str, Any], **_: Any):
    """A stand-in for ``products.brief.write_brief`` where typesetting is not what a test pins
    (a build's mechanics, its cache): it writes the provenance it was given as JSON, so the
    file exists, is linked, and changes exactly when the brief's record would. The brief
    itself is tested in ``test_brief.py``, ``test_products_all_or_nothing.py`` and on the
    session's real build."""
    import json

    Path(out_path).write_text(json.dumps(provenance, sort_keys=True), encoding="utf-8")
    return Path(out_path)


_BRIEFS: dict[str, bytes] = {}
_FONT_CSS: list[str] = []


def memoize_pure_steps(monkeypatch: Any) -> None:
    """Compute the build's two costliest pure steps once per test process: the brief (a
    Typst run and its print charts, a few seconds per language) for the same bundle, years,
    language and provenance, and the stylesheet's font subset. Each first call is the real
    one and every later call writes the same bytes, so a build under test is still the
    real build, only faster when a test builds the same data again."""
    import hashlib
    import json
    import pickle

    from gealc_analysis.charts import files
    from gealc_analysis.core.outputs import write_bytes_atomically
    from gealc_analysis.products import brief

    write_brief, font_face_css = brief.write_brief, files.font_face_css

    def cached_brief(bundle: Any, *, out_path: Path | str, **options: Any) -> Path:
        frames = pickle.dumps(bundle.replaced(data_dir=Path()))  # the folder's name is not shown
        shown = json.dumps(options, sort_keys=True, default=str).encode()
        key = hashlib.sha256(frames + shown).hexdigest()
        if key not in _BRIEFS:
            written = Path(write_brief(bundle, out_path=out_path, **options))
            _BRIEFS[key] = written.read_bytes()
            return written
        return write_bytes_atomically(Path(out_path), _BRIEFS[key])

    def cached_css() -> str:
        if not _FONT_CSS:
            _FONT_CSS.append(font_face_css())
        return _FONT_CSS[0]

    monkeypatch.setattr(brief, "write_brief", cached_brief)
    monkeypatch.setattr(files, "font_face_css", cached_css)


# ----------------------------------------------------------------- the real code, in process

_ONE_AT_A_TIME = threading.Lock()


def run_in_process(
    notebook: Path,
    executed: Path,
    parameters: Mapping[str, Any],
    cell_timeout: float | None = None,
) -> None:
    """Run the notebook's code cells in this process (one namespace, as a kernel would):
    each HTML display of ``notebook.section`` and what the cell printed become its outputs.

    Not a kernel: no isolation between notebooks beyond a fresh namespace and matplotlib's
    settings restored, so it serves tests of what the notebooks *show* (new data),
    never of the kernel. A cell that raises raises here. ``cell_timeout`` is not enforced.
    """
    import matplotlib
    import matplotlib.pyplot as plt

    from gealc_analysis.notebook import section as section_module

    nb = parameterized(notebook, parameters)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    with _ONE_AT_A_TIME, matplotlib.rc_context():
        shown: list[str] = []
        original = section_module._display_html
        section_module._display_html = shown.append
        try:
            count = 0
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                count += 1
                printed = io.StringIO()
                shown.clear()
                with contextlib.redirect_stdout(printed):
                    exec(compile(cell.source, f"<{notebook.stem} cell {index}>", "exec"), namespace)
                cell.execution_count = count
                cell.outputs = (
                    [nbformat.v4.new_output("stream", name="stdout", text=printed.getvalue())]
                    if printed.getvalue()
                    else []
                ) + [_html_output(markup) for markup in shown]
        finally:
            section_module._display_html = original
            plt.close("all")
    nbformat.write(nb, executed)


def keep_briefs_in(folder: Path, monkeypatch: Any) -> None:
    """:func:`memoize_pure_steps` whose briefs are also kept as files in ``folder``, so
    builds of the same data in several processes (a test's subprocesses) typeset each brief
    once; the first is the real one, written atomically (builds may run at once)."""
    import hashlib

    from gealc_analysis.core.outputs import write_bytes_atomically
    from gealc_analysis.products import brief

    memoize_pure_steps(monkeypatch)
    in_memory = brief.write_brief

    def on_disk(bundle: Any, *, out_path: Path | str, **options: Any) -> Path:
        import json
        import pickle

        frames = pickle.dumps(bundle.replaced(data_dir=Path()))
        shown = json.dumps(options, sort_keys=True, default=str).encode()
        kept = folder / f"{hashlib.sha256(frames + shown).hexdigest()}.pdf"
        if kept.is_file():
            return write_bytes_atomically(Path(out_path), kept.read_bytes())
        written = Path(in_memory(bundle, out_path=out_path, **options))
        folder.mkdir(parents=True, exist_ok=True)
        write_bytes_atomically(kept, written.read_bytes())
        return written

    monkeypatch.setattr(brief, "write_brief", on_disk)


def main(arguments: list[str]) -> int:
    """``gealc-report`` with a stand-in executor; options before the command choose it:

    - none: :func:`fake_execute` for every notebook;
    - ``--hang STEM`` (repeatable): that notebook's run hangs (:class:`FakeExecutor`) until the
      build stops its kernels (a signal) or the cell timeout;
    - ``--in-process``: :func:`run_in_process`, the real notebooks' code without kernels;
    - ``--keep-briefs FOLDER``: briefs typeset once for all processes (:func:`keep_briefs_in`).
    """
    import pytest

    from gealc_analysis import cli
    from gealc_analysis.build import execute

    hang: set[str] = set()
    briefs: Path | None = None
    executor: Any = fake_execute
    while arguments and arguments[0].startswith("--"):
        option, *arguments = arguments
        if option == "--hang":
            stem, *arguments = arguments
            hang.add(stem)
        elif option == "--keep-briefs":
            folder, *arguments = arguments
            briefs = Path(folder)
        elif option == "--in-process":
            executor = run_in_process
        else:
            raise SystemExit(f"fakes.py: unknown option {option}")
    patch = pytest.MonkeyPatch()
    if hang:
        FakeExecutor(hang=hang).install(patch)
    else:
        patch.setattr(execute, "execute_notebook", executor)
    if briefs is not None:
        keep_briefs_in(briefs, patch)
    return cli.main(arguments)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
