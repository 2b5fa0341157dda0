"""Resource limits for the parser child, and the library knobs that enforce them.

A hostile file must not be able to hang Haven, exhaust the laptop's memory or leave
plaintext behind. The parent enforces the wall-clock timeout by killing the child;
the child caps its own address space, CPU time and file writes with POSIX rlimits
and lowers the decompression limits of pypdf and Pillow, so a bomb is refused with
a clear error long before the kernel would step in. Nothing here runs in the GUI
process except the `Limits` dataclass itself.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import asdict, dataclass
from typing import Any

MB = 1024 * 1024
OCR_SHARE_OF_TIMEOUT = 0.75  # OCR stops here, leaving time to build the answer


def ocr_switched_off() -> bool:
    """Whether the clinic turned OCR off (HAVEN_OCR=off) to import big batches fast."""
    return os.environ.get("HAVEN_OCR", "").strip().lower() in ("0", "off", "no", "false")


@dataclass(frozen=True)
class Limits:
    """Per-job budgets. Defaults follow docs/reliability.md section 4."""

    timeout_s: float = 30.0
    memory_mb: int = 512
    max_file_mb: int = 300  # the file as read from disk
    max_stream_mb: int = 50  # any one decompressed PDF stream
    max_pages: int = 10_000
    max_image_mpx: int = 50  # decoded image pixels, checked from the header first
    max_text_chars: int = 5_000_000  # text kept for search
    max_result_mb: int = 768  # the working copy sent back over the pipe
    office_memory_mb: int = 4096  # LibreOffice maps far more address space than it uses

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Limits:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def _setrlimit(name: str, soft: int, hard: int | None = None) -> None:
    try:
        import resource
    except ImportError:  # Windows: the wall-clock timeout still applies
        return
    which = getattr(resource, name, None)
    if which is None:
        return
    infinity = resource.RLIM_INFINITY
    _cur_soft, cur_hard = resource.getrlimit(which)
    if hard is None or (cur_hard != infinity and (hard == infinity or hard > cur_hard)):
        hard = cur_hard  # an unprivileged process cannot raise its hard limit
    if hard != infinity and soft > hard:
        soft = hard
    try:
        resource.setrlimit(which, (soft, hard))
    except (ValueError, OSError):
        pass  # macOS refuses some RLIMIT_AS values; the timeout still applies


def apply_process_limits(limits: Limits) -> None:
    """Cap this (child) process: memory, no core dumps, no file content written.

    The hard address-space limit is left at the LibreOffice budget so that the
    `soffice` grandchild can raise its own soft limit; the parser itself runs
    under the soft limit. File writes are capped at 0 bytes: a library that
    tried to spill a temp file would fail (EFBIG) rather than leave plaintext.
    """
    _setrlimit(
        "RLIMIT_AS", limits.memory_mb * MB, max(limits.memory_mb, limits.office_memory_mb) * MB
    )
    _setrlimit("RLIMIT_CORE", 0, 0)
    _setrlimit("RLIMIT_FSIZE", 0)


def arm_cpu_limit(seconds: float) -> None:
    """Allow `seconds` more CPU time from now (RLIMIT_CPU counts the whole life of the worker)."""
    try:
        import resource
    except ImportError:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = usage.ru_utime + usage.ru_stime
    _setrlimit("RLIMIT_CPU", int(used + seconds) + 1)


def peak_rss_mb() -> float:
    """Peak resident memory of this process over its life so far, in MB."""
    try:
        import resource
        import sys
    except ImportError:
        return 0.0
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss is bytes on macOS, KiB elsewhere
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
    return round(own / MB, 1)


def harden_libraries(limits: Limits) -> None:
    """Lower pypdf's and Pillow's limits in this process (the child only)."""
    import pypdf
    from PIL import Image

    cap = limits.max_stream_mb * MB
    configure = getattr(pypdf, "overwrite_configuration", None)
    if configure is not None:  # newer pypdf: one Configuration object
        _configure_pypdf(configure, cap, limits)
    else:  # older pypdf read module constants
        import pypdf.filters as filters

        for const in (
            "ZLIB_MAX_OUTPUT_LENGTH",
            "LZW_MAX_OUTPUT_LENGTH",
            "RUN_LENGTH_MAX_OUTPUT_LENGTH",
            "JBIG2_MAX_OUTPUT_LENGTH",
            "MAX_DECLARED_STREAM_LENGTH",
            "MAX_ARRAY_BASED_STREAM_OUTPUT_LENGTH",
        ):
            if hasattr(filters, const):
                setattr(filters, const, cap)
        filters.JBIG2DEC_BINARY = None

    Image.MAX_IMAGE_PIXELS = limits.max_image_mpx * 1_000_000
    warnings.simplefilter("error", Image.DecompressionBombWarning)
    os.environ["OMP_THREAD_LIMIT"] = "1"  # tesseract: one thread, predictable memory


def _configure_pypdf(configure: Any, cap: int, limits: Limits) -> None:
    configure(
        maximum_declared_stream_length=cap,
        array_based_stream_maximum_output_length=cap,
        jbig2_maximum_output_length=cap,
        lzw_maximum_output_length=cap,
        run_length_maximum_output_length=cap,
        zlib_maximum_output_length=cap,
        brotli_maximum_output_length=cap,
        image_maximum_buffer_size=cap,
        stream_decoding_work_maximum_length=4 * cap,
        xfa_decoding_work_maximum_length=4 * cap,
        page_tree_maximum_entries=2 * limits.max_pages,
        jbig2dec_binary=None,  # never start an external decoder on untrusted data
        disable_legacy_handling=True,
    )
