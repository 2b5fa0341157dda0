"""Haven's licence and every bundled component's: Apache-2.0 for Haven, and only licences it
may ship for the rest (MIT, BSD, Apache, MPL, LGPL and their permissive kin; no GPL)."""

from __future__ import annotations

import hashlib
import importlib.metadata as md
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

from clinic_app.services import about

REPO = Path(__file__).resolve().parents[2]
APACHE_2_MD5 = "3b83ef96387f14655fc854ddc3c6bd57"  # https://www.apache.org/licenses/LICENSE-2.0.txt


# Licences a component may use: the house list (MIT, BSD, Apache, MPL, LGPL), and permissive
# licences of the same kind that some components use (MIT-0 and MIT-CMU are MIT variants;
# Zlib, PSF-2.0, and for fonts Bitstream Vera and the SIL Open Font License).
ALLOWED = re.compile(r"^(MIT|MIT-0|MIT-CMU|BSD-[23]-Clause|Apache-2\.0|MPL-2\.0|LGPL-[23]\.[01](-only|-or-later)?|"
                     r"Zlib|PSF-2\.0|Bitstream-Vera|OFL-1\.1)$")


def licence_allowed(expression: str) -> bool:
    """Every licence named in an SPDX expression is one Haven may ship."""
    ids = [t for t in re.split(r"\s+|\(|\)", expression) if t and t not in ("OR", "AND", "WITH")]
    return bool(ids) and all(ALLOWED.match(t) for t in ids)


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(text: str) -> str:
    return re.split(r"[<>=!~;\[ ]", text, maxsplit=1)[0]


def test_haven_is_apache_2_with_the_full_licence_text() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == about.HAVEN_LICENCE == "Apache-2.0"
    text = (REPO / "LICENSE").read_bytes()
    assert hashlib.md5(text).hexdigest() == APACHE_2_MD5  # noqa: S324 - identifies the canonical text
    assert b"END OF TERMS AND CONDITIONS" in text


def test_every_runtime_dependency_is_listed_with_an_allowed_licence() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = {_norm(name) for name in about.RUNTIME}
    direct = {_norm(_requirement_name(dep)) for dep in project["dependencies"]}
    assert direct <= listed, direct - listed
    # and what they pull in at run time on this Python (a new transitive dependency fails here)
    seen, todo = set(), list(direct)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for text in md.distribution(name).requires or []:
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(_norm(req.name))
    assert seen <= listed, seen - listed
    for name, (licence, _purpose) in about.RUNTIME.items():
        assert licence_allowed(licence), (name, licence)
    assert not licence_allowed("GPL-3.0-only") and not licence_allowed("MIT OR AGPL-3.0-only")


def test_the_checked_licence_is_one_the_package_itself_declares() -> None:
    for component in about.components():
        declared = component.declared
        if not declared or not re.fullmatch(r"[A-Za-z0-9.\-+ ()]+", declared) or " " in declared.replace(
                " OR ", "|").replace(" AND ", "&"):
            continue  # free text such as "BSD license (see ...)": checked by hand, see the table
        ids = set(re.findall(r"[A-Za-z0-9.\-+]+", declared)) - {"OR", "AND"}
        checked = set(re.findall(r"[A-Za-z0-9.\-+]+", component.licence)) - {"OR", "AND"}
        assert checked <= ids, (component.name, component.licence, declared)
