"""What a fresh user found in the outputs and the review cycle (the second fresh user's notes):
messages, the ledger's グループ sheet, 見え消し, department ledgers and redrawn forms."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from reiki_scan import errors
from reiki_scan.load import load_file


def _docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- E103: a Word file renamed .txt ----------------------------------------------------------------

def test_regression_a_word_file_renamed_txt_is_named_as_a_word_file(tmp_path):
    (tmp_path / "jorei.txt").write_bytes(_docx_bytes("○テスト市規則", "第1条　申請書に押印する。"))
    with pytest.raises(errors.FormatMismatchError) as caught:
        load_file(tmp_path / "jorei.txt", tmp_path)
    assert str(caught.value) == (
        "[E103] jorei.txt: 拡張子は .txt ですが中身はテキストではなく、Word・Excel（.docx/.xlsx）など zip 形式の"
        "ファイルのようです。元の拡張子（.docx/.xlsx）に戻すか、Word・Excel で開いてテキストとして保存し直してください"
    )


def test_regression_a_text_with_nul_runs_is_called_a_binary_file(tmp_path):
    (tmp_path / "image.txt").write_bytes(b"abc" + b"\0" * 64 + b"def")
    with pytest.raises(errors.FormatMismatchError) as caught:
        load_file(tmp_path / "image.txt", tmp_path)
    assert str(caught.value) == (
        "[E103] image.txt: 拡張子は .txt ですが中身はテキストではなく、NUL バイトを含むバイナリのファイルです。"
        "別の種類のファイルか壊れたファイルです。元のファイルを確認し、テキストとして保存し直してください"
    )


# --- 実行情報 and --help: no English left for the reviewer ----------------------------------------

def test_regression_run_information_writes_yes_no_not_true_false():
    from reiki_scan.draft.ledger import run_figures

    assert run_figures({"diff": {"previous_run": None, "baseline": True}}) == [
        ("比べた前回の実行番号", None), ("初回の実行", "はい")]
    assert run_figures({"diff": {"baseline": False}}) == [("初回の実行", "いいえ")]


@pytest.mark.parametrize("command", [[], ["run"], ["scan"], ["draft"], ["check"], ["parse"], ["explain"], ["eval"]])
def test_regression_help_says_its_own_help_option_in_japanese(command):
    from typer.testing import CliRunner

    from reiki_scan.cli import app

    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Show this message" not in result.output
    assert "この説明を表示して終了 (show this message and exit)" in result.output
