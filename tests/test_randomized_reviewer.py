"""Issue 22, Done when: a randomized reviewer (seeded). Thirty rounds on a small corpus copied from
corpus_samples: random edits to the corpus (clause text, titles, a new article, an edit that keeps
size and time, moves, copies, symbolic links), random reviewer decisions in the ledger (rows,
groups, cleared cells) and in the 見え消し (accept, reject), random deletions of the ledger, the
見え消し, the history folder and the drafts, and runs killed midway: an exception raised at one of
three points of the run (before its transaction, while writing the outputs, just before the
commit), or a real ``reiki-scan run`` process killed (SIGKILL; TerminateProcess on Windows) after
a random time, so that no ``finally`` and no rollback runs. After every round:

- the incremental run's findings.jsonl equals that of a ``--full`` run on a copy of OUT as it was
  before the run (the same reviewer files and stored decisions), and
- every decision the reviewer made, on a clause whose text has not changed since, is in force.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from reiki_scan import pipeline
from reiki_scan.config import load_config
from reiki_scan.draft.mikeshi import bookmark_name, read_changes
from reiki_scan.ids import clause_key
from reiki_scan.models import DECISIONS
from reiki_scan.store.workspace import Workspace

pytestmark = pytest.mark.nlp

SAMPLES = Path(__file__).resolve().parents[1] / "corpus_samples"
FILES = ("reiki/koryo_shibounin_kisoku.txt", "reiki/hojokin_kofu_kisoku.txt", "reiki/tesuryo_jorei.txt",
         "reiki/sogyo_shien_yoko.txt")
SEED = 22
ROUNDS = 30
SEAL_WORDS = ("押印", "なつ印", "押なつ", "印鑑")


class Killed(BaseException):
    """Stands for kill -9: not an Exception, so that nothing on the way catches it."""


def _raise(*args, **kwargs):
    raise Killed


@contextmanager
def killed_at(monkeypatch, point: str):
    """Make the next run die at ``point``: ``scan`` (scanned, before the run's transaction),
    ``outputs`` (findings.jsonl, summary and drafts written, the 見え消し not), ``commit`` (every
    output written, before the workspace commits)."""
    with monkeypatch.context() as m:
        if point == "scan":
            m.setattr(pipeline, "carry_ids", _raise)
        elif point == "outputs":
            m.setattr("reiki_scan.draft.mikeshi.write_mikeshi", _raise)
        else:
            m.setattr(Workspace, "finish_run", _raise)
        yield


# The run of ``reiki-scan run`` with the round's stamp (the rounds' clock), in a process of its own.
_RUN = ("import sys; from pathlib import Path; from reiki_scan import pipeline; "
        "from reiki_scan.config import load_config; c = Path(sys.argv[1]); "
        "pipeline.run(c, Path(sys.argv[2]), load_config(c), workers=1, stamp=sys.argv[3])")


def killed_process(corpus: Path, out: Path, stamp: str, delay: float) -> str:
    """Run the pipeline in its own process and kill it ``delay`` seconds after it holds the run
    lock (``OUT/.reiki-scan/lock.pid`` names it), if still running: nothing of the run gets to
    clean up, as when a user's machine loses power."""
    proc = subprocess.Popen([sys.executable, "-c", _RUN, str(corpus), str(out), stamp],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pid_file = out / ".reiki-scan" / "lock.pid"
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if pid_file.exists() and pid_file.read_text(encoding="ascii").strip() == str(proc.pid):
            break
        time.sleep(0.02)
    try:
        proc.wait(timeout=delay)
        return f"process finished before the kill ({delay:.2f} s after the lock)"
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return f"process killed {delay:.2f} s after taking the lock"


def findings(out: Path) -> list[dict]:
    path = out / "findings.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


# ------------------------------------------------------------------ the corpus


def texts(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*.txt") if not p.is_symlink())


def rewrite(path: Path, change, keep_time: bool = False) -> None:
    st = path.stat()
    text = path.read_text(encoding="utf-8-sig")
    path.write_text(change(text), encoding="utf-8")
    if keep_time:
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def edit_corpus(rng: random.Random, corpus: Path, n: int) -> str:
    files = texts(corpus)
    path = rng.choice(files)
    kind = rng.choice(("clause", "title", "article", "same_size", "move", "copy", "link"))
    if kind == "clause":
        def change(text: str) -> str:
            lines = text.split("\n")
            seal = [i for i, line in enumerate(lines) if any(w in line for w in SEAL_WORDS) and "は、" in line]
            if seal:
                i = rng.choice(seal)
                lines[i] = lines[i].replace("は、", "は、速やかに", 1)
            return "\n".join(lines)
        rewrite(path, change)
    elif kind == "title":
        rewrite(path, lambda text: text.replace("さくら台市", "さくら台市新", 1))
    elif kind == "article":
        def change(text: str) -> str:
            lines = text.split("\n")
            at = next((i for i, line in enumerate(lines) if line.replace("\u3000", "").strip() == "附則"), len(lines))
            lines.insert(at, f"第{90 + n}条　届出者は、届出書{n}に押印しなければならない。")
            return "\n".join(lines)
        rewrite(path, change)
    elif kind == "same_size":
        # An edit that keeps size and time (cp -p, rsync -t): 押印 and 捺印 are as long in UTF-8.
        rewrite(path, lambda text: text.replace("押印", "捺印", 1) if "押印" in text else text.replace("捺印", "押印", 1),
                keep_time=True)
    elif kind == "move":
        target = corpus / f"moved{n}" / path.name
        target.parent.mkdir()
        path.rename(target)
    elif kind == "copy":
        shutil.copy2(path, path.with_name(f"{path.stem}-copy{n}.txt"))
    else:
        link = path.with_name(f"{path.stem}-link{n}.txt")
        try:
            os.symlink(path, link)
        except (OSError, NotImplementedError):
            shutil.copy2(path, link)  # where links are refused, a copy: a document of its own
    return f"{kind} {path.relative_to(corpus).as_posix()}"


# ------------------------------------------------------------------ the reviewer


class Reviewer:
    """Decides at random and remembers, per finding id, the last decision it made (``None``: it
    withdrew it) and the clause it decided on.

    It follows the ledger's rules as the README gives them: in one ledger a finding's own row wins
    over its group, a blank row takes its group's decision, and the decisions the tool filled in are
    copies, which a group decision entered there replaces; a row is set to a value it does not
    show already (typing what a cell shows is no input). ``touched`` and ``groups``: the rows and
    groups it set in the ledger it is editing (``ledger_bytes``: that ledger as it saved it).

    A run sees each file once, saved last at one time: of two decisions on one finding made
    between two runs, the one in the file saved later wins (the tool cannot know which cell of a
    file was typed first). ``made`` holds the decisions until :meth:`settle` orders them so."""

    def __init__(self, rng: random.Random, out: Path) -> None:
        self.rng = rng
        self.out = out
        self.expected: dict[str, tuple[str | None, str]] = {}
        self.touched: set[str] = set()
        self.groups: dict[str, str] = {}
        self.ledger_bytes = b""
        self.made: list[tuple[str, int, str, str | None, str]] = []
        self.saved: dict[str, int] = {}
        self.clock = 0

    def decide(self, file: str, ident: str, decision: str | None, clause: str) -> None:
        self.clock += 1
        self.saved[file] = self.clock
        self.made.append((file, self.clock, ident, decision, clause))

    def settle(self) -> None:
        """Before a run: the decisions made since the last, by the time their file was saved last."""
        for _, _, ident, decision, clause in sorted(self.made, key=lambda m: (self.saved[m[0]], m[1])):
            self.expected[ident] = (decision, clause)
        self.made, self.saved = [], {}

    def act(self) -> str:
        actions = [self.ledger_row, self.ledger_group, self.ledger_clear, self.mikeshi]
        return self.rng.choice(actions)()

    def _ledger(self):
        path = self.out / "ledger.xlsx"
        if not path.exists():
            return None, None
        if path.read_bytes() != self.ledger_bytes:  # another ledger than the one it was editing
            self.touched, self.groups = set(), {}
        return path, openpyxl.load_workbook(path)

    def _save(self, wb, path: Path) -> None:
        wb.save(path)
        self.ledger_bytes = path.read_bytes()

    @staticmethod
    def _rows(ws):
        header = [c.value for c in ws[1]]
        return header, [r for r in ws.iter_rows(min_row=2) if r[0].value]

    def ledger_row(self) -> str:
        path, wb = self._ledger()
        if wb is None:
            return "ledger_row: no ledger"
        header, rows = self._rows(wb["一覧"])
        if not rows:
            return "ledger_row: no rows"
        row = self.rng.choice(rows)
        cell = row[header.index("審査結果")]
        decision = self.rng.choice([d for d in DECISIONS if d != cell.value])
        cell.value = decision
        self._save(wb, path)
        ident = row[0].value
        self.touched.add(ident)
        self.decide("ledger", ident, decision, clause_key(row[header.index("条文")].value))
        return f"ledger_row {ident} {decision}"

    def ledger_clear(self) -> str:
        path, wb = self._ledger()
        if wb is None:
            return "ledger_clear: no ledger"
        header, rows = self._rows(wb["一覧"])
        filled = [r for r in rows if r[header.index("審査結果")].value]
        if not filled:
            return "ledger_clear: nothing filled"
        row = self.rng.choice(filled)
        row[header.index("審査結果")].value = None
        self._save(wb, path)
        ident = row[0].value
        self.touched.discard(ident)
        self.decide("ledger", ident, self.groups.get(row[header.index("グループ")].value),
                    clause_key(row[header.index("条文")].value))
        return f"ledger_clear {ident}"

    def ledger_group(self) -> str:
        path, wb = self._ledger()
        if wb is None:
            return "ledger_group: no ledger"
        gheader, groups = self._rows(wb["グループ"])
        header, rows = self._rows(wb["一覧"])
        if not groups:
            return "ledger_group: no groups"
        group = self.rng.choice(groups)
        decision = self.rng.choice(DECISIONS)
        group[gheader.index("審査結果")].value = decision
        self._save(wb, path)
        self.groups[group[0].value] = decision
        members = [r for r in rows if r[header.index("グループ")].value == group[0].value
                   and r[0].value not in self.touched]
        for r in members:
            self.decide("ledger", r[0].value, decision, clause_key(r[header.index("条文")].value))
        return f"ledger_group {group[0].value} {decision} ({len(members)})"

    def mikeshi(self) -> str:
        folder = self.out / "見え消し"
        files = sorted(folder.glob("*.docx")) if folder.is_dir() else []
        pending = [(p, fid, st) for p in files for fid, st in sorted(read_changes(p).items()) if st.state == "pending"]
        if not pending:
            return "mikeshi: nothing pending"
        path, fid, st = self.rng.choice(pending)
        accept = self.rng.random() < 0.5
        review_in_word(path, fid, accept)
        text = {f["id"]: f["text"] for f in findings(self.out)}[fid]
        self.decide(path.name, fid, st.decision if accept else "存続", clause_key(text))
        return f"mikeshi {'accept' if accept else 'reject'} {fid}"


def review_in_word(path: Path, finding_id: str, accept: bool) -> None:
    """What Word's Accept/Reject does to the change of one finding (the file's time is the save's)."""
    d = docx.Document(str(path))
    body = d.element.body
    name = bookmark_name("RS_", finding_id)
    start = next(el for el in body.iter(qn("w:bookmarkStart")) if el.get(qn("w:name")) == name)
    bid = start.get(qn("w:id"))
    inside, changes = False, []
    for el in body.iter():
        if el is start:
            inside = True
        elif el.tag == qn("w:bookmarkEnd") and el.get(qn("w:id")) == bid:
            break
        elif inside and el.tag in (qn("w:ins"), qn("w:del")):
            changes.append(el)
    for el in changes:
        if (el.tag == qn("w:ins")) != accept:
            el.getparent().remove(el)
            continue
        for t in el.iter(qn("w:delText")):
            t.tag = qn("w:t")
        parent = el.getparent()
        for child in list(el):
            el.addprevious(child)
        parent.remove(el)
    d.save(str(path))


def delete_outputs(rng: random.Random, out: Path) -> str:
    kind = rng.choice(("ledger", "mikeshi", "history", "drafts"))
    if kind == "ledger":
        (out / "ledger.xlsx").unlink(missing_ok=True)
    elif kind == "mikeshi":
        files = sorted((out / "見え消し").glob("*.docx")) if (out / "見え消し").is_dir() else []
        if files:
            rng.choice(files).unlink()
    elif kind == "history":
        shutil.rmtree(out / "履歴", ignore_errors=True)
    else:
        for p in sorted(out.glob("*.docx")):
            p.unlink()
    return f"delete {kind}"


# ------------------------------------------------------------------ the rounds


def test_randomized_reviewer_loses_nothing_and_incremental_equals_full(tmp_path, monkeypatch):
    rng = random.Random(SEED)
    corpus, out, full = tmp_path / "c", tmp_path / "out", tmp_path / "full"
    for rel in FILES:
        (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(SAMPLES / rel, corpus / rel)
    shutil.copy2(SAMPLES / "reiki-scan.toml", corpus / "reiki-scan.toml")
    config = load_config(corpus)
    reviewer = Reviewer(rng, out)
    pipeline.run(corpus, out, config, workers=1, stamp="20270101-000000")
    log: list[str] = []
    kills = process_kills = 0
    for n in range(1, ROUNDS + 1):
        # Outputs are deleted once a run has read them (a ledger deleted before any run saw the
        # decisions in it takes them with it, as a file deleted unsaved would).
        steps = [delete_outputs(rng, out)] if rng.random() < 0.25 else []
        steps += [edit_corpus(rng, corpus, n) for _ in range(rng.randint(0, 2))]
        steps += [reviewer.act() for _ in range(rng.randint(1, 3))]
        reviewer.settle()
        stamp = f"20270101-0000{n:02d}"
        if rng.random() < 0.25:
            point = rng.choice(("scan", "outputs", "commit", "process"))
            if point == "process":
                steps.append(killed_process(corpus, out, stamp, rng.uniform(0.0, 1.0)))
                process_kills += steps[-1].startswith("process killed")
            else:
                with killed_at(monkeypatch, point), pytest.raises(Killed):
                    pipeline.run(corpus, out, config, workers=1, stamp=stamp)
                steps.append(f"killed at {point}")
            kills += 1
        log.append(f"round {n}: " + "; ".join(steps))
        shutil.rmtree(full, ignore_errors=True)
        shutil.copytree(out, full, symlinks=True)
        pipeline.run(corpus, out, config, workers=1, stamp=stamp)
        pipeline.run(corpus, full, config, workers=1, stamp=stamp, full=True)
        got = findings(out)
        assert got == findings(full), "\n".join(log)
        by_id = {f["id"]: f for f in got}
        for ident, (decision, clause) in reviewer.expected.items():
            f = by_id.get(ident)
            if f is None or clause_key(f["text"]) != clause:
                continue  # gone, or its clause changed: asked again
            if decision is None:
                assert f["decided_by"] == "proposal", "\n".join([ident, f["decision"], f["reason"], *log])
            else:
                assert (ident, f["decision"]) == (ident, decision), "\n".join([f["decided_by"], f["reason"], *log])
    assert kills >= 3 and process_kills >= 1 and len(reviewer.expected) >= 10, "\n".join(log)
