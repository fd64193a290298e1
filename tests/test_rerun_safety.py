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


def _descendants(pid: int) -> set[int]:
    """The pids of every live descendant of ``pid`` (read from /proc: Linux, where CI runs)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue  # a process that ended while being read
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for child, parent in parents.items():
            if parent == p and child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    # A zombie is gone but for its entry: its new parent (init) reaps it.
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z")


@pytest.mark.nlp
def test_regression_kill_9_of_the_main_process_leaves_no_process_of_the_run(tmp_path, samples):
    """Issue 22 case 12: `kill -9` of a run left its two workers, the parse-sharing manager and the
    resource tracker running under pid 1 (about 1 GB). Now every process of the run ends with it."""
    corpus = tmp_path / "c"
    for n in range(40):  # above the size from which a scan starts its workers (scan.pool.MIN_FILES)
        dest = corpus / f"r{n:02d}.txt"
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text((samples / "reiki" / "hojokin_kofu_kisoku.txt").read_text(encoding="utf-8")
                        .replace("補助金等交付規則", f"補助金等交付規則{n}"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "reiki_scan.cli", "scan", str(corpus), "--out", str(tmp_path / "o"),
                             "--workers", "2"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        children: set[int] = set()
        # The two workers and the manager: three processes besides the resource tracker.
        while time.monotonic() < deadline and proc.poll() is None and len(children) < 3:
            children = _descendants(proc.pid)
            time.sleep(0.05)
        assert proc.poll() is None and len(children) >= 3, "the run must be caught with its workers started"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    time.sleep(5)
    assert sorted(p for p in children if _alive(p)) == []
