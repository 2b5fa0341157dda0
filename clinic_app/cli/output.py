"""Printing results for people (aligned columns) or scripts (--json)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from clinic_app.domain.display import json_display


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
