"""Load + structure throughput over the national-law archive (8,955 Markdown files, 384 MB).

Usage: PYTHONPATH=. python benchmarks/bench_load.py [ARCHIVE] [--limit N]
(ARCHIVE defaults to ../shared/corpus/national_laws_md.tar.xz beside the repository.)

The archive is unpacked into a temporary folder first (not timed); then every file is
read with load_file, parsed and cut into units. Prints MB/s for each stage, the slowest
files, and every file that failed with its error.
"""

from __future__ import annotations

import argparse
import tarfile
import tempfile
import time
from pathlib import Path

from reiki_scan import load, structure
from reiki_scan.errors import ReikiScanError

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("archive", nargs="?", type=Path,
                    default=REPO.parent / "shared" / "corpus" / "national_laws_md.tar.xz")
    ap.add_argument("--limit", type=int, default=0, help="read only the first N files")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        with tarfile.open(args.archive, "r:*") as tar:
            tar.extractall(root, filter="data")
        print(f"unpacked in {time.perf_counter() - t0:.1f}s (not counted)")
        paths = load.iter_corpus(root)
        if args.limit:
            paths = paths[: args.limit]
        t_load = t_parse = t_units = 0.0
        size = n_units = n_articles = 0
        slow: list[tuple[float, str]] = []
        failed: list[str] = []
        for path in paths:
            a = time.perf_counter()
            try:
                src = load.load_file(path, root)
            except ReikiScanError as e:
                failed.append(str(e))
                continue
            b = time.perf_counter()
            doc = structure.parse(src)
            c = time.perf_counter()
            us = structure.units(doc)
            d = time.perf_counter()
            t_load += b - a
            t_parse += c - b
            t_units += d - c
            size += path.stat().st_size
            n_units += len(us)
            n_articles += sum(1 for p in doc.root.walk() if p.kind == "Article")
            slow.append((d - a, src.path))
    mb = size / 2**20
    total = t_load + t_parse + t_units
    print(f"files {len(paths)}, read {len(paths) - len(failed)}, failed {len(failed)}; {mb:.1f} MB")
    print(f"articles {n_articles}, units {n_units}")
    for name, t in (("load", t_load), ("parse", t_parse), ("units", t_units), ("total", total)):
        print(f"{name:6s} {t:7.1f}s  {mb / t if t else 0:7.1f} MB/s")
    for t, p in sorted(slow, reverse=True)[:5]:
        print(f"slowest {t:6.2f}s {p}")
    for f in failed:
        print(f"failed: {f}")


if __name__ == "__main__":
    main()
