"""Coverage-guided fuzzing of the loaders with atheris (libFuzzer), as a bounded run.

Run by hand for longer (crashes are written to the current folder)::

    python tests/test_fuzz_atheris.py -runs=200000

The harness feeds each input to :func:`reiki_scan.load.load_file` under every supported
suffix, then to ``structure.parse`` / ``structure.units``; anything but a documented
:class:`~reiki_scan.errors.LoadError` is a crash. The pytest test runs it in a separate
process (libFuzzer exits the process when done) for a few thousand inputs.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

SUFFIXES = (".txt", ".md", ".html", ".xml", ".docx", ".xlsx", ".pdf")


def _one_input(data: bytes) -> None:
    from reiki_scan import errors, structure
    from reiki_scan.load import load_file

    if not data:
        return
    suffix = SUFFIXES[data[0] % len(SUFFIXES)]
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"f{suffix}"
        p.write_bytes(data[1:])
        try:
            src = load_file(p, Path(d))
        except errors.LoadError as e:
            if not e.path or not e.message:
                raise AssertionError(f"an error without file or message: {e!r}") from e
            return
    doc = structure.parse(src)
    for u in structure.units(doc):
        if u.text != src.text[u.start:u.end]:
            raise AssertionError(f"unit {u.start}-{u.end} is not its slice of the text")


def main(argv: list[str]) -> None:
    import atheris

    with atheris.instrument_imports(include=["reiki_scan"]):
        # Every loader module now, not lazily at the first file, so that all are instrumented.
        import reiki_scan.load.docxfile  # noqa: F401
        import reiki_scan.load.htmlfile  # noqa: F401
        import reiki_scan.load.lawxml  # noqa: F401
        import reiki_scan.load.pdffile  # noqa: F401
        import reiki_scan.load.xlsxfile  # noqa: F401
        import reiki_scan.structure  # noqa: F401
    atheris.Setup(argv, _one_input)
    atheris.Fuzz()


def test_atheris_run_finds_no_crash(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for i, seed in enumerate([
        b"\x00" + "第1条　申請者は、申請書に記名押印しなければならない。\n2　前項の…\n".encode(),
        b"\x02<html><body><p>\xe7\xac\xac1\xe6\x9d\xa1</p></body></html>",
        b'\x03<?xml version="1.0"?><Law><LawBody><LawTitle>t</LawTitle></LawBody></Law>',
        b"\x04PK\x03\x04", b"\x06%PDF-1.4\n",
    ]):
        (seeds / f"seed{i}").write_bytes(seed)
    run = subprocess.run(
        [sys.executable, __file__, "-runs=3000", "-seed=1", "-max_len=2048", f"-artifact_prefix={tmp_path}/",
         str(seeds)],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Done 3000 runs" in run.stderr
    assert list(tmp_path.glob("crash-*")) == []


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main(sys.argv)
