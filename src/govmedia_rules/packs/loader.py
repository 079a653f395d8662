"""Loading packs: resolve, read, validate in layers, then layer on the pack it extends.

Layers, each reporting every problem it finds with file:line:column and key
path: YAML (syntax, duplicate keys) → JSON Schema (shape, params of each
kind) → semantics (unique rule ids, coverage and scoring referring to real
rules, quotes found verbatim in the shipped source text, calendar clashes).
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..errors import GovMediaError, Location, PackError, PackNotFoundError
from .consistency import scoring_problems
from .model import Citation, Origin, Pack, Rule
from .overrides import override_problems
from .schema import locate_errors, located, schema_errors
from .sources import check_quotes
from .yamlsource import YamlDocument, read_yaml

if TYPE_CHECKING:
    from ..plugins import Registry

PACK_FILE = "pack.yaml"


@dataclass(frozen=True)
class PackSource:
    """A pack contributed by a plugin: its id and the folder holding pack.yaml."""

    id: str
    path: Path


def resolve(ref: str | Path, registry: Registry) -> Path:
    """Folder of the pack named by an installed id or a path."""
    if str(ref) in registry.packs:
        return Path(registry.packs[str(ref)].path)
    path = Path(ref)
    if path.is_file() and path.name == PACK_FILE:
        return path.parent
    if (path / PACK_FILE).is_file():
        return path
    raise PackNotFoundError(str(ref), sorted(registry.packs), suggest_packs(str(ref), registry))


#: words for the whole country, as a national pack's jurisdiction spells it (全国)
_COUNTRY = {"国家": "全国", "中央": "全国", "国务院": "全国"}


def suggest_packs(ref: str, registry: Registry) -> list[str]:
    """Installed packs a mistyped id or a place name (连云港, 君山区, 国家) most likely means.

    Place names are matched against each pack's own jurisdiction and title,
    so a third-party pack is suggested by its city without a table here.
    """
    ids = sorted(registry.packs)
    close = difflib.get_close_matches(ref, ids, n=3, cutoff=0.6)
    place = _COUNTRY.get(ref, ref)
    place = place.rstrip("省市区县") or place
    if close or place.isascii():
        return close
    metadata = [(pack_id, _metadata(registry.packs[pack_id].path)) for pack_id in ids]
    for key in ("jurisdiction", "title"):
        found = [pack_id for pack_id, meta in metadata if place in str(meta.get(key, ""))]
        if found:
            return found
    return []


def _metadata(folder: Path) -> dict[str, Any]:
    """A pack's top-level keys as written (empty when unreadable: a suggestion is best effort)."""
    try:
        data = read_yaml(Path(folder) / PACK_FILE).data
    except GovMediaError:
        return {}
    return data if isinstance(data, dict) else {}


def load_pack(
    ref: str | Path,
    registry: Registry | None = None,
    *,
    _chain: tuple[tuple[str, Location], ...] = (),
) -> Pack:
    """Load, validate and layer one pack. Raises :class:`PackError` listing every problem."""
    if registry is None:
        from ..plugins import default_registry

        registry = default_registry()
    folder = resolve(ref, registry)
    file = folder / PACK_FILE
    key = str(file.resolve())
    files = [k for k, _ in _chain]
    if key in files:  # every extends of the cycle is located: any of them may be the one to change
        cycle = _chain[files.index(key) :]
        names = " → ".join([*(Path(k).parent.name for k, _ in cycle), Path(key).parent.name])
        raise PackError([(where, f"extends 形成循环：{names}") for _, where in cycle])
    doc = read_yaml(file)
    pack = _validate(doc, registry)
    parent = None
    if pack.extends:
        if Path(pack.extends).is_absolute():
            where = doc.locate(("extends",), value=True)
            raise PackError(
                [(where, "extends 应为规则包 id 或相对本规则包文件夹的路径，不能是绝对路径")]
            )
        # an id names an installed pack; anything else is a folder relative to this pack's own
        ref = pack.extends if pack.extends in registry.packs else folder / pack.extends
        try:
            parent = load_pack(
                ref, registry, _chain=(*_chain, (key, doc.locate(("extends",), value=True)))
            )
        except PackNotFoundError as exc:
            raise PackError([(doc.locate(("extends",), value=True), str(exc))]) from None
    pack = _with_origins(pack, doc)
    digest = hashlib.sha256(
        file.read_bytes() + (parent.digest.encode() if parent else b"")
    ).hexdigest()
    pack = pack.model_copy(update={"path": str(folder), "digest": digest})
    if parent:
        known = {r.id for r in parent.rules}
        missing = [
            (
                doc.locate(("drop_rules", i, "rule")),
                f"drop_rules 中的 {d.rule!r} 不是所继承规则包的规则",
            )
            for i, d in enumerate(pack.drop_rules)
            if d.rule not in known
        ]
        if missing:
            raise PackError(missing)
        pack = _with_recitals(pack, parent, doc)
    elif pack.drop_rules or pack.recite:
        key = "drop_rules" if pack.drop_rules else "recite"
        raise PackError([(doc.locate((key,)), f"没有 extends 时不能使用 {key}")])
    layered = _layer(parent, pack) if parent else pack.model_copy(update={"lineage": [pack.id]})
    _check_references(pack, {r.id: r.citation.quote for r in layered.rules}, doc)
    problems = scoring_problems(pack, parent, layered) + override_problems(pack, parent, registry)
    if problems:
        raise PackError([(doc.locate(path), message) for path, message in problems])
    return layered


def _validate(doc: YamlDocument, registry: Registry) -> Pack:
    if not isinstance(doc.data, dict):
        raise PackError([(doc.locate(()), "pack.yaml 的顶层必须是映射（键: 值）")])
    problems = locate_errors(doc, schema_errors(doc.data, registry.kinds.values()))
    if problems:
        raise PackError(problems)
    try:
        pack = Pack.model_validate(doc.data)
    except ValidationError as exc:
        raise PackError(located(doc, exc)) from None
    seen: dict[str, int] = {}
    for i, rule in enumerate(pack.rules):
        if rule.id in seen:
            problems.append(
                (
                    doc.locate(("rules", i, "id")),
                    f"规则 id {rule.id!r} 重复（rules[{seen[rule.id]}] 已定义）",
                )
            )
        seen.setdefault(rule.id, i)
        try:
            registry.kinds[rule.kind].from_params(rule.params)
        except ValidationError as exc:
            problems += located(doc, exc, ("rules", i, "params"))
        if (
            rule.effective.from_
            and rule.effective.until
            and rule.effective.from_ > rule.effective.until
        ):
            problems.append((doc.locate(("rules", i, "effective")), "生效日期晚于失效日期"))
    pack, unnamed = _with_documents(pack, doc)
    problems += unnamed + check_quotes(pack, doc)
    problems += _check_calendar(pack, doc)
    if problems:
        raise PackError(problems)
    return pack


def _with_documents(pack: Pack, doc: YamlDocument) -> tuple[Pack, list[tuple[Location, str]]]:
    """Citations that leave out the document cite the pack's own: its document_number, or its only
    source. Written in here once, so every finding names its document."""
    own = pack.document_number or (pack.sources[0].document if len(pack.sources) == 1 else None)
    problems: list[tuple[Location, str]] = []

    def named(citation: Citation, path: tuple[str | int, ...]) -> Citation:
        if citation.document:
            return citation
        if own is None:
            problems.append((doc.locate(path), "引文须写明 document：本规则包没有 document_number"))
            return citation
        return citation.model_copy(update={"document": own})

    rules = [
        r.model_copy(update={"citation": named(r.citation, ("rules", i, "citation"))})
        for i, r in enumerate(pack.rules)
    ]
    recite = [named(r, ("recite", i)) for i, r in enumerate(pack.recite)]
    coverage = [c.model_copy(update={"document": c.document or own}) for c in pack.coverage]
    folder = Path(doc.file).parent.resolve()
    sources = [s.model_copy(update={"path": str(folder / s.file)}) for s in pack.sources]
    update = {"rules": rules, "recite": recite, "coverage": coverage, "sources": sources}
    return pack.model_copy(update=update), problems


def _check_calendar(pack: Pack, doc: YamlDocument) -> list[tuple[Location, str]]:
    """A day both a holiday and a make-up workday, or a year given twice, in any schedules.

    Each clash is reported at every line involved (both dates, both years):
    the author has to pick one, and either may be the mistake.
    """
    where: dict[tuple[str, object], list[tuple[str | int, ...]]] = {}
    for i, schedule in enumerate(pack.calendar.schedules):
        where.setdefault(("year", schedule.year), []).append(("calendar", "schedules", i, "year"))
        for name in ("holidays", "workdays"):
            for j, day in enumerate(getattr(schedule, name)):
                where.setdefault((name, day), []).append(("calendar", "schedules", i, name, j))
    problems = []
    for (name, value), paths in where.items():
        if name == "year" and len(paths) > 1:
            problems += [
                (doc.locate(p, value=True), f"{value} 年的放假安排写了{len(paths)}次")
                for p in paths
            ]
        elif name == "holidays" and ("workdays", value) in where:
            clash = paths + where[("workdays", value)]
            problems += [
                (doc.locate(p, value=True), f"{value} 既是假日又是调休工作日") for p in clash
            ]
    return problems


def _origin(pack: Pack, doc: YamlDocument, rule: Rule, where: Location) -> dict[str, Any]:
    """What a rule takes from the pack that writes it (its own or a recited one): the origin at
    ``where``, as ``pack/pack.yaml`` so reports do not depend on where packs are installed, and
    its dates within the pack's."""
    file = f"{Path(doc.file).parent.name}/{Path(doc.file).name}"
    origin = Origin(
        pack=pack.id, version=pack.version, file=file, rule=rule.id, line=where.line or 1
    )
    return {"origin": origin, "effective": rule.effective.within(pack.effective)}


def _with_origins(pack: Pack, doc: YamlDocument) -> Pack:
    rules = [
        r.model_copy(update=_origin(pack, doc, r, doc.locate(("rules", i))))
        for i, r in enumerate(pack.rules)
    ]
    return pack.model_copy(update={"rules": rules})


def _with_recitals(pack: Pack, parent: Pack, doc: YamlDocument) -> Pack:
    """Each ``recite`` entry as the inherited rule citing this pack's sentence: an override that
    changes the citation only, written as one entry so the rule is not copied."""
    inherited = {r.id: r for r in parent.rules if r.id not in {d.rule for d in pack.drop_rules}}
    own = {r.id for r in pack.rules}
    problems: list[tuple[Location, str]] = []
    recited: list[Rule] = []
    for i, entry in enumerate(pack.recite):
        where = doc.locate(("recite", i, "rule"), value=True)
        if entry.rule in own:
            problems.append((where, f"规则 {entry.rule!r} 已在 rules 中重写，不能再列入 recite"))
        elif entry.rule not in inherited:
            problems.append((where, f"recite 中的 {entry.rule!r} 不是所继承规则包的规则"))
        else:
            rule = inherited[entry.rule]
            citation = Citation.model_validate(entry.model_dump(include=set(Citation.model_fields)))
            update = {"citation": citation, **_origin(pack, doc, rule, where)}
            update |= {k: getattr(entry, k) for k in ("title", "reading") if getattr(entry, k)}
            recited.append(rule.model_copy(update=update))
    if problems:
        raise PackError(problems)
    return pack.model_copy(update={"rules": [*pack.rules, *recited]})


def _layer(parent: Pack, child: Pack) -> Pack:
    """The child pack over its parent: rules overridden by id, the rest merged."""
    own = {r.id: r for r in child.rules}
    drop = {d.rule for d in child.drop_rules}
    dropped = [r.origin for r in parent.rules if r.id in drop and r.origin]
    inherited = [r for r in parent.rules if r.id not in drop]
    rules = [
        own.pop(r.id).model_copy(update={"overrides": r.origin}) if r.id in own else r
        for r in inherited
    ]
    rules += [r for r in child.rules if r.id in own]
    years = {s.year for s in child.calendar.schedules}
    schedules = [s for s in parent.calendar.schedules if s.year not in years] + list(
        child.calendar.schedules
    )
    update: dict[str, Any] = {
        "rules": rules,
        "coverage": list(parent.coverage) + list(child.coverage),
        "sources": list(parent.sources) + list(child.sources),
        "calendar": child.calendar.model_copy(update={"schedules": schedules}),
        "lineage": [*parent.lineage, child.id],
        "dropped": [*parent.dropped, *dropped],
        "scoring": child.scoring.layered_on(parent.scoring),
    }
    if "applies_to" not in child.model_fields_set:  # what the child does not say, it inherits
        update["applies_to"] = parent.applies_to
    # each rule carries its own pack's dates; the layered pack spans them all
    update["effective"] = (
        parent.effective.hull(child.effective)
        if "effective" in child.model_fields_set
        else parent.effective
    )
    return child.model_copy(update=update)


def _check_references(pack: Pack, quotes: dict[str, str], doc: YamlDocument) -> None:
    """The pack's own coverage and scoring name rules of the layered pack (``quotes``: each
    rule's citation), and a coverage entry never repeats a sentence its rule already cites."""
    problems = []
    for i, item in enumerate(pack.coverage):
        for j, rule_id in enumerate(item.rules):
            if rule_id not in quotes:
                message = f"覆盖清单引用了不存在的规则 {rule_id!r}"
            elif quotes[rule_id] == item.quote:
                message = f"规则 {rule_id!r} 的引文已是这句原文，不必在覆盖清单中再列一次"
            else:
                continue
            problems.append((doc.locate(("coverage", i, "rules", j)), message))
        if not item.rules and not item.not_checkable:
            problems.append(
                (
                    doc.locate(("coverage", i)),
                    "须列出检查它的规则（rules），或用 not_checkable 说明不可检查的原因",
                )
            )
    for i, rule_id in enumerate(pack.scoring.veto_rules):
        if rule_id not in quotes:
            problems.append(
                (doc.locate(("scoring", "veto_rules", i)), f"否决项引用了不存在的规则 {rule_id!r}")
            )
    if problems:
        raise PackError(problems)
