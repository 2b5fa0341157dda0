"""The child process: receives jobs over a pipe, parses, answers, never dies of an exception.

Started with the multiprocessing "spawn" method (a fresh interpreter, never a fork
of the GUI with its Qt threads). Before reading any job it leads its own process
group (so the parent can kill it with LibreOffice or Tesseract in one call), caps
its memory, CPU and file writes, lowers the parsers' limits and sends its output
to /dev/null, so no library can print a document's content to the parent's
terminal or log. Messages are JSON bytes, never pickles:
    parent -> child: {"op": "parse", "path", "password", "extension", "scratch", "split_ocr"}
    child -> parent: a JSON header (with the sha256 of the bytes read), then the
                     working-copy PDF (empty on refusal).
A file whose OCR is spread over several workers (pipeline.parse_document) takes two
more kinds of job, each followed by a second message, the bytes they work on:
    {"op": "ocr", "pages", "payload": true} + working copy -> {"found"} + Tesseract pages
    {"op": "finish", "state", "found", "working", "payload": true}
        + working copy and Tesseract pages -> the file's answer, as for "parse".
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from clinic_app.intake.errors import (
    DamagedFile,
    FileTooLarge,
    ImageTooLarge,
    ParseOutOfMemory,
    Refusal,
    UnsupportedFile,
)
from clinic_app.intake.limits import Limits, apply_process_limits, arm_cpu_limit, harden_libraries

CPU_SLACK = 1.5  # CPU seconds allowed per wall-clock second of timeout (tools run apart)
TEST_OPS = ("test_hang", "test_crash", "test_allocate")


def send_answer(conn: Any, header: dict[str, Any], pdf: bytes = b"") -> None:
    """Two messages, so that a large working copy is never copied into a bigger buffer. A file
    name that is not UTF-8 travels as Python holds it (surrogates), as in `sandbox.request`."""
    conn.send_bytes(json.dumps(header, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    conn.send_bytes(pdf)


def _quiet() -> None:
    """No library output leaves the child: pypdf logs, warnings, native stderr."""
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        try:
            os.dup2(devnull, fd)
        except OSError:
            pass
    os.close(devnull)
    sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for life


def worker_main(conn: Any, limits_data: dict[str, Any], allow_test_ops: bool) -> None:
    """Entry point of the child process."""
    if hasattr(os, "setsid"):
        try:
            os.setsid()
        except OSError:
            pass
    limits = Limits.from_dict(limits_data)
    _quiet()
    harden_libraries(limits)  # after _quiet: it promotes Pillow's bomb warning to an error
    apply_process_limits(limits)
    send_answer(conn, {"ready": True})
    while True:
        try:
            job = json.loads(conn.recv_bytes().decode("utf-8", "surrogatepass"))
        except (EOFError, OSError, ValueError):
            return
        if not isinstance(job, dict) or job.get("op") == "stop":
            return
        try:
            payload = conn.recv_bytes() if job.get("payload") is True else b""
        except (EOFError, OSError):
            return
        arm_cpu_limit(limits.timeout_s * CPU_SLACK + 5)
        header, pdf = run_job(job, limits, allow_test_ops, payload)
        del payload
        try:
            send_answer(conn, header, pdf)
        except (OSError, ValueError):
            return
        del header, pdf
        _collect()


def _collect() -> None:
    """Free what the job left in reference cycles (parsers make many), so a worker's memory
    stays that of one job; then freeze what survived (the libraries' modules and caches),
    so the next collection walks only the next job's objects. A full collection of every
    object the imports made cost a third of a worker's time on small files (py-spy,
    benchmarks/intake.py)."""
    gc.collect()
    gc.freeze()


def _refusal(key: str, **params: int) -> dict[str, Any]:
    return {"ok": False, "key": key, "params": params}


def run_job(
    job: dict[str, Any], limits: Limits, allow_test_ops: bool, payload: bytes = b""
) -> tuple[dict[str, Any], bytes]:
    """Run one job and map every possible failure to a refusal the parent can show."""
    from PIL import Image

    from clinic_app.intake.pdf_parse import is_size_limit
    from clinic_app.intake.pipeline import finish_ocr, ocr_part, parse_document, read_input

    started = time.monotonic()
    op = job.get("op")
    try:
        if op in TEST_OPS and allow_test_ops:
            return _test_op(op), b""
        if op == "ocr":
            until = job.get("until")
            header, pdf = ocr_part(payload, [int(i) for i in job["pages"]], limits, started,
                                   float(until) if until is not None else None)
            return {**header, "ok": True}, pdf
        if op == "finish":
            size = int(job["working"])
            found = _split_found(job["found"], payload[size:])
            header, pdf = finish_ocr(job["state"], payload[:size], found, started)
            return {**header, "ok": True}, pdf
        if op != "parse":
            return _refusal(UnsupportedFile.key), b""
        path = Path(str(job.get("path", "")))
        password = job.get("password")
        data = read_input(path, limits)
        header, pdf = parse_document(
            data,
            str(job.get("extension", "")),
            password if isinstance(password, str) else None,
            limits,
            started,
            Path(str(job.get("scratch", ""))),
            split_ocr=job.get("split_ocr") is True,
        )
        header["ok"] = True
        header["sha256"] = hashlib.sha256(data).hexdigest()  # the parent checks it read the same bytes
        return header, pdf
    except Refusal as refusal:
        return _refusal(refusal.key, **refusal.params), b""
    except MemoryError:
        return _refusal(ParseOutOfMemory.key, limit_mb=limits.memory_mb), b""
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return _refusal(ImageTooLarge.key, limit_mpx=limits.max_image_mpx), b""
    except RecursionError:
        return _refusal(DamagedFile.key), b""
    except Exception as exc:  # any parser failure is a damaged file to the user
        if is_size_limit(exc):
            return _refusal(FileTooLarge.key, limit_mb=limits.max_stream_mb), b""
        return _refusal(DamagedFile.key), b""


def _split_found(lengths: list[list[int]], data: bytes) -> dict[int, bytes | None]:
    """{page index: Tesseract page or None} from [[index, length or -1], ...] and their bytes."""
    found: dict[int, bytes | None] = {}
    at = 0
    for index, length in lengths:
        if length < 0:
            found[int(index)] = None
        else:
            found[int(index)] = data[at:at + length]
            at += length
    return found


def _test_op(op: str) -> dict[str, Any]:
    """Misbehaviours the tests need; unreachable unless the sandbox was built for tests."""
    if op == "test_hang":
        while True:
            time.sleep(3600)
    if op == "test_crash":
        os.abort()
    hog = bytearray(8 * 1024 * 1024 * 1024)  # test_allocate: far above any memory cap
    return {"ok": False, "key": "damaged", "params": {"size": len(hog)}}
