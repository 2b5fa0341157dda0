"""Typed database ids, so a MatterId cannot be passed where a ClientId is expected.

They are plain ints at run time (rowids from the vault); mypy keeps them apart.
Records built before they are stored (GUI forms, the case manifest) carry
`id=None` and are identified by their `ref` until the vault assigns an id.
"""

from __future__ import annotations

from typing import NewType

ClientId = NewType("ClientId", int)
MatterId = NewType("MatterId", int)
DocumentId = NewType("DocumentId", int)
LetterId = NewType("LetterId", int)
RelativeId = NewType("RelativeId", int)
BundleId = NewType("BundleId", int)

__all__ = ["BundleId", "ClientId", "DocumentId", "LetterId", "MatterId", "RelativeId"]
