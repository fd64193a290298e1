"""The worker processes of a scan: :func:`prepare_files` gives chunks of files to
:func:`reiki_scan.scan.file.scan_files` in each worker and returns the results in corpus order, so
a run with one worker and a run with several give the same findings (the parse of a text does not
depend on what it is batched with; ``tests/test_pool.py`` checks both).

Workers are started with ``spawn`` (the only start method on Windows, and safe beside the
threads of the CLI's progress bar). ``workers=1`` runs everything in this process, through
the same functions. Each worker loads GiNZA once; the pool's processes share their parses.

Speed (``benchmarks/bench_scan.py``, national-law archive): returning trees cost more than
detecting them: pickling and unpickling the 665 parsed documents (130 MB) took 4.5 CPU-s, so a
worker takes each file all the way to its findings when it can.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import file as scan_file
from ..errors import WorkerCrashError
from .file import FileJob, Finish, Prepared, relpath, scan_files, skip_of
from .result import ProgressFn

if TYPE_CHECKING:
    from multiprocessing.managers import DictProxy, SyncManager

# Work handed to a worker at once: enough candidate texts for GiNZA's batches and few round
# trips for 9,000 small files; small enough that the last chunks keep both cores busy.
FILES_PER_CHUNK = 64
BYTES_PER_CHUNK = 4 * 2**20
# Below these sizes the work is done in this process: starting workers (and GiNZA in each)
# costs more than it saves, and this process keeps its loaded model for the next scan.
MIN_FILES = 32


def _exit_with_parent() -> None:
    """End this process when the process that started it ends, killed or not (its sentinel
    becomes ready): a scan's workers and manager never outlive the run (``kill -9`` of the CLI
    included). A daemon thread; portable (the sentinel is a pipe end on POSIX, a handle on
    Windows)."""
    import threading
    from multiprocessing.connection import wait as wait_ready

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait_ready([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="reiki-scan-parent-watch", daemon=True).start()


def _crashed(rel: str) -> Prepared:
    return Prepared(rel, None, skip_of(WorkerCrashError(
        "処理中にワーカーが異常終了しました（メモリ不足か、壊れたファイル）。"
        "ファイルを開いて保存し直すか、コーパスから外してください", path=rel)))


def _rescue_prepare(pool: WorkerPool, chunk: tuple) -> list[Prepared]:
    """The files of a chunk whose worker died, one at a time: the one that kills a worker
    again is skipped, the others are read."""
    jobs, corpus, *rest = chunk
    out = []
    for job in jobs:
        try:
            out.append(pool._submit(scan_files, [job], corpus, *rest).result()[0])
        except BrokenProcessPool:
            pool._restart()
            out.append(_crashed(relpath(job.path, corpus)))
    return out


def _warm_up(shared) -> None:
    """Worker initializer: end with the parent, import the stages once before the first file
    arrives; ``shared``: the pool's dict of parses (a manager's proxy)."""
    _exit_with_parent()
    # One BLAS thread per worker: the workers already take every core. Set before numpy
    # loads (the worker has not imported it yet); the user's own setting wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from .. import classify, forms, load, structure  # noqa: F401
    from ..detect import default_detector

    default_detector()
    scan_file._parses = scan_file._Parses(shared)


class WorkerPool:
    """``workers`` processes for :func:`prepare_files`, or this process alone when ``workers``
    <= 1 or a call has fewer than ``min_files`` files (default :data:`MIN_FILES`). A context manager; the processes start when first needed and end on exit, or with
    this process however it ends.

    Each worker builds the detector once and loads GiNZA on its first parse. With
    ``share_parses``, a text one process parsed for :func:`prepare_files` is not parsed again by
    another (the national archive: 1,540 parses of 1,451 texts without it, 1,453 with it):
    workers share them through a manager process's dict. A chunk holds at most
    ``files_per_chunk`` files and ``bytes_per_chunk`` bytes (:func:`_file_chunks`); each is
    given to ``chunk_fn`` (:func:`~reiki_scan.scan.file.scan_files`: a test passes one that
    crashes its worker)."""

    def __init__(self, workers: int = 2, *, share_parses: bool = False, min_files: int | None = None,
                 files_per_chunk: int = FILES_PER_CHUNK, bytes_per_chunk: int = BYTES_PER_CHUNK,
                 chunk_fn: Callable[..., list[Prepared]] = scan_files) -> None:
        self.workers = max(1, int(workers))
        self.share_parses = share_parses
        self.min_files = MIN_FILES if min_files is None else min_files
        self.files_per_chunk = files_per_chunk
        self.bytes_per_chunk = bytes_per_chunk
        self.chunk_fn = chunk_fn
        self._executor: Executor | None = None
        self._manager: SyncManager | None = None
        self._shared: DictProxy | None = None
        self._outer: scan_file._Parses | None = None

    def __enter__(self) -> WorkerPool:
        # Work done in this process keeps its parses for the pool's life, as a worker does.
        self._outer, scan_file._parses = scan_file._parses, scan_file._Parses()
        return self

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        if self._manager is None and self.share_parses:
            from multiprocessing.managers import SyncManager

            self._manager = SyncManager(ctx=context)
            self._manager.start(initializer=_exit_with_parent)
            self._shared = self._manager.dict()
        self._executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                             initializer=_warm_up, initargs=(self._shared,))

    def uses_workers(self, n: int) -> bool:
        """Whether ``n`` files go to worker processes; starts them when they do."""
        if self.workers <= 1 or n == 0 or n < self.min_files:
            return False
        if self._executor is None:
            self._start()
        return True

    def __exit__(self, *exc) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        if self._manager is not None:
            try:
                self._manager.shutdown()
            except (OSError, EOFError):
                pass  # it died during the scan: the workers went on without it
            self._manager = self._shared = None
        scan_file._parses, self._outer = self._outer, None

    def _restart(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = None
        self._start()

    def _submit(self, fn: Callable, *args) -> Future:
        """``fn(*args)`` in a worker process, once the workers run (:meth:`uses_workers`)."""
        assert self._executor is not None  # started by uses_workers, again by _restart
        return self._executor.submit(fn, *args)


def _file_chunks(jobs: Sequence[FileJob], files_per_chunk: int, bytes_per_chunk: int) -> list[list[int]]:
    """Indexes into ``jobs``, in chunks of at most ``files_per_chunk`` files and ``bytes_per_chunk``
    bytes (a larger file alone), largest files first: the long laws, which hold most candidate
    texts, fill GiNZA's batches together, and the last chunks, of small files, end at nearly
    the same time on every worker."""
    sizes = []
    for job in jobs:
        try:
            sizes.append(job.path.stat().st_size)
        except OSError:
            sizes.append(0)
    chunks: list[list[int]] = []
    size = 0
    for i in sorted(range(len(jobs)), key=lambda i: -sizes[i]):
        if not chunks or len(chunks[-1]) >= files_per_chunk or size + sizes[i] > bytes_per_chunk:
            chunks.append([])
            size = 0
        chunks[-1].append(i)
        size += sizes[i]
    return chunks


def prepare_files(pool: WorkerPool, jobs: Sequence[FileJob], corpus: Path, limits: dict,
                  progress: ProgressFn | None = None, keep_documents: bool = False,
                  finish: Finish | None = None,
                  each: Callable[[int, Prepared], None] | None = None) -> list[Prepared]:
    """:func:`~reiki_scan.scan.file.scan_files` over ``jobs``, results in the order of ``jobs``;
    ``each(i, prepared)`` is called on each result (``i``: its index in ``jobs``) as it arrives.
    The files of a chunk (:func:`_file_chunks`) go through one call together.

    With workers, two chunks per worker are in flight and the next goes to the first one
    free: a file whose parse takes seconds does not hold the other worker up. When a worker
    dies (a crash inside a C library on some file, the OOM killer), the pool restarts: the
    chunk found broken first is read file by file (:func:`_rescue_prepare`) and the others it
    took down are submitted again. Raises OSError when a text needs a parse and the model is
    not installed."""
    indexes = _file_chunks(jobs, pool.files_per_chunk, pool.bytes_per_chunk)
    chunks = [([jobs[j] for j in c], corpus, limits, keep_documents, finish) for c in indexes]
    out: list[Prepared | None] = [None] * len(jobs)
    taken = 0

    def take(i: int, result: list[Prepared]) -> None:
        nonlocal taken
        for j, p in zip(indexes[i], result):
            out[j] = p
            if each is not None:
                each(j, p)
        taken += len(result)
        if progress is not None:
            progress("load", taken, len(jobs))

    if not pool.uses_workers(len(jobs)):
        for i, chunk in enumerate(chunks):
            take(i, pool.chunk_fn(*chunk))
        return _taken(out)

    # Futures carry the generation of the pool they were given to: a future of a pool that
    # has died since fails with BrokenProcessPool without its own work being at fault.
    pending: dict[Future, tuple[int, int]] = {}
    queued = 0
    generation = 0

    def restart() -> None:
        nonlocal generation
        pool._restart()
        generation += 1

    def submit(i: int) -> None:
        # A worker may die while this process handles a result: the next submit finds the pool broken.
        try:
            future = pool._submit(pool.chunk_fn, *chunks[i])
        except BrokenProcessPool:
            restart()
            future = pool._submit(pool.chunk_fn, *chunks[i])
        pending[future] = (i, generation)

    while queued < len(chunks) or pending:
        while queued < len(chunks) and len(pending) < 2 * pool.workers:
            submit(queued)
            queued += 1
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in sorted(done, key=lambda f: pending[f][0]):
            i, gen = pending.pop(future)
            try:
                result = future.result()
            except BrokenProcessPool:
                if gen != generation:
                    submit(i)  # an older pool died under it: run it again
                    continue
                # This chunk's own pool: it may be the cause.
                restart()
                result = _rescue_prepare(pool, chunks[i])
                generation += 1  # the rescue restarts the pool after each file that kills it
            take(i, result)
    return _taken(out)


def _taken(out: list[Prepared | None]) -> list[Prepared]:
    """``out`` once every slot is filled: each chunk gives one result per file."""
    filled = [p for p in out if p is not None]
    assert len(filled) == len(out), "a chunk gave fewer results than it had files"
    return filled

