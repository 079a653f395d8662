"""The plugin registry: one pluggy manager, contributions collected and checked once.

Each hook implementation is called on its own so that a failing plugin is
named in the error, and so that two plugins contributing the same name are
reported instead of one silently winning. Entry points are autoloaded unless
``autoload=False`` or the environment sets GOVMEDIA_RULES_DISABLE_PLUGIN_AUTOLOAD.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from functools import cached_property
from typing import Any, TypeVar

import pluggy

from . import hookspecs
from .errors import PluginError

hookimpl = pluggy.HookimplMarker(hookspecs.PROJECT)
T = TypeVar("T")
AUTOLOAD_ENV = "GOVMEDIA_RULES_DISABLE_PLUGIN_AUTOLOAD"


class Registry:
    """Everything plugins contribute: rule kinds, packs and record loaders, by name."""

    def __init__(self, *, plugins: Iterable[object] = (), autoload: bool | None = None) -> None:
        from . import builtin

        self.manager = pluggy.PluginManager(hookspecs.PROJECT)
        self.manager.add_hookspecs(hookspecs)
        self.manager.register(builtin, name="govmedia_rules.builtin")
        if autoload is None:
            autoload = not os.environ.get(AUTOLOAD_ENV)
        if autoload:
            try:
                self.manager.load_setuptools_entrypoints(hookspecs.PROJECT)
            except Exception as exc:  # a broken third-party package must be named, not crash us
                raise PluginError("entry point", f"加载失败：{exc}") from exc
        for plugin in plugins:
            self.manager.register(plugin)
        try:
            self.manager.check_pending()
        except pluggy.PluginValidationError as exc:
            raise PluginError(
                self.manager.get_name(exc.plugin) or repr(exc.plugin), f"实现了不存在的钩子：{exc}"
            ) from None

    def _collect(self, hook_name: str, key: Callable[[Any], str], what: str) -> dict[str, Any]:
        hook = getattr(self.manager.hook, hook_name)
        found: dict[str, Any] = {}
        owner: dict[str, str] = {}
        for impl in reversed(hook.get_hookimpls()):  # registration order
            try:
                items = impl.function() or []
            except Exception as exc:
                raise PluginError(
                    impl.plugin_name, f"钩子 {hook_name} 出错：{type(exc).__name__}: {exc}"
                ) from exc
            for item in items:
                name = key(item)
                if name in found:
                    raise PluginError(
                        impl.plugin_name,
                        f"{what} {name!r} 已由插件 {owner[name]} 提供，不能重复注册",
                    )
                found[name] = item
                owner[name] = impl.plugin_name
        return found

    @cached_property
    def kinds(self) -> dict[str, Any]:
        """Rule kind classes by name."""
        return self._collect("govmedia_rules_add_rule_kinds", lambda k: k.name, "规则类型")

    @cached_property
    def packs(self) -> dict[str, Any]:
        """PackSource by pack id."""
        return self._collect("govmedia_rules_add_packs", lambda p: p.id, "规则包")

    @cached_property
    def loaders(self) -> dict[str, Any]:
        """RecordLoader by file suffix."""
        by_suffix: dict[str, Any] = {}
        for loader in self._collect(
            "govmedia_rules_add_record_loaders", lambda reader: reader.name, "读取器"
        ).values():
            for suffix in loader.suffixes:
                if suffix in by_suffix:
                    raise PluginError(
                        loader.name, f"文件后缀 {suffix} 已由读取器 {by_suffix[suffix].name} 处理"
                    )
                by_suffix[suffix] = loader
        return by_suffix

    def adjust_report(self, report: Any) -> None:
        for impl in reversed(self.manager.hook.govmedia_rules_adjust_report.get_hookimpls()):
            try:
                impl.function(**{name: report for name in impl.argnames})
            except Exception as exc:
                raise PluginError(
                    impl.plugin_name,
                    f"钩子 govmedia_rules_adjust_report 出错：{type(exc).__name__}: {exc}",
                ) from exc


_default: Registry | None = None


def default_registry() -> Registry:
    """The process-wide registry with entry points autoloaded (built on first use)."""
    global _default
    if _default is None:
        _default = Registry()
    return _default
