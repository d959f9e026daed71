"""A time limit for one page's extraction that works in any thread.

The run's pool bounds a page with SIGALRM, which only reaches a process's main
thread. A Dask worker runs its tasks in a thread of its own, so here a watchdog
thread raises ``PageTimeout`` in the working thread instead
(``PyThreadState_SetAsyncExc``). Like the alarm's handler, the exception lands
when the thread next runs Python code, so the bound is the same under both bulk
engines (one mechanism keeps their results identical) and for corpus records,
cleaned in the caller's thread or in pool processes alike.
"""

from __future__ import annotations

import ctypes
import threading
import time
from types import TracebackType
from typing import Self


class PageTimeout(BaseException):
    """A BaseException, so that no ``except Exception`` in the extractor swallows it."""


_API = ("PyThreadState_SetAsyncExc", ctypes.pythonapi)
_raise_in = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.py_object)(_API)
_clear_in = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p)(_API)  # NULL clears


class Watchdog:
    """One watchdog thread for the pages of one file: ``with dog.limit(seconds): ...``."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._target: int | None = None
        self._expires = 0.0
        self._fired = False
        self._closed = False
        self._thread = threading.Thread(target=self._watch, name="page-watchdog", daemon=True)
        self._thread.start()

    def limit(self, seconds: float) -> _Limit:
        return _Limit(self, seconds)

    def _arm(self, seconds: float) -> None:
        with self._lock:
            self._target = threading.get_ident()
            self._expires = time.monotonic() + seconds
            self._fired = False
            self._lock.notify()

    def _disarm(self) -> None:
        with self._lock:
            target, fired = self._target, self._fired
            self._target = None
        if fired and target is not None:
            # Fired while the page was finishing: drop the pending exception. Until this
            # call it may still land, but only inside this method, inside the ``with``.
            _clear_in(target, None)

    def _watch(self) -> None:
        with self._lock:
            while not self._closed:
                if self._target is None or self._fired:
                    self._lock.wait()
                    continue
                left = self._expires - time.monotonic()
                if left > 0:
                    self._lock.wait(left)
                    continue
                self._fired = True
                _raise_in(self._target, PageTimeout)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._lock.notify()
        self._thread.join()


class _Limit:
    def __init__(self, dog: Watchdog, seconds: float) -> None:
        self._dog = dog
        self._seconds = seconds

    def __enter__(self) -> Self:
        self._dog._arm(self._seconds)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._dog._disarm()
