"""Where uploaded files are kept, under which names, and how a private one is served.

The rules (what a file *is* is decided by :mod:`catalogue.images`):

* **Generated names.** Every stored upload is named here:
  ``<folder>/<uuid4 hex><extension of its verified type>`` (``.jpeg`` becomes
  ``.jpg``). The uploader's file name is never kept: it could end in
  ``.html``, carry a path, or a person's name.
* **Files under review are private.** A producer's pending photo or scan
  (``ChangeRequest.attachment``) is kept by :func:`private_storage`: a
  file-system storage at ``settings.PRIVATE_MEDIA_ROOT`` (default
  ``var/private``), which must lie outside ``MEDIA_ROOT`` and has no URL. No
  web server and no DEBUG media route reaches it; only a view that has
  checked who asks reads it, through :func:`file_response`.
* **Approval publishes a copy** into public media under a new generated name
  (:func:`copy_to`), with the type verified again from the bytes.
* **Public media never keep a page's name.** The default storage
  (:class:`PublicMediaStorage`) appends ``.bin`` to any name whose extension
  is not one of :data:`PUBLIC_EXTENSIONS` (``.html``, ``.svg``, ``.js`` ...), a
  net under uploads that do not pass through here (Oscar's dashboard:
  attribute files, category images).
* **Serving a private file** (:func:`file_response`): the type is decided
  again from the bytes, never from the stored name. A verified picture is
  shown inline with its own type; a verified PDF and anything else is a
  download (``Content-Disposition: attachment``; unknown bytes as
  ``application/octet-stream``). Every such response says
  ``X-Content-Type-Options: nosniff`` and carries its own
  ``Content-Security-Policy: default-src 'none'; img-src 'self';
  style-src 'unsafe-inline'; sandbox`` — no script can run even if a browser
  rendered the file as a page. PDFs are downloads because Chromium does not
  open its PDF viewer in a sandboxed document; the downloaded PDF opens in
  the reader of the office's computer. The site-wide CSP middleware
  (django-csp) leaves a response that already has the header alone.
"""

import os
import posixpath
import uuid
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from catalogue import images

FILE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
UNKNOWN_TYPE = "application/octet-stream"
UNKNOWN_EXTENSION = ".bin"
# What public media may be named (anything else gets ``.bin`` appended).
PUBLIC_EXTENSIONS = frozenset({*images.CANONICAL_EXTENSIONS, UNKNOWN_EXTENSION, ".csv", ".xlsx"})


def new_name(extension):
    """A fresh file name: ``<uuid4 hex><extension>`` (an unknown extension becomes ``.bin``)."""
    extension = images.CANONICAL_EXTENSIONS.get(str(extension).lower(), UNKNOWN_EXTENSION)
    return uuid.uuid4().hex + extension


@deconstructible
class GeneratedName:
    """``upload_to`` of a file field: a folder (``strftime`` codes allowed) + a generated name.

    The folder is ``folder``, or the value of the setting named ``setting``
    (e.g. Oscar's ``OSCAR_IMAGE_FOLDER``). The extension is the uploaded
    name's, lower-cased and made canonical: the field's validator has checked
    it agrees with the content; anything outside the allow-list is stored as
    ``.bin``.
    """

    def __init__(self, folder="", setting=None):
        self.folder = folder
        self.setting = setting

    def __call__(self, instance, filename):
        folder = getattr(settings, self.setting) if self.setting else self.folder
        folder = datetime.now().strftime(folder)
        return posixpath.join(folder, new_name(images.extension_of(filename)))

    def __eq__(self, other):
        return (
            isinstance(other, GeneratedName)
            and (self.folder, self.setting) == (other.folder, other.setting)
        )


class PrivateStorage(FileSystemStorage):
    """Files nobody reaches by URL, kept at ``settings.PRIVATE_MEDIA_ROOT``."""

    @property
    def base_location(self):
        private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
        public = Path(settings.MEDIA_ROOT).resolve()
        if private == public or public in private.parents:
            raise ImproperlyConfigured(
                "PRIVATE_MEDIA_ROOT must lie outside MEDIA_ROOT: files under review "
                "would be published as media."
            )
        return str(private)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("A private file has no public URL; serve it through a checked view.")


_private = PrivateStorage()


def private_storage():
    """The storage of files under review (a callable, so migrations name no path)."""
    return _private


class PublicMediaStorage(FileSystemStorage):
    """The default storage (``MEDIA_ROOT``): a name may not make a file a page."""

    def get_available_name(self, name, max_length=None):
        directory, base = posixpath.split(str(name).replace("\\", "/"))
        if images.extension_of(base) not in PUBLIC_EXTENSIONS:
            base += UNKNOWN_EXTENSION
        return super().get_available_name(posixpath.join(directory, base), max_length)


def save_upload(field_file, upload, kinds=images.SCANS):
    """Store ``upload`` in ``field_file`` (not saving the model) under a generated name.

    The type is decided again from the bytes (``ValidationError`` if it is not
    one of ``kinds`` or its name disagrees): the stored extension is the verified
    type's.
    """
    kind = images.detect(upload, kinds, name=getattr(upload, "name", None))
    upload.seek(0)
    field_file.save("upload" + kind.extension, upload, save=False)
    return kind


def copy_to(source, field_file, kinds=images.SCANS):
    """Copy the stored file ``source`` into ``field_file`` (other storage) under a new name."""
    with source.open("rb") as handle:
        kind = images.detect(File(handle), kinds)
        handle.seek(0)
        field_file.save("copy" + kind.extension, File(handle), save=False)
    return kind


def file_response(field_file, download_name):
    """The safe HTTP response of a private stored file (see the module's rules).

    ``download_name``: the name offered to the browser, without extension (the
    verified type's is added). 404 when there is no file.
    """
    if not field_file:
        raise Http404(_("Yêu cầu này không có tệp kèm theo."))
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Không tìm thấy tệp.")) from None
    kind = images.sniff(File(handle))
    handle.seek(0)
    if kind is None:
        content_type, extension, inline = UNKNOWN_TYPE, UNKNOWN_EXTENSION, False
    else:
        content_type, extension, inline = kind.content_type, kind.extension, kind.is_image
    response = FileResponse(
        handle, content_type=content_type, as_attachment=not inline,
        filename=f"{download_name}{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_POLICY
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    patch_cache_control(response, private=True, no_cache=True)
    return response


# --- Files stored before these rules (used by the data migrations) ------------------------


def _sniffed_extension(storage, name):
    with storage.open(name, "rb") as handle:
        kind = images.sniff(File(handle))
    return kind.extension if kind is not None else UNKNOWN_EXTENSION


def rename_if_unsafe(storage, name):
    """A stored public file whose name disagrees with its bytes gets a generated name.

    Returns the new name, or None when the name was fine (or the file is gone).
    A good old file keeps its name (its address does not change).
    """
    if not name or not storage.exists(name):
        return None
    extension = _sniffed_extension(storage, name)
    if images.extension_of(name) in {
        ext for ext, canonical in images.CANONICAL_EXTENSIONS.items() if canonical == extension
    }:
        return None
    return move(storage, name, storage, extension)


def move(source, name, target, extension=None):
    """Move ``name`` from storage ``source`` to ``target`` under a generated name; the new name."""
    if extension is None:
        extension = _sniffed_extension(source, name)
    with source.open(name, "rb") as handle:
        new = target.save(posixpath.join(posixpath.dirname(name), new_name(extension)), File(handle))
    source.delete(name)
    return new
