"""国等根拠 checked against the national text: does the cited law itself require the seal?

A city clause or form that cites a national provision (「地方自治法第234条第5項の規定により」,
「法第12条の規定による申請書」 with 「法」 defined in the regulation) is kept for national basis
only when that article of the law, read in the national archive (:mod:`reiki_scan.load.national`),
requires a seal (押印, 記名押印, 署名押印, 印を押す, 印鑑 …) and, when the sealed document is known,
names it. Source of the rule: PRIMER §3 1 (国等根拠 is the national law's seal, not the city's),
issue 20 part 3.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..load.national import NationalArchive
from ..models import NATIONAL_KINDS, Document, Finding
from ..numbering import int_to_kanji, to_int

_NUM = r"[0-9０-９一二三四五六七八九十百千]+"
_CITATION = re.compile(rf"第(?P<art>{_NUM})条(?P<branch>(?:の{_NUM})*)(?:第(?P<para>{_NUM})項)?")
# 「地方自治法（昭和22年法律第67号。以下「法」という。）」 and 「「法」とは地方自治法（昭和22年法律第67号）を」
_ABBREVIATION = re.compile(r"([^\s、。「」（）()]{2,60}?)[（(][^（）()]{0,60}?以下「([^」]{1,12})」という。?[）)]")
_DEFINITION = re.compile(r"「([^」]{1,12})」とは、?([^\s、。「」（）()]{2,60}?)[（(]")
_SEAL = re.compile(r"押印|押なつ|なつ印|捺印|押捺|印を押|印をおす|印ヲ押|印鑑")
_LONGEST_TITLE = 60
_NUMBER_NOTE = re.compile(r"[（(][^（）()]{0,30}[）)]$")


@dataclass(frozen=True)
class NationalCheck:
    """The outcome of :func:`check`: ``holds`` (the national basis stands), ``basis`` (the
    provision relied on, or why none was: the text of ``Finding.national_basis``)."""

    holds: bool
    basis: str


def _abbreviations(doc: Document | None) -> dict[str, str]:
    """「法」 → 「地方自治法」 for each abbreviation the document defines (both ways of writing it)."""
    if doc is None:
        return {}
    found = {short: name for name, short in _ABBREVIATION.findall(doc.text)}
    found.update(_DEFINITION.findall(doc.text))
    return found


def _law_before(archive: NationalArchive, text: str, at: int, short: dict[str, str]) -> str:
    """The title of the law cited just before ``text[at]``: the longest suffix of the text
    before it that is a law of the archive, else an abbreviation the document defines."""
    # 「地方自治法(昭和22年法律第67号)第234条」: the law's number comes between its title and the article.
    before = _NUMBER_NOTE.sub("", text[max(0, at - _LONGEST_TITLE - 30):at])[-_LONGEST_TITLE:]
    for k in range(len(before)):
        if archive.law(before[k:]) is not None:
            return before[k:]
    for abbr in sorted(short, key=len, reverse=True):
        if before.endswith(abbr) and archive.law(short[abbr]) is not None:
            return short[abbr]
    return ""


def check(finding: Finding, doc: Document | None, texts: tuple[str, ...], target: str,
          archive: NationalArchive, wording: str) -> NationalCheck:
    """Whether the national basis of ``finding`` (detected from ``wording``) stands.

    A finding in a national text (法律, 政令, 省令) is its own basis. Otherwise the national
    provisions cited in ``texts`` (the sentence, then the provision) are looked up: the first
    whose article requires a seal (and names ``target``, the sealed document, when known) is
    relied on; when the cited articles were found and none does, the basis fails and says so;
    when no cited law is in the archive (a ministry's form, a national scheme), the detected
    ``wording`` stands, marked unchecked. Raises
    :class:`~reiki_scan.errors.NationalArchiveError` when a law file cannot be read."""
    kind = doc.doc_kind if doc is not None else finding.doc_kind
    if kind in NATIONAL_KINDS:
        title = (doc.title if doc is not None else "") or finding.title
        number = doc.act_number if doc is not None else ""
        return NationalCheck(True, f"{title}{f'（{number}）' if number else ''}{finding.locator}")
    short = _abbreviations(doc)
    # 「前項の契約書」 is a 契約書 to the law: compare the document's own name.
    sealed = target.rsplit("の", 1)[-1] if len(target.rsplit("の", 1)[-1]) >= 2 else target
    looked: list[str] = []
    for text in texts:
        for m in _CITATION.finditer(text):
            title = _law_before(archive, text, m.start(), short)
            if not title:
                continue
            law = archive.law(title)
            assert law is not None
            art = to_int(m["art"])
            branch = tuple(to_int(b) for b in m["branch"].split("の")[1:]) if m["branch"] else ()
            para = to_int(m["para"]) if m["para"] else 0
            label = ("第" + int_to_kanji(art) + "条" + "".join("の" + int_to_kanji(b) for b in branch)
                     + (f"第{int_to_kanji(para)}項" if para else ""))
            cited = f"{law.title}（{law.number}）{label}"
            body = archive.article(law, art, branch, para)
            # 「工事請負契約書」 is sealed where the law says 契約書: a name ending (3 characters at least) will do.
            named = not sealed or any(sealed[k:] in body for k in range(max(1, len(sealed) - 2)))
            if body and _SEAL.search(body) and named:
                return NationalCheck(True, cited)
            looked.append(cited if body else f"{cited}（条文なし）")
    if looked:
        what = f"「{sealed}」への押印" if sealed else "押印"
        return NationalCheck(False, f"なし（{'、'.join(dict.fromkeys(looked))}に{what}の定めなし）")
    return NationalCheck(True, f"{wording}（国の法令集で未確認）")
