"""Generated product photos for the demo: a gradient per OCOP group and the product's name.

Drawn with Pillow; a TrueType font with Vietnamese glyphs is taken from
``/usr/share/fonts`` when one is there (DejaVu Sans, Liberation Sans), else
Pillow's own scalable default font.
"""

import functools
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from shop.demo import data

SIZE = 800
MARGIN = 80
TEXT_WIDTH = SIZE - 2 * MARGIN
MAX_LINES = 5
TEXT_HEIGHT = 440  # between the group label and the footer
LINE_SPACING = 1.22
FONT_DIR = Path("/usr/share/fonts")
FONT_NAMES = ("DejaVuSans-Bold.ttf", "DejaVuSans.ttf", "LiberationSans-Bold.ttf")

# (top colour, bottom colour) per OCOP group
GROUP_COLOURS = {
    data.FOOD: ((92, 52, 28), (201, 140, 62)),  # roasted coffee to ripe cherry
    data.DRINKS: ((88, 24, 69), (199, 80, 100)),  # rượu ghè, passion fruit
    data.HERBS: ((22, 78, 52), (120, 180, 96)),  # forest and leaves
    data.CRAFTS: ((120, 20, 30), (36, 36, 60)),  # thổ cẩm red on indigo
    data.TOURISM: ((18, 70, 110), (64, 160, 150)),  # mountains and rivers
    data.COMBOS: ((150, 100, 10), (230, 190, 80)),
}
DEFAULT_COLOURS = ((60, 60, 60), (150, 150, 150))


@functools.cache
def font_path():
    """The path of a TrueType font with Vietnamese glyphs, or None."""
    if not FONT_DIR.is_dir():
        return None
    for name in FONT_NAMES:
        found = next(FONT_DIR.rglob(name), None)
        if found is not None:
            return found
    return None


@functools.cache
def load_font(size):
    path = font_path()
    if path is not None:
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def wrap(text, font, width):
    """``text`` cut into lines no wider than ``width`` pixels (a long word keeps its line)."""
    lines = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def shorten(text, font, width):
    """``text``, cut after a whole word with "…" when it is wider than ``width``."""
    if font.getlength(text) <= width:
        return text
    words = text.rstrip(",").split()
    while words and font.getlength(" ".join(words).rstrip(",") + "…") > width:
        words.pop()
    return " ".join(words).rstrip(",") + "…"


def fit_title(title):
    """The largest font (and the lines) that fits ``title`` in at most MAX_LINES lines."""
    for size in range(88, 35, -6):
        font = load_font(size)
        lines = wrap(title, font, TEXT_WIDTH)
        fits_width = all(font.getlength(x) <= TEXT_WIDTH for x in lines)
        fits_height = len(lines) * round(size * LINE_SPACING) <= TEXT_HEIGHT
        if len(lines) <= MAX_LINES and fits_width and fits_height:
            return font, lines
    return font, lines[:MAX_LINES]


@functools.cache
def gradient(top, bottom):
    """A vertical gradient (cached: callers draw on a copy)."""
    mask = Image.linear_gradient("L").resize((SIZE, SIZE))
    return Image.composite(Image.new("RGB", (SIZE, SIZE), bottom),
                           Image.new("RGB", (SIZE, SIZE), top), mask)


def centred(draw, y, text, font, fill, shadow=True):
    x = (SIZE - draw.textlength(text, font=font)) / 2
    if shadow:
        draw.text((x + 3, y + 3), text, font=font, fill=(0, 0, 0))
    draw.text((x, y), text, font=font, fill=fill)


def product_photo(title, group, stars=None):
    """JPEG bytes of an 800×800 picture: ``title`` in large letters on ``group``'s gradient."""
    top, bottom = GROUP_COLOURS.get(group, DEFAULT_COLOURS)
    image = gradient(top, bottom).copy()
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(
        [40, 40, SIZE - 40, SIZE - 40], radius=36, outline=(255, 255, 255), width=5
    )

    small = load_font(30)
    centred(draw, 78, shorten(group, small, TEXT_WIDTH), small, (255, 240, 210))

    font, lines = fit_title(title)
    line_height = round(font.size * LINE_SPACING)
    y = (SIZE - line_height * len(lines)) / 2
    for line in lines:
        centred(draw, y, line, font, (255, 255, 255))
        y += line_height

    footer = "OCOP Đăk Hà" + (f"   {'★' * stars}" if stars else "")
    centred(draw, SIZE - 130, footer, load_font(40), (255, 214, 90))

    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()
