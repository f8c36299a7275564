"""Meta (Facebook) Page ``feed`` webhook: signature, subscription handshake, new comments.

Pure functions, no Django: the view reads the raw body, the ``X-Hub-Signature-256`` header
and the query string, and hands them here.

* Every POST from Meta carries ``X-Hub-Signature-256: sha256=<hex>``, the HMAC-SHA256 of
  the raw body keyed with the app secret; :func:`verify_signature` checks it in constant time.
* Subscribing, Meta sends a GET with ``hub.mode=subscribe``, ``hub.verify_token`` and
  ``hub.challenge``; :func:`verification_response` gives the challenge to echo back when the
  token is ours.
* :func:`feed_comments` picks the new comments (``field == "feed"``, ``item == "comment"``,
  ``verb == "add"``) out of a delivery; edits, removals, reactions and posts are ignored,
  and a malformed piece is skipped rather than failing the whole delivery.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass

SIGNATURE_PREFIX = "sha256="


@dataclass(frozen=True)
class FeedComment:
    comment_id: str
    post_id: str
    author: str
    message: str
    created_time: int | None


def sign(body: bytes, app_secret: str) -> str:
    """The ``X-Hub-Signature-256`` header value Meta would send with ``body``."""
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def verify_signature(body: bytes, header: str | None, app_secret: str) -> bool:
    """Whether ``header`` is the HMAC-SHA256 signature of exactly ``body`` with ``app_secret``."""
    if not app_secret or not isinstance(header, str) or not isinstance(body, bytes | bytearray):
        return False
    header = header.strip()
    if not header.startswith(SIGNATURE_PREFIX):
        return False
    given = header[len(SIGNATURE_PREFIX):].lower()
    if len(given) != 64 or any(c not in "0123456789abcdef" for c in given):
        return False
    expected = sign(bytes(body), app_secret)[len(SIGNATURE_PREFIX):]
    return hmac.compare_digest(given.encode(), expected.encode())


def verification_response(params: Mapping, verify_token: str) -> str | None:
    """The challenge to answer Meta's subscription GET with, or None to refuse it."""
    if not verify_token:
        return None
    mode = params.get("hub.mode")
    token = params.get("hub.verify_token")
    challenge = params.get("hub.challenge")
    if mode != "subscribe" or not isinstance(token, str) or not isinstance(challenge, str):
        return None
    if not hmac.compare_digest(token.encode(), verify_token.encode()):
        return None
    return challenge


def _text(value) -> str | None:
    """A non-empty id or text as a string (Meta sends ids as strings, sometimes as numbers)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _comment(value) -> FeedComment | None:
    if not isinstance(value, dict):
        return None
    if value.get("item") != "comment" or value.get("verb") != "add":
        return None
    comment_id = _text(value.get("comment_id"))
    post_id = _text(value.get("post_id"))
    message = value.get("message")
    if comment_id is None or post_id is None or not isinstance(message, str):
        return None
    sender = value.get("from")
    author = ""
    if isinstance(sender, dict) and isinstance(sender.get("name"), str):
        author = sender["name"].strip()
    created = value.get("created_time")
    if isinstance(created, bool) or not isinstance(created, int):
        created = None
    return FeedComment(
        comment_id=comment_id, post_id=post_id, author=author, message=message,
        created_time=created,
    )


def feed_comments(payload: dict) -> list[FeedComment]:
    """The new comments in a Page webhook delivery, in the order Meta sent them.

    Raises ValueError when the payload is not a Page delivery at all (not a dict, or
    ``object`` is not ``"page"``); anything malformed inside it is skipped.
    """
    if not isinstance(payload, dict) or payload.get("object") != "page":
        raise ValueError("not a Page webhook payload")
    comments = []
    entries = payload.get("entry")
    if not isinstance(entries, list):
        return comments
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        changes = entry.get("changes")
        if not isinstance(changes, list):
            continue
        for change in changes:
            if not isinstance(change, dict) or change.get("field") != "feed":
                continue
            comment = _comment(change.get("value"))
            if comment is not None:
                comments.append(comment)
    return comments
