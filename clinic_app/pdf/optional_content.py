"""Optional content (layers): what a source hides stays hidden in the bundle.

A bundle has no /OCProperties of its own, so a copied page would show every layer to every
viewer, including layers its author turned off. Examples are draft notes, another
language's text, or a layer hidden rather than deleted. Before a page is copied, what its
source's default configuration (/OCProperties /D) hides is taken out:
- a hidden marked-content section (`/OC ... BDC` ... `EMC`) keeps its graphics-state
  operators, which a viewer still applies when it hides the section, and loses what
  paints: text shown, paths filled or stroked (`n` instead, so a clip still clips),
  shadings, images and forms;
- an image or form whose /OC is hidden is no longer drawn;
- forms drawn by the page are cleaned the same way, inside;
- annotations whose /OC is hidden are removed before annotations are flattened.
What is left shows the same in every viewer, with or without layer support, and the hidden
text is not in the file to be found by search or copying.

Groups are read as the default view shows them: /BaseState, /ON and /OFF, and
membership dictionaries by /VE or by /OCGs with /P. Usage-based states (print-only layers)
are not applied. Sources without hidden groups are not touched, byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pikepdf
from pikepdf import Array, ContentStreamInstruction, Dictionary, Name, Operator

_MAX_DEPTH = 16  # forms inside forms, and nested visibility expressions
_MAX_TERMS = 10_000  # terms of one visibility expression: a looping one counts as hidden
_PAINT_PATH = frozenset(("S", "s", "f", "F", "f*", "B", "B*", "b", "b*"))
_DRAW = frozenset(("Tj", "TJ", "sh", "Do", "INLINE IMAGE"))
_MARKS = frozenset(("BMC", "BDC", "EMC", "MP", "DP"))
_POLICIES: dict[str, Callable[[list[bool]], bool]] = {
    "/AnyOn": any,
    "/AllOn": all,
    "/AnyOff": lambda seen: not all(seen),
    "/AllOff": lambda seen: not any(seen),
}


def hidden_groups(pdf: pikepdf.Pdf) -> frozenset[tuple[int, int]]:
    """The optional content groups (by object number) that `pdf` hides when it is opened."""
    props = pdf.Root.get("/OCProperties")
    if not isinstance(props, Dictionary):
        return frozenset()
    config = props.get("/D")
    if not isinstance(config, Dictionary):
        return frozenset()
    listed = _groups(props.get("/OCGs"))
    shown = _groups(config.get("/ON"))
    turned_off = _groups(config.get("/OFF"))
    if config.get("/BaseState") == Name.OFF:
        return frozenset((listed - shown) | turned_off)
    return frozenset(turned_off)


def hider(pdf: pikepdf.Pdf) -> Hider | None:
    """What takes `pdf`'s hidden content out of its pages, or None when it hides nothing."""
    hidden = hidden_groups(pdf)
    return Hider(pdf, hidden) if hidden else None


class _TooComplex(Exception):
    pass


class Hider:
    """Call `drop_annotations` before annotations are flattened, then `clean_pages`."""

    def __init__(self, pdf: pikepdf.Pdf, hidden: frozenset[tuple[int, int]]) -> None:
        self.pdf, self.hidden = pdf, hidden
        self._forms_done: set[tuple[int, int]] = set()
        self._verdicts: dict[tuple[int, int], bool] = {}
        self._terms = 0

    def hides(self, oc: object) -> bool:
        """Whether an /OC value (a group or a membership dictionary) is hidden by default."""
        if not isinstance(oc, Dictionary):
            return False
        key = oc.objgen if oc.is_indirect else None
        if key is not None and key in self._verdicts:
            return self._verdicts[key]
        self._terms = 0
        try:
            verdict = self._hides(oc, 0)
        except _TooComplex:
            verdict = True  # a looping or enormous expression: nobody could have seen it drawn
        if key is not None:
            self._verdicts[key] = verdict
        return verdict

    def _hides(self, oc: Dictionary, depth: int) -> bool:
        self._count(depth)
        kind = oc.get("/Type")
        if kind == Name.OCG:
            return oc.is_indirect and oc.objgen in self.hidden
        if kind != Name.OCMD:
            return False
        expression = oc.get("/VE")
        if isinstance(expression, Array) and len(expression) > 0:
            return not self._true(expression, depth + 1)
        members = [g for g in _as_list(oc.get("/OCGs")) if isinstance(g, Dictionary)]
        if not members:
            return False
        policy = _POLICIES.get(str(oc.get("/P", Name.AnyOn)), any)
        return not policy([not self._hides(g, depth + 1) for g in members])

    def _true(self, expression: object, depth: int) -> bool:
        """A visibility expression: an OCG, or [/And ...], [/Or ...], [/Not e]."""
        self._count(depth)
        if isinstance(expression, Dictionary):
            return not self._hides(expression, depth)
        if not isinstance(expression, Array) or len(expression) < 2:
            return True
        op, operands = str(expression[0]), [expression[i] for i in range(1, len(expression))]
        if op == "/Not":
            return not self._true(operands[0], depth + 1)
        values = [self._true(e, depth + 1) for e in operands]
        return all(values) if op == "/And" else any(values) if op == "/Or" else True

    def _count(self, depth: int) -> None:
        self._terms += 1
        if depth > _MAX_DEPTH or self._terms > _MAX_TERMS:
            raise _TooComplex

    def drop_annotations(self, pages: Iterable[pikepdf.Page]) -> None:
        """Remove annotations whose /OC is hidden (so flattening cannot draw them)."""
        for page in pages:
            annots = page.obj.get("/Annots")
            if not isinstance(annots, Array):
                continue
            kept = [a for a in annots if not (isinstance(a, Dictionary) and self.hides(a.get("/OC")))]
            if len(kept) != len(annots):
                page.obj[Name.Annots] = Array(kept)

    def clean_pages(self, pages: Iterable[pikepdf.Page]) -> None:
        """Take hidden content out of each page's content and the forms it draws."""
        for page in pages:
            resources = page.obj.get("/Resources")
            kept = self._filter(pikepdf.parse_content_stream(page),
                                resources if isinstance(resources, Dictionary) else None, 0)
            if kept is not None:
                page.obj[Name.Contents] = self.pdf.make_stream(pikepdf.unparse_content_stream(kept))

    def _clean_form(self, form: pikepdf.Stream, outer: Dictionary | None, depth: int) -> None:
        if form.objgen in self._forms_done or depth > _MAX_DEPTH:
            return
        self._forms_done.add(form.objgen)
        resources = form.get("/Resources")
        kept = self._filter(pikepdf.parse_content_stream(form),
                            resources if isinstance(resources, Dictionary) else outer, depth)
        if kept is not None:
            form.write(pikepdf.unparse_content_stream(kept))

    def _filter(self, instructions: list, resources: Dictionary | None, depth: int) -> list | None:
        """The instructions with hidden content taken out, or None when nothing is hidden."""
        out: list = []
        changed = False
        hiding = 0  # depth of marked-content nesting inside a hidden section
        for ins in instructions:
            op = str(ins.operator)
            if hiding:
                if op in ("BMC", "BDC"):
                    hiding += 1
                elif op == "EMC":
                    hiding -= 1
                changed = True
                out.extend(_silenced(ins, op))
                continue
            if op == "BDC" and self._hidden_section(ins.operands, resources):
                hiding, changed = 1, True
                continue
            if op == "Do" and self._drawn_object_hidden(ins.operands, resources, depth):
                changed = True
                continue
            out.append(ins)
        return out if changed else None

    def _hidden_section(self, operands: list, resources: Dictionary | None) -> bool:
        if len(operands) < 2 or operands[0] != Name.OC:
            return False
        props = operands[1]
        if isinstance(props, Name):
            table = resources.get("/Properties") if resources is not None else None
            props = table.get(str(props)) if isinstance(table, Dictionary) else None
        return self.hides(props)

    def _drawn_object_hidden(self, operands: list, resources: Dictionary | None, depth: int) -> bool:
        """Whether a `Do` draws a hidden image or form; a visible form is cleaned inside."""
        table = resources.get("/XObject") if resources is not None else None
        drawn = table.get(str(operands[0])) if operands and isinstance(table, Dictionary) else None
        if not isinstance(drawn, pikepdf.Stream):
            return False
        if self.hides(drawn.get("/OC")):
            return True
        if drawn.get("/Subtype") == Name.Form:
            self._clean_form(drawn, resources, depth + 1)
        return False


def _silenced(ins: object, op: str) -> list:
    """What stays of one instruction inside hidden content: its effect on the graphics state."""
    if op in _MARKS or op in _DRAW:
        return []
    if op in _PAINT_PATH:
        return [ContentStreamInstruction([], Operator("n"))]  # the path ends; a W before it still clips
    if op == "'":
        return [ContentStreamInstruction([], Operator("T*"))]
    if op == '"':
        operands = list(ins.operands)  # type: ignore[attr-defined]
        if len(operands) == 3:
            return [ContentStreamInstruction([operands[0]], Operator("Tw")),
                    ContentStreamInstruction([operands[1]], Operator("Tc")),
                    ContentStreamInstruction([], Operator("T*"))]
        return []
    return [ins]


def _groups(value: object) -> set[tuple[int, int]]:
    return {g.objgen for g in _as_list(value) if isinstance(g, Dictionary) and g.is_indirect}


def _as_list(value: object) -> list:
    if isinstance(value, Array):
        return list(value)
    return [] if value is None else [value]
