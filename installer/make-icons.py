"""Render the app icon for the installers from resources/icons/app.svg.

    QT_QPA_PLATFORM=offscreen python installer/make-icons.py

writes resources/icons/app-icon.png (1024 px), app-icon.ico (Windows: 16-256 px) and
app-icon.icns (macOS: 16-1024 px). The results are committed, so the platform build scripts need
neither Qt's SVG renderer nor Pillow. Run it again after app.svg changes
(tests/test_packaging.py checks that the three files exist and are what their names say).
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SOURCE = ICONS / "app.svg"
SIZE = 1024


def render_png(size: int = SIZE) -> bytes:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SOURCE}")
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

    png = render_png()
    (ICONS / "app-icon.png").write_bytes(png)
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    image.save(
        ICONS / "app-icon.ico",
        sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)],
    )
    image.save(ICONS / "app-icon.icns")  # Pillow writes every size from 16 to 1024 px
    for name in ("app-icon.png", "app-icon.ico", "app-icon.icns"):
        print(f"{ICONS / name}: {(ICONS / name).stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
