"""A heartbeat on stderr while a long command runs, so a person at a terminal sees it working.

Evaluation runs in one pass whose length is not known in advance, so the
line says what is being done and for how long rather than a percentage.
It appears only after :data:`DELAY` seconds (short runs stay silent), only
when stderr is a terminal (logs and pipes stay clean), and is erased when
the work ends, so the command's own output is unchanged.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

#: seconds before the first line appears
DELAY = 2.0


@contextmanager
def heartbeat(task: str, *, enabled: bool) -> Iterator[None]:
    """Show ``task`` with the elapsed seconds on stderr, once a second, until the block ends."""
    stream = sys.stderr
    if not enabled or not stream.isatty():
        yield
        return
    done, shown = threading.Event(), threading.Event()
    start = time.monotonic()

    def beat() -> None:
        if done.wait(DELAY):
            return
        shown.set()
        while True:
            stream.write(f"\r{task}……已用 {time.monotonic() - start:.0f} 秒")
            stream.flush()
            if done.wait(1.0):
                return

    thread = threading.Thread(target=beat, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        if shown.is_set():
            stream.write("\r\033[K")
            stream.flush()
