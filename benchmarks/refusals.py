"""Time and peak memory to refuse the largest hostile inputs (run by hand, not by pytest).

    .venv/bin/python benchmarks/refusals.py [--keep DIR]

Each input is made in a temporary folder (sparse files where the size alone is the
point), then refused by the real command line in a fresh process; the wall time and the
peak resident memory of that process (``wait4``) are printed, with their ratio to a
baseline measured side by side: a genuine one-commune return imported with ``--dry-run``.

Inputs: zip bombs (926 MB of zeros in 0.9 MB, as large as the tester's; 1 TB declared
by 1,000 overlapping parts of one 1 GB stream, Fifield's construction), CSV files (10 GB
sparse; 133 MB of 4 million rows; one 150 MB cell), YAML (billion laughs of 2.3 x 10^8 and
2.3 x 10^19 values; 5 GB sparse).
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MB, GB = 1 << 20, 1 << 30


def measure(args: list[str], cwd: Path) -> tuple[float, float, int, str]:
    """(seconds, peak MB, exit code, last stderr line) of ``evaltools ARGS`` in a fresh process."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "evaltools", *args], cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    lines = err.strip().splitlines() or [""]
    return time.perf_counter() - started, usage.ru_maxrss / 1024, proc.returncode, lines[-1]


def _deflated_zeros(size: int) -> tuple[bytes, int]:
    packer, chunks, crc, block = zlib.compressobj(9, zlib.DEFLATED, -15), [], 0, bytes(MB)
    for _ in range(size // MB):
        chunks.append(packer.compress(block))
        crc = zlib.crc32(block, crc)
    chunks.append(packer.flush())
    return b"".join(chunks), crc


def zip_bomb(path: Path, part: int, parts: int) -> None:
    """``parts`` central-directory entries, all pointing at one deflated stream of ``part`` zeros."""
    data, crc = _deflated_zeros(part)
    name = b"xl/worksheets/sheet1.xml"
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), part, len(name), 0) + name
    central = b""
    for i in range(parts):
        entry = f"xl/worksheets/sheet{i + 1}.xml".encode()
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), part,
                               len(entry), 0, 0, 0, 0, 0, 0) + entry
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, parts, parts, len(central), len(local) + len(data), 0)
    path.write_bytes(local + data + central + end)


def sparse(path: Path, size: int, head: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(head)
        fh.truncate(size)


def rows_csv(path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("element,period,unit,category,value,source,comment\n")
        fh.writelines(f"CHILDREN,2023,{19597 + i % 9},default,{i % 997},,x\n" for i in range(4_000_000))


def cell_csv(path: Path) -> None:
    path.write_text("Năm báo cáo;2023\nUNIT;CHILDREN;COMMENT\n19612;1.700;" + "x" * (150 * MB) + "\n",
                    encoding="utf-8")


def laughs_config(path: Path, levels: int) -> None:
    """The sample review config with a billion laughs of 10^``levels`` values appended."""
    lines = ['l0: &l0 ["ha"]'] + [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, levels)]
    config = (ROOT / "data" / "reviews" / "ct20-2012-2017.yaml").read_text(encoding="utf-8")
    path.write_text(config + "\n".join(lines) + "\n", encoding="utf-8")


CASES = [  # what, file, command, how to make it
    ("zip bomb, 926 MB in one part", "bomb-926mb.xlsx", "import", lambda p: zip_bomb(p, 926 * MB, 1)),
    ("zip bomb, 1 TB declared (1,000 overlapping 1 GB parts)", "bomb-1tb.xlsx", "import",
     lambda p: zip_bomb(p, GB, 1000)),
    ("CSV, 10 GB (sparse)", "sparse-10gb.csv", "import",
     lambda p: sparse(p, 10 * GB, b"element,period,unit,category,value\n")),
    ("CSV, 4 million rows (under the size limit)", "rows-4m.csv", "import", rows_csv),
    ("CSV, one 150 MB cell", "cell-150mb.csv", "import", cell_csv),
    ("YAML, billion laughs: 9 levels of 10 aliases", "laughs-9.yaml", "validate", lambda p: laughs_config(p, 9)),
    ("YAML, billion laughs: 20 levels of 10 aliases", "laughs-20.yaml", "validate", lambda p: laughs_config(p, 20)),
    ("YAML, 5 GB (sparse)", "sparse-5gb.yaml", "validate", lambda p: sparse(p, 5 * GB, b"id: x\n")),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="make the inputs here and keep them")
    parser.add_argument("--make", type=Path, help=argparse.SUPPRESS)    # the child that makes the inputs
    args = parser.parse_args()
    if args.make:
        for _, name, _, make in CASES:
            make(args.make / name)
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="evaltools-refusals-"))
    work.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "data", work / "data", dirs_exist_ok=True)
    (work / "good.csv").write_text("Năm báo cáo;2023\nUNIT;CHILDREN\n19612;1.700\n", encoding="utf-8")
    # Made in a child: a process's peak memory passes to the children it starts, so this one stays small.
    subprocess.run([sys.executable, __file__, "--make", str(work)], check=True)
    try:
        base_s, base_mb, code, _ = measure(["import", "good.csv", "--dry-run"], work)
        assert code == 0
        print(f"baseline: a genuine return, --dry-run: {base_s:.2f} s, {base_mb:.0f} MB peak\n")
        print(f"{'input':<55} {'on disk':>10} {'seconds':>8} {'x base':>7} {'peak MB':>8} {'x base':>7}  refusal")
        for what, name, command, _ in CASES:
            seconds, peak, code, line = measure([command, name] + (["--dry-run"] if command == "import" else []),
                                                work)
            disk = f"{(work / name).stat().st_size / MB:,.1f} MB"
            print(f"{what:<55} {disk:>10} {seconds:>8.2f} {seconds / base_s:>7.1f} {peak:>8.0f} "
                  f"{peak / base_mb:>7.1f}  exit {code}: {line[:140]}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
