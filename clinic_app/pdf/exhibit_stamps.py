"""The exhibit stamp of every exhibit in a bundle, in the bundle's language.

Each exhibit's first page carries its mark and the commissioner's block ("This is
Exhibit "A" referred to in the affidavit of … sworn (or affirmed) before me on …" /
"Ceci est la pièce « A » …"). The block is laid out once here, so the font subsets
(`render`), the room kept above the page's content (`normalize.fit(top=...)`) and the
drawing (`stamp.TextKit.block_ops`) all use the same lines.
"""

from __future__ import annotations

from clinic_app.domain.bundle import BundlePlan, BundleSpec
from clinic_app.pdf import vocab as v
from clinic_app.pdf.stamp_area import StampBlock, exhibit_block

Blocks = dict[tuple[int, int], StampBlock]  # (tab position, part index) -> the stamp of that exhibit


def exhibit_blocks(spec: BundleSpec, plan: BundlePlan) -> Blocks:
    """The stamp of each part that starts an exhibit."""
    tabs = [tab for _s, tab in spec.iter_tabs()]
    out: Blocks = {}
    for planned in plan.tabs:
        tab = tabs[planned.position]
        for n, part in enumerate(planned.parts):
            if part.starts_exhibit:
                lines = v.commissioner_block(spec.language, part.exhibit, tab.deponent, tab.sworn)
                out[(planned.position, n)] = exhibit_block(*lines, v.direction(spec.language))
    return out


def block_texts(blocks: Blocks) -> list[str]:
    """Every line the stamps print, for the font subsets."""
    return [text for block in blocks.values() for text in block.texts()]
