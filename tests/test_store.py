"""The workspace database: schema migration (issue 16 review)."""

from __future__ import annotations

import sqlite3

from reiki_scan.store import Workspace, db_path

V1_DECISIONS = """CREATE TABLE decisions (
    source TEXT NOT NULL, id TEXT NOT NULL, decision TEXT NOT NULL, note TEXT NOT NULL,
    clause TEXT NOT NULL, source_mtime_ns INTEGER NOT NULL, PRIMARY KEY (source, id));
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES ('schema', '1');
INSERT INTO decisions VALUES ('ledger.xlsx', 'f-000000000001', '存続', '', '申請書に押印する。', 5);
"""


def _v1(out):
    path = db_path(out)
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.executescript(V1_DECISIONS)
    conn.close()


def test_a_version_1_workspace_is_read_read_only_and_migrated_on_open(tmp_path):
    _v1(tmp_path)
    ws = Workspace.open_readonly(tmp_path)
    assert [(d.id, d.decision, d.place) for d in ws.all_decisions()] == [("f-000000000001", "存続", "")]
    ws.close()
    ws = Workspace.open(tmp_path)
    assert ws.conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone() == ("3",)
    assert [(d.id, d.source, d.place) for d in ws.all_decisions()] == [("f-000000000001", "ledger.xlsx", "")]
    ws.close()


def test_a_version_2_workspace_gains_the_review_files_digest_and_reads_them_again(tmp_path):
    """Schema 3: ledger_files.sha256. A ledger recorded without its digest is read once more."""
    _v1(tmp_path)
    conn = sqlite3.connect(db_path(tmp_path))
    conn.executescript("ALTER TABLE decisions ADD COLUMN place TEXT NOT NULL DEFAULT '';"
                       "CREATE TABLE ledger_files (name TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL);"
                       "INSERT INTO ledger_files VALUES ('ledger.xlsx', 10, 20);"
                       "UPDATE meta SET value='2' WHERE key='schema';")
    conn.commit()
    conn.close()
    ws = Workspace.open_readonly(tmp_path)
    assert not ws.ledger_unchanged("ledger.xlsx", 10, 20, "ab")
    ws.close()
    ws = Workspace.open(tmp_path)
    assert ws.conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone() == ("3",)
    assert not ws.ledger_unchanged("ledger.xlsx", 10, 20, "ab")
    ws.mark_ledger_read("ledger.xlsx", 10, 20, "ab")
    assert ws.ledger_unchanged("ledger.xlsx", 10, 20, "ab")
    assert not ws.ledger_unchanged("ledger.xlsx", 10, 20, "cd")
    ws.close()


def test_regression_a_migration_killed_after_its_alter_table_completes_on_the_next_open(tmp_path):
    _v1(tmp_path)
    conn = sqlite3.connect(db_path(tmp_path))
    conn.execute("ALTER TABLE decisions ADD COLUMN place TEXT NOT NULL DEFAULT ''")  # then killed
    conn.commit()
    conn.close()
    ws = Workspace.open(tmp_path)
    assert ws.conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone() == ("3",)
    ws.close()
