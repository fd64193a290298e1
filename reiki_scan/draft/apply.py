"""Self-check of the drafts (溶け込み): read the amendment sentences back and apply them.

:func:`apply` parses each sentence the way a reader of the instrument would and applies it
to the old text; :func:`check` compares the result with the intended new text. The parser
knows the sentence forms :mod:`.kaimebun` writes:

- ``{scope}中「A」を「B」に、「C」を「D」に改め、「E」を削る。`` (chained word edits), where
  ``{scope}`` may name several provisions (「第4条第1項及び第9条第2項」) or cite the article or
  paragraph of the sentence before (「同条第2項」, 「同項第3号」),
- ``{scope}を次のように改める。`` followed by the new text (lines prefixed with one
  full-width space),
- ``{scope}を削る。``, ``{scope}後段を削る。`` and ``{scope}ただし書を削る。``, the last also chained
  after word edits (``{scope}中「A」を「B」に改め、同条ただし書を削る。``);

and passes over the placeholder lines of what is left to the drafter
(:func:`.kaimebun.placeholder`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..config import RunConfig
from ..errors import DraftCheckError
from ..models import Amendment
from .kaimebun import BODY_PREFIX, PROVISO_DELETION, REPLACE_WHOLE, is_placeholder, plan, render_lines, resolve, scope_spans
from .provisos import PROVISO


@dataclass(frozen=True)
class Scope:
    """Where a cited provision sits in the old text: half-open ``[start, end)``.
    ``counts``: the intended number of occurrences of each quotation of its sentence, in
    order; empty means "at least one"."""

    start: int
    end: int
    counts: tuple[int, ...] = ()


def _read_quote(s: str, pos: int, where: str) -> tuple[str, int]:
    if not s.startswith("「", pos):
        raise DraftCheckError(f"改め文の{pos}文字目に「があるはずです: {where}")
    depth, i = 0, pos
    while i < len(s):
        if s[i] == "「":
            depth += 1
        elif s[i] == "」":
            depth -= 1
            if depth == 0:
                return s[pos + 1:i], i + 1
        i += 1
    raise DraftCheckError(f"改め文のかぎ括弧が閉じていません: {where}")


def parse_edits(s: str, pos: int) -> list[tuple[str, str]]:
    """The ``(old, new)`` pairs of the chained edits of sentence ``s`` from ``pos`` (just
    after 「中」) to its final 「。」; ``new`` is ``""`` for 「を削る」.
    Raises :class:`DraftCheckError` on any other wording."""
    edits: list[tuple[str, str]] = []
    pending: list[tuple[str, str]] = []
    while True:
        old, pos = _read_quote(s, pos, s)
        if not s.startswith("を", pos):
            raise DraftCheckError(f"「{old}」の後に「を」がありません: {s}")
        pos += 1
        if s.startswith("「", pos):
            new, pos = _read_quote(s, pos, s)
            if not s.startswith("に", pos):
                raise DraftCheckError(f"「{new}」の後に「に」がありません: {s}")
            pos += 1
            pending.append((old, new))
            if s.startswith("、「", pos):
                pos += 1
                continue
            for verb, final in (("改め、", False), ("改める。", True)):
                if s.startswith(verb, pos):
                    edits.extend(pending)
                    pending = []
                    pos += len(verb)
                    if final:
                        return _at_end(s, pos, edits)
                    break
            else:
                raise DraftCheckError(f"「改める」がありません: {s}")
        elif s.startswith("削り、", pos):
            edits.append((old, ""))
            pos += 3
        elif s.startswith("削る。", pos):
            edits.append((old, ""))
            return _at_end(s, pos + 3, edits)
        else:
            raise DraftCheckError(f"「{old}」の後の動詞が読めません: {s}")


def _at_end(s: str, pos: int, edits: list[tuple[str, str]]) -> list[tuple[str, str]]:
    if pos != len(s):
        raise DraftCheckError(f"改め文の句点の後に文字が続いています: {s}")
    return edits


def _scope(scopes: Mapping[str, Scope], name: str, sentence: str) -> Scope:
    if name not in scopes:
        raise DraftCheckError(f"改め文の「{name}」に当たる規定がありません: {sentence}")
    return scopes[name]


def _names(cited: str, previous: str, scopes: Mapping[str, Scope], sentence: str) -> list[str]:
    """The full labels of the provisions ``cited`` names (同条, 及び: :func:`.kaimebun.resolve`)."""
    try:
        names = resolve(cited, previous, set(scopes))
    except ValueError as e:
        raise DraftCheckError(f"{e}: {sentence}") from e
    for name in names:
        _scope(scopes, name, sentence)
    return names


def _delete_latter(text: str, sentence: str) -> str:
    first = text.find("。")
    if first == -1 or text.count("。") != 2 or text[text.rfind("。") + 1:].strip():
        raise DraftCheckError(f"後段を削る規定が二文からなっていません: {sentence}")
    return text[:first + 1] + text[text.rfind("。") + 1:]


_CHAINED_PROVISO = re.compile(r"(改め|削り)、同[条項号]" + PROVISO_DELETION + "$")


def _delete_proviso(text: str, sentence: str) -> str:
    found = list(PROVISO.finditer(text))
    last = found[-1] if found else None
    if last is None or text[last.end():].strip() or not text[:last.start()].rstrip().endswith("。"):
        raise DraftCheckError(f"ただし書を削る規定の終わりにただし書がありません: {sentence}")
    return text[:last.start()] + text[last.end():]


def apply(old_text: str, sentences: Sequence[str], scopes: Mapping[str, Scope]) -> str:
    """Apply amendment ``sentences`` (as :func:`kaimebun.render` writes them) to ``old_text``.

    ``scopes`` maps each amended provision's full label (``第5条第1項`` or ``第五条第一項``) to
    its place in ``old_text``; scopes must not overlap. A sentence may cite several (「第4条第1項
    及び第2項中」) or the one cited just before (「同条第2項中」). A quotation
    replaces every occurrence in its scope, edits apply front to back. Returns the new text.
    Raises :class:`DraftCheckError` when a sentence cannot be parsed, cites an unknown
    scope, or a quotation occurs in its scope a number of times other than intended
    (zero, or not ``Scope.counts``)."""
    results: dict[str, str] = {}
    previous = ""
    i = 0
    while i < len(sentences):
        s = sentences[i]
        i += 1
        if is_placeholder(s) and not s.startswith(BODY_PREFIX):
            continue  # left to the drafter: changes nothing
        if s.startswith(BODY_PREFIX) or not s.endswith("。"):
            raise DraftCheckError(f"改め文として読めない行です: {s}")
        if s.endswith(REPLACE_WHOLE):
            names = _names(s[:-len(REPLACE_WHOLE)], previous, scopes, s)
            body = []
            while i < len(sentences) and sentences[i].startswith(BODY_PREFIX):
                body.append(sentences[i][len(BODY_PREFIX):])
                i += 1
            for name in names:
                results[name] = "\n".join(body)
        elif "「" not in s and s.endswith(PROVISO_DELETION):
            names = _names(s[:-len(PROVISO_DELETION)], previous, scopes, s)
            for name in names:
                sc = scopes[name]
                results[name] = _delete_proviso(results.get(name, old_text[sc.start:sc.end]), s)
        elif "「" not in s and s.endswith("後段を削る。"):
            names = _names(s[:-len("後段を削る。")], previous, scopes, s)
            for name in names:
                sc = scopes[name]
                results[name] = _delete_latter(results.get(name, old_text[sc.start:sc.end]), s)
        elif "「" not in s and s.endswith("を削る。"):
            names = _names(s[:-len("を削る。")], previous, scopes, s)
            for name in names:
                results[name] = ""
        else:
            cut = s.find("中「")
            if cut == -1:
                raise DraftCheckError(f"改め文の形が読めません: {s}")
            names = _names(s[:cut], previous, scopes, s)
            tail = _CHAINED_PROVISO.search(s)
            # 「…に改め、同条ただし書を削る。」: the word edits, then the ただし書 of the same provisions.
            words = s if tail is None else s[:tail.start()] + {"改め": "改める。", "削り": "削る。"}[tail.group(1)]
            edits = parse_edits(words, cut + 1)
            for name in names:
                sc = scopes[name]
                text = results.get(name, old_text[sc.start:sc.end])
                for k, (old, new) in enumerate(edits):
                    n = text.count(old)
                    want = sc.counts[k] if k < len(sc.counts) else None
                    if n == 0 or (want is not None and n != want):
                        expected = f"{want}か所" if want is not None else "1か所以上"
                        raise DraftCheckError(f"「{old}」が{name}に{n}か所あります（意図は{expected}）: {s}")
                    text = text.replace(old, new)
                results[name] = text if tail is None else _delete_proviso(text, s)
        previous = names[-1]
    out, pos = [], 0
    for name, sc in sorted(((n, scopes[n]) for n in results), key=lambda kv: kv[1].start):
        if sc.start < pos:
            raise DraftCheckError(f"改正の範囲「{name}」が他の範囲と重なっています")
        out.append(old_text[pos:sc.start])
        out.append(results[name])
        pos = sc.end
    out.append(old_text[pos:])
    return "".join(out)


def intended_text(old_text: str, amendment: Amendment) -> str:
    """``old_text`` (the document text) with every change of ``amendment`` spliced in."""
    out, pos = [], 0
    for c in sorted(amendment.changes, key=lambda c: c.start):
        out.append(old_text[pos:c.start])
        out.append(c.new_text)
        pos = c.start + len(c.old_text)
    out.append(old_text[pos:])
    return "".join(out)


def check(amendment: Amendment, old_text: str, config: RunConfig) -> list[str]:
    """Render ``amendment``, apply the sentences to the document text ``old_text`` and
    compare with the intended new text. Returns the rendered lines.
    Raises :class:`DraftCheckError` naming the regulation when they differ."""
    planned = plan(amendment, config)
    scopes = {label: Scope(start, end, counts)
              for p in planned for label, start, end, counts in scope_spans(p, amendment, config)}
    lines = render_lines(amendment, planned, config)
    try:
        result = apply(old_text, lines, scopes)
    except DraftCheckError as e:
        raise DraftCheckError(f"{amendment.title}: {e.message}", path=amendment.file) from e
    want = intended_text(old_text, amendment)
    if result != want:
        at = next((k for k, (x, y) in enumerate(zip(result, want)) if x != y), min(len(result), len(want)))
        raise DraftCheckError(
            f"{amendment.title}: 改め文を溶け込ませた結果が改正後の文と{at}文字目で食い違います"
            f"（結果「{result[max(0, at - 10):at + 10]}」、意図「{want[max(0, at - 10):at + 10]}」）",
            path=amendment.file)
    return lines
