#!/usr/bin/env python3
"""Write resources/color/sRGB.icc, the OutputIntent profile of the Factur-X PDFs (PDF/A-3B).

The profile is Little CMS's built-in sRGB (IEC 61966-2.1) as Pillow's ImageCms makes it
("No copyright, use freely"), with its version set from 4.4 to 4.2: PDF 1.7, which PDF/A-3 is
based on, refers to ICC.1:2004-10 (version 4.2), and the profile uses nothing newer. The profile
id (an MD5 of the profile, ICC.1 section 7.2.18) is computed again after that change.

    .venv/bin/python scripts/make_srgb_profile.py
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PIL import ImageCms

TARGET = Path(__file__).resolve().parent.parent / "resources" / "color" / "sRGB.icc"


def profile() -> bytes:
    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    assert data[36:40] == b"acsp" and data[12:16] == b"mntr", "not a display profile"
    data[8:12] = bytes((4, 0x20, 0, 0))
    hashed = bytearray(data)
    hashed[44:48] = bytes(4)  # profile flags
    hashed[64:68] = bytes(4)  # rendering intent
    hashed[84:100] = bytes(16)  # the profile id itself
    data[84:100] = hashlib.md5(hashed).digest()
    return bytes(data)


if __name__ == "__main__":
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(profile())
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes)")
