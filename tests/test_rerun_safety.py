"""Two runs on one OUT, and a run killed midway."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reiki_scan import pipeline, store
from reiki_scan.cli import app
from reiki_scan.config import load_config
from reiki_scan.errors import WorkspaceLockedError

from test_rerun import build_v1, build_v2  # pytest puts tests/ on sys.path

REPO = Path(__file__).resolve().parents[1]


def test_second_run_on_a_locked_out_refuses_naming_the_holder(tmp_path, samples):
    out = tmp_path / "out"
    with store.run_lock(out):
        with pytest.raises(WorkspaceLockedError) as err:
            with store.run_lock(out):
                pass
        assert err.value.pid == os.getpid()
        assert f"pid {os.getpid()}" in str(err.value)
        result = CliRunner().invoke(app, ["scan", str(samples), "--out", str(out)])
    assert result.exit_code == 2
    assert f"pid {os.getpid()}" in result.output and "--wait" in result.output
    assert not (out / "findings.jsonl").exists()


def test_wait_takes_the_lock_when_the_holder_ends(tmp_path):
    out = tmp_path / "out"
    held = threading.Event()

    def holder():
        with store.run_lock(out):
            held.set()
            time.sleep(0.5)

    t = threading.Thread(target=holder)
    t.start()
    held.wait()
    start = time.monotonic()
    with store.run_lock(out, wait=True):
        waited = time.monotonic() - start
    t.join()
    assert waited >= 0.3
    assert (out / ".reiki-scan" / "lock.pid").read_text() == ""


@pytest.mark.nlp
def test_killed_run_leaves_the_previous_results_and_a_rerun_completes(tmp_path, samples):
    v1 = build_v1(samples, tmp_path / "v1")
    v2 = build_v2(v1, tmp_path / "v2")
    out = tmp_path / "out"
    pipeline.run(v1, out, load_config(v1), drafts=True)
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
              if p.is_file() and ".reiki-scan" not in p.parts}
    assert {"findings.jsonl", "summary.json", "ledger.xlsx", "整理規則案.docx"} <= set(before)

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "reiki_scan.cli", "run", str(v2), "--out", str(out)],
                            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = out / ".reiki-scan" / "workspace.sqlite"
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
            try:
                row = conn.execute("SELECT status FROM runs WHERE id=2").fetchone()
            except sqlite3.OperationalError:
                row = None  # the writer holds the database for a moment
            finally:
                conn.close()
            if row is not None:
                status = row[0]
                break
            time.sleep(0.02)
        assert status == "running" and proc.poll() is None, "the run must be caught while it runs"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    after = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
             if p.is_file() and ".reiki-scan" not in p.parts}
    assert after == before
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT id, status FROM runs ORDER BY id").fetchall() == [(1, "complete"), (2, "running")]
        assert conn.execute("SELECT count(*) FROM findings").fetchone() == (9,)
    finally:
        conn.close()

    again = pipeline.run(v2, out, load_config(v2), drafts=True)
    assert again.run_id == 3 and again.diff.previous_run == 1
    assert again.diff.counts() == {"new": 1, "removed": 0, "changed": 1, "moved": 3, "rereview": 0}
    ws = store.Workspace.open_readonly(out)
    try:
        assert [(r.id, r.status) for r in ws.runs()] == [(1, "complete"), (2, "abandoned"), (3, "complete")]
    finally:
        ws.close()
