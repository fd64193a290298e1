"""Scan speed at the scale of a prefecture, against the plain keyword scan (issue 9).

Usage: python benchmarks/bench_scan.py [--workers N] [--only national|city] [--city-files N]
                                       [--archive PATH] [--profile N]

Two corpora, each measured in the same run with the same files:

* ``national``: the national-law archive (``../shared/corpus/national_laws_md.tar.xz``,
  8,955 Markdown files, 384 MB), unpacked once into the system temp folder
  (``reiki-scan-bench/``, outside the repository) and reused by later runs;
* ``city``: ``corpus_samples/`` replicated to about ``--city-files`` files (default 3,000)
  with varied text (city name, document and office words differ per copy, so that the
  seal sentences differ too and GiNZA has real work), generated into a temp folder.

For each corpus two measurements run, each in a fresh Python process so that peak memory
and CPU time are its own:

* ``keywords``: the plain regular-expression scan anyone could write in an hour — every
  file's text, line by line, searched for the seal words of :data:`KEYWORDS`. Text files
  are read and decoded (UTF-8, else cp932); .docx/.xlsx/.pdf/.html/.xml are read with
  the same loader as the scan (``reiki_scan.load.load_file``), so the baseline pays for
  their extraction too (the national archive is all Markdown: no difference there);
* ``scan``: ``pipeline.scan`` with ``--workers`` processes and ``write_outputs`` without
  drafts (findings.jsonl, summary.json, ledger.xlsx), as ``reiki-scan scan`` writes them.

Printed per measurement: wall and CPU time (this process plus its workers), MB/s and
files/s, peak RSS (``resource.getrusage``: the main process, and the largest worker),
seconds per stage (``prepare`` is the wall time until the workers are done with the last file:
read, parsed by GiNZA, detected and, without form files, classified; the other stages are
seconds of work summed over the workers and the main process), files screened out (no unit can hold a seal word: neither parsed
nor cut), units cut (around seal characters) vs units parsed by GiNZA, findings; then the ratio
scan / keywords. ``--profile N`` instead profiles a one-process scan of the first N national
files (cProfile, top functions by own time).

Run it on an otherwise idle machine: the figures are wall-clock times. Every file is read once
before the two measurements of a corpus, so that both find it in the page cache.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Runnable from a checkout without installing the package.
sys.path.insert(0, str(REPO))
ARCHIVE = REPO.parent / "shared" / "corpus" / "national_laws_md.tar.xz"
BENCH_DIR = Path(tempfile.gettempdir()) / "reiki-scan-bench"

KEYWORDS = re.compile("記名押印|署名押印|押印|押なつ|なつ印|捺印|押捺|印鑑|実印|認印|公印|職印|印影|㊞")

# Per copy of the sample corpus: the city, then word swaps that reach the seal sentences.
_PLACES = ["さくら台", "みなと", "あおば", "ひがし山", "北野", "南が丘", "西原", "若葉", "緑川", "桜木",
           "朝日", "旭丘", "白鷺", "高浜", "森ノ宮", "青葉台", "光が丘", "栄町", "富士見", "松風"]
_SUFFIXES = ["", "東", "西", "南", "北", "中央", "新", "上", "下", "本", "大"]
_SWAPS = [("申請書", ["申請書", "届出書", "申込書", "請求書"]),
          ("市長", ["市長", "町長", "村長", "区長"])]


# --- corpora ------------------------------------------------------------------------

def national_corpus(archive: Path) -> Path:
    """The archive unpacked under BENCH_DIR (once per archive size and mtime)."""
    st = archive.stat()
    root = BENCH_DIR / f"national-{st.st_size}-{int(st.st_mtime)}"
    done = root / ".complete"
    if not done.exists():
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive, "r:*") as tar:
            tar.extractall(root, filter="data")
        done.write_text("ok\n")
    return root


def _vary(text: str, k: int) -> str:
    place = _PLACES[k % len(_PLACES)] + _SUFFIXES[(k // len(_PLACES)) % len(_SUFFIXES)]
    text = text.replace("さくら台市", f"{place}市")
    for n, (word, choices) in enumerate(_SWAPS):
        text = text.replace(word, choices[(k // (4 ** n)) % len(choices)])
    return text


def _vary_file(src: Path, dst: Path, k: int) -> None:
    data = src.read_bytes()
    if src.suffix.lower() in (".docx", ".xlsx"):
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                part = zin.read(info.filename)
                if info.filename.endswith(".xml"):
                    part = _vary(part.decode("utf-8"), k).encode("utf-8")
                zout.writestr(info, part)
        data = out.getvalue()
    else:
        for encoding in ("utf-8", "cp932"):
            try:
                data = _vary(data.decode(encoding), k).encode(encoding)
                break
            except UnicodeError:
                continue
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_bytes(data)


def city_corpus(target_files: int) -> Path:
    """corpus_samples/ copied with varied text until about ``target_files`` files."""
    from reiki_scan import load

    samples = REPO / "corpus_samples"
    files = load.iter_corpus(samples)
    copies = max(1, round(target_files / len(files)))
    root = BENCH_DIR / f"city-{copies}x{len(files)}"
    done = root / ".complete"
    if not done.exists():
        for k in range(copies):
            for f in files:
                _vary_file(f, root / f"{k:04d}" / f.relative_to(samples), k)
        (root / "reiki-scan.toml").write_text((samples / "reiki-scan.toml").read_text(encoding="utf-8"),
                                              encoding="utf-8")
        done.write_text("ok\n")
    return root


# --- one measurement, in its own process --------------------------------------------

def _usage() -> dict:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"cpu_self": me.ru_utime + me.ru_stime, "cpu_children": kids.ru_utime + kids.ru_stime,
            "rss_self_mb": me.ru_maxrss / 1024, "rss_children_mb": kids.ru_maxrss / 1024}


def measure_keywords(corpus: Path) -> dict:
    from reiki_scan import load
    from reiki_scan.errors import ReikiScanError

    t0 = time.perf_counter()
    files = size = hits = 0
    for path in load.iter_corpus(corpus):
        files += 1
        size += path.stat().st_size
        if path.suffix.lower() in (".txt", ".md"):
            data = path.read_bytes()
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("cp932", errors="replace")
        else:
            try:
                text = load.load_file(path, corpus).text
            except ReikiScanError:
                continue
        for line in text.splitlines():
            if KEYWORDS.search(line):
                hits += 1
    return {"wall": time.perf_counter() - t0, "files": files, "bytes": size, "hits": hits}


def measure_scan(corpus: Path, workers: int) -> dict:
    from reiki_scan import load, pipeline
    from reiki_scan.config import load_config

    config = load_config(corpus)
    t0 = time.perf_counter()
    result = pipeline.scan(corpus, config, workers=workers)
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        pipeline.write_outputs(Path(out), result, drafts=False, files_read=len(result.documents))
    t2 = time.perf_counter()
    paths = load.iter_corpus(corpus)
    stages = {k: round(v, 2) for k, v in result.timings.items()}
    stages["outputs"] = round(t2 - t1, 2)
    return {"wall": t2 - t0, "scan_wall": t1 - t0, "files": len(paths),
            "bytes": sum(p.stat().st_size for p in paths), "read": len(result.documents),
            "skipped": len(result.skipped), "findings": len(result.findings),
            "requires_seal": sum(f.requires_seal for f in result.findings),
            "units_read": result.units_read, "units_parsed": result.units_parsed,
            "not_cut": result.screened_out, "stages": stages}


def _read_all(corpus: Path) -> None:
    """Every file's bytes once: whichever measurement ran first would otherwise pay the disk."""
    for path in corpus.rglob("*"):
        if path.is_file():
            path.read_bytes()


def _child(kind: str, corpus: Path, workers: int) -> dict:
    """Run one measurement in a fresh interpreter and return its figures."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        target = Path(fh.name)
    try:
        env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        subprocess.run([sys.executable, __file__, "--measure", kind, "--corpus", str(corpus),
                        "--workers", str(workers), "--json", str(target)], check=True, env=env)
        return json.loads(target.read_text(encoding="utf-8"))
    finally:
        target.unlink(missing_ok=True)


def _print(name: str, kind: str, r: dict) -> None:
    mb = r["bytes"] / 2**20
    cpu = r["cpu_self"] + r["cpu_children"]
    print(f"{name:8s} {kind:8s} wall {r['wall']:7.1f} s  cpu {cpu:7.1f} s "
          f"(main {r['cpu_self']:.1f} + workers {r['cpu_children']:.1f})  "
          f"{mb / r['wall']:6.1f} MB/s  {r['files'] / r['wall']:7.1f} files/s  "
          f"peak RSS main {r['rss_self_mb']:.0f} MB, largest worker {r['rss_children_mb']:.0f} MB")
    if kind == "scan":
        print(f"{'':17s} files {r['files']} (read {r['read']}, skipped {r['skipped']}), {mb:.1f} MB; "
              f"files screened out (not parsed, not cut) {r['not_cut']:,}; units cut {r['units_read']:,}, "
              f"parsed by GiNZA {r['units_parsed']:,}; "
              f"findings {r['findings']:,} (requires_seal {r['requires_seal']:,})")
        print(f"{'':17s} stages (s): " + ", ".join(f"{k} {v}" for k, v in r["stages"].items()))
    else:
        print(f"{'':17s} files {r['files']}, {mb:.1f} MB; lines with a seal word {r['hits']:,}")


def profile(archive: Path, n: int) -> None:
    from reiki_scan import load, pipeline
    from reiki_scan.config import RunConfig

    root = national_corpus(archive)
    with tempfile.TemporaryDirectory() as tmp:
        sub = Path(tmp)
        for p in load.iter_corpus(root)[:n]:
            dst = sub / p.relative_to(root)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, dst)
        prof = cProfile.Profile()
        prof.runcall(pipeline.scan, sub, RunConfig(), workers=1)
    stats = pstats.Stats(prof)
    stats.sort_stats("tottime").print_stats(20)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--archive", type=Path, default=ARCHIVE)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--only", choices=("national", "city"))
    ap.add_argument("--city-files", type=int, default=3000)
    ap.add_argument("--profile", type=int, default=0, metavar="N")
    ap.add_argument("--measure", choices=("keywords", "scan"), help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.measure:
        before = time.perf_counter()
        figures = measure_keywords(args.corpus) if args.measure == "keywords" else \
            measure_scan(args.corpus, args.workers)
        figures.update(_usage(), total_wall=time.perf_counter() - before)
        args.json.write_text(json.dumps(figures), encoding="utf-8")
        return
    if args.profile:
        profile(args.archive, args.profile)
        return

    corpora = []
    if args.only in (None, "national"):
        t0 = time.perf_counter()
        corpora.append(("national", national_corpus(args.archive)))
        print(f"national archive ready in {time.perf_counter() - t0:.1f} s (not counted): {corpora[-1][1]}")
    if args.only in (None, "city"):
        t0 = time.perf_counter()
        corpora.append(("city", city_corpus(args.city_files)))
        print(f"city corpus ready in {time.perf_counter() - t0:.1f} s (not counted): {corpora[-1][1]}")
    print(f"cores: {os.cpu_count()}, workers: {args.workers}, load average before: "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for name, corpus in corpora:
        t0 = time.perf_counter()
        _read_all(corpus)
        print(f"{name:8s} files read once so that both measurements find them in the page cache "
              f"({time.perf_counter() - t0:.1f} s, not counted)")
        base = _child("keywords", corpus, 1)
        _print(name, "keywords", base)
        ours = _child("scan", corpus, args.workers)
        _print(name, "scan", ours)
        cpu_base = base["cpu_self"] + base["cpu_children"]
        cpu_ours = ours["cpu_self"] + ours["cpu_children"]
        print(f"{name:8s} ratio    scan / keywords: wall {ours['wall'] / base['wall']:.1f}x, "
              f"cpu {cpu_ours / cpu_base:.1f}x; peak RSS main + {args.workers} workers <= "
              f"{(ours['rss_self_mb'] + args.workers * ours['rss_children_mb']) / 1024:.2f} GiB")
    print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
