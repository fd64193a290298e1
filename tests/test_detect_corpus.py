"""The real load -> structure -> detect path over every gold file of the shared corpus."""

from __future__ import annotations

import json

import pytest

from reiki_scan import load, structure
from reiki_scan.detect import Detector
from reiki_scan.evaluate import evaluate, gold_locator


@pytest.fixture(scope="module")
def gold_run(ginza, shared_corpus):
    raw = shared_corpus / "raw"
    rows = [json.loads(line) for line in (shared_corpus / "gold.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    detector = Detector()
    findings = []
    for file in sorted({r["file"] for r in rows}):
        doc = structure.parse(load.load_file(raw / file, raw))
        findings.extend(f.to_json() for f in detector.detect(doc, structure.units(doc)))
    return rows, findings


@pytest.mark.nlp
@pytest.mark.slow
def test_gold_scores(gold_run):
    rows, findings = gold_run
    report = evaluate(rows, findings)
    assert (report.gold_rows, report.gold_files) == (108, 24)
    # One miss by design since the third round of issue 17 (was (51, 0, 0), recall 1.0): the
    # shared gold labels the register's own procedure in 豊岡市's 印鑑条例施行規則 第2条第1項
    # (「登録の申請は…印鑑登録申請書に…記載して行わなければならない」) true, where LABELLING.md
    # (a seal register's own procedure and its form names are false) and the municipal labels
    # say false; the detector follows LABELLING.md and the label is not edited.
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (50, 0, 1)
    assert [(m.file.rsplit("/", 1)[-1], m.locator) for m in report.misses] == [
        ("toyooka_e764RG00000054_inkan_kisoku.txt", "第2条第1項")]
    assert round(report.overall.recall, 3) == 0.98 and report.overall.precision == 1.0
    assert report.strict_precision == 1.0
    # Was (1.0, 50, 5). One requirement, one finding, of its most specific seal (issue 17): two
    # sentences that were multi-category now have one category, which the shared gold does not
    # share: it labels 「登録してある印鑑を押印しなければならない」 (王寺町) and 「当該登記所に提出している
    # 印鑑を押印したもの」 (各種法人等登記規則) 押印, where LABELLING.md (実印: 「登録した印鑑」 of a
    # person; 印鑑提出: a 届出印), issue 17 and the municipal labels give 実印 and 印鑑提出. The labels
    # are not edited.
    assert (report.category_agreement, report.category_pairs, report.category_multi) == (0.96, 50, 3)
    # 86 of 90: the four misses are the 王寺町 excerpt, whose article headings were cut off
    # (its gold says 条番号不明 or was worked out from outside the excerpt).
    assert (round(report.locator_agreement, 3), report.locator_pairs) == (0.956, 90)
    assert {r.file.rsplit("/", 1)[-1] for r in report.locator_mismatches} == {"oji_k433RG00000056_inkan_kisoku.txt"}
    assert len(report.locator_mismatches) == 4
    assert report.locator_agreement >= 0.95
    assert (report.unlabelled, len(report.unlabelled_true)) == (12, 0)
    # Was 134: ten seal words were merged into the requirement they belong to (issue 17); 125 since a
    # certificate and a seal listed as two things to file are two findings again.
    # 115 since seal words of one sentence with one category and modality are one finding (fresh4 #5);
    # the gold's TP/FP/FN are unchanged.
    assert len(findings) == 115
    # Floors of the task, kept explicit beside the exact figures.
    assert report.overall.recall >= 0.98 and report.overall.precision >= 0.95 and report.category_agreement >= 0.95


@pytest.mark.nlp
@pytest.mark.slow
def test_no_trap_word_is_reported_as_requirement(gold_run):
    rows, findings = gold_run
    traps = [r for r in rows if r["category"] == "非該当・その他"]
    assert len(traps) == 24
    true_texts = {(f["file"], f["text"]) for f in findings if f["requires_seal"]}
    for r in traps:
        assert not any(file == r["file"] and (r["text"] in text or text in r["text"]) for file, text in true_texts), r
    assert not any(f["pattern"].startswith("trap.") for f in findings)


@pytest.mark.nlp
@pytest.mark.slow
def test_findings_point_into_the_source(gold_run, shared_corpus):
    _, findings = gold_run
    raw = shared_corpus / "raw"
    texts = {}
    for f in findings:
        if f["file"] not in texts:
            texts[f["file"]] = load.load_file(raw / f["file"], raw).text
        assert texts[f["file"]][f["start"]:f["end"]] == f["match"]
        assert f["match"] in f["text"]


@pytest.mark.nlp
@pytest.mark.slow
def test_kaisha_ho_findings(gold_run):
    _, findings = gold_run
    kaisha = [f for f in findings if f["file"].endswith("417AC0000000086_20170401_428AC0000000062.xml")]
    by = {}
    for f in kaisha:
        by.setdefault((f["category"], f["modality"]), 0)
        by[(f["category"], f["modality"])] += 1
    assert by == {("署名又は記名押印", "義務"): 15, ("署名又は記名押印", "免除"): 12}
    first = next(f for f in kaisha if f["locator"] == gold_locator("第二十六条第一項"))
    assert (first["match"], first["actor"], first["requires_seal"]) == ("署名し、又は記名押印", "全員", True)
