"""YAML reading that remembers where every value came from.

Packs are read with PyYAML's safe constructors only, and with three
differences from ``yaml.safe_load`` that a policy author needs:

* a key written twice in one mapping is an error (PyYAML keeps the last one
  silently, so a typo would vanish);
* dates stay strings, so the schema and the models decide what a date is;
* only true/false are booleans (YAML 1.2): ``on``, ``no``, ``yes`` stay
  words, so a record's ``on:`` date is not read as ``True``;
* every key's and every value's line and column is kept, keyed by its path,
  so later layers can say ``pack.yaml:42:7: rules[3].params.min_posts`` and
  point at the key for an unknown key, at the value for a wrong value.

Nesting depth and node count are bounded, so an alias bomb or a deeply
nested file fails fast.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Location, PackError

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000

PathKey = tuple[str | int, ...]


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loading (libyaml's parser when available) with YAML 1.2 booleans and without implicit
    timestamps."""


_BOOL = "tag:yaml.org,2002:bool"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp", _BOOL)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def format_path(path: PathKey) -> str:
    """``('rules', 3, 'params')`` → ``rules[3].params``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass
class YamlDocument:
    """A parsed YAML file: its data and where each path was written."""

    file: str
    data: Any
    #: where each path starts: a mapping entry at its key, a list item or the root at its value
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    #: where each path's value starts (for a mapping entry, after its key)
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: PathKey, *, value: bool = False) -> Location:
        """Location of ``path`` (its value with ``value``), or of its nearest written ancestor."""
        probe = tuple(path)
        table = self.values if value else self.positions
        while probe and probe not in table:
            probe = probe[:-1]
        line, column = table.get(probe, self.positions.get(probe, (1, 1)))
        return Location(self.file, line, column, format_path(path))


def read_yaml(path: Path, display: str | None = None) -> YamlDocument:
    """Read one YAML file; raises :class:`PackError` naming file:line:column."""
    name = display or str(path)
    try:
        with path.open("rb") as handle:  # size checked before reading; the read is bounded too
            size = os.fstat(handle.fileno()).st_size
            raw = handle.read(MAX_BYTES + 1) if size <= MAX_BYTES else b""
    except OSError as exc:
        raise PackError([(Location(name), f"无法读取文件：{exc.strerror}")]) from None
    if max(size, len(raw)) > MAX_BYTES:
        raise PackError(
            [(Location(name), f"文件过大（{max(size, len(raw))} 字节，上限 {MAX_BYTES}）")]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PackError(
            [(Location(name), f"不是有效的 UTF-8 编码（第 {exc.start} 字节）")]
        ) from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> YamlDocument:
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        return _unreadable(text, name, exc)
    try:
        node = loader.get_single_node()
        doc = YamlDocument(name, None)
        if node is not None:
            doc.data = _Builder(loader, doc).build(node, (), 0)
        return doc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        reason = " ".join(x for x in (exc.context, exc.problem) if x)
        raise PackError([(Location(name, line, col), f"YAML 语法错误：{reason}")]) from None
    except yaml.reader.ReaderError as exc:
        return _unreadable(text, name, exc)
    except yaml.YAMLError as exc:
        raise PackError([(Location(name), f"YAML 语法错误：{exc}")]) from None
    finally:
        loader.dispose()


def _unreadable(text: str, name: str, exc: yaml.reader.ReaderError) -> YamlDocument:
    """A character YAML does not allow (a control character): name where it is."""
    before = text[: exc.position]
    line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
    raise PackError(
        [(Location(name, line, column), f"文件含有 YAML 不允许的字符 {exc.character!r}")]
    )


class _Builder:
    def __init__(self, loader: _Loader, doc: YamlDocument) -> None:
        self.loader = loader
        self.doc = doc
        self.count = 0

    def _fail(self, node: yaml.Node, path: PathKey, reason: str) -> PackError:
        loc = Location(
            self.doc.file, node.start_mark.line + 1, node.start_mark.column + 1, format_path(path)
        )
        return PackError([(loc, reason)])

    def build(self, node: yaml.Node, path: PathKey, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self._fail(
                node, path, f"节点过多（上限 {MAX_NODES}），可能是别名（alias）展开过大"
            )
        if depth > MAX_DEPTH:
            raise self._fail(node, path, f"嵌套过深（上限 {MAX_DEPTH} 层）")
        start = (node.start_mark.line + 1, node.start_mark.column + 1)
        self.doc.positions.setdefault(path, start)
        self.doc.values[path] = start
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self._fail(key_node, path, "键必须是简单的字符串")
                key = str(self.loader.construct_object(key_node))
                if key == "<<":
                    raise self._fail(key_node, path, "不支持 YAML 合并键 <<")
                child = (*path, key)
                if key in out:
                    first = self.doc.positions.get(child, (0, 0))[0]
                    raise self._fail(key_node, child, f"键 {key!r} 重复（第 {first} 行已定义）")
                self.doc.positions[child] = (
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
                out[key] = self.build(value_node, child, depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self.loader.construct_object(node)
