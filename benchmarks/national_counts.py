"""Counts over the national-law archive: what the tool reports against plain string counts.

Usage::

    python benchmarks/national_counts.py [ARCHIVE_OR_FOLDER]

ARCHIVE_OR_FOLDER defaults to ``../shared/corpus/national_laws_md.tar.xz`` (extracted once
into the system temp folder). Prints, per seal word, the plain occurrence count beside what
the tool reports (findings, of which requirements), the findings per category, modality
and decision, and checks that every finding of a national law is 存続 (国等根拠), 対象外 or
対応済 (issue 5).
"""

from __future__ import annotations

import re
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

# The words of SOURCES.md §6, counted as plain substrings (longest first, no overlap).
WORDS = ["署名又は記名押印", "記名押印", "署名押印", "押印", "印鑑登録証明書", "印鑑証明書", "印鑑",
         "押なつ", "なつ印", "捺印", "押捺", "実印", "公印", "職印", "契印", "割印", "訂正印", "受領印", "日附印"]
WORD_RE = re.compile("|".join(map(re.escape, WORDS)))


def extracted(archive: Path) -> Path:
    if archive.is_dir():
        return archive
    target = Path(tempfile.gettempdir()) / f"reiki-scan-national-{archive.stat().st_size}"
    if not (target / ".done").exists():
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive, "r:*") as tar:
            tar.extractall(target, filter="data")
        (target / ".done").write_text("ok")
    return target


def main() -> None:
    from reiki_scan import pipeline
    from reiki_scan.config import load_config

    arg = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "corpus" / "national_laws_md.tar.xz"
    corpus = extracted(arg)
    t0 = time.perf_counter()
    plain: Counter[str] = Counter()
    for p in corpus.rglob("*.md"):
        plain.update(WORD_RE.findall(p.read_text(encoding="utf-8", errors="replace")))
    t_plain = time.perf_counter() - t0

    t0 = time.perf_counter()
    result = pipeline.scan(corpus, load_config(None), workers=2)
    t_scan = time.perf_counter() - t0
    fs = result.findings
    print(f"files: {len(result.documents)} read, {len(result.skipped)} skipped; "
          f"scan {t_scan:.1f} s, plain count {t_plain:.1f} s")
    print(f"findings: {len(fs)}, requirements: {sum(f.requires_seal for f in fs)}")

    by_match: Counter[str] = Counter()
    req_by_match: Counter[str] = Counter()
    for f in fs:
        for w in WORD_RE.findall(f.match) or [f"({f.match})"]:
            by_match[w] += 1
            req_by_match[w] += f.requires_seal
    print("\nword\tplain\tfindings\trequirements")
    for w in WORDS:
        print(f"{w}\t{plain[w]}\t{by_match[w]}\t{req_by_match[w]}")
    for key, title in (("category", "category"), ("modality", "modality"), ("decision", "decision")):
        c = Counter(getattr(f, key) for f in fs)
        print(f"\n{title}: " + ", ".join(f"{k} {v}" for k, v in c.most_common()))
    req_cat = Counter(f.category for f in fs if f.requires_seal)
    print("requirements by category: " + ", ".join(f"{k} {v}" for k, v in req_cat.most_common()))

    allowed = {"存続", "対象外", "対応済"}
    national = [f for f in fs if f.doc_kind in ("法律", "政令", "省令")]
    off = [f for f in national if f.decision not in allowed
           or (f.decision == "存続" and "国等根拠" not in f.reason)]
    print(f"\nnational-law findings: {len(national)}; not 存続(国等根拠)/対象外/対応済: {len(off)}")
    for f in off[:20]:
        print(f"  {f.file} {f.locator} {f.match} {f.decision} {f.rule} {f.reason}")
    other_kinds = Counter(f.doc_kind for f in fs if f.doc_kind not in ("法律", "政令", "省令"))
    print("findings in documents not typed as national law: " + ", ".join(f"{k} {v}" for k, v in other_kinds.items()))


if __name__ == "__main__":
    main()
