"""How a pack covers its documents: each requirement sentence with the rules that check it.

A sentence is covered by the rules that cite it (their citation is the only place the sentence
is written) and by coverage entries: a rule that also checks a sentence it does not cite, or the
reason no record can show compliance. Read from the shipped source text, so the report follows
the document, not the order the author wrote things in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .model import Pack, Source
from .sources import SourceItem, find_quote, flatten, read_source, source_items, touches


@dataclass(frozen=True)
class Requirement:
    """A requirement sentence (or attachment table) of a source, and how the pack treats it."""

    document: str
    item: SourceItem
    rules: tuple[str, ...]
    reasons: tuple[str, ...]


def requirements(pack: Pack) -> list[Requirement]:
    """Every requirement item of every source of a loaded (layered) pack, in document order: the
    sentences that state one, and those a rule or coverage entry reads as one."""
    out: list[Requirement] = []
    files: dict[str, list[Source]] = {}  # a document and its attachment may share one file
    for source in pack.sources:
        files.setdefault(source.path, []).append(source)
    for path, sources in files.items():
        documents = {s.document for s in sources}
        text = read_source(Path(path), strip_pinyin=sources[0].strip_pinyin)
        flat = flatten(text)
        cited = [
            (rule.id, find_quote(rule.citation.quote, flat).spans)
            for rule in pack.rules
            if rule.citation.document in documents
        ]
        listed = [
            (entry, find_quote(entry.quote, flat).spans)
            for entry in pack.coverage
            if entry.document in documents
        ]
        for item in source_items(text):
            rules = [rule_id for rule_id, spans in cited if touches(item, spans)]
            entries = [entry for entry, spans in listed if touches(item, spans)]
            if not (item.is_requirement or rules or entries):
                continue  # a heading, or a sentence no one reads as a requirement
            rules += [r for e in entries for r in e.rules if r not in rules]
            reasons = [e.not_checkable for e in entries if e.not_checkable]
            name = "、".join(s.document for s in sources)
            out.append(Requirement(name, item, tuple(rules), tuple(reasons)))
    return out


def clause_coverage(pack: Pack) -> str:
    """The coverage report: every requirement sentence with the rules that check it or why it
    cannot be checked, document by document, and a summary."""
    lines = [f"规则包 {pack.id}：{pack.title}"]
    found = requirements(pack)
    document = None
    for req in found:
        if req.document != document:
            document = req.document
            lines += ["", f"《{document}》"]
        if req.rules:
            status = "、".join(req.rules)
        elif req.reasons:
            status = f"不可检查：{'；'.join(req.reasons)}"
        else:
            status = "未覆盖"
        lines += [f"[第{req.item.line}行] {req.item.text}", f"    → {status}"]
    checked = sum(bool(r.rules) for r in found)
    total = len(found)
    lines += [
        "",
        f"共 {total} 条要求，其中 {checked} 条由规则检查"
        f"（{100 * checked / total if total else 100:.0f}%），"
        f"{total - checked} 条标明不可检查的原因。",
    ]
    return "\n".join(lines) + "\n"
