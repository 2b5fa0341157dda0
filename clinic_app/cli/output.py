"""Printing results for people (aligned columns) or scripts (--json)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from clinic_app.domain.display import display_name, json_display
from clinic_app.i18n import _


def emit_json(data: Any) -> None:
    """Readable UTF-8 JSON; characters JSON would leave raw that steer a terminal
    (C1 controls, line separators, direction overrides) are written as escapes."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str)
    sys.stdout.write(json_display(text) + "\n")


def emit_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, empty: str) -> None:
    if not rows:
        print(empty)
        return
    text_rows = [[("" if c is None else str(c)) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in text_rows)) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip())
    for row in text_rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())


def file_to_write(text: str) -> Path:
    """argparse type of --out and the like: a path ending in a slash names a folder, which
    `Path` would silently turn into a file of the folder's name; "-" is standard output to
    most tools, and would have become a file named "-" in the current folder."""
    if text == "-":
        raise argparse.ArgumentTypeError(
            _('Haven writes to a file, not to standard output ("-"): give the file\'s name.'))
    if not text.strip() or text.endswith(("/", os.sep)) or (os.altsep and text.endswith(os.altsep)):
        raise argparse.ArgumentTypeError(
            _("{path} names a folder, not a file: add the file's name.").format(path=display_name(text) or '""'))
    return Path(text)
