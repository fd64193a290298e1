"""The pattern data itself: schema, examples, counter-examples, error messages."""

from __future__ import annotations

import shutil

import pytest

from reiki_scan import load, structure
from reiki_scan.detect import Detector, load_cues, load_patterns
from reiki_scan.detect.patterns import SIDE_ROLES
from reiki_scan.errors import PatternDataError
from reiki_scan.models import CATEGORIES
from reiki_scan.textnorm import norm

PATTERNS = load_patterns()
CUES = load_cues()
DETECTOR = Detector(PATTERNS)


def _cases(kind: str):
    for p in PATTERNS:
        if p.role == "category":
            # Its examples are sentences read through the parse: see test_every_category_rule_example.
            continue
        for ex in getattr(p, kind):
            yield pytest.param(p, ex, id=f"{p.id}:{ex}")


def _categories(tmp_path, sentence: str) -> list[tuple[str, tuple[str, ...]]]:
    """(category, evidence) of each requiring finding of ``sentence`` as 第1条 of a 規則."""
    path = tmp_path / "reiki.txt"
    path.write_text(f"○さくら台市テスト規則\n第1条　{sentence}\n", encoding="utf-8")
    doc = structure.parse(load.load_file(path, tmp_path))
    return [(f.category, f.evidence) for f in DETECTOR.detect(doc, structure.units(doc)) if f.requires_seal]


@pytest.mark.nlp
@pytest.mark.parametrize("rule", [p for p in PATTERNS if p.role == "category"], ids=lambda p: p.id)
def test_every_category_rule_example(rule, tmp_path, ginza):
    # A category rule reads the seal a requirement names in the parse: each example sentence has a
    # requiring finding the rule gives its category; no finding of a counter-example is the rule's.
    for sentence in rule.examples:
        found = _categories(tmp_path, sentence)
        assert any(c == rule.category and rule.id in e for c, e in found), (sentence, found)
    for sentence in rule.counter_examples:
        assert not any(rule.id in e for _, e in _categories(tmp_path, sentence)), sentence


def test_bundled_data_counts():
    # 58 before: 記名、押印 (two), 認印, 署名 offered with 記名押印 as its substitute, and five category
    # rules on a requirement's seal phrase (issue 17, categories); seal.in_matawa_shomei.v1 (issue 17,
    # third batch); category.kimei_heiki.v1 (a seal listed with the name).
    assert len(PATTERNS) == 73  # seal.shimei_kaki_ouin_matawa_shomei.v1 (fresh user, fx2); category.yoto_in.v1 (issue 17, fourth batch: 出勤印を押印); seal.han.v1, seal.inkan_heiki_teiji.v1 (det: 判・はんこ, 印鑑及び登録証の提示)
    assert len(CUES) == 97  # read_as_quote (reviewer: 「A」とあるのは、「B」), certificate_issue (fresh user: 印鑑登録証明書の交付を受けようとする者); anaphor, clause_link, validity, mark.payment, measure, lead_means, apply_before, lifted (national audit, part 3: これを…交付, 添付すべき印鑑は…以内のもの, 納付印, 押印を得る措置, …方法は、次に掲げるものとする); inventory.numbered, inventory.separated, bring_line, own_must.causative, read_as (issue 17, fifth batch: 「2.届出人の印鑑」, 「持ち物：印鑑・通帳」, 「印鑑（認印）をお持ちください」, 「印鑑を提出させ」, 「…」とあるのは「押印し、…」と読み替え); inventory, manner (issue 17, fourth batch: 「…証明書、印鑑」); need.yo_cell (a table cell 「要（記名押印）」); register_abolish, means_clause.okonau, operative_exempt.kezuru (fresh user, fx2); attempt, office_mark, borne, excepted (office stamps, documents bearing a seal, seals left out); must.keep (issue 17, third batch: 省略できません); lead_act, lead_names, except_root, same_as, file_seal, lead_services, mark.passed (issue 17, third round); 12 cues of guidance asking in plain words; denied, lacking, affix, define_object, examine (negation, register and definition kinds)
    assert sum(p.is_trap for p in PATTERNS) == 8
    assert {p.category for p in PATTERNS} == set(CATEGORIES) | {"trap"}


@pytest.mark.parametrize("pattern,example", list(_cases("examples")))
def test_every_example_is_found_by_its_pattern(pattern, example):
    text = norm(example)
    assert pattern.regex.search(text), f"{pattern.id} does not match {example!r}"
    if pattern.role not in SIDE_ROLES:
        # It must also survive overlap resolution against every other pattern (context rules,
        # provisos and category rules are not searched with the seal patterns).
        assert pattern.id in [h.pattern.id for h in DETECTOR.hits(text)]


@pytest.mark.parametrize("pattern,example", list(_cases("counter_examples")))
def test_every_counter_example(pattern, example):
    text = norm(example)
    if pattern.is_trap:
        assert DETECTOR.seal_hits(text) == [], f"{example!r} is reported despite trap {pattern.id}"
    else:
        assert not pattern.regex.search(text)


@pytest.mark.parametrize("cue", CUES, ids=lambda c: c.id)
def test_every_cue_example(cue):
    for ex in cue.examples:
        assert cue.regex.search(norm(ex)), (cue.id, ex)
    for ex in cue.counter_examples:
        assert not cue.regex.search(norm(ex)), (cue.id, ex)


def test_longest_match_wins():
    hits = DETECTOR.seal_hits(norm("申請者は、申請書に記名押印しなければならない。"))
    assert [(h.pattern.id, h.start, h.end) for h in hits] == [("seal.kimei_ouin.v1", 9, 13)]


@pytest.mark.parametrize("text", [
    "印刷費", "流水方向を示す矢印", "該当するものに○印を付けること", "仏領印度支那", "印旛沼",
    "被疑者の指紋を押なつし", "郵便物の通信日付印により表示された日", "収入印紙を貼ること",
    "検定証印", "印鑑登録証を交付する", "封印", "消印", "調印", "刻印", "印象", "印西市",
])
def test_trap_words_are_never_seal_hits(text):
    assert DETECTOR.seal_hits(norm(text)) == []


def _copy(repo_root, tmp_path):
    d = tmp_path / "patterns"
    d.mkdir()
    for name in ("schema.json", "seal.yaml", "modality.yaml"):
        shutil.copy(repo_root / "patterns" / name, d / name)
    return d


def test_bad_entry_names_file_and_entry(repo_root, tmp_path):
    d = _copy(repo_root, tmp_path)
    text = (d / "seal.yaml").read_text(encoding="utf-8")
    (d / "seal.yaml").write_text(text.replace("category: 記名押印\n", "category: 押印らしきもの\n", 1), encoding="utf-8")
    with pytest.raises(PatternDataError) as e:
        load_patterns(d)
    assert e.value.code == "E202"
    assert e.value.path.endswith("seal.yaml")
    assert "seal.kimei_ouin.v1" in str(e.value)


def test_bad_regex_names_entry(repo_root, tmp_path):
    d = _copy(repo_root, tmp_path)
    text = (d / "seal.yaml").read_text(encoding="utf-8")
    (d / "seal.yaml").write_text(text.replace("pattern: '実印'", "pattern: '実印('", 1), encoding="utf-8")
    with pytest.raises(PatternDataError, match=r"entry seal.jitsuin.v1: 正規表現が不正です"):
        load_patterns(d)


def test_duplicate_id_is_rejected(repo_root, tmp_path):
    d = _copy(repo_root, tmp_path)
    shutil.copy(d / "modality.yaml", d / "modality2.yaml")
    with pytest.raises(PatternDataError, match="cue.must.nakereba.v1: id が modality.yaml と重複"):
        load_cues(d)


def test_unreadable_yaml(repo_root, tmp_path):
    d = _copy(repo_root, tmp_path)
    (d / "seal.yaml").write_text("patterns: [\n", encoding="utf-8")
    with pytest.raises(PatternDataError, match="YAML として読めません"):
        load_patterns(d)


def test_other_stages_yaml_is_left_alone(repo_root, tmp_path):
    d = _copy(repo_root, tmp_path)
    (d / "rewrites.yaml").write_text("version: 1\nrules: []\n", encoding="utf-8")
    assert [p.id for p in load_patterns(d)] == [p.id for p in PATTERNS]
