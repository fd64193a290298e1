"""The workspace database ``OUT/.reiki-scan/workspace.sqlite`` (sqlite3 of the standard library).

Tables (all text is UTF-8, JSON is ``json.dumps(..., ensure_ascii=False)``):

- ``runs``: one row per run — ``id`` (1, 2 …), ``status`` (``running``, ``complete``,
  ``abandoned`` for a run that died before completing), ``started``/``finished`` (ISO
  timestamps, the only clock values stored), ``manifest`` (JSON: tool, spaCy, GiNZA and model
  versions, fingerprints of the pattern and policy files and of the code, the configuration)
  and ``diff`` (JSON counts of the diff against the run before).
- ``documents``: the files of the last complete run — ``path`` (relative to CORPUS), ``sha256``
  of the bytes, ``size`` (bytes), ``mtime_ns``, ``encoding``, ``format``, ``kind`` (文書種別),
  ``title``, ``status`` (``read`` or ``skipped``), ``reason``/``message`` of a skipped file,
  ``load_key`` (the code fingerprint and size limit the file was read under).
- ``findings``: the findings of the last complete run (``id``, ``file``, ``body``: JSON of every
  field), the base of the next run's diff and id continuity. Ids are unique in a run
  (:func:`reiki_scan.ids.unique_ids`); the table has no key, as workspaces of earlier versions
  held shared ids.
- ``decisions``: reviewer decisions read from ledgers and 見え消し — ``source`` (the file's path
  relative to OUT: ``ledger.xlsx``, ``見え消し/X.docx``, ``履歴/…/見え消し/X.docx``), ``id``
  (finding id), ``decision``, ``note``, ``clause`` (the normalized clause text the reviewer saw),
  ``source_mtime_ns``, ``place`` (the sheet and row: 「一覧 第5行」; 「見え消しで却下」 or 「見え消しで採用」 for a
  tracked change a reviewer rejected or accepted); ``ledger_files``: the size and mtime of each
  ledger and 見え消し when last read (``size``, ``mtime_ns``, ``sha256``);
  ``meta``: the schema version and the ledger the last run wrote (``written_ledger``).
- ``nlp_cache``: ``key`` (SHA-256 of the unit text) → ``analysis`` (JSON of
  :func:`reiki_scan.detect.analyze_texts`), valid for ``nlp_version``.
- ``parsed``: ``sha256`` + ``code`` fingerprint → the parsed :class:`~reiki_scan.models.Document`
  (pickle, zlib); ``detections``: ``sha256`` + detection key → the document's findings before
  classification; ``classifications``: ``sha256`` + classification key (the run's key, then
  ``/`` and a digest of what the document's forms add: its links to regulations) → after the
  forms stage and classification; ``links``: a digest of every document's path and content →
  the form↔regulation links of that corpus (JSON of :class:`~reiki_scan.forms.FormLink`).

Writes happen in explicit transactions (``BEGIN IMMEDIATE`` … ``COMMIT``): a run killed midway
leaves the previous run's rows intact. The caches are content-addressed, so rows a killed run
committed early are valid for every later run.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sqlite3
import time
import zlib
from urllib.request import pathname2url
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from collections.abc import Iterable, Iterator

from ..errors import WorkspaceError
from ..models import Finding

STATE_DIR = ".reiki-scan"
DB_NAME = "workspace.sqlite"
# 2: decisions.place (the sheet and row a decision was read from); 3: ledger_files.sha256.
SCHEMA_VERSION = 3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, status TEXT NOT NULL, started TEXT NOT NULL, finished TEXT,
    corpus TEXT NOT NULL, manifest TEXT NOT NULL, diff TEXT);
CREATE TABLE IF NOT EXISTS documents (
    path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    encoding TEXT NOT NULL, format TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL,
    status TEXT NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL, load_key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS findings (id TEXT NOT NULL, file TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS decisions (
    source TEXT NOT NULL, id TEXT NOT NULL, decision TEXT NOT NULL, note TEXT NOT NULL,
    clause TEXT NOT NULL, source_mtime_ns INTEGER NOT NULL, place TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (source, id));
CREATE TABLE IF NOT EXISTS ledger_files (
    name TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS nlp_cache (key TEXT PRIMARY KEY, nlp_version TEXT NOT NULL, analysis TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS parsed (sha256 TEXT NOT NULL, code TEXT NOT NULL, body BLOB NOT NULL,
    PRIMARY KEY (sha256, code));
CREATE TABLE IF NOT EXISTS detections (sha256 TEXT NOT NULL, key TEXT NOT NULL, title TEXT NOT NULL,
    units INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (sha256, key));
CREATE TABLE IF NOT EXISTS classifications (sha256 TEXT NOT NULL, key TEXT NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (sha256, key));
CREATE TABLE IF NOT EXISTS links (key TEXT PRIMARY KEY, body TEXT NOT NULL);
"""


def db_path(out: Path) -> Path:
    """``OUT/.reiki-scan/workspace.sqlite``."""
    return Path(out) / STATE_DIR / DB_NAME


def text_key(text: str) -> str:
    """The NLP cache key of a unit text: SHA-256 hex of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def findings_to_json(findings: Iterable[Finding]) -> str:
    return json.dumps([f.__dict__ for f in findings], ensure_ascii=False)


def findings_from_json(body: str) -> list[Finding]:
    return [Finding(**d) for d in json.loads(body)]


@dataclass(frozen=True)
class DocumentRow:
    """A file as the last complete run saw it (see the ``documents`` table)."""

    path: str
    sha256: str
    size: int
    mtime_ns: int
    encoding: str
    format: str
    kind: str
    title: str
    status: str
    reason: str = ""
    message: str = ""
    load_key: str = ""


@dataclass(frozen=True)
class StoredDecision:
    """A reviewer decision kept in the workspace; ``clause`` is the normalized clause text the
    reviewer saw (:func:`reiki_scan.textnorm.norm`); ``source`` the ledger file it was read from
    and ``place`` where in it (「一覧 第5行」, 「グループ 第3行」)."""

    id: str
    decision: str
    note: str
    clause: str
    source: str
    source_mtime_ns: int
    place: str = ""


@dataclass(frozen=True)
class RunRow:
    id: int
    status: str
    started: str
    finished: str | None
    corpus: str
    manifest: dict
    diff: dict | None


# The place of a 一覧 row whose reviewer wrote words but chose no 審査結果 (a 備考 alone, or a value
# typed over the 決定 formula): stored so that the words reach every later ledger, never a decision.
NOTE_ONLY_PLACE = "一覧 備考のみ"


def effective(decisions: Iterable[StoredDecision]) -> dict[str, StoredDecision]:
    """Per finding id, the decision of the most recently saved ledger that has one (ties: the
    later file name). A row with words and no decision (:data:`NOTE_ONLY_PLACE`) decides nothing:
    saved later than the decision, its words become the decision's note; with no decision, it is
    returned itself (decision ``""``), for its note."""
    ordered = sorted(decisions, key=lambda d: (d.source_mtime_ns, d.source))
    out: dict[str, StoredDecision] = {}
    for d in ordered:
        had = out.get(d.id)
        if d.place != NOTE_ONLY_PLACE:
            out[d.id] = d
        elif had is None or had.place == NOTE_ONLY_PLACE:
            out[d.id] = d
        else:
            out[d.id] = replace(had, note=d.note)
    return out


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


class Workspace:
    """An open workspace database. Use :meth:`open` (or :meth:`open_readonly`) and :meth:`close`.

    Raises :class:`~reiki_scan.errors.WorkspaceError` when the file is not a workspace database
    (the message names it and says to move it away) or was written by a newer schema."""

    def __init__(self, conn: sqlite3.Connection, path: Path, readonly: bool) -> None:
        self.conn = conn
        self.path = path
        self.readonly = readonly

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, out: Path) -> Workspace:
        """Open (creating when absent) the workspace of ``out`` for writing."""
        path = db_path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(path, isolation_level=None, timeout=30)
            conn.executescript(_SCHEMA)
            ws = cls(conn, path, readonly=False)
            ws._checked(create=True)
        except sqlite3.DatabaseError as e:
            raise WorkspaceError(
                f"作業用データベースを開けません ({e})。壊れている場合はこのファイルを別の場所へ移してから"
                "実行し直してください（次の実行は全件の走査になります）", path=str(path)) from e
        return ws

    @classmethod
    def open_readonly(cls, out: Path) -> Workspace:
        """Open the workspace of ``out`` without the right to write (``reiki-scan check``).

        Raises :class:`WorkspaceError` when OUT holds no workspace."""
        path = db_path(out)
        if not path.is_file():
            raise WorkspaceError(
                "この出力フォルダには作業用データベースがありません。先に reiki-scan run か scan を実行してください",
                path=str(path))
        try:
            # pathname2url, not as_uri: a Windows network share (\\server\share) becomes the
            # file:////server/share form sqlite accepts; as_uri gives an authority it refuses.
            conn = sqlite3.connect(f"file:{pathname2url(str(path.resolve()))}?mode=ro", uri=True, isolation_level=None)
            ws = cls(conn, path, readonly=True)
            ws._checked(create=False)
        except sqlite3.DatabaseError as e:
            raise WorkspaceError(f"作業用データベースを読めません ({e})", path=str(path)) from e
        return ws

    def _checked(self, create: bool) -> None:
        """:meth:`_check_version`, closing the connection when it raises."""
        try:
            self._check_version(create)
        except BaseException:
            self.conn.close()
            raise

    def _check_version(self, create: bool) -> None:
        row = self.conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        if row is None:
            if not create:
                raise WorkspaceError("作業用データベースが空です。reiki-scan run を実行してください", path=str(self.path))
            self.conn.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        elif int(row[0]) < SCHEMA_VERSION and not self.readonly:
            # Version 1 had no place: the decisions it stored keep an empty one; version 2 no
            # ledger_files.sha256: a file read before is read once more. One transaction, and a
            # column only when missing: a migration killed midway is simply done again.
            with self.transaction():
                if "place" not in self._columns("decisions"):
                    self.conn.execute("ALTER TABLE decisions ADD COLUMN place TEXT NOT NULL DEFAULT ''")
                if "sha256" not in self._columns("ledger_files"):
                    self.conn.execute("ALTER TABLE ledger_files ADD COLUMN sha256 TEXT NOT NULL DEFAULT ''")
                self.conn.execute("UPDATE meta SET value=? WHERE key='schema'", (str(SCHEMA_VERSION),))
        elif int(row[0]) > SCHEMA_VERSION:
            raise WorkspaceError(
                f"作業用データベースは新しい版の reiki-scan (形式 {row[0]}) が作ったものです。reiki-scan を更新してください",
                path=str(self.path))

    def _columns(self, table: str) -> set[str]:
        return {r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")}

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``; any exception rolls back."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # ------------------------------------------------------------------ runs

    def start_run(self, corpus: str, manifest: dict) -> int:
        """Mark runs left ``running`` by a killed process as ``abandoned`` and record a new one."""
        with self.transaction():
            self.conn.execute("UPDATE runs SET status='abandoned' WHERE status='running'")
            cur = self.conn.execute(
                "INSERT INTO runs (status, started, corpus, manifest) VALUES ('running', ?, ?, ?)",
                (_now(), corpus, json.dumps(manifest, ensure_ascii=False, sort_keys=True)))
            assert cur.lastrowid is not None  # set by the INSERT
            return cur.lastrowid

    def last_run(self) -> RunRow | None:
        """The last complete run, or ``None`` before the first."""
        row = self.conn.execute(
            "SELECT id, status, started, finished, corpus, manifest, diff FROM runs "
            "WHERE status='complete' ORDER BY id DESC LIMIT 1").fetchone()
        return None if row is None else self._run(row)

    def runs(self) -> list[RunRow]:
        rows = self.conn.execute(
            "SELECT id, status, started, finished, corpus, manifest, diff FROM runs ORDER BY id").fetchall()
        return [self._run(r) for r in rows]

    @staticmethod
    def _run(row) -> RunRow:
        return RunRow(row[0], row[1], row[2], row[3], row[4], json.loads(row[5]),
                      json.loads(row[6]) if row[6] else None)

    def finish_run(self, run_id: int, documents: Iterable[DocumentRow], findings: Iterable[Finding],
                   diff_counts: dict) -> None:
        """Replace the last run's documents and findings by this run's and mark it complete
        (call inside :meth:`transaction`)."""
        self.conn.execute("DELETE FROM documents")
        self.conn.executemany(
            "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [(d.path, d.sha256, d.size, d.mtime_ns, d.encoding, d.format, d.kind, d.title, d.status,
              d.reason, d.message, d.load_key) for d in documents])
        self.conn.execute("DELETE FROM findings")
        self.conn.executemany(
            "INSERT INTO findings VALUES (?,?,?)",
            [(f.id, f.file, json.dumps(f.__dict__, ensure_ascii=False)) for f in findings])
        self.conn.execute(
            "UPDATE runs SET status='complete', finished=?, diff=? WHERE id=?",
            (_now(), json.dumps(diff_counts, ensure_ascii=False, sort_keys=True), run_id))

    # ------------------------------------------------------------------ last run's state

    def documents(self) -> dict[str, DocumentRow]:
        rows = self.conn.execute("SELECT * FROM documents").fetchall()
        return {r[0]: DocumentRow(*r) for r in rows}

    def findings(self) -> list[Finding]:
        rows = self.conn.execute("SELECT body FROM findings ORDER BY file, id").fetchall()
        return [Finding(**json.loads(r[0])) for r in rows]

    # ------------------------------------------------------------------ decisions

    def ledger_unchanged(self, name: str, size: int, mtime_ns: int, sha256: str) -> bool:
        """Whether the review file ``name`` has this size, mtime and content (SHA-256 hex) since it
        was last read (a file recorded without its digest, by a version-2 workspace, is read again)."""
        # A version-2 workspace opened read-only (reiki-scan check) has no sha256 column.
        digest = "sha256" if "sha256" in self._columns("ledger_files") else "''"
        row = self.conn.execute(f"SELECT size, mtime_ns, {digest} FROM ledger_files WHERE name=?", (name,)).fetchone()
        return row is not None and tuple(row) == (size, mtime_ns, sha256)

    def replace_ledger_decisions(self, name: str, size: int, mtime_ns: int,
                                 decisions: Iterable[StoredDecision], sha256: str) -> None:
        """Store what ledger ``name`` (of this ``size``, saved at ``mtime_ns``, content ``sha256``)
        holds now, each row with its own date; a decision cleared in the ledger disappears here too
        (a withdrawal is a decision ``""``, stored like the others)."""
        self.conn.execute("DELETE FROM decisions WHERE source=?", (name,))
        self.conn.executemany(
            "INSERT INTO decisions (source, id, decision, note, clause, source_mtime_ns, place) VALUES (?,?,?,?,?,?,?)",
            [(name, d.id, d.decision, d.note, d.clause, d.source_mtime_ns, d.place) for d in decisions])
        self.mark_ledger_read(name, size, mtime_ns, sha256)

    def merge_decisions(self, name: str, size: int, mtime_ns: int, decisions: Iterable[StoredDecision],
                        sha256: str) -> None:
        """Store the decisions found in the review file ``name`` (a 見え消し), each replacing the one
        stored from that file on the same finding, and record the file as read. Decisions stored
        from it before and not found now are kept: a 見え消し the tool writes again under the
        reviewer's file's name holds none, and the reviewer's, moved or deleted, must not take
        them with it."""
        self.conn.executemany(
            "INSERT OR REPLACE INTO decisions (source, id, decision, note, clause, source_mtime_ns, place) "
            "VALUES (?,?,?,?,?,?,?)",
            [(name, d.id, d.decision, d.note, d.clause, d.source_mtime_ns, d.place) for d in decisions])
        self.mark_ledger_read(name, size, mtime_ns, sha256)

    def mark_ledger_read(self, name: str, size: int, mtime_ns: int, sha256: str) -> None:
        """Record review file ``name`` as read at this size, mtime and content, leaving the
        decisions stored under its name as they are."""
        self.conn.execute("INSERT OR REPLACE INTO ledger_files (name, size, mtime_ns, sha256) VALUES (?,?,?,?)",
                          (name, size, mtime_ns, sha256))

    def rename_ledger(self, old: str, new: str) -> None:
        """Ledger ``old`` was moved to ``new`` (names relative to OUT, ``/``-separated): its decisions
        and the record of its reading follow it, so that it is not read again and its decisions name
        the place it is now."""
        self.conn.execute("DELETE FROM decisions WHERE source=?", (new,))
        self.conn.execute("UPDATE decisions SET source=? WHERE source=?", (new, old))
        self.conn.execute("DELETE FROM ledger_files WHERE name=?", (new,))
        self.conn.execute("UPDATE ledger_files SET name=? WHERE name=?", (new, old))

    def written_ledger(self) -> dict | None:
        """The ledger the last run wrote: ``{"name", "size", "mtime_ns", "key", "sha256",
        "prefilled", "notes"}`` (its file name, size and mtime when written,
        :func:`reiki_scan.pipeline.ledger_key` of its content, the SHA-256 of its bytes, finding id →
        the 審査結果 the tool filled in, finding id → the 備考 it filled in), or ``None``. A record of
        an earlier version has no ``sha256``, ``prefilled`` or ``notes``."""
        row = self.conn.execute("SELECT value FROM meta WHERE key='written_ledger'").fetchone()
        return None if row is None else json.loads(row[0])

    def set_written_ledger(self, name: str, size: int, mtime_ns: int, key: str, sha256: str,
                           prefilled: dict[str, str], notes: dict[str, str]) -> None:
        value = json.dumps({"name": name, "size": size, "mtime_ns": mtime_ns, "key": key, "sha256": sha256,
                            "prefilled": prefilled, "notes": notes}, ensure_ascii=False)
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('written_ledger', ?)", (value,))

    def all_decisions(self) -> list[StoredDecision]:
        columns = self._columns("decisions")
        # A version-1 workspace opened read-only (reiki-scan check) has no place column.
        place = "place" if "place" in columns else "''"
        rows = self.conn.execute(
            f"SELECT id, decision, note, clause, source, source_mtime_ns, {place} FROM decisions").fetchall()
        return [StoredDecision(*r) for r in rows]

    def effective_decisions(self) -> dict[str, StoredDecision]:
        """:func:`effective` of every stored decision."""
        return effective(self.all_decisions())

    # ------------------------------------------------------------------ caches

    def purge_nlp(self, nlp_version: str) -> None:
        """Drop analyses made by another model version."""
        self.conn.execute("DELETE FROM nlp_cache WHERE nlp_version<>?", (nlp_version,))

    def analyses(self, texts: Iterable[str], nlp_version: str) -> dict[str, dict]:
        """``{text: analysis}`` for the texts whose analysis is cached."""
        out: dict[str, dict] = {}
        keyed = {text_key(t): t for t in texts}
        keys = list(keyed)
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for key, body in self.conn.execute(
                    f"SELECT key, analysis FROM nlp_cache WHERE nlp_version=? AND key IN ({marks})",
                    (nlp_version, *chunk)):
                out[keyed[key]] = json.loads(body)
        return out

    def put_analyses(self, analyses: dict[str, dict], nlp_version: str) -> None:
        with self.transaction():
            self.conn.executemany(
                "INSERT OR REPLACE INTO nlp_cache VALUES (?,?,?)",
                [(text_key(t), nlp_version, json.dumps(a, ensure_ascii=False)) for t, a in analyses.items()])

    def parsed_blob(self, sha256: str, code: str) -> bytes | None:
        row = self.conn.execute("SELECT body FROM parsed WHERE sha256=? AND code=?", (sha256, code)).fetchone()
        return None if row is None else row[0]

    @staticmethod
    def encode_document(doc, level: int = 1) -> bytes:
        """``doc`` pickled and zlib-compressed at ``level`` (0: stored as it is, for a blob that
        only crosses a pipe; compressing the 665 trees of the national archive costs 1.2 s)."""
        return zlib.compress(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL), level)

    @staticmethod
    def decode_document(blob: bytes):
        # The blob is our own pickle, written by this tool into OUT; the database is not an input.
        return pickle.loads(zlib.decompress(blob))

    def detection(self, sha256: str, key: str) -> tuple[str, int, list[Finding]] | None:
        """(the document's title, units read, findings) or ``None``."""
        row = self.conn.execute(
            "SELECT title, units, body FROM detections WHERE sha256=? AND key=?", (sha256, key)).fetchone()
        return None if row is None else (row[0], int(row[1]), findings_from_json(row[2]))

    def classification(self, sha256: str, key: str) -> list[Finding] | None:
        row = self.conn.execute(
            "SELECT body FROM classifications WHERE sha256=? AND key=?", (sha256, key)).fetchone()
        return None if row is None else findings_from_json(row[0])

    def put_document_results(self, parsed: list[tuple[str, str, bytes]],
                             detections: list[tuple[str, str, str, int, str]],
                             classifications: list[tuple[str, str, str]]) -> None:
        """Store parsed documents (sha256, code, blob), detections (sha256, key, title, units,
        findings JSON) and classifications (sha256, key, findings JSON) in one transaction."""
        with self.transaction():
            self.conn.executemany("INSERT OR REPLACE INTO parsed VALUES (?,?,?)", parsed)
            self.conn.executemany("INSERT OR REPLACE INTO detections VALUES (?,?,?,?,?)", detections)
            self.conn.executemany("INSERT OR REPLACE INTO classifications VALUES (?,?,?)", classifications)

    def links(self, key: str) -> list[dict] | None:
        """The links stored under ``key`` (one dict of :class:`~reiki_scan.forms.FormLink` fields
        each), or ``None``."""
        row = self.conn.execute("SELECT body FROM links WHERE key=?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def put_links(self, key: str, links: list[dict]) -> None:
        with self.transaction():
            self.conn.execute("INSERT OR REPLACE INTO links VALUES (?,?)", (key, json.dumps(links, ensure_ascii=False)))

    def prune(self, detection_key: str, classification_key: str, code: str, keep: Iterable[str],
              links_key: str) -> None:
        """Drop cache rows no current key can hit: another pattern, policy or code fingerprint, or
        content (``sha256``) that is in no file of the corpus any more (``keep``: the current
        digests), and the links of any other corpus than ``links_key``'s. Call inside
        :meth:`transaction`."""
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS keep_sha (sha256 TEXT PRIMARY KEY)")
        self.conn.execute("DELETE FROM keep_sha")
        self.conn.executemany("INSERT OR IGNORE INTO keep_sha VALUES (?)", [(s,) for s in keep])
        # A classification key is the run's key followed by the document's own part.
        for table, column, value in (("detections", "key", detection_key),
                                     ("classifications", f"substr(key, 1, {len(classification_key)})",
                                      classification_key),
                                     ("parsed", "code", code)):
            self.conn.execute(
                f"DELETE FROM {table} WHERE {column}<>? OR sha256 NOT IN (SELECT sha256 FROM keep_sha)", (value,))
        self.conn.execute("DELETE FROM links WHERE key<>?", (links_key,))
