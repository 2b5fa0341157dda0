"""Layering: Qt only in gui, sqlcipher3 only in vault, no layer imports one above it."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "clinic_app"

# layer -> packages it must never import
FORBIDDEN = {
    "domain": ("clinic_app.vault", "clinic_app.services", "clinic_app.gui", "clinic_app.cli",
               "clinic_app.pdf", "clinic_app.intake"),
    "pdf": ("clinic_app.vault", "clinic_app.services", "clinic_app.gui", "clinic_app.cli",
            "clinic_app.intake"),
    "intake": ("clinic_app.vault", "clinic_app.services", "clinic_app.gui", "clinic_app.cli",
               "clinic_app.pdf"),
    "typeset": ("clinic_app.domain", "clinic_app.vault", "clinic_app.services", "clinic_app.gui",
                "clinic_app.cli", "clinic_app.pdf", "clinic_app.intake"),
    "vault": ("clinic_app.services", "clinic_app.gui", "clinic_app.cli", "clinic_app.pdf",
              "clinic_app.intake"),
    "services": ("clinic_app.gui", "clinic_app.cli"),
    "cli": ("clinic_app.gui",),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules() -> list[tuple[Path, str, set[str]]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        layer = rel.parts[0] if len(rel.parts) > 1 else ""
        found.append((path, layer, _imports(path)))
    return found


def test_the_walk_sees_the_package() -> None:
    layers = {layer for _p, layer, _i in _modules()}
    assert {"domain", "vault", "services", "cli"} <= layers


def test_only_gui_imports_qt() -> None:
    offenders = [
        str(p.relative_to(PACKAGE)) for p, layer, names in _modules()
        if layer != "gui" and any(n.split(".")[0] in ("PySide6", "shiboken6") for n in names)
    ]
    assert offenders == []


def test_only_vault_imports_sqlcipher() -> None:
    offenders = [
        str(p.relative_to(PACKAGE)) for p, layer, names in _modules()
        if layer != "vault" and any(n.split(".")[0] in ("sqlcipher3", "sqlite3") for n in names)
    ]
    assert offenders == []


def test_no_layer_imports_one_above_it() -> None:
    offenders = []
    for path, layer, names in _modules():
        for name in names:
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN.get(layer, ())):
                offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []


def test_gui_never_touches_a_database_connection() -> None:
    """The GUI calls services with a session; it never reaches for `.conn` or runs SQL."""
    offenders = []
    for path in sorted((PACKAGE / "gui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("conn", "execute", "executemany", "executescript"):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} .{node.attr}")
    assert offenders == []
