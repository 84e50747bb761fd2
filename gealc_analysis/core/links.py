"""Symlink loops: found by asking the operating system once, never by following them.

A loop (``a -> b``, ``b -> a``, or a folder linked into itself) given as ``--data-dir``,
``--out`` or found inside ``raw/`` would otherwise end in a traceback or in megabytes of
recursive copies; here it is an :class:`OSError` naming the path (``ELOOP``), which the
command line reports as something to fix (exit 2).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

LOOP_WORDS = "a symlink loop (a link that leads back to itself)"


def is_symlink_loop(path: Path | str) -> bool:
    """True when resolving ``path`` (or a folder on the way to it) goes round in a circle.

    ``os.stat`` gives up on a loop with ``ELOOP`` after a bounded number of links; a path
    that does not exist (yet) is not a loop.
    """
    try:
        os.stat(path)
    except OSError as error:
        return error.errno == errno.ELOOP
    except ValueError:  # a NUL in the path: not a loop (the caller's open reports it)
        return False
    return False


def refuse_symlink_loop(path: Path | str) -> Path:
    """``path`` as a Path; raises ``OSError(ELOOP)`` naming it when it is a symlink loop."""
    if is_symlink_loop(path):
        raise OSError(errno.ELOOP, LOOP_WORDS, str(path))
    return Path(path)
