"""Command line: ``reiki-scan run | scan | draft | check | parse | explain | eval`` (CONTRACT.md).

Exit codes: 0 success; 1 the run completed but some inputs could not be read (they are
listed); 2 usage or configuration error. Heavy imports stay inside the commands so that
``--help`` is instant.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer
from rich.markup import escape

from .errors import InputPathError, OutputPathError, ReikiScanError

if TYPE_CHECKING:
    from rich.progress import TaskID

_HELP_HELP = "この説明を表示して終了 (show this message and exit)"


class _JapaneseHelp:
    """Click writes its ``--help`` option's own line in English (「Show this message and exit.」);
    every other line of a command's help is Japanese first, so this one is too (CONTRACT.md:
    ``--help`` in Japanese and English terms)."""

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _HELP_HELP
        return option


class _Group(_JapaneseHelp, typer.core.TyperGroup):
    pass


class _Command(_JapaneseHelp, typer.core.TyperCommand):
    pass


app = typer.Typer(
    cls=_Group,
    add_completion=False,
    no_args_is_help=True,
    help=(
        "reiki-scan: 例規・様式の押印見直し (seal-requirement review of municipal regulations and forms).\n\n"
        "例規集と様式を読み、押印・記名押印・印鑑・様式の「印」欄を見つけ、方針に従って提案を付け、"
        "特例規則案・整理規則案・新旧対照表・押印見直し台帳を作ります。"
    ),
)

DEFAULT_OUT = Path("reiki-scan-out")


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"reiki-scan {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="版を表示して終了 (print the version and exit)"),
) -> None:
    """reiki-scan: 例規・様式の押印見直し (seal-requirement review of municipal regulations and forms)."""


def _next(console, what: str, command: str) -> None:
    """The last line of every command: which file to edit (or what to do) next and the command to run
    after it."""
    console.print(f"次に (next): {what}、{command} を実行してください", soft_wrap=True)


def _q(path: Path) -> str:
    """``path`` as typed on a command line (quoted when it holds a space)."""
    text = str(path)
    return f'"{text}"' if " " in text else text


def _console():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def _fail(message: str, code: int = 2) -> NoReturn:
    # A message quotes what the user wrote (「[departments]」 of a reiki-scan.toml): text, not markup.
    _console().print(f"[red]エラー (error):[/red] {escape(message)}")
    raise typer.Exit(code)


def _config(corpus: Path | None, **overrides):
    from .config import load_config
    from .errors import ConfigError

    from .errors import PatternDataError

    try:
        config = load_config(corpus, **overrides)
        if config.rewrites:
            from .draft.rewrites import rules_for

            # The city's own rules are checked before the scan, not after it when the drafts are made.
            rules_for(config.rewrites)
    except (ConfigError, PatternDataError) as e:
        _fail(str(e))
    return config


def _resolve_corpus(corpus: Path | None) -> Path:
    from .data import sample_corpus

    if corpus is None:
        return sample_corpus()
    if not corpus.exists():
        _fail_path(InputPathError, corpus, "例規のフォルダがありません。フォルダの名前と場所（今いるフォルダからのパス）を"
                   "確かめて指定し直してください (no such folder)")
    if not corpus.is_dir():
        _fail_path(InputPathError, corpus, "フォルダを指定してください。1ファイルの構造は reiki-scan parse FILE で見られます "
                   "(CORPUS must be a folder)")
    if not any(p.is_file() and not p.name.startswith(".") for p in corpus.rglob("*")):
        _fail_path(InputPathError, corpus, "例規・様式のファイルがありません。フォルダを確かめてください (CORPUS holds no file)")
    return corpus


def _fail_path(error: type[ReikiScanError], path: Path, message: str) -> NoReturn:
    """Exit 2 with ``error``'s code, naming ``path`` (a usage error: the contract's exit code)."""
    _fail(str(error(message, path=str(path))))


class _Progress:
    """What a command is doing, as it goes. On a terminal: a rich progress bar per stage, and from the
    start a line that moves while the workers load the language model (GiNZA takes seconds) until
    the first files come back. Piped or redirected: nothing while it runs, then one line with how
    far each stage went and the time taken (a log keeps no bars). ``starting``: show that first line
    (not for ``draft``, which loads no model)."""

    _LABELS = {"model": "準備中: 言語モデル (GiNZA) の読込 (loading the language model)",
               "load": "読込 (load)", "detect": "検出 (detect)", "nlp": "構文解析 (parse)",
               "draft": "起案・台帳の作成 (writing drafts and the ledger)"}
    _SHORT = {"load": "読込", "detect": "検出", "nlp": "構文解析", "draft": "起案・台帳"}

    def __init__(self, console, *, starting: bool = True) -> None:
        import time

        self.console = console
        self.started = time.perf_counter()
        self.starting = starting
        self.reached: dict[str, tuple[int, int]] = {}
        self.tasks: dict[str, TaskID] = {}
        self.progress = None
        if console.is_terminal:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                                       TimeElapsedColumn)

            self.progress = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), console=console, transient=True,
            )

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.reached[stage] = (done, total)
        if self.progress is None:
            return
        if "model" in self.tasks and stage != "model" and done > 0:
            # The first results are back: the workers have their model.
            self.progress.remove_task(self.tasks.pop("model"))
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(self._LABELS.get(stage, stage), total=total)
        self.progress.update(self.tasks[stage], completed=done, total=total)

    def __enter__(self):
        if self.progress is not None:
            self.progress.__enter__()
            if self.starting:
                self.tasks["model"] = self.progress.add_task(self._LABELS["model"], total=None)
        return self

    def __exit__(self, *exc):
        import time

        if self.progress is not None:
            return self.progress.__exit__(*exc)
        if exc[0] is None:
            stages = "、".join(f"{self._SHORT.get(k, k)} {d}/{t}" for k, (d, t) in self.reached.items())
            self.console.print(f"経過 (progress): {stages + '、' if stages else ''}"
                               f"{time.perf_counter() - self.started:.1f} 秒", soft_wrap=True)
        return None


def _report(console, result, report, files_read: int, out: Path) -> int:
    for s in result.skipped:
        console.print(f"[yellow]読めないファイル (skipped):[/yellow] {escape(s.message)}")
    for p in report.problems:
        console.print(f"[red]起案の自己点検 (draft check):[/red] {escape(p)}")
    for n in report.notes:
        console.print(f"[cyan]注意 (note):[/cyan] {escape(n)}")
    req = sum(1 for f in result.findings if f.requires_seal)
    console.print(
        f"読込 {files_read} ファイル、スキップ {len(result.skipped)}、所見 {len(result.findings)} 件"
        f"（押印等の要求 {req} 件） -> {out}"
    )
    console.print("出力 (written): " + ", ".join(report.files))
    if report.drafts_omitted:
        console.print(f"[red]改め文を自動で作れなかった例規 (drafts left to the drafter): {len(report.drafts_omitted)} 件[/red] "
                      + "、".join(report.drafts_omitted) + "。要手作業一覧.docx に載せたので、手作業で起案してください")
    return 1 if result.skipped or report.drafts_omitted else 0


_DIFF_LISTED = 20


def _report_diff(console, diff, workspace_lost: bool = False) -> None:
    from .review.lineage import DIFF_LABELS

    c = diff.counts()
    if diff.baseline and workspace_lost:
        console.print(f"[yellow]作業用データベースがないため最初の実行として記録 (workspace missing, recorded as a first "
                      f"run):[/yellow] 所見 {c['new']} 件。前回からの変更点は出せません")
        return
    if diff.baseline:
        console.print(f"初回の実行 (first run): 所見 {c['new']} 件を記録しました")
        return
    console.print(
        f"前回 (run {diff.previous_run}) からの変更 (changes): 新規 {c['new']}、削除 {c['removed']}、"
        f"変更 {c['changed']}、移動 {c['moved']}、再審査 {c['rereview']}")
    for kind in ("new", "changed", "removed", "moved"):
        entries = diff.of(kind)
        for ch in entries[:_DIFF_LISTED]:
            f = ch.current or ch.previous
            was = f" (旧 {ch.previous.file} {ch.previous.locator})" if ch.current and ch.previous else ""
            console.print(f"  {DIFF_LABELS[kind]} ({kind}) {f.id} {f.file} {f.locator}{was} [{f.category}] {f.match}")
        if len(entries) > _DIFF_LISTED:
            console.print(f"  … ほか {len(entries) - _DIFF_LISTED} 件は summary.json と台帳の「変更点」シートに")


def _check_out(corpus: Path, out: Path) -> None:
    """Refuse an OUT the run cannot use, before any work: a file, an uncreatable folder,
    the corpus folder itself (the outputs would be read back as regulations), or a folder
    inside the corpus that already holds the corpus' own files and is not an earlier OUT
    (the loader skips an OUT inside CORPUS, so those regulations would go unread without a word).
    Raises :class:`SystemExit` (code 2) after printing E407."""
    if out.exists() and not out.is_dir():
        _fail_path(OutputPathError, out, "出力先がファイルです。フォルダを指定してください (OUT must be a folder)")
    if out.resolve() == corpus.resolve():
        _fail_path(OutputPathError, out, "出力フォルダを例規のフォルダと同じにはできません。別のフォルダを指定してください "
                   "(OUT must not be the corpus folder)")
    if out.is_dir() and out.resolve().is_relative_to(corpus.resolve()):
        from .load import list_corpus

        files = list_corpus(out).files
        if (out / ".reiki-scan").is_dir():
            # An earlier OUT holds the tool's own .docx/.xlsx; a text, web page, law XML or PDF there
            # is the city's (the run that made it already skipped them).
            files = [f for f in files if Path(str(f)).suffix.lower() not in (".docx", ".xlsx")]
        held = len(files)
        if held:
            _fail_path(OutputPathError, out, f"出力フォルダが例規のフォルダの中にあり、読み込む対象のファイル {held} 件を"
                       "含んでいます（出力フォルダの中は読み込まないため、これらの例規・様式が読まれません）。"
                       "例規のフォルダの外か、空のフォルダを --out に指定してください "
                       "(OUT inside CORPUS holds corpus files)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        _fail_path(OutputPathError, out, f"出力フォルダを作れません ({e.strerror})。書き込めるフォルダを指定してください "
                   "(cannot create OUT)")


def _scan_and_write(corpus: Path | None, out: Path, drafts: bool, workers: int, wait: bool = False,
                    full: bool = False, **overrides) -> int:
    from . import pipeline
    from .config import RunConfig

    corpus = _resolve_corpus(corpus)
    _check_out(corpus, out)
    config = _config(corpus, **overrides)
    console = _console()
    try:
        with _Progress(console) as progress:
            outcome = pipeline.run(corpus, out, config, drafts=drafts, workers=workers, progress=progress,
                                   wait=wait, full=full)
    except ReikiScanError as e:
        _fail(str(e))
    if drafts and outcome.result.config.municipality == RunConfig.municipality:
        console.print("[cyan]注意 (note):[/cyan] 自治体名が未設定で題名からも読めないため、起案には「○○市」と書きました。"
                      "reiki-scan.toml の municipality か --municipality で指定してください")
    elif config.municipality != outcome.result.config.municipality:
        console.print(f"[cyan]注意 (note):[/cyan] 自治体名を題名から「{outcome.result.config.municipality}」と読みました。"
                      "違う場合は reiki-scan.toml の municipality か --municipality で指定してください")
    _report_diff(console, outcome.diff, outcome.workspace_lost)
    code = _report(console, outcome.result, outcome.report, outcome.files_read, out)
    _next(console, f"{_q(out / 'ledger.xlsx')} の審査結果を記入し",
          f"reiki-scan draft {_q(out)}")
    return code


_CORPUS_HELP = "例規・様式のフォルダ (folder of regulations and forms); 省略時は同梱の corpus_samples/"
_OUT_HELP = "出力フォルダ (output folder)"
_POLICY_HELP = "方針: default, strict, staged またはYAMLのパス (policy name or YAML path)"
_WORKERS_HELP = "構文解析の並列プロセス数 (parser worker processes)"
_WAIT_HELP = "同じ出力フォルダで実行中の reiki-scan の終了を待つ (wait for another run on OUT instead of refusing)"
_FULL_HELP = "作業用データベースの結果を使わず全件を走査する (scan everything again, ignoring cached results)"


@app.command(cls=_Command)
def run(
    corpus: Path | None = typer.Argument(None, help=_CORPUS_HELP),
    out: Path = typer.Option(DEFAULT_OUT, "--out", "-o", help=_OUT_HELP),
    policy: str | None = typer.Option(None, help=_POLICY_HELP),
    municipality: str | None = typer.Option(None, help="自治体名 (municipality name)"),
    numbering: str | None = typer.Option(None, help="条番号の表記: arabic (第5条) / kanji (第五条)"),
    column_order: str | None = typer.Option(None, help="新旧対照表の列順: new_old (改正後|改正前) / old_new"),
    effective_date: str | None = typer.Option(None, help="施行期日 YYYY-MM-DD (date of effect)"),
    workers: int = typer.Option(2, min=1, help=_WORKERS_HELP),
    wait: bool = typer.Option(False, "--wait", help=_WAIT_HELP),
    full: bool = typer.Option(False, "--full", help=_FULL_HELP),
) -> None:
    """走査・分類・グループ化とすべての起案 (the main job: scan, classify, group and draft everything)."""
    code = _scan_and_write(corpus, out, True, workers, wait, full, policy=policy, municipality=municipality,
                           numbering=numbering, column_order=column_order, effective_date=effective_date)
    raise typer.Exit(code)


@app.command(cls=_Command)
def scan(
    corpus: Path = typer.Argument(..., help=_CORPUS_HELP),
    out: Path = typer.Option(DEFAULT_OUT, "--out", "-o", help=_OUT_HELP),
    policy: str | None = typer.Option(None, help=_POLICY_HELP),
    workers: int = typer.Option(2, min=1, help=_WORKERS_HELP),
    wait: bool = typer.Option(False, "--wait", help=_WAIT_HELP),
    full: bool = typer.Option(False, "--full", help=_FULL_HELP),
) -> None:
    """所見・台帳・集計のみ、起案なし (findings, ledger and summary only; no drafts)."""
    raise typer.Exit(_scan_and_write(corpus, out, False, workers, wait, full, policy=policy))


@app.command(cls=_Command)
def draft(
    out: Path = typer.Argument(DEFAULT_OUT, help=_OUT_HELP),
    wait: bool = typer.Option(False, "--wait", help=_WAIT_HELP),
) -> None:
    """審査結果を反映して起案を作り直す (rewrite the drafts from the findings and reviewer decisions in OUT)."""
    from . import pipeline

    console = _console()
    try:
        with _Progress(console, starting=False) as progress:
            result, report, files_read = pipeline.redraft(out, wait=wait, progress=progress)
    except ReikiScanError as e:
        _fail(str(e))
    code = _report(console, result, report, files_read, out)
    _next(console, f"{_q(out / 'ledger.xlsx')} の審査結果と {_q(out / '見え消し')} の起案を確かめて直し",
          f"reiki-scan draft {_q(out)}")
    raise typer.Exit(code)


_CHECK_HEADER = "\t".join(("ID", "ファイル", "箇所", "区分", "提案", "条文"))


@app.command(cls=_Command)
def check(
    corpus: Path = typer.Argument(..., help="例規・様式のフォルダ (folder of regulations and forms)"),
    against: Path = typer.Option(..., "--against", help="前回の実行結果の出力フォルダ (OUT of the last run)"),
    workers: int = typer.Option(2, min=1, help=_WORKERS_HELP),
) -> None:
    """例規の更新後の点検: 審査されていない新しい押印要求か、前回の実行では読めた（又は新しい・変更された）ファイルで
    読めないものがあれば一覧を表示して終了コード1。前回から読めないままのファイルは表示するだけで0
    (after an update: exit 1 and list new seal requirements no decision covers, or files unreadable now that OUT's
    last run read or that are new or changed; a file unreadable as it was at the last run is listed, exit 0;
    OUT is not modified)."""
    from . import pipeline

    corpus = _resolve_corpus(corpus)
    console = _console()
    try:
        with _Progress(console) as progress:
            outcome = pipeline.check(corpus, against, workers=workers, progress=progress)
    except ReikiScanError as e:
        _fail(str(e))
    fresh = {s.path for s in outcome.new_skipped}
    for s in outcome.result.skipped:
        known = "" if s.path in fresh else "（前回の実行から読めないまま: known since the last run）"
        console.print(f"[yellow]読めないファイル (skipped):[/yellow] {escape(s.message)}{known}")
    _report_diff(console, outcome.diff)
    if not outcome.uncovered:
        console.print(f"審査されていない新しい押印要求はありません (no new seal requirement): {outcome.files_read} ファイル")
        _next(console, "例規を更新したら",
              f"reiki-scan check {_q(corpus)} --against {_q(against)}")
        raise typer.Exit(outcome.exit_code)
    console.print(f"[red]審査されていない新しい押印要求 (new seal requirements without a decision): "
                  f"{len(outcome.uncovered)} 件[/red]")
    # Tab-separated on stdout for a script or a spreadsheet, under a header line that names the columns.
    typer.echo(_CHECK_HEADER)
    for f in outcome.uncovered:
        typer.echo(f"{f.id}\t{f.file}\t{f.locator}\t{f.category}\t{f.decision}\t{f.text}")
    _next(console, "新しい押印要求を台帳に載せるため",
          f"reiki-scan run {_q(corpus)} --out {_q(against)}")
    raise typer.Exit(1)


@app.command(cls=_Command)
def parse(
    file: Path = typer.Argument(..., help="例規または様式のファイル (a regulation or form file)"),
    as_json: bool = typer.Option(False, "--json", help="JSONで出力 (print JSON)"),
) -> None:
    """ファイルの構造（条・項・号・附則・別表・様式）を表示 (print a file's structure tree)."""
    from .config import CONFIG_NAME
    from .scan import load_limits, read_document

    if not file.is_file():
        if file.is_dir():
            _fail_path(InputPathError, file, "フォルダです。例規または様式のファイルを1つ指定してください (FILE is a folder)")
        _fail_path(InputPathError, file, "ファイルがありません。ファイルの名前と場所を確かめて指定し直してください (no such file)")
    whole = file.resolve()
    # The limits the scan of the file's corpus reads it with (max_file_mb, max_unzipped_mb …): those
    # of the nearest reiki-scan.toml above it, so that parse refuses what the scan refuses and reads
    # what it reads.
    corpus = next((d for d in whole.parents if (d / CONFIG_NAME).is_file()), None)
    config = _config(corpus)
    try:
        # Read from the top of the file system, as the scan reads it from the top of its corpus: the
        # folders (a national archive's acts/, misc/) tell the kind of what they hold.
        doc = read_document(whole, Path(whole.anchor), load_limits(config))
    except ReikiScanError as e:
        _console().print(f"[red]読めません (unreadable):[/red] {escape(str(e))}")
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(_tree_json(doc), ensure_ascii=False, indent=2))
    else:
        from rich.console import Console
        from rich.tree import Tree

        tree = Tree(f"{doc.title} [{doc.doc_kind}] {doc.act_number}")
        _tree_rich(doc, doc.root, tree)
        Console(highlight=False).print(tree)
    # On stderr, so that --json output stays one JSON document. A file below the folder of a
    # reiki-scan.toml belongs to that corpus: scanning its own subfolder would drop the settings.
    from .config import CONFIG_NAME, corpus_root

    root = corpus_root(file.parent.absolute())
    if root is None:
        _next(_console(), "構造に誤りがなければ、このファイルのあるフォルダを走査するため",
              f"reiki-scan run {_q(file.parent)} --out {_q(DEFAULT_OUT)}")
    else:
        # Written as the user wrote FILE: absolute, or relative to here (an ancestor of a relative
        # path is on this drive).
        folder = root if file.is_absolute() else Path(os.path.relpath(root))
        _next(_console(), f"構造に誤りがなければ、設定ファイル {CONFIG_NAME} のあるフォルダ全体を走査するため",
              f"reiki-scan run {_q(folder)} --out {_q(DEFAULT_OUT)}")


def _node_json(doc, p) -> dict:
    return {
        "kind": p.kind, "num": p.num, "label": p.label, "caption": p.caption, "locator": p.locator,
        "start": p.start, "end": p.end, "children": [_node_json(doc, c) for c in p.children],
    }


def _tree_json(doc) -> dict:
    return {
        "file": doc.path, "title": doc.title, "doc_kind": doc.doc_kind, "act_number": doc.act_number,
        "format": doc.source.format, "encoding": doc.source.encoding, "root": _node_json(doc, doc.root),
    }


def _tree_rich(doc, node, tree) -> None:
    for c in node.children:
        first = doc.text[c.start:c.end].strip().split("\n", 1)[0][:40]
        cap = f"（{c.caption}）" if c.caption else ""
        branch = tree.add(f"{c.kind} {c.locator or c.label}{cap}  {first}")
        _tree_rich(doc, c, branch)


def _read_jsonl(path: Path, required: tuple[str, ...]) -> list[dict]:
    """Rows of a JSON Lines file; a line that is not a JSON object with ``required`` keys
    ends the command with exit 2 naming the file and line."""
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        _fail(f"{path}: 読めません ({e})。UTF-8 の JSON Lines を指定してください (unreadable)")
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            row = None
        if not isinstance(row, dict) or any(k not in row for k in required):
            _fail(f"{path}: {n}行目が {', '.join(required)} を持つ JSON ではありません (line {n} is not a JSON object with those keys)")
        rows.append(row)
    return rows


def _gold_files(paths: list[Path]) -> list[Path]:
    """Gold files: each path as given, or every ``labels.jsonl``/``gold.jsonl`` under a folder."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted(q for name in ("labels.jsonl", "gold.jsonl") for q in p.rglob(name))
            if not found:
                _fail(f"{p}: labels.jsonl も gold.jsonl もありません (no gold file in the folder)")
            out.extend(found)
        elif p.is_file():
            out.append(p)
        else:
            _fail(f"{p}: ファイルがありません (no such file)")
    return out


def _default_split_file(gold: Path) -> Path | None:
    """``split.json`` beside the gold file (in the folder when GOLD is one), else in its parent."""
    folder = gold if gold.is_dir() else gold.parent
    for d in (folder, folder.parent):
        if (d / "split.json").is_file():
            return d / "split.json"
    return None


@app.command(cls=_Command)
def explain(
    out: Path = typer.Argument(..., help=_OUT_HELP),
    ident: str = typer.Argument(..., metavar="ID", help="所見の id（台帳の一覧シートの id 列）(finding id)"),
) -> None:
    """1件の所見の説明: 一致箇所、パターン、構文解析、方針の規則、国の根拠、グループ、審査結果
    (why one finding was proposed as it was)."""
    from . import pipeline
    from .errors import WorkspaceError
    from .review.explain import explain as explain_lines
    from .review.explain import find
    from .store.workspace import Workspace, db_path

    try:
        findings = pipeline.read_findings(out)
        finding = find(findings, ident.strip(), str(out / "findings.jsonl"))
    except ReikiScanError as e:
        _fail(str(e))
    decisions = None
    if db_path(out).is_file():
        try:
            ws = Workspace.open_readonly(out)
        except WorkspaceError as e:
            _fail(str(e))
        try:
            decisions = ws.all_decisions()
        finally:
            ws.close()
    for line in explain_lines(finding, findings, decisions):
        typer.echo(line)
    _next(_console(), f"{_q(out / 'ledger.xlsx')} の一覧シートで {finding.id} の審査結果を記入し",
          f"reiki-scan draft {_q(out)}")


@app.command("eval", cls=_Command)
def eval_(
    gold: list[Path] = typer.Option(..., "--gold", help="正解データ gold.jsonl / labels.jsonl、またはそれらを含むフォルダ (repeatable)"),
    findings: Path = typer.Option(..., "--findings", help="OUT/findings.jsonl"),
    as_json: bool = typer.Option(False, "--json", help="JSONで出力 (print JSON)"),
    split: str | None = typer.Option(
        None, "--split",
        help="dev (開発用: 行ごとに表示) / test (検証用: 集計値のみ表示) / all; 省略時は分割しない (score one part of a split)"),
    split_file: Path | None = typer.Option(
        None, "--split-file", help="分割の定義 split.json (default: split.json beside the gold file)"),
) -> None:
    """精度評価: 区分ごと・誤りの種類ごとの適合率・再現率 (precision/recall per category and per kind of error).

    --split test では行を一つも表示せず集計値だけを出します (a held-out part is scored in aggregate only)."""
    from .evaluate import PARTS, evaluate, format_report, load_split, part_files, part_rows

    if split is not None and split not in PARTS:
        _fail(f"--split は {' / '.join(PARTS)} のいずれかです (--split must be one of {', '.join(PARTS)})")
    if split is None and split_file is not None:
        _fail("--split-file には --split を指定してください (--split-file needs --split)")
    if not findings.is_file():
        _fail(f"{findings}: ファイルがありません (no such file)")
    files = _gold_files(gold)
    gold_rows = [r for f in files for r in _read_jsonl(f, ("file", "text", "requires_seal"))]
    found = _read_jsonl(findings, ("file", "text"))
    part = None
    if split is not None:
        split_path = split_file or _default_split_file(gold[0])
        if split_path is None or not split_path.is_file():
            _fail(f"{split_path or gold[0]}: split.json がありません。--split-file で指定してください (no split file)")
        try:
            parts = load_split(split_path)
        except (OSError, ValueError) as e:
            _fail(f"{split_path}: 分割の定義を読めません ({e})")
        gold_rows = part_rows(gold_rows, parts, split)
        part = part_files(parts, split)
    report = evaluate(gold_rows, found, files=part)
    rows = split != "test"
    if as_json:
        data = report.to_json(rows=rows)
        if split is not None:
            data["split"] = split
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        if split is not None:
            typer.echo(f"分割 (split): {split}" + ("（集計値のみ; 行は表示しません）" if not rows else ""))
        typer.echo(format_report(report, rows=rows))
    _next(_console(), "見落とし・誤検出があれば patterns/*.yaml を直し",
          "reiki-scan eval " + " ".join(f"--gold {_q(g)}" for g in gold) + f" --findings {_q(findings)}"
          + (f" --split {split}" if split else ""))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
