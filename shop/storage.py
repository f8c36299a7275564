"""The media store shared by every app process: an S3-compatible bucket (django-storages).

Chosen in ``settings.STORAGES["default"]`` when ``MEDIA_S3_BUCKET`` is set; otherwise
media stay on this machine's disk (``catalogue.uploads.PublicMediaStorage`` at
``MEDIA_ROOT``). The bucket keeps the disk store's rule: a public file's name never
makes it a page (``catalogue.uploads``: an extension outside the public ones gets
``.bin``). Files are read through public URLs (``MEDIA_S3_CUSTOM_DOMAIN`` or the
bucket's), never signed, and a new file never overwrites an old one.
"""

import posixpath

from storages.backends.s3 import S3Storage

from catalogue import images, uploads


class PublicS3MediaStorage(S3Storage):
    def get_available_name(self, name, max_length=None):
        directory, base = posixpath.split(str(name).replace("\\", "/"))
        if images.extension_of(base) not in uploads.PUBLIC_EXTENSIONS:
            base += uploads.UNKNOWN_EXTENSION
        return super().get_available_name(posixpath.join(directory, base), max_length)
