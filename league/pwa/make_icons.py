"""Draw the app icons into static/icons/. A development tool: the PNGs are committed.

Run with Pillow available: `python -m league.pwa.make_icons` (Pillow is not a runtime
dependency, so install it in a throwaway environment).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from league.web.templating import STATIC_DIR

GREEN = (15, 61, 46, 255)  # #0f3d2e
GOLD = (242, 182, 50, 255)  # #f2b632
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
ICONS_DIR = STATIC_DIR / "icons"


def draw_mark(size: int, safe_fraction: float, rounded: bool) -> Any:
    """Gold "PL" over a gold bar on brand green. `safe_fraction` keeps the mark inside the
    circle a maskable icon may be cropped to."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if rounded:
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=GREEN)
    else:
        draw.rectangle((0, 0, size, size), fill=GREEN)
    box = size * safe_fraction
    font = ImageFont.truetype(str(FONT), int(box * 0.52))
    draw.text((size / 2, size / 2 - box * 0.06), "PL", font=font, fill=GOLD, anchor="mm")
    bar_width, bar_height = box * 0.56, max(box * 0.06, 2)
    top = size / 2 + box * 0.26
    draw.rounded_rectangle(
        (size / 2 - bar_width / 2, top, size / 2 + bar_width / 2, top + bar_height),
        radius=bar_height / 2,
        fill=GOLD,
    )
    return image


def draw_badge(size: int) -> Any:
    """A one-colour mark for the status bar (Android shows only its alpha)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    font = ImageFont.truetype(str(FONT), int(size * 0.5))
    ImageDraw.Draw(image).text(
        (size / 2, size / 2), "PL", font=font, fill=(255, 255, 255, 255), anchor="mm"
    )
    return image


def main() -> None:
    ICONS_DIR.mkdir(parents=True, exist_ok=True)
    draw_mark(192, 0.9, rounded=True).save(ICONS_DIR / "icon-192.png", optimize=True)
    draw_mark(512, 0.9, rounded=True).save(ICONS_DIR / "icon-512.png", optimize=True)
    # Maskable: full bleed, mark inside the central 80% safe zone.
    draw_mark(512, 0.62, rounded=False).save(ICONS_DIR / "maskable-512.png", optimize=True)
    # iOS adds its own rounded corners and shows transparency as black: full bleed.
    draw_mark(180, 0.8, rounded=False).save(ICONS_DIR / "apple-touch-icon.png", optimize=True)
    draw_badge(96).save(ICONS_DIR / "badge-96.png", optimize=True)
    draw_mark(32, 1.0, rounded=True).save(ICONS_DIR / "favicon-32.png", optimize=True)


if __name__ == "__main__":
    main()
