"""Moved to `clinic_app.typeset.markup` (intake draws text files with it too); this name is
the same module, kept so imports and monkeypatching through `clinic_app.pdf` still work."""

import sys

from clinic_app.typeset import markup as _module

sys.modules[__name__] = _module
