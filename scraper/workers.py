"""What every pool of extraction processes needs, whichever command starts it."""

from __future__ import annotations

import logging
import os
import signal


def cores() -> int:
    """The CPU cores this process may use (a container's or taskset's limit, not the host's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def quiet_worker() -> None:
    """A pool process's initializer: Ctrl-C is the parent's to handle, and trafilatura's
    warnings about one page are noise next to the reject the page gets."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
