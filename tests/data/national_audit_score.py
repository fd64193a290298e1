"""Score reiki-scan's findings on the national archive against the audit labels.

Standard library only.  Usage:

    python tests/data/national_audit_score.py FINDINGS.jsonl [--natl NATL_ROOT]
        [--labels national_audit.jsonl] [--populations national_audit_populations.json]
        [--boot 20000] [--json]

FINDINGS.jsonl is the tool's findings on the national archive (``file``
relative to the archive).  The labels (``national_audit.jsonl``) and the
design (``national_audit_populations.json``, written by
``national_audit_sample.py``) default to this file's folder.  NATL_ROOT
(``--natl``: the national archive unpacked from ``../shared/corpus/national_laws_md.tar.xz``) is needed only to place the labelled lines in the
files (character offsets of a line); without it the script falls back to the
offsets stored in the labels.

Method (see NATIONAL_AUDIT.md):

* The labelled rows are a stratified sample drawn on the *baseline* findings:
  stratum ``reported`` = findings with requires_seal true (a row is one
  finding), stratum ``unreported`` = archive lines holding a seal word and no
  such finding (a row is one line).  Each row stands for N_h / n_h units of
  its stratum.
* A row is *reported by the scored findings* when a finding with
  requires_seal true overlaps it: for a ``reported`` row, the baseline
  finding's [start, end) (line start + col, + len(match)); for an
  ``unreported`` row, the line.
* Estimated totals: TP = sum of weights of rows labelled true and reported,
  FP = labelled false and reported, FN = labelled true and not reported.
  precision = TP / (TP + FP), recall = TP / (TP + FN).
  On the baseline findings this is exactly: precision = share of the reported
  stratum labelled true; recall = p_rep N_rep / (p_rep N_rep + p_unrep N_unrep).
* 95 % intervals: Wilson for the precision share of the baseline reported
  stratum; for every figure, a parametric (stratified) bootstrap with a fixed
  seed: each stratum's rows are redrawn with replacement (the multinomial of
  its label x verdict cells at the observed shares), B times, percentile 2.5 /
  97.5.
* Sensitivity: the same figures with every row flagged ``unsure`` flipped.

Limit: the frame is the baseline's.  A new version's requires_seal findings
that overlap neither a baseline requires_seal finding nor a seal-word line are
outside the sampled population; they are counted and listed, not estimated.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BOOT_SEED = 20261207
Z = 1.959963984540054


def wilson(k: int, n: int, z: float = Z):
    if n == 0:
        return (float("nan"), float("nan"))
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (c - h, c + h)


def load_jsonl(path):
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def line_starts(text: str):
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def place_rows(rows, natl_root):
    """Give each labelled row its [lo, hi) span in its file's text."""
    cache = {}
    for r in rows:
        f = r["file"]
        if f not in cache:
            path = os.path.join(natl_root, f) if natl_root else None
            if path and os.path.exists(path):
                with open(path, encoding="utf-8", newline="") as fh:
                    text = fh.read()
                cache[f] = (text, line_starts(text))
            else:
                cache[f] = None
        got = cache[f]
        if got is None:
            raise SystemExit(f"cannot read {f} under {natl_root!r}: pass --natl")
        text, starts = got
        ls = starts[r["line"] - 1]
        le = text.find("\n", ls)
        le = len(text) if le < 0 else le
        if text[ls:le] != r["text"]:
            raise SystemExit(f"{f}:{r['line']}: the file's line differs from the label's text")
        if r["stratum"] == "reported":
            lo = ls + r["col"]
            r["_span"] = (lo, lo + len(r["match"]))
        else:
            r["_span"] = (ls, le)


def verdicts(rows, findings):
    """Mark each row reported/not by the scored findings; return findings outside the frame."""
    by_file = {}
    for f in findings:
        if f.get("requires_seal") is True:
            by_file.setdefault(f["file"], []).append(f)
    for r in rows:
        lo, hi = r["_span"]
        hits = [f for f in by_file.get(r["file"], []) if f["start"] < hi and f["end"] > lo]
        r["_reported"] = bool(hits)
        r["_hit"] = hits[0] if hits else None
    return by_file


def outside_frame(by_file, baseline_path, natl_root):
    """requires_seal findings that fall outside the sampled frame: overlapping no baseline
    requires_seal finding and lying on no line of the unreported population."""
    sys.path.insert(0, HERE)
    from national_audit_sample import SEAL_RE  # the design's seal-word regex
    base = {}
    for f in load_jsonl(baseline_path):
        if f.get("requires_seal") is True:
            base.setdefault(f["file"], []).append((f["start"], f["end"]))
    out = []
    for fname, fs in by_file.items():
        with open(os.path.join(natl_root, fname), encoding="utf-8", newline="") as fh:
            text = fh.read()
        for f in fs:
            s, e = f["start"], f["end"]
            if any(bs < e and be > s for bs, be in base.get(fname, [])):
                continue
            ls = text.rfind("\n", 0, s) + 1
            le = text.find("\n", s)
            le = len(text) if le < 0 else le
            on_unrep_line = SEAL_RE.search(text[ls:le]) and not any(
                bs < le and be > ls for bs, be in base.get(fname, []))
            if not on_unrep_line:
                out.append(f"{fname}:{text.count(chr(10), 0, s) + 1} {f.get('match')}")
    return out


def estimate(strata, weights, flip_unsure=False):
    tp = fp = fn = 0.0
    for h, rows in strata.items():
        w = weights[h]
        for r in rows:
            lab = r["requires_seal"] != (flip_unsure and r.get("unsure", False))
            if lab and r["_reported"]:
                tp += w
            elif not lab and r["_reported"]:
                fp += w
            elif lab:
                fn += w
    prec = tp / (tp + fp) if tp + fp else float("nan")
    rec = tp / (tp + fn) if tp + fn else float("nan")
    return {"TP": tp, "FP": fp, "FN": fn, "precision": prec, "recall": rec}


def bootstrap(strata, pops, B, seed, flip_unsure=False):
    rng = random.Random(seed)
    precs, recs = [], []
    for _ in range(B):
        res = {h: rng.choices(rows, k=len(rows)) for h, rows in strata.items()}
        w = {h: pops[h] / len(res[h]) for h in res}
        e = estimate(res, w, flip_unsure)
        precs.append(e["precision"])
        recs.append(e["recall"])

    def pct(xs):
        xs = sorted(x for x in xs if x == x)
        if not xs:
            return (float("nan"), float("nan"))
        return (xs[int(0.025 * (len(xs) - 1))], xs[int(math.ceil(0.975 * (len(xs) - 1)))])

    return pct(precs), pct(recs)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("findings")
    ap.add_argument("--natl", required=True,
                    help="the national archive unpacked from ../shared/corpus/national_laws_md.tar.xz")
    ap.add_argument("--labels", default=os.path.join(HERE, "national_audit.jsonl"))
    ap.add_argument("--populations", default=os.path.join(HERE, "national_audit_populations.json"))
    ap.add_argument("--baseline", default="",
                    help="the findings the sample was drawn on (a `reiki-scan scan --full` of the archive at commit"
                         " b1a1e43), to count findings outside the frame; '' to skip")
    ap.add_argument("--boot", type=int, default=20000)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    a = ap.parse_args(argv)

    rows = load_jsonl(a.labels)
    with open(a.populations, encoding="utf-8") as fh:
        design = json.load(fh)
    pops = {"reported": design["reported_population"], "unreported": design["unreported_population"]}
    findings = load_jsonl(a.findings)
    place_rows(rows, a.natl)
    by_file = verdicts(rows, findings)

    strata = {h: [r for r in rows if r["stratum"] == h] for h in pops}
    weights = {h: pops[h] / len(strata[h]) for h in strata}
    est = estimate(strata, weights)
    est_flip = estimate(strata, weights, flip_unsure=True)
    (p_lo, p_hi), (r_lo, r_hi) = bootstrap(strata, pops, a.boot, BOOT_SEED)
    (fp_lo, fp_hi), (fr_lo, fr_hi) = bootstrap(strata, pops, a.boot, BOOT_SEED, flip_unsure=True)

    rep, unrep = strata["reported"], strata["unreported"]
    k_rep = sum(r["requires_seal"] for r in rep)
    k_unrep = sum(r["requires_seal"] for r in unrep)
    w_lo, w_hi = wilson(k_rep, len(rep))

    # cells per stratum: labelled x reported-by-these-findings
    cells = {}
    for h, rs in strata.items():
        c = {"true_reported": 0, "true_missed": 0, "false_reported": 0, "false_silent": 0}
        for r in rs:
            key = ("true_" if r["requires_seal"] else "false_") + (
                "reported" if r["_reported"] else ("missed" if r["requires_seal"] else "silent"))
            c[key] += 1
        cells[h] = c

    # agreement on category / decision for rows labelled true and reported
    agree_cat = agree_dec = n_tr = 0
    dec_pairs = {}
    for r in rows:
        if r["requires_seal"] and r["_reported"]:
            n_tr += 1
            f = r["_hit"]
            agree_cat += f.get("category") == r["category"]
            agree_dec += f.get("decision") == r["expected_decision"]
            k = f"{r['expected_decision']} -> {f.get('decision')}"
            dec_pairs[k] = dec_pairs.get(k, 0) + 1

    new_true = sum(len(v) for v in by_file.values())
    outside = outside_frame(by_file, a.baseline, a.natl) if a.baseline else None

    out = {
        "findings": a.findings,
        "requires_seal_findings": new_true,
        "design": {"seed": design["seed"], "populations": pops,
                   "sampled": {h: len(v) for h, v in strata.items()}, "boot": a.boot,
                   "boot_seed": BOOT_SEED},
        "labelled_true": {"reported": k_rep, "unreported": k_unrep},
        "cells": cells,
        "precision": est["precision"], "precision_boot95": [p_lo, p_hi],
        "recall": est["recall"], "recall_boot95": [r_lo, r_hi],
        "TP": est["TP"], "FP": est["FP"], "FN": est["FN"],
        "baseline_share_reported_true": k_rep / len(rep), "wilson95": [w_lo, w_hi],
        "share_unreported_true": k_unrep / len(unrep),
        "wilson95_unreported": list(wilson(k_unrep, len(unrep))),
        "sensitivity_unsure_flipped": {"precision": est_flip["precision"], "precision_boot95": [fp_lo, fp_hi],
                                       "recall": est_flip["recall"], "recall_boot95": [fr_lo, fr_hi],
                                       "unsure_rows": sum(bool(r.get("unsure")) for r in rows)},
        "outside_frame": None if outside is None else len(outside),
        "outside_frame_examples": (outside or [])[:20],
        "true_and_reported": n_tr, "category_agreement": agree_cat, "decision_agreement": agree_dec,
        "decision_pairs_expected_to_tool": dict(sorted(dec_pairs.items(), key=lambda kv: -kv[1])),
    }
    if a.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0

    def f3(x):
        return f"{x:.3f}"

    print(f"findings: {a.findings}  (requires_seal true: {new_true})")
    print(f"design: seed {design['seed']}, populations {pops}, sampled {out['design']['sampled']}")
    print(f"labelled true: reported {k_rep}/{len(rep)}, unreported {k_unrep}/{len(unrep)}")
    print(f"cells: {cells}")
    print(f"estimated TP {est['TP']:.0f}  FP {est['FP']:.0f}  FN {est['FN']:.0f}")
    print(f"precision {f3(est['precision'])}  bootstrap 95% [{f3(p_lo)}, {f3(p_hi)}]"
          f"   (baseline reported-stratum share {f3(k_rep/len(rep))}, Wilson 95% [{f3(w_lo)}, {f3(w_hi)}])")
    print(f"recall    {f3(est['recall'])}  bootstrap 95% [{f3(r_lo)}, {f3(r_hi)}]")
    print(f"sensitivity (the {out['sensitivity_unsure_flipped']['unsure_rows']} unsure rows flipped): "
          f"precision {f3(est_flip['precision'])} [{f3(fp_lo)}, {f3(fp_hi)}], "
          f"recall {f3(est_flip['recall'])} [{f3(fr_lo)}, {f3(fr_hi)}]")
    if outside is not None:
        print(f"requires_seal findings outside the sampled frame (not estimated): {len(outside)}"
              + (f", e.g. {outside[:5]}" if outside else ""))
    print(f"labelled true and reported: {n_tr}; category agrees {agree_cat}, decision agrees {agree_dec}")
    print(f"decision pairs (expected -> tool): {out['decision_pairs_expected_to_tool']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
