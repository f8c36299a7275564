"""Rich text as Saleor returns it: an Editor.js document in a JSON string.

Oscar keeps descriptions as HTML (the dashboard's editor) or plain text. Each
paragraph (``<p>``, a line break pair, a list item) becomes an Editor.js block
``{"id", "type": "paragraph" | "list", "data": {...}}``; inline tags a storefront
renders (b, i, a, br) stay in the text, anything else is dropped.
"""

import hashlib
import re
from html import unescape

from django.utils.html import strip_tags

from shop.core.numbers import is_digits

VERSION = "2.24.3"
_BLOCK = re.compile(r"<(p|li|h[1-6]|div)[^>]*>(.*?)</\1>", re.S | re.I)
_KEEP = re.compile(r"</?(?!(?:b|strong|i|em|a|br)\b)[a-z][^>]*>", re.I)


def _block_id(index, text):
    return hashlib.sha1(f"{index}:{text}".encode()).hexdigest()[:10]


def _paragraphs(text):
    text = text or ""
    if "<" in text and _BLOCK.search(text):
        return [(tag.lower(), _KEEP.sub("", inner).strip()) for tag, inner in _BLOCK.findall(text)]
    plain = unescape(strip_tags(text)) if "<" in text else text
    return [("p", part.strip().replace("\n", "<br>")) for part in re.split(r"\n\s*\n", plain)]


def document(text, time=None):
    """The Editor.js document of ``text`` as a dict (None for an empty text, as Saleor has it).

    GraphQL's ``JSONString`` scalar serialises it once: clients receive the JSON string
    Saleor sends and parse it as they parse Saleor's."""
    blocks = []
    for index, (tag, content) in enumerate(p for p in _paragraphs(text) if p[1]):
        if tag == "li":
            if blocks and blocks[-1]["type"] == "list":
                blocks[-1]["data"]["items"].append(content)
                continue
            block = {"type": "list", "data": {"style": "unordered", "items": [content]}}
        elif tag.startswith("h") and is_digits(tag[1:]):
            block = {"type": "header", "data": {"text": content, "level": int(tag[1:])}}
        else:
            block = {"type": "paragraph", "data": {"text": content}}
        block["id"] = _block_id(index, content)
        blocks.append(block)
    if not blocks:
        return None
    return {"time": int(time or 0), "blocks": blocks, "version": VERSION}


def plain_text(text):
    return unescape(strip_tags(text or "")).strip()
