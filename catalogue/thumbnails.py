"""Product photo renditions on disk, with no database rows.

Oscar asks its thumbnailer for a rendition in every product card. Library
thumbnailers keep a key/value row per rendition, i.e. one query per card; this
one names the file after the source and the options, so a listing page costs
no query per product.
"""

import hashlib
import io
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from oscar.core.thumbnails import AbstractThumbnailer
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

CACHE_DIR = "cache/renditions"


@dataclass
class Rendition:
    name: str
    url: str
    width: int
    height: int


def _parse_size(size):
    width, _, height = str(size).partition("x")
    return (int(width) if width else None, int(height) if height else None)


class FileThumbnailer(AbstractThumbnailer):
    def generate_thumbnail(self, source, **opts):
        source_name = getattr(source, "name", source)
        if not source_name:
            return None
        width, height = _parse_size(opts.get("size", "x155"))
        crop = bool(opts.get("crop"))
        upscale = opts.get("upscale", True)
        key = hashlib.sha1(f"{source_name}|{width}|{height}|{crop}|{upscale}".encode()).hexdigest()
        name = f"{CACHE_DIR}/{key[:2]}/{key}.jpg"
        box = (width or 10000, height or 10000)
        if not default_storage.exists(name):
            try:
                with default_storage.open(source_name, "rb") as fh:
                    image = Image.open(fh)
                    image = ImageOps.exif_transpose(image).convert("RGB")
                if crop and width and height:
                    image = ImageOps.fit(image, box)
                elif upscale is False or upscale == "False":
                    image.thumbnail(box)
                else:
                    image = ImageOps.contain(image, box)
                buffer = io.BytesIO()
                image.save(buffer, "JPEG", quality=85)
                default_storage.save(name, ContentFile(buffer.getvalue()))
            except (OSError, ValueError):
                logger.warning("Cannot render %s", source_name, exc_info=True)
                return None
        return Rendition(name=name, url=default_storage.url(name), width=box[0], height=box[1])

    def delete_thumbnails(self, source):
        # Renditions are named by a hash of source and options; stale files are
        # harmless and are cleared with the media cache folder.
        return None
