"""One exception hierarchy for the library.

Every error a user can cause (a bad pack, a bad record file, a failing
plugin) derives from :class:`GovMediaError`, carries its context as
attributes, and renders as one line that says where and what; the CLI turns
any of them into that line and exit status 2.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A place in a user's file: 1-based line and column, optional key path."""

    file: str
    line: int | None = None
    column: int | None = None
    path: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.path}" if self.path else where


class GovMediaError(Exception):
    """Root of every error raised by govmedia-rules."""


class PackError(GovMediaError):
    """A policy pack could not be loaded; ``problems`` lists every issue found."""

    def __init__(self, problems: list[tuple[Location, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{loc}: {msg}" for loc, msg in problems))


class PackNotFoundError(GovMediaError):
    """A pack id or path names no installed pack and no pack folder."""

    def __init__(self, ref: str, known: list[str], suggestions: list[str] | None = None) -> None:
        self.ref = ref
        self.known = known
        self.suggestions = suggestions or []
        hint = "、".join(known) if known else "（无）"
        meant = f"；是否要找 {'、'.join(self.suggestions)}？" if self.suggestions else ""
        super().__init__(
            f"找不到规则包 {ref!r}：既不是已安装的规则包（已安装：{hint}），"
            f"也不是含 pack.yaml 的文件夹{meant}"
        )


class RecordError(GovMediaError):
    """An input file cannot be read at all (missing, unsupported format)."""

    def __init__(self, location: Location, reason: str) -> None:
        self.location = location
        self.reason = reason
        super().__init__(f"{location}: {reason}")


class OutputError(GovMediaError):
    """An output file cannot be written where the user asked (``-o``); names the path."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"输出文件 {path}：{reason}")


class PluginError(GovMediaError):
    """A plugin failed or conflicts with another; names the plugin."""

    def __init__(self, plugin: str, reason: str) -> None:
        self.plugin = plugin
        self.reason = reason
        super().__init__(f"插件 {plugin}：{reason}")


class EvaluationError(GovMediaError):
    """A rule failed while evaluating; names the pack and rule."""

    def __init__(self, pack: str, rule: str, reason: str) -> None:
        self.pack = pack
        self.rule = rule
        self.reason = reason
        super().__init__(f"规则包 {pack} 的规则 {rule} 执行失败：{reason}")
