"""Render resources/icons/haven.svg into the PNG, ICO and ICNS files the builds use.

    /path/to/venv/bin/python packaging/make_icons.py

Needs PySide6 (QtSvg, to draw the SVG) and Pillow (to write .ico and .icns), both
already dependencies of Haven. The renders are committed, so a build never runs this.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(ICONS / "haven.svg"))
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def main() -> int:
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication(sys.argv[:1])
    images = {size: Image.open(io.BytesIO(render(size))).convert("RGBA") for size in set(PNG_SIZES + ICNS_SIZES)}
    for size in PNG_SIZES:
        images[size].save(ICONS / f"haven-{size}.png", optimize=True)
    images[256].save(ICONS / "haven.ico", sizes=[(s, s) for s in ICO_SIZES],
                     append_images=[images[s] for s in ICO_SIZES if s != 256])
    images[1024].save(ICONS / "haven.icns", append_images=[images[s] for s in ICNS_SIZES if s != 1024])
    print(f"wrote {len(PNG_SIZES)} PNG files, haven.ico and haven.icns in {ICONS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
