"""Run the report notebooks with papermill and render them into a static HTML report.

``build_report`` is what ``gealc-report build`` calls. One module per job, in the order a
build uses them:

- ``discover``   which notebooks make the report and which ``--only`` selects
- ``folders``    which folders a build may replace (marker), one build per folder (lock),
                 leftovers of a dead build
- ``cache``      content-hash keys: a section whose inputs are unchanged is kept, not rerun
- ``kernel``     the kernelspec and kernel manager of *this* interpreter (public
                 jupyter_client API only), and stopping its kernels on Ctrl-C/SIGTERM
- ``execute``    one notebook through papermill on a kernel of its own (cell timeout; retry
                 on a kernel-start race); executed notebooks without clock or run paths
- ``run``        every selected notebook into the staging folder, ``--jobs`` at a time in
                 worker threads, each on its own kernel, warmed while the one before runs
                 (no state shared between notebooks)
- ``site``       one folder per language, the landing page, the stylesheet, data copies
- ``render``     an executed notebook as a page without code (nbconvert) in the report frame
- ``pages``      the Jinja environment and templates every page is rendered with
- ``index``      a language's front page
- ``findings``   the key findings and caveat a language's index states
- ``products``   the brief and the explorer of a language
- ``publish``    staging folder, atomic swap, the failed build kept for reading
- ``parameters`` what a notebook ran with, as its page shows it; titles
- ``pipeline``   ``build_report``: the steps above in order
- ``layout``, ``errors`` shared names of files and folders; the build's exceptions

Pages show outputs only (no code, no parameter cells) and load nothing from the network,
so the folder can be zipped, archived or opened offline. papermill, nbconvert and
jupyter_client are imported inside the functions that use them, so importing this package
(e.g. from the CLI) costs no more than importing ``gealc_analysis``.
"""

from gealc_analysis.build.discover import discover_notebooks, select_notebooks
from gealc_analysis.build.errors import BuildError
from gealc_analysis.build.execute import execute_notebook
from gealc_analysis.build.index import IndexSection, index_html
from gealc_analysis.build.layout import README_TEMPLATE
from gealc_analysis.build.parameters import notebook_title, parameters_line
from gealc_analysis.build.pipeline import BuildResult, build_report, resolve_years
from gealc_analysis.build.publish import failed_dir
from gealc_analysis.build.render import render_section

__all__ = [
    "README_TEMPLATE",
    "BuildError",
    "BuildResult",
    "IndexSection",
    "build_report",
    "discover_notebooks",
    "execute_notebook",
    "failed_dir",
    "index_html",
    "notebook_title",
    "parameters_line",
    "render_section",
    "resolve_years",
    "select_notebooks",
]
