"""Detection speed over the shared corpus: units read, units parsed by GiNZA, sentences/s.

Usage: python benchmarks/bench_detect.py [CORPUS]   (one process; bench_scan.py measures the worker pool)
(CORPUS defaults to ../shared/corpus/raw beside the repository.)
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from reiki_scan import load, structure
from reiki_scan.detect import Detector, analyze_texts
from reiki_scan.errors import ReikiScanError

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpus", nargs="?", type=Path, default=REPO.parent / "shared" / "corpus" / "raw")
    args = ap.parse_args()

    t0 = time.perf_counter()
    docs = []
    for path in load.iter_corpus(args.corpus):
        try:
            docs.append(structure.parse(load.load_file(path, args.corpus)))
        except ReikiScanError as e:
            print(f"skipped: {e}")
    t_load = time.perf_counter() - t0

    detector = Detector()
    t0 = time.perf_counter()
    units = {d.path: structure.units(d) for d in docs}
    wanted = {}
    for d in docs:
        for u in detector.candidate_units(d, units[d.path]):
            wanted.setdefault(u.text, None)
    t_cand = time.perf_counter() - t0

    t0 = time.perf_counter()
    analyze_texts(["押印する。"])  # model load, not counted as parsing
    t_model = time.perf_counter() - t0
    t0 = time.perf_counter()
    analyses = analyze_texts(list(wanted))
    t_nlp = time.perf_counter() - t0

    t0 = time.perf_counter()
    findings = [f for d in docs for f in detector.detect(d, units[d.path], analyses)]
    t_detect = time.perf_counter() - t0

    n_units = sum(len(u) for u in units.values())
    n_chars = sum(len(d.text) for d in docs)
    print(f"files: {len(docs)}  characters: {n_chars:,}  load+structure: {t_load:.1f} s")
    print(f"units read: {n_units:,}  units parsed by GiNZA: {len(wanted):,} "
          f"({len(wanted) / max(n_units, 1):.1%})  candidate search: {t_cand:.2f} s "
          f"({n_units / max(t_cand, 1e-9):,.0f} units/s)")
    print(f"model load: {t_model:.1f} s  GiNZA: {t_nlp:.1f} s = {len(wanted) / max(t_nlp, 1e-9):.1f} sentences/s "
          "(one process)")
    print(f"findings: {len(findings):,} (requires_seal: {sum(f.requires_seal for f in findings):,})  "
          f"detect after parsing: {t_detect:.2f} s")


if __name__ == "__main__":
    main()
