"""Plain dataclasses and rules: no Qt, no SQL, no I/O."""
