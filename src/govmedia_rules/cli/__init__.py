"""The ``govmedia-rules`` command: a thin layer over the library.

Exit status, the same for every command: 0 nothing found (or success),
1 open findings, changed verdicts or failing pack cases, 2 usage or input
error, with one clear line per problem on stderr, 3 an internal error, one
line naming the log file that holds the traceback. Messages, usage and help
are Chinese: argparse's English is replaced, not mixed in.

The grammar is in `parser`; the commands in `checking` (check, report), `authoring` (validate,
test, coverage, readme, diff, explain) and `reference` (packs, kinds, schema).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence

from ..errors import EvaluationError, GovMediaError
from ..plugins import Registry, default_registry
from ..version import __version__
from .authoring import (
    run_coverage,
    run_diff,
    run_explain,
    run_readme,
    run_test,
    run_validate,
)
from .checking import run_check, run_report
from .parser import build_parser
from .reference import run_kinds, run_packs, run_schema

__all__ = ["main"]

#: each command's implementation, by its name on the command line
_COMMANDS: dict[str, Callable[[argparse.Namespace, Registry], int]] = {
    "check": run_check,
    "report": run_report,
    "validate": run_validate,
    "test": run_test,
    "coverage": run_coverage,
    "readme": run_readme,
    "diff": run_diff,
    "explain": run_explain,
    "packs": run_packs,
    "kinds": run_kinds,
    "schema": run_schema,
}


def main(argv: Sequence[str] | None = None, *, registry: Registry | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args, registry or default_registry())
    except EvaluationError as exc:  # a rule kind failed: a bug, not the user's mistake
        return _internal_error(exc)
    except GovMediaError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # e.g. since after as_of
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader stopped early (| head): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0
    except Exception as exc:  # noqa: BLE001 - whatever it is, one line and the traceback in a log
        return _internal_error(exc)


def _internal_error(exc: BaseException) -> int:
    """Exit status 3 with one line; the traceback goes to a log file to send to maintainers."""
    handle, log = tempfile.mkstemp(prefix="govmedia-rules-", suffix=".log")
    with open(handle, "w", encoding="utf-8") as out:
        out.write(f"govmedia-rules {__version__}\n")
        out.write("".join(traceback.format_exception(exc)))
    print(
        f"内部错误：程序出现了意外问题，详细信息已写入 {log}，请将该文件提供给维护者",
        file=sys.stderr,
    )
    return 3
