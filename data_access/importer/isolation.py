"""Read an uploaded file in a child process with a memory and a time limit.

A reader written in another language can abort the whole process (python-calamine does when
an allocation fails) or run away on a hostile file. The server and the command line never
parse a file themselves: a child does, under limits, and sends back the cells. A child that
dies, runs out of memory or time is killed, and the user reads why in Vietnamese; the
process that asked keeps serving.

Children come from a fork server started once with the reader already imported (a start
costs milliseconds, not the seconds of importing pandas again), and never from the serving
process itself, whose threads may hold locks at the moment of a fork.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import pickle
import signal
import sys
import threading
from typing import Any

import numpy as np
import pandas as pd

from data_access.importer.reader import FileRefused, RawTable, read_table

_context_lock = threading.Lock()
_context: Any = None


def _mp_context() -> Any:
    global _context
    with _context_lock:
        if _context is None:
            if "forkserver" in multiprocessing.get_all_start_methods():
                _context = multiprocessing.get_context("forkserver")
                # The main script too when it is a file (tthc, pytest, a bench): each child
                # would otherwise run it again before reading.
                main = getattr(sys.modules["__main__"], "__file__", None)
                preload = ["__main__"] if main and os.path.isfile(main) else []
                _context.set_forkserver_preload([*preload, "data_access.importer.isolation"])
            else:  # Windows: each child imports the reader itself
                _context = multiprocessing.get_context("spawn")
        return _context


def _vm_kib() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _limit_memory(extra_mb: int) -> None:
    """At most `extra_mb` more address space than the child holds at its start."""
    try:
        import resource
    except ImportError:  # Windows: no limit; the time limit still applies
        return
    limit = _vm_kib() * 1024 + extra_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _dump(obj: Any) -> bytes:
    # No memo: the cells are millions of distinct strings, and pickling remembers each one.
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(obj)
    return out.getvalue()


def _child(conn: Any, data: bytes, file_name: str, limits: dict) -> None:
    payload: tuple[Any, ...]
    os.environ["RUST_BACKTRACE"] = "0"  # one line in the log when a reader aborts, not 30
    _limit_memory(limits["max_read_mb"])
    try:
        table = read_table(data, file_name, limits)
        del data
        payload = ("ok", _parts(table), _parts(table.history) if table.history else None)
    except FileRefused as exc:
        payload = ("refused", str(exc))
    except MemoryError:
        payload = ("memory", "")
    try:
        message = _dump(payload)
    except MemoryError:
        message = _dump(("memory", ""))
    conn.send_bytes(message)
    conn.close()
    os._exit(0)  # sent: freeing a large heap object by object would only make the caller wait


def _parts(table: RawTable) -> tuple:
    """A table as one part per column (pickled fast, rebuilt by `_table`)."""
    columns = [_column_part(table.cells[:, j]) for j in range(table.cells.shape[1])]
    return (
        len(table.row_numbers),
        columns,
        table.row_numbers,
        table.kind,
        table.notes,
        table.longest_cell,
    )


def _column_part(column: np.ndarray) -> tuple[list[Any], np.ndarray | None]:
    """A column of text as its distinct values and where each stands: an export repeats the
    same words, codes and days in every row, so the pipe carries a few hundred to a hundred
    thousand strings instead of 200 000, and the caller holds each distinct value once
    (hundreds of MB less for a 200 000-row file). Other columns travel as they are: numbers,
    dates and booleans compare equal across types (1 == 1.0 == True), which factorizing
    would merge."""
    if pd.api.types.infer_dtype(column, skipna=False) != "string":
        return column.tolist(), None
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    return uniques.tolist(), codes.astype(np.int32 if len(uniques) < 2**31 else np.int64)


def _table(parts: tuple) -> RawTable:
    n, columns, numbers, kind, notes, longest = parts
    cells = np.empty((n, len(columns)), dtype=object)
    factorized: list[tuple[list[Any], np.ndarray] | None] = []
    for j, (values, codes) in enumerate(columns):
        if codes is None:
            cells[:, j] = values
            factorized.append(None)
        else:
            distinct = np.empty(len(values), dtype=object)
            distinct[:] = values
            cells[:, j] = distinct[codes]
            factorized.append((values, codes))
    return RawTable(cells, numbers, kind, notes, longest, factorized=factorized)


def _too_much_memory(limits: dict) -> FileRefused:
    mb = f"{limits['max_read_mb']:,}".replace(",", ".")
    return FileRefused(
        f"Đọc tệp cần hơn {mb} MB bộ nhớ: tệp bị hỏng, hoặc có ô dữ liệu nằm rất xa vùng dữ "
        "liệu (trang tính phình ra khi đọc). Hãy mở tệp, xóa các ô thừa ở xa rồi lưu lại."
    )


def read_isolated(data: bytes, file_name: str, limits: dict) -> RawTable:
    """`read_table` in a child process limited to `limits["max_read_mb"]` MB more memory and
    `limits["max_read_seconds"]` seconds; FileRefused (Vietnamese) when it is refused, dies
    or runs out of either."""
    ctx = _mp_context()
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(
        target=_child, args=(send, data, file_name, limits), name="tthc-doc-tep", daemon=True
    )
    child.start()
    send.close()  # the child holds the only writing end: its death is an end of file here
    try:
        if not receive.poll(limits["max_read_seconds"]):
            raise FileRefused(
                f"Đọc tệp quá {limits['max_read_seconds']} giây: đã dừng. Tệp có thể bị hỏng "
                "hoặc quá lớn; hãy chia nhỏ tệp rồi nhập lại."
            )
        try:
            payload = pickle.loads(receive.recv_bytes())
        except (EOFError, OSError):
            child.join(5)
            code = child.exitcode
            if code is not None and code < 0 and -code in (signal.SIGABRT, signal.SIGKILL):
                raise _too_much_memory(limits) from None
            raise FileRefused(
                f"Trình đọc tệp dừng bất thường (mã {code}): tệp bị hỏng hoặc không phải "
                "tệp .xlsx/.csv hợp lệ."
            ) from None
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if payload[0] == "refused":
        raise FileRefused(payload[1])
    if payload[0] == "memory":
        raise _too_much_memory(limits)
    table = _table(payload[1])
    if payload[2] is not None:
        table.history = _table(payload[2])
    return table
