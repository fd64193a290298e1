"""Rerun cost against a full run on the same corpus (issue 8: aim ≤ 5% unchanged, ≤ 10% with 1% changed).

Usage: PYTHONPATH=. python benchmarks/bench_rerun.py [CORPUS] [--drafts] [--changed-share 0.01]
(CORPUS defaults to ../shared/corpus/raw beside the repository.)

CORPUS and the code (``reiki_scan/``, ``patterns/``, ``templates/``) are copied into a temporary
folder (not timed), so that edits made in the checkout meanwhile do not invalidate the caches
between the timings. Each timing is one ``reiki-scan`` process,
as a scheduled job would start it (interpreter start and imports included; the GiNZA model is
loaded only when something has to be parsed):

1. ``scan --full`` into a fresh OUT: the full run;
2. ``scan`` again with nothing changed;
3. ``scan`` after appending a sentence with a new 記名押印 requirement to the share of text files
   given by ``--changed-share`` (at least one file).

``--drafts`` times ``run`` (with every Word draft) instead of ``scan``. Prints the seconds, the
ratios to the full run and the reuse figures of summary.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reiki_scan import load

REPO = Path(__file__).resolve().parents[1]
ADDED = "\n第99条　この規則による申請書には、申請者が記名押印しなければならない。\n"


def timed(args: list[str], cwd: Path, code: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(code)}
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "reiki_scan.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.exit(f"reiki-scan {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return elapsed


def rerun_figures(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))["rerun"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpus", nargs="?", type=Path, default=REPO.parent / "shared" / "corpus" / "raw")
    ap.add_argument("--drafts", action="store_true", help="time `run` (with drafts) instead of `scan`")
    ap.add_argument("--changed-share", type=float, default=0.01)
    args = ap.parse_args()
    command = "run" if args.drafts else "scan"

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpus, out = root / "corpus", root / "out"
        shutil.copytree(args.corpus, corpus)
        code = root / "code"
        for name in ("reiki_scan", "patterns", "templates"):
            shutil.copytree(REPO / name, code / name, ignore=shutil.ignore_patterns("__pycache__"))
        files = load.list_corpus(corpus).files
        texts = sorted(p for p in files if p.suffix in (".txt", ".md"))
        n_changed = max(1, math.ceil(len(files) * args.changed_share))
        print(f"corpus: {len(files)} files, {sum(p.stat().st_size for p in files) / 2**20:.1f} MB; "
              f"command: {command}")

        full = timed([command, str(corpus), "--out", str(out), "--full"], root, code)
        print(f"full run:            {full:7.2f} s   {rerun_figures(out)}")
        same = timed([command, str(corpus), "--out", str(out)], root, code)
        print(f"rerun, nothing new:  {same:7.2f} s = {same / full:6.1%} of the full run   {rerun_figures(out)}")
        for p in texts[:n_changed]:
            with p.open("a", encoding="utf-8") as fh:
                fh.write(ADDED)
        changed = timed([command, str(corpus), "--out", str(out)], root, code)
        print(f"rerun, {n_changed} file(s) changed ({n_changed / len(files):.1%}): {changed:7.2f} s = "
              f"{changed / full:6.1%} of the full run   {rerun_figures(out)}")
        diff = json.loads((out / "summary.json").read_text(encoding="utf-8"))["diff"]["counts"]
        print(f"diff of the last rerun: {diff}")


if __name__ == "__main__":
    main()
