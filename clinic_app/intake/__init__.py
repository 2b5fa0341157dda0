"""Safe parsing of untrusted evidence files in a sandboxed child process.

Imports only `clinic_app.domain`, `errors`, `i18n` and `fsutil` from Haven, plus
third-party parsers (loaded in the child). See `api` for the entry points.
"""

from clinic_app.intake.api import IntakeSandbox, PageInfo, ParsedFile, parse_file, tools_available
from clinic_app.intake.errors import IntakeError

__all__ = [
    "IntakeError",
    "IntakeSandbox",
    "PageInfo",
    "ParsedFile",
    "parse_file",
    "tools_available",
]
