"""Help → About: the facts it shows, read off the GUI thread (package metadata is file I/O)."""

from __future__ import annotations

from clinic_app.gui.tasks import Job, Op, TaskRunner
from clinic_app.i18n import _


def about_facts(runner: TaskRunner) -> Op:
    """Version, Haven's licence, and (name, version, licence, purpose) of every bundled component."""

    def work(_job: Job) -> dict[str, object]:
        from clinic_app.services import about

        components = [(c.name, c.version, c.licence, _(c.purpose)) for c in about.components()]
        components += [(name, "", licence, _("font in bundles and packages")) for name, licence, _f in about.FONTS]
        return {"version": about.version(), "licence": about.HAVEN_LICENCE, "components": components}

    return Op(runner, work, pool="render")
