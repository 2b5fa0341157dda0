"""Every service function that changes the record is called from the window or the command
line (issue 17: "a capability is done when a person can reach it from the window, and a
script from the command line").

Read from the code with `ast`, not run: a public function in clinic_app/services whose
first parameter is the session and which opens a transaction or writes an audit row
(itself, or through the service functions it calls) must be reachable from clinic_app/gui
or clinic_app/cli, directly or through other service functions they call. The few that
are not are listed in EXCEPTIONS, each with its reason; an exception that becomes
reachable, or stops writing, must leave the list.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "clinic_app"
Key = tuple[str, str]  # (module, function)

EXCEPTIONS: dict[Key, str] = {}  # none at present: a new one needs its reason here


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT.parent).with_suffix("").parts).removesuffix(".__init__")


class Scan:
    """Functions of clinic_app/services, the names each module imports, and who calls whom."""

    def __init__(self) -> None:
        self.trees = {_module(p): ast.parse(p.read_text(encoding="utf-8")) for p in (ROOT / "services").rglob("*.py")}
        self.functions: dict[Key, ast.FunctionDef] = {}
        for mod, tree in self.trees.items():
            for node in tree.body:
                if isinstance(node, ast.FunctionDef):
                    self.functions[(mod, node.name)] = node
        self.calls = {key: self.references(node, key[0]) for key, node in self.functions.items()}

    def resolve(self, key: Key, seen: frozenset[Key] = frozenset()) -> Key | None:
        """`module.name` as the function it is, following re-exports (services/packages.py)."""
        if key in self.functions:
            return key
        tree = self.trees.get(key[0])
        if tree is None or key in seen:
            return None
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    if (alias.asname or alias.name) == key[1]:
                        return self.resolve((node.module, alias.name), seen | {key})
        return None

    def aliases(self, tree: ast.AST, module: str) -> dict[str, Key | str]:
        """Local name -> a services module, or the (module, name) it was imported as."""
        names: dict[str, Key | str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                source = node.module
                if node.level:
                    source = ".".join(module.split(".")[:-node.level] + [node.module])
                for alias in node.names:
                    full = f"{source}.{alias.name}"
                    names[alias.asname or alias.name] = full if full in self.trees else (source, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in self.trees:
                        names[alias.asname or alias.name] = alias.name
        return names

    def references(self, node: ast.AST, module: str, names: dict[str, Key | str] | None = None) -> set[Key]:
        """Service functions `node` names: called, passed or imported."""
        tree = self.trees.get(module, node)
        names = names if names is not None else self.aliases(tree, module)
        found: set[Key] = set()
        for sub in ast.walk(node):
            key: Key | None = None
            if isinstance(sub, ast.Name):
                target = names.get(sub.id)
                key = target if isinstance(target, tuple) else (module, sub.id)
            elif isinstance(sub, ast.Attribute):
                chain, value = [sub.attr], sub.value
                while isinstance(value, ast.Attribute):
                    chain.append(value.attr)
                    value = value.value
                if isinstance(value, ast.Name):
                    base = names.get(value.id)
                    if isinstance(base, str):
                        key = (".".join([base, *reversed(chain[1:])]), chain[0])
            elif isinstance(sub, ast.ImportFrom) and sub.module:
                found |= {k for a in sub.names if (k := self.resolve((sub.module, a.name)))}
            if key is not None and (resolved := self.resolve(key)):
                found.add(resolved)
        return found

    def writers(self) -> set[Key]:
        """Public session functions that open a transaction or audit, themselves or through callees."""
        def direct(node: ast.AST) -> bool:
            return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                       and n.func.attr in ("transaction", "audit") for n in ast.walk(node))

        writes = {key for key, node in self.functions.items() if direct(node)}
        grew = True
        while grew:
            grew = False
            for key, called in self.calls.items():
                if key not in writes and called & writes:
                    writes.add(key)
                    grew = True
        return {key for key in writes if not key[1].startswith("_") and self.takes_session(key)}

    def takes_session(self, key: Key) -> bool:
        args = self.functions[key].args.args
        return bool(args) and args[0].arg == "session"

    def reached(self) -> set[Key]:
        """Everything the window and the command line reach, through any chain of service calls."""
        start: set[Key] = set()
        for folder in ("gui", "cli"):
            for path in (ROOT / folder).rglob("*.py"):
                tree = ast.parse(path.read_text(encoding="utf-8"))
                start |= self.references(tree, _module(path), self.aliases(tree, _module(path)))
                strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
                # gui/operations/adapters.py names functions by string, with their module's path
                start |= {k for k in self.functions if k[1] in strings and k[0] in strings}
        start |= {("clinic_app.services.evidence", name) for name in ("update_metadata", "update_document_meta")
                  if ("clinic_app.services.evidence", name) in self.functions}  # adapters._UPDATE_NAMES
        seen, todo = set(start), list(start)
        while todo:
            for callee in self.calls.get(todo.pop(), ()):
                if callee not in seen:
                    seen.add(callee)
                    todo.append(callee)
        return seen


@functools.cache
def _scan() -> tuple[set[Key], set[Key]]:
    scan = Scan()
    return scan.writers(), scan.reached()


def test_every_service_that_changes_the_record_is_reachable() -> None:
    writers, reached = _scan()
    assert len(writers) > 40 and ("clinic_app.services.case_record", "save_client") in writers  # the scan works
    unreachable = sorted(writers - reached - set(EXCEPTIONS))
    assert unreachable == [], "reach these from the window and the command line, or list them with a reason"


def test_the_exceptions_are_still_exceptions() -> None:
    writers, reached = _scan()
    for key, reason in EXCEPTIONS.items():
        assert reason and key in writers and key not in reached, key
