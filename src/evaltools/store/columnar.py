"""The store's columnar read copy: Parquet files partitioned by year and province, in ``<data>/.columnar/``.

The long CSV files of ``<data>/values/`` stay the record (imports write them, people read
and diff them); reviews read this copy, and only the partitions of their area and years
(:mod:`evaltools.store.storescope`), so a review's read does not grow with the store.

A *generation* is one complete copy, in a folder named by a digest of the SHA-256 of
every CSV file it was made from and of the catalog's unit -> province mapping. A reader
hashes the CSV files (:mod:`evaltools.store.filehash`), and opens the generation of that digest,
building it when it does not exist: a hand-edited CSV has another hash, hence another
generation, so the copy is never stale. A generation is built in a temporary folder and
renamed into place complete (a kill leaves a temporary folder, removed later, and no
generation); one Parquet fragment per CSV file and partition, so an import that changes
one file rewrites only that file's fragments (the others are linked from the previous
generation). Pyarrow alone reads and writes it: no database, no server, no second format.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from evaltools.core import faults, locks
from evaltools.store import filehash, record as store, storescope
from evaltools.core.errors import EvaltoolsError, display_path
from evaltools.core.iorw import atomic_write, fsync_dir
from evaltools.core.limits import CELL_CHARS, FILE_MB, ROWS

FOLDER, MANIFEST, MEMO, BUILDING = ".columnar", "generation.json", "hashes.json", ".building"
FORMAT = 1
SETTING = "EVALTOOLS_COLUMNAR"          # "off": read the CSV files themselves (benchmarks, a read-only store)
TEXT = list(store.REQUIRED + store.OPTIONAL)
_NAME = "\0file\0"                      # a file's name in a stored message, put back as the reader sees it
_ROW_GROUP = 4096                       # rows are sorted by unit: a review skips the groups of other units


def enabled() -> bool:
    """Whether reads go through the columnar copy (``EVALTOOLS_COLUMNAR=off`` reads the CSV files)."""
    return os.environ.get(SETTING, "on").strip().lower() not in ("off", "0", "no", "false")


def fragment_id(name: str, sha: str, units_digest: str) -> str:
    """The fragments of one CSV file's content, under one unit mapping and the read limits in force.

    The limits are part of the id: a file refused under a lower limit is read again once the limit
    is raised (as the refusal advises), and a file accepted earlier is refused once it is lowered.
    """
    bounds = ",".join(str(limit.value) for limit in (FILE_MB, ROWS, CELL_CHARS))
    return hashlib.sha256(f"{FORMAT}\0{units_digest}\0{bounds}\0{name}\0{sha}".encode()).hexdigest()[:32]


def _write_fragments(root: Path, fid: str, frame: pd.DataFrame, keys: pd.Series) -> list[str]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    year, province = storescope.placement(frame, keys)
    parts = []
    for (y, p), rows in frame[TEXT + ["line"]].groupby([year, province], sort=True):
        target = root / y / p / f"{fid}.parquet"
        target.parent.mkdir(parents=True, exist_ok=True)
        rows = rows.sort_values(["unit", "line"], kind="stable")
        pq.write_table(pa.Table.from_pandas(rows, preserve_index=False), target, row_group_size=_ROW_GROUP)
        with open(target, "rb") as fh:          # on the disk before the generation's rename names it
            os.fsync(fh.fileno())
        parts.append(f"{y}/{p}")
    return parts


def _build_file(root: Path, path: Path, fid: str, keys: pd.Series) -> dict:
    """Read one CSV file and write its fragments; a file the store refuses is recorded with its message."""
    name = path.name
    try:
        data = store.read_store_bytes(path, _NAME)
        frame = store.parse_values(data, _NAME)
    except EvaltoolsError as exc:
        return {"fragment": fid, "parts": [], "problem": str(exc)}
    return {"fragment": fid, "parts": _write_fragments(root, fid, frame, keys), "problem": None,
            "sha256": hashlib.sha256(data).hexdigest(), "name": name}


def _reusable(cache: Path) -> dict[str, tuple[Path, dict]]:
    """Fragments of existing generations, by id (linked into a new one instead of built again)."""
    found = {}
    for gen in cache.iterdir():
        manifest = gen / MANIFEST
        if gen.name.startswith(".") or not manifest.is_file():
            continue
        with contextlib.suppress(OSError, ValueError):
            for entry in json.loads(manifest.read_text(encoding="utf-8"))["files"]:
                found.setdefault(entry["fragment"], (gen, entry))
    return found


def _link(old: Path, new: Path, entry: dict) -> None:
    for part in entry["parts"]:
        target = new / part / f"{entry['fragment']}.parquet"
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(old / part / target.name, target)
        except OSError:
            shutil.copyfile(old / part / target.name, target)


def _build(cache: Path, gen: str, files: list[tuple[Path, str, str]], keys: pd.Series) -> None:
    """Build generation ``gen`` of ``files`` (path, sha256, fragment id) and rename it into place."""
    tmp = cache / f".tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    reuse, entries = _reusable(cache), []
    try:
        for path, sha, fid in files:
            if fid in reuse and not reuse[fid][1]["problem"]:
                _link(reuse[fid][0], tmp, reuse[fid][1])
                entry = dict(reuse[fid][1])
            else:
                entry = _build_file(tmp, path, fid, keys)
                if entry.get("sha256", sha) != sha:     # edited while this copy was made: not this generation
                    raise EvaltoolsError(f"{display_path(path)}: changed while it was read; run again")
            entries.append({**entry, "name": path.name})
            faults.point("columnar.build", tmp)
        atomic_write(tmp / MANIFEST, json.dumps({"format": FORMAT, "files": entries}, ensure_ascii=False) + "\n")
        faults.point("columnar.commit", tmp)
        with contextlib.suppress(FileExistsError, OSError):
            os.rename(tmp, cache / gen)         # one rename: the generation exists whole or not at all
            fsync_dir(cache)
    finally:
        if tmp.exists():                        # another process renamed its own first: same content
            shutil.rmtree(tmp, ignore_errors=True)


def _tidy(cache: Path, keep: str) -> None:
    """Remove other generations and dead temporary folders, when no other process reads the copy."""
    fd = locks.try_exclusive(cache)
    if fd is None:
        return
    try:
        for entry in cache.iterdir():
            if entry.is_dir() and entry.name not in (keep, BUILDING):
                shutil.rmtree(entry, ignore_errors=True)
    finally:
        os.close(fd)


def _current(folder: Path, cache: Path, keys: pd.Series) -> tuple[str, list[tuple[Path, str, str]]]:
    paths = store.value_files(folder)
    shas = filehash.hashes(paths, cache / MEMO)
    digest = storescope.keys_digest(keys)
    files = [(p, shas[os.path.abspath(p)], fragment_id(p.name, shas[os.path.abspath(p)], digest)) for p in paths]
    whole = hashlib.sha256("\n".join(fid for _, _, fid in files).encode()).hexdigest()[:32]
    return f"g{whole}", files


@contextlib.contextmanager
def generation(folder: Path, keys: pd.Series) -> Iterator[Path]:
    """The current generation of the store ``folder`` (built when missing), held for reading.

    The caller holds the store for reading (:func:`evaltools.store.storetx.reading`): no import
    changes the CSV files meanwhile.
    """
    cache = folder.parent / FOLDER
    cache.mkdir(exist_ok=True)
    gen, files = _current(folder, cache, keys)
    if not (cache / gen / MANIFEST).is_file():
        building = cache / BUILDING
        building.mkdir(exist_ok=True)
        # One builder at a time (batch workers start together); the others wait and find it built.
        with locks.locked(building, locks.EXCLUSIVE, "another command building the columnar copy"), \
                locks.locked(cache, locks.SHARED, "another command tidying the columnar copy"):
            if not (cache / gen / MANIFEST).is_file():
                _build(cache, gen, files, keys)
        _tidy(cache, gen)
    with locks.locked(cache, locks.SHARED, "another command tidying the columnar copy"):
        if not (cache / gen / MANIFEST).is_file():      # removed in between by a reader of other data
            _build(cache, gen, files, keys)
        yield cache / gen


def _read_fragment(path: Path, units: list[str] | None) -> pd.DataFrame:
    import pyarrow.parquet as pq

    table = pq.read_table(path, filters=[("unit", "in", units)] if units is not None else None)
    return table.to_pandas()


def _read_generation(gen: Path, folder: Path, keys: pd.Series, scope) -> tuple[pd.DataFrame, list]:
    manifest = json.loads((gen / MANIFEST).read_text(encoding="utf-8"))
    wanted = storescope.partitions(scope, keys)
    units = sorted(scope.units) if scope is not None else None
    frames, problems = [], []
    for order, entry in enumerate(manifest["files"]):
        name = display_path(folder / entry["name"])
        if entry["problem"]:
            problems.append((folder / entry["name"], entry["problem"].replace(_NAME, name)))
            continue
        for part in entry["parts"]:
            if wanted is not None and part not in wanted:
                continue
            placed = part != f"{storescope.UNPLACED}/{storescope.UNPLACED}"
            rows = _read_fragment(gen / part / f"{entry['fragment']}.parquet", units if placed else None)
            frames.append(rows.assign(file=name, order=order))
    return _ordered(frames), problems


def _ordered(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The rows in the order of the CSV files: file by file, line by line."""
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in TEXT + ["file"]}).assign(
            line=pd.Series(dtype="int64"))
    frame = pd.concat(frames, ignore_index=True).sort_values(["order", "line"], kind="stable")
    return frame[TEXT + ["file", "line"]].reset_index(drop=True)


def _read_csv(folder: Path, keys: pd.Series, scope) -> tuple[pd.DataFrame, list]:
    """The same rows as the columnar copy gives, from the CSV files themselves."""
    frames, problems = [], []
    for path in store.value_files(folder):
        try:
            frame = store.read_values_csv(path)
        except EvaltoolsError as exc:
            problems.append((path, str(exc)))
            continue
        frames.append(frame[storescope.in_scope(frame, keys, scope)].assign(order=len(frames)))
    return _ordered(frames), problems


def read_rows(folder: str | Path, units: pd.DataFrame, scope=None, copy: bool = True,
              keys: pd.Series | None = None) -> tuple[pd.DataFrame, list]:
    """The store's rows within ``scope`` (None: all) and every unplaced row, as text.

    Returns
    -------
    (DataFrame, list)
        The rows exactly as :func:`evaltools.store.record.read_values_csv` reads them (text columns,
        ``file``, ``line``), in file and line order; and ``(path, message)`` of every file the
        store refuses. Read from the columnar copy, or from the CSV files when ``copy`` is
        false, the copy is turned off (:data:`SETTING`) or the data folder cannot be written.
        ``keys``: :func:`evaltools.store.storescope.partition_keys` of ``units``, when the caller
        reads many scopes (a batch's planner).
    """
    folder = Path(folder)
    keys = storescope.partition_keys(units) if keys is None else keys
    if copy and enabled():
        import pyarrow as pa

        gen = None
        try:
            with generation(folder, keys) as gen:
                return _read_generation(gen, folder, keys, scope)
        except OSError:
            pass            # a read-only or full disk: no copy can be kept; the CSV files give the same rows
        except (pa.ArrowException, ValueError, KeyError):
            # a damaged generation (a fragment cut short by a power loss) is only a copy: drop it (the next
            # reader builds it again) and read the record itself
            if gen is not None:
                shutil.rmtree(gen, ignore_errors=True)
    return _read_csv(folder, keys, scope)
