"""Issue 20, part 3: national basis checked against the national text. A city clause or form is
存続 (国等根拠) only when the cited law's article itself requires the seal on that document, read
offline in the archive named by ``national_archive`` in ``reiki-scan.toml``; otherwise it is judged as
the city's own, and the finding records the national provision relied on or that none was found.

The archive is the real one of the shared corpus: the Markdown archive (two laws taken from
``../shared/corpus/national_laws_md.tar.xz`` with their paths) and the e-Gov XML files of
``../shared/corpus/raw/egov_xml_original``."""

from __future__ import annotations

import os
import tarfile
from pathlib import Path

import pytest

from reiki_scan import load, structure
from reiki_scan.classify import Policy, classify
from reiki_scan.config import RunConfig, load_config
from reiki_scan.errors import ConfigError, NationalArchiveError
from reiki_scan.load.national import open_archive

DATA = Path(__file__).resolve().parent / "data" / "national_basis"
LAWS = ("markdown/acts/322AC0000000067.md",   # 地方自治法
        "markdown/acts/358AC1000000043.md")   # 浄化槽法
JICHI_234_5 = "地方自治法（昭和二十二年法律第六十七号）第二百三十四条第五項"
JOHKASO_5_1 = "浄化槽法（昭和五十八年法律第四十三号）第五条第一項"


@pytest.fixture(scope="module")
def natl(shared_corpus, tmp_path_factory) -> Path:
    """A Markdown archive folder holding 地方自治法 and 浄化槽法 as the shared archive has them."""
    root = tmp_path_factory.mktemp("natl")
    with tarfile.open(shared_corpus / "national_laws_md.tar.xz", "r:xz") as tf:
        wanted = set(LAWS)
        for member in tf:
            if member.name in wanted:
                tf.extract(member, root, filter="data")
                wanted.discard(member.name)
                if not wanted:
                    break
    return root


def test_markdown_archive_reads_a_law_by_title_and_an_article(natl):
    archive = open_archive(natl)
    law = archive.law("地方自治法")
    assert (law.title, law.number, law.kind) == ("地方自治法", "昭和二十二年法律第六十七号", "md")
    article = archive.article(law, 234)
    assert article.splitlines()[0] == "売買、貸借、請負その他の契約は、一般競争入札、指名競争入札、随意契約又はせり売りの方法により締結するものとする。"
    assert "契約書に記名押印し" in article
    assert archive.article(law, 234, (2,)).startswith("普通地方公共団体が工事若しくは製造その他についての請負契約")
    assert archive.article(law, 9999) == ""


def test_egov_xml_archive_reads_a_paragraph(shared_corpus):
    archive = open_archive(shared_corpus / "raw" / "egov_xml_original")
    kaisha = archive.law("会社法")
    assert (kaisha.number, kaisha.kind) == ("平成十七年法律第八十六号", "xml")
    paragraph = archive.article(kaisha, 122, (), 2)
    assert "前項の書面には、株式会社の代表取締役" in paragraph and "署名し、又は記名押印しなければならない" in paragraph


def test_archive_that_is_not_a_folder_is_refused(tmp_path):
    with pytest.raises(NationalArchiveError, match="national_archive"):
        open_archive(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(NationalArchiveError, match="法令ファイル"):
        open_archive(tmp_path / "empty")


def test_national_archive_in_the_toml_is_relative_to_it(tmp_path, natl):
    corpus = tmp_path / "city"
    corpus.mkdir()
    relative = Path(os.path.relpath(natl, corpus)).as_posix()
    (corpus / "reiki-scan.toml").write_text(f'national_archive = "{relative}"\n', encoding="utf-8")
    assert load_config(corpus).national_archive == str(natl.resolve())
    (corpus / "reiki-scan.toml").write_text('national_archive = "../nowhere"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="national_archive のフォルダがありません"):
        load_config(corpus)


@pytest.mark.nlp
def test_a_city_form_is_kept_only_when_the_cited_law_requires_its_seal(ginza, natl):
    from reiki_scan.detect import Detector

    doc = structure.parse(load.load_file(DATA / "johkaso_kisoku.txt", DATA))
    found = Detector().detect(doc, structure.units(doc))

    def decided(config: RunConfig) -> list[tuple]:
        return [(f.locator, f.category, f.decision, f.rule.split(".")[2], f.national_basis)
                for f in classify(found, {doc.path: doc}, Policy.load("default"), config)]

    # Without an archive, a cited 「法第5条」 is taken at its word.
    assert decided(RunConfig()) == [
        ("第2条", "記名押印", "存続", "national_basis", "「法第5条第1項の規定による」"),
        ("第3条", "記名押印", "存続", "national_basis", "「法(昭和22年法律第67号)第234条第5項の規定により」"),
        ("様式第1号", "様式印欄", "存続", "national_basis", "「法第5条第1項の規定により」（条項）"),
        # decided by another rule: no national basis relied on (it was recorded before the fix of
        # test_regression_national_basis_is_recorded_only_when_a_rule_relies_on_it)
        ("様式第2号", "記名押印", "対象外", "not_required", ""),
        ("様式第2号", "様式印欄", "存続", "national_basis", "「法第234条第5項の規定により」（条項）"),
    ]
    # With it: 浄化槽法第5条 prescribes a notification and no seal, so the city's 届出書 and its
    # form are the city's own (記名に改める, 廃止); 地方自治法第234条第5項 requires the parties'
    # 記名押印 on a contract, so the contract clause and the contract form stay, naming it.
    assert decided(RunConfig(national_archive=str(natl))) == [
        ("第2条", "記名押印", "記名に改める", "kimei_ouin", f"なし（{JOHKASO_5_1}に「届出書」への押印の定めなし）"),
        ("第3条", "記名押印", "存続", "national_basis", JICHI_234_5),
        ("様式第1号", "様式印欄", "廃止", "abolish", f"なし（{JOHKASO_5_1}に「浄化槽設置届出書」への押印の定めなし）"),
        ("様式第2号", "記名押印", "対象外", "not_required", ""),
        ("様式第2号", "様式印欄", "存続", "national_basis", JICHI_234_5),
    ]
    box = classify(found, {doc.path: doc}, Policy.load("default"), RunConfig(national_archive=str(natl)))[2]
    assert ("policy.default.national_basis.v2", False,
            f"条件「国・県・他機関の求め」・「国等根拠」なし（なし（{JOHKASO_5_1}に「浄化槽設置届出書」への押印の定めなし））"
            ) in box.policy_trace
