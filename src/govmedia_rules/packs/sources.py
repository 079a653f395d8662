"""A pack's source document as requirement items: sentences, and attachment tables.

Coverage is checked against the document itself, not against the list the
author wrote: every sentence that states a requirement must be quoted by a
rule or a coverage entry (with the rules that check it, or why none can), so
deleting a sentence's entry fails validation instead of shrinking the list.

Whitespace is layout, not wording (a page break may split a sentence), so
items are matched in the text with whitespace removed; each keeps the line
it starts on, for the error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Location

if TYPE_CHECKING:
    from .model import Pack
    from .yamlsource import YamlDocument

#: ends a sentence (full-width and half-width)
_END = "。；;！？!?"
#: a line may end a clause with these and go on in the next line
_GOES_ON = "，,、：:（(“"
#: a heading is a short line that ends no sentence (一、总体要求, 第三章 内容发布)
_HEADING_MAX = 24
#: words that state a requirement, in simplified and traditional characters
_MARKERS = re.compile(
    "应|應|须|須|要|不得|严禁|嚴禁|禁止|不准|不準|一律|不少于|不少於|不超过|不超過|"
    "原则上|原則上|只|均需|需在|需于|需於|需经|需經"
)
#: words containing a marker that state no requirement (应急 is an emergency, 重要 important)
_NOT_MARKERS = re.compile(
    "应急|應急|响应|響應|回应|回應|相应|相應|对应|對應|适应|適應|应用|應用|供应|供應|效应|效應|反应|反應|"
    "重要|主要|需要|必要|要点|要點|纲要|綱要|摘要|要素|要闻|要聞|要求"
)
#: a pinyin gloss a web page inserts after a character: 君山區(jūn shān qū)
_PINYIN = re.compile(r"[（(][a-zàáâãāǎèéêēěìíîīǐòóôõōǒùúûūǔüǖǘǚǜńňḿ\s]+[)）]")
_SPACE = re.compile(r"\s+")
#: half-width punctuation and the full-width form a Chinese document uses
_WIDTH = str.maketrans(",;:()!?", "，；：（）！？")


def _states_requirement(text: str) -> bool:
    return bool(_MARKERS.search(_NOT_MARKERS.sub("", text)))


@dataclass(frozen=True)
class SourceItem:
    """A sentence, or an attachment table (its title and rows), of a source document."""

    line: int
    text: str
    table: bool = False
    #: where the item starts and ends in the text with whitespace removed
    start: int = 0
    end: int = 0

    @property
    def is_requirement(self) -> bool:
        """An attachment table is a form the document requires; a sentence states a requirement
        when it holds a word of obligation or prohibition (应, 须, 不得, 严禁, 只 …)."""
        return self.table or _states_requirement(self.text)


def _is_table_row(line: str) -> bool:
    return "|" in line or "\t" in line


def source_items(text: str) -> list[SourceItem]:
    """The document's sentences and attachment tables, in order, with their lines and spans.

    An attachment table is the rows (cells divided by ``|`` or tabs) that
    follow a title line naming a 附件, 附表 or ...表; rows with no title, such
    as the index box a government site prints above a notice, are not items.
    """
    items: list[SourceItem] = []
    flat = 0  # position in the text with whitespace removed
    sentence: list[str] = []
    sentence_line = 0
    title: tuple[int, str, int] | None = None  # the lines that may title an attachment table
    rows: list[str] = []
    last_heading = 0

    def close_sentence() -> None:
        nonlocal sentence
        if sentence:
            body = "".join(sentence)
            items.append(SourceItem(sentence_line, body, start=flat - len(body), end=flat))
            sentence = []

    def close_table() -> None:
        nonlocal rows, title
        if title is not None:
            body = title[1] + "".join(rows)
            items.append(SourceItem(title[0], body, table=True, start=title[2], end=flat))
        rows, title = [], None

    for number, line in enumerate(text.split("\n"), start=1):
        body = "".join(line.split())
        if not body:
            continue
        if _is_table_row(line):
            close_sentence()
            rows.append(body)
            flat += len(body)
            continue
        if rows:
            close_table()
        # a short line ending no sentence is a heading, unless it states a requirement: then it is
        # a sentence a page break cut short
        if (
            len(body) <= _HEADING_MAX
            and body[-1] not in _END + _GOES_ON
            and not _states_requirement(body)
        ):
            close_sentence()
            items.append(SourceItem(number, body, start=flat, end=flat + len(body)))
            if title is not None and last_heading == number - 1:  # 附件1, then the form's name
                title = (title[0], title[1] + body, title[2])
            elif body.startswith(("附件", "附表")) or body.endswith("表"):
                title = (number, body, flat)
            flat += len(body)
            last_heading = number
            continue
        for char in body:
            if not sentence:
                sentence_line = number
            sentence.append(char)
            flat += 1
            if char in _END:
                close_sentence()
    close_sentence()
    if rows:
        close_table()
    return items


def width_variant(quote: str, flat_text: str) -> str | None:
    """The source's own wording of a quote that differs from it only in full-width and half-width
    punctuation, or None: such a quote is the right sentence with a typing slip, not a misquote."""
    wanted = quote.translate(_WIDTH)
    at = flat_text.translate(_WIDTH).find(wanted)
    return flat_text[at : at + len(wanted)] if at >= 0 else None


def read_source(file: Path, *, strip_pinyin: bool) -> str:
    """A source document's text as published (pinyin glosses removed where the pack asks)."""
    text = file.read_text(encoding="utf-8-sig")
    return _PINYIN.sub("", text) if strip_pinyin else text


def flatten(text: str) -> str:
    """The text with whitespace removed: line and page breaks are layout, not wording."""
    return _SPACE.sub("", text)


@dataclass(frozen=True)
class Found:
    """Where a quote is in a document's flattened text, and the source's own wording when the
    quote differs from it in full-width and half-width punctuation only."""

    spans: list[tuple[int, int]]
    variant: str | None = None


def find_quote(quote: str, flat_text: str) -> Found:
    """Every place a quote is written in the document (a form's title is also in the list of
    attachments), or its width variant, or nowhere (no spans)."""
    wanted = flatten(quote)
    if not wanted:
        return Found([])
    found = re.finditer(re.escape(wanted), flat_text)
    spans = [(m.start(), m.start() + len(wanted)) for m in found]
    if spans:
        return Found(spans)
    variant = width_variant(wanted, flat_text)
    if variant is None:
        return Found([])
    at = flat_text.find(variant)
    return Found([(at, at + len(variant))], variant)


def touches(item: SourceItem, spans: list[tuple[int, int]]) -> bool:
    """Whether any span overlaps the item."""
    return any(a < item.end and item.start < b for a, b in spans)


def check_quotes(pack: Pack, doc: YamlDocument) -> list[tuple[Location, str]]:
    """Every quote of a shipped source document must appear in it verbatim.

    Whitespace is ignored on both sides: line and page breaks inside a
    sentence are layout of the published file, not words of the document.
    """
    problems = []
    folder = Path(doc.file).parent
    for i, source in enumerate(pack.sources):
        file = folder / source.file
        if Path(source.file).is_absolute() or not file.resolve().is_relative_to(folder.resolve()):
            problems.append(
                (doc.locate(("sources", i, "file")), f"原文文件 {source.file} 须位于规则包文件夹内")
            )
        elif not file.is_file():
            problems.append((doc.locate(("sources", i, "file")), f"找不到原文文件 {source.file}"))
    if problems:
        return problems
    texts = {
        source.document: read_source(folder / source.file, strip_pinyin=source.strip_pinyin)
        for source in pack.sources
    }
    flat = {document: flatten(text) for document, text in texts.items()}
    quoted: list[tuple[tuple[str | int, ...], str, str]] = [
        (("rules", i, "citation", "quote"), r.citation.document or "", r.citation.quote)
        for i, r in enumerate(pack.rules)
    ]
    quoted += [
        (("recite", i, "quote"), r.document or "", r.quote) for i, r in enumerate(pack.recite)
    ]
    quoted += [
        (("coverage", i, "quote"), c.document or "", c.quote) for i, c in enumerate(pack.coverage)
    ]
    files = {source.document: source.file for source in pack.sources}  # documents may share one
    spans: dict[str, list[tuple[int, int]]] = {file: [] for file in files.values()}
    for path, document, quote in quoted:
        name = document if document in texts else (next(iter(texts)) if len(texts) == 1 else None)
        if name is None:
            continue
        found = find_quote(quote, flat[name])
        spans[files[name]] += found.spans
        if found.variant is not None:  # the sentence, mistyped
            problems.append(
                (
                    doc.locate(path, value=True),
                    f"引文与原文只有全角、半角标点不同，原文写作：{found.variant[:60]}",
                )
            )
        elif not found.spans:
            problems.append(
                (
                    doc.locate(path, value=True),
                    f"引文未逐字出现在原文《{document}》中：{quote[:40]}",
                )
            )
    for name, document in {name: document for document, name in files.items()}.items():
        problems += uncovered(str(folder / name), texts[document], spans[name])
    return problems


def uncovered(file: str, text: str, spans: list[tuple[int, int]]) -> list[tuple[Location, str]]:
    """Requirement sentences and attachment tables of a source that no quote touches, at their
    lines."""
    return [
        (
            Location(file, item.line),
            f"原文的这项要求未列入覆盖清单：{item.text[:50]}"
            "（在 coverage 中列出检查它的规则，或用 not_checkable 写明不可检查的原因）",
        )
        for item in source_items(text)
        if item.is_requirement and not touches(item, spans)
    ]
