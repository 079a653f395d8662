"""Writing the files a user names with ``-o``, without harming what is already there.

A report replaces its target only when complete: it is written to a
temporary file of a random name created with ``O_EXCL`` in the target's
folder (so no planted file or symlink is ever written through, and two runs
never share one), then renamed over the target. A character device or FIFO
(``-o /dev/null``, a named pipe) is written straight through: renaming over
it would replace the device node with a plain file. A symlink at the target
is refused rather than followed or replaced, because either would surprise
someone: name the file it points to instead. :func:`check_output` is called
before evaluating, so a mistyped path costs nothing.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import OutputError

_SAFE = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _SAFE


def _target_mode(path: Path) -> int | None:
    """The mode of what is at ``path`` (None when nothing), refusing what must not be written."""
    try:
        mode = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):  # nothing there; the folder check says why
        return None
    except OSError:
        raise OutputError(str(path), "无法访问") from None
    if stat.S_ISLNK(mode):
        raise OutputError(str(path), "是符号链接，为安全起见不跟随也不替换，请直接指定它指向的文件")
    if stat.S_ISDIR(mode):
        raise OutputError(str(path), "是文件夹，请指定文件路径")
    if not (stat.S_ISREG(mode) or stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        raise OutputError(str(path), "是特殊文件，只能写入普通文件、字符设备或命名管道")
    return mode


def _temporary(path: Path) -> tuple[int, Path]:
    """A new file of a random name beside ``path``, opened for writing; never an existing one."""
    while True:
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.partial")
        try:
            return os.open(temporary, _CREATE, 0o666), temporary
        except FileExistsError:
            continue
        except FileNotFoundError:
            raise OutputError(str(path), f"所在文件夹 {path.parent} 不存在") from None
        except NotADirectoryError:
            raise OutputError(str(path), f"{path.parent} 不是文件夹") from None
        except OSError:
            raise OutputError(str(path), f"所在文件夹 {path.parent} 不可写") from None


def check_output(path: str | Path) -> None:
    """Raise :class:`OutputError` now if ``path`` could not be written at the end of a run."""
    path = Path(path)
    mode = _target_mode(path)
    if mode is not None and not stat.S_ISREG(mode):
        if not os.access(path, os.W_OK):
            raise OutputError(str(path), "不可写")
        return
    handle, temporary = _temporary(path)
    os.close(handle)
    os.unlink(temporary)


#: what a writer takes: one text or bytes, or chunks of them written as they come (a report is
#: streamed finding by finding rather than held as one string)
Payload = str | bytes | Iterable[str | bytes]


def _chunks(data: Payload) -> Iterator[bytes]:
    for chunk in [data] if isinstance(data, (str, bytes)) else data:
        yield chunk.encode("utf-8") if isinstance(chunk, str) else chunk


def write_output(path: str | Path, data: Payload) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` whole or not at all, as the module describes."""
    path = Path(path)
    mode = _target_mode(path)
    if mode is not None and not stat.S_ISREG(mode):
        with os.fdopen(os.open(path, os.O_WRONLY | _SAFE), "wb") as special:
            special.writelines(_chunks(data))
        return
    handle, temporary = _temporary(path)
    try:
        with os.fdopen(handle, "wb", buffering=1 << 20) as out:
            out.writelines(_chunks(data))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
