"""Kernel side of the warm-kernel pool: remember the state of a fresh kernel, restore it.

Runs *inside* a pooled kernel (:mod:`.pool` sends the two calls below). A fresh kernel is
the reference: after :func:`restore_start_state` the next notebook sees the same user
namespace (empty), execution counter (1), working folder, matplotlib settings (the inline
backend's, before any notebook changed rcParams or a seaborn theme) and no open figure.
Modules stay imported: that, and the kernel not starting again, is the time saved.
"""

from __future__ import annotations

import os
from typing import Any

_START: dict[str, Any] = {}


def remember_start_state() -> None:
    """Record the working folder and matplotlib's settings of the fresh kernel."""
    import matplotlib
    import matplotlib.pyplot  # noqa: F401  (activates the inline backend, as a notebook would)

    _START["cwd"] = os.getcwd()
    _START["rc"] = dict(matplotlib.rcParams)


def restore_start_state() -> None:
    """Make the kernel look fresh to the next notebook (see the module docstring)."""
    import gc

    import matplotlib
    import matplotlib.pyplot as plt
    from IPython import get_ipython

    plt.close("all")
    # The backend and interactive mode stay as the inline backend set them: restoring the
    # values read at import time turns interactive mode off, and later notebooks' figures
    # are then never shown.
    matplotlib.rcParams.update(
        {key: value for key, value in _START["rc"].items() if key not in ("backend", "interactive")}
    )
    os.chdir(_START["cwd"])
    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=True)  # namespace, Out/_ history, execution_count = 1
    gc.collect()
