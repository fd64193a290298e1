"""Draw the blind audit sample of the national archive (issue 17, part 3).

Standard library only.  Usage:

    python tests/data/national_audit_sample.py NATL_ROOT FINDINGS.jsonl [OUT_DIR]

NATL_ROOT is the extracted national-law archive (the corpus the scan read; the
findings' ``file`` is relative to it), FINDINGS.jsonl the tool's findings on it.
Writes ``national_audit_blind.jsonl`` and ``national_audit_populations.json``
into OUT_DIR (default: this file's folder).

Two strata, drawn with ``random.Random(SEED)``:

* ``reported``: SAMPLE_REPORTED findings with ``requires_seal`` true, drawn
  uniformly from all of them (population = number of such findings);
* ``unreported``: SAMPLE_UNREPORTED source lines that hold a seal word
  (``SEAL_RE``) and that overlap no ``[start, end)`` of a finding with
  ``requires_seal`` true (population = number of such lines).

Offsets are characters of the file text as the tool reads it (UTF-8, no
newline translation: the archive has no CR).  A line is ``[line_start,
line_end)`` without its newline; it overlaps a finding when
``start < line_end and end > line_start``.

The blind file carries stratum, file, line number, line text and the seal
word(s) only: nothing of the tool's verdict (no category, modality,
requires_seal, decision), so that the labeller is blind to it.  For the
reported stratum the finding's own ``match`` and its column in the line are
given, so the labeller knows which occurrence on the line is meant.
"""
from __future__ import annotations

import json
import os
import random
import re
import sys

SEED = 20261207
SAMPLE_REPORTED = 150
SAMPLE_UNREPORTED = 150

# A seal word: affixing, the seal as an object, registered/official seals, the
# special uses, and the form marker.  Traps (印刷, 印紙, 封印, 消印, 刻印, 調印,
# 矢印, 目印 …) are deliberately NOT seal words here.
SEAL_RE = re.compile(
    r"記名押印|署名押印|記名捺印|署名捺印|記名押なつ|署名押なつ"
    r"|押印|押なつ|なつ印|捺印|押捺|押切印"
    r"|印鑑|実印|印影|認印|印章"
    r"|公印|職印|庁印|官印|社印|代表者印"
    r"|契印|割印|訂正印|捨印|日附印|日付印|受付印|受領印|収受印|検印|証印"
    r"|㊞|（印）|\(印\)"
    r"|印を押|印をおす|印ヲ押|印ヲ捺|印を捺|印ヲ用|印を用"
)


def line_spans(text: str):
    """Yield (line_no starting at 1, start, end) of each line, newline excluded."""
    pos = 0
    n = 0
    for part in text.split("\n"):
        n += 1
        yield n, pos, pos + len(part)
        pos += len(part) + 1


def read_text(root: str, rel: str) -> str:
    with open(os.path.join(root, rel), encoding="utf-8", newline="") as fh:
        return fh.read()


def line_of(text: str, offset: int):
    """(line_no, line_start, line_end) of the line holding ``offset``."""
    ls = text.rfind("\n", 0, offset) + 1
    le = text.find("\n", offset)
    if le < 0:
        le = len(text)
    return text.count("\n", 0, offset) + 1, ls, le


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    root, findings_path = argv[1], argv[2]
    out_dir = argv[3] if len(argv) > 3 else os.path.dirname(os.path.abspath(__file__))
    with open(findings_path, encoding="utf-8") as fh:
        findings = [json.loads(line) for line in fh if line.strip()]
    true_f = [f for f in findings if f.get("requires_seal") is True]
    # deterministic order before sampling
    true_f.sort(key=lambda f: (f["file"], f["start"], f["end"], f.get("id", "")))

    spans_by_file: dict[str, list[tuple[int, int]]] = {}
    for f in true_f:
        spans_by_file.setdefault(f["file"], []).append((f["start"], f["end"]))

    files = []
    for dp, dn, fn in os.walk(root):
        dn.sort()
        for name in sorted(fn):
            if name.endswith(".md"):
                files.append(os.path.relpath(os.path.join(dp, name), root).replace(os.sep, "/"))
    files.sort()

    unreported = []  # (file, line_no, line_text, matches)
    seal_lines_total = 0
    for rel in files:
        text = read_text(root, rel)
        spans = spans_by_file.get(rel, [])
        for n, ls, le in line_spans(text):
            line = text[ls:le]
            ms = [m.group(0) for m in SEAL_RE.finditer(line)]
            if not ms:
                continue
            seal_lines_total += 1
            if any(s < le and e > ls for s, e in spans):
                continue
            unreported.append((rel, n, line, ms))

    rng = random.Random(SEED)
    rep_sample = rng.sample(true_f, min(SAMPLE_REPORTED, len(true_f)))
    unrep_sample = rng.sample(unreported, min(SAMPLE_UNREPORTED, len(unreported)))

    rows = []
    cache: dict[str, str] = {}
    for f in rep_sample:
        if f["file"] not in cache:
            cache[f["file"]] = read_text(root, f["file"])
        text = cache[f["file"]]
        n, ls, le = line_of(text, f["start"])
        rows.append({
            "stratum": "reported", "file": f["file"], "line": n, "text": text[ls:le],
            "match": f["match"], "col": f["start"] - ls, "id": f.get("id", ""),
        })
    for rel, n, line, ms in unrep_sample:
        rows.append({
            "stratum": "unreported", "file": rel, "line": n, "text": line,
            "match": ms[0], "matches": ms,
        })
    rows.sort(key=lambda r: (r["stratum"], r["file"], r["line"], r.get("col", 0)))
    for i, r in enumerate(rows):
        r["n"] = i + 1
    with open(os.path.join(out_dir, "national_audit_blind.jsonl"), "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    pops = {
        "seed": SEED,
        "findings_file": os.path.basename(findings_path),
        "files_read": len(files),
        "findings_total": len(findings),
        "reported_population": len(true_f),
        "seal_lines_total": seal_lines_total,
        "unreported_population": len(unreported),
        "reported_sampled": len(rep_sample),
        "unreported_sampled": len(unrep_sample),
        "seal_regex": SEAL_RE.pattern,
    }
    with open(os.path.join(out_dir, "national_audit_populations.json"), "w", encoding="utf-8") as fh:
        json.dump(pops, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    print(json.dumps({k: v for k, v in pops.items() if k != "seal_regex"}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
