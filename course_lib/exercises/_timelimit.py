"""Running a student's function with a time limit.

Where the platform allows it (a POSIX system, called from the main thread, no other
interval timer armed) an alarm signal raises :class:`OutOfTime` inside the student's code
when the limit is reached; notebooks run cells in the kernel's main thread, so there a
loop that never ends is stopped. Elsewhere (Windows, a worker thread) nothing can stop
pure Python code from outside: a notice says the check is still waiting, and the caller
reports the time once the function returns.

A long call into C (one huge NumPy operation) cannot be interrupted by a signal either:
Python runs the signal's handler when that call returns, so the function is stopped then,
and the notice appears meanwhile if the call takes much longer than the limit.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable

#: Seconds after the limit before the "still waiting" notice is printed, so that a
#: function the alarm does stop is reported once, not twice.
NOTICE_DELAY = 1.0
#: After the first alarm, it fires again this often, so that a student's bare ``except:``
#: that swallows one alarm does not keep the loop running.
REPEAT = 0.1


class OutOfTime(BaseException):
    """Raised inside the student's code by the alarm.

    A BaseException, so that ``except Exception`` in the student's code does not catch it.
    """


def can_interrupt() -> bool:
    """True where :func:`run` can stop a running function (see the module docstring)."""
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0  # an outer timer (pytest-timeout ...)
    )


def _still_waiting(seconds: float) -> None:
    print(
        f"⏳ still waiting for your function after {seconds:g} s (the time limit): it cannot be "
        "interrupted where it is now (inside one long NumPy operation, or off the notebook's "
        "main thread). If it never ends, interrupt the kernel (■ in the toolbar).",
        flush=True,
    )


def run(fn: Callable, args: tuple, kwargs: dict, seconds: float):
    """``fn(*args, **kwargs)``, raising :class:`OutOfTime` inside it after ``seconds``
    where :func:`can_interrupt`; elsewhere it runs to its end, with a notice once it has
    run for ``seconds + NOTICE_DELAY``."""
    notice = threading.Timer(seconds + NOTICE_DELAY, _still_waiting, (seconds,))
    notice.daemon = True
    notice.start()
    try:
        if can_interrupt():
            return _run_with_alarm(fn, args, kwargs, seconds)
        return fn(*args, **kwargs)
    finally:
        notice.cancel()


def _run_with_alarm(fn: Callable, args: tuple, kwargs: dict, seconds: float):
    live = [True]  # the alarm raises only while the student's code runs

    def on_alarm(signum, frame):
        if live[0]:
            raise OutOfTime

    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-3), REPEAT)
        try:
            return fn(*args, **kwargs)
        finally:
            live[0] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, previous)
