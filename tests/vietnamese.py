"""Reading a page as a Vietnamese visitor sees it, and finding English left in it.

Used by tests/test_vietnamese_pages.py (Django's test client) and the dashboard's
browser test. A page's *visible text* is its text outside <script>, <style> and
<template>, plus the attributes a person reads or hears (placeholder, title,
aria-label, alt, the label of a submit input).

A msgid is *left untranslated* when it appears, as a whole phrase, in the visible
text of a page rendered in Vietnamese while the Vietnamese catalogue (Oscar's, with
the project's locale/vi overriding it) gives it another text, or none at all for an
English msgid of Oscar's. Placeholders (%(name)s, %s) split a msgid into its literal
parts; the longest part must be at least two words to count.
"""

import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import oscar
from django.conf import settings
from django.utils import translation

OSCAR_PO = Path(oscar.__file__).parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"
PROJECT_PO = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"

# English a reader meets on these pages, whatever catalogue it comes from.
ENGLISH_FRAGMENTS = [
    "Your basket total is now", "Page 1 of", "Offers, vouchers", "Oops", "Cam kết thực hiện",
    "hách hàng", "trước khi thoát", "Forbidden", "Not Found", "Server Error",
    "Basket", "Checkout", "Login", "Log in", "Register", "Sign in", "Search",
    "Add to basket", "Continue shopping", "Dashboard", "Welcome", "Return to site",
    "Deleted", "Order #", "Customer Information", "Order Information", "Thank you",
    "Your order", "Proceed to checkout", "previous", "next",
]

# Words that read the same in Vietnamese (names, codes) and are Oscar msgids too.
SAME_IN_VIETNAMESE = {"Email", "email", "UPC", "SKU", "OCOP", "CSV", "PDF", "URL", "Stripe", "Facebook",
                      "Zalo", "Tiki", "Shopee", "Google", "Twitter", "Partner SKU", "HTML"}

_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


class _Visible(HTMLParser):
    HIDDEN = {"script", "style", "template", "noscript"}
    SPOKEN = ("placeholder", "title", "aria-label", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        attrs = dict(attrs)
        self.parts.extend(attrs[a] for a in self.SPOKEN if attrs.get(a))
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html):
    parser = _Visible()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def _read_po(path):
    """(msgid, msgstr) of a .po file, without plural, fuzzy or obsolete entries."""
    entries, current, fuzzy = [], {}, False
    key = None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith(("msgid ", "msgstr ", "msgid_plural ", "msgctxt ")):
            key, _, value = line.partition(" ")
            current[key] = value[1:-1]
        elif line.startswith('"') and key:
            current[key] += line[1:-1]
        elif not line.strip():
            if "msgid" in current and current["msgid"] and "msgid_plural" not in current and not fuzzy:
                unescape = lambda s: s.encode("latin-1", "backslashreplace").decode("unicode_escape")  # noqa: E731
                entries.append((unescape(current["msgid"]), unescape(current.get("msgstr", ""))))
            current, fuzzy, key = {}, False, None
    return entries


@lru_cache
def catalogue_phrases():
    """{literal phrase of a msgid: the msgid}, for the msgids of Oscar's and the project's catalogues."""
    phrases = {}
    project = {msgid for msgid, _msgstr in _read_po(PROJECT_PO)}
    for path in (OSCAR_PO, PROJECT_PO):
        for msgid, _msgstr in _read_po(path):
            if path == OSCAR_PO and msgid in project:
                continue  # overridden by the project: judged below as the project's
            parts = [p.strip() for p in _PLACEHOLDER.split(msgid)]
            longest = max(parts, key=len)
            if "<" in longest or ">" in longest:
                continue  # markup in the msgid: the page's text is not the msgid's
            if len(longest.split()) < 2 and not (longest == msgid.strip() and len(longest) >= 4):
                continue
            if longest in SAME_IN_VIETNAMESE or not re.search(r"[A-Za-zÀ-ỹ]", longest):
                continue
            phrases.setdefault(longest, (msgid, path == OSCAR_PO))
    return phrases


def untranslated(text):
    """The msgids whose phrase is in ``text`` while Vietnamese says something else."""
    found = []
    with translation.override("vi"):
        for phrase, (msgid, oscars) in catalogue_phrases().items():
            if not re.search(r"(?<![\w])" + re.escape(phrase) + r"(?![\w])", text):
                continue
            if translation.gettext(msgid) != msgid or (oscars and _is_english(msgid)):
                found.append(msgid)
    return found


def _is_english(msgid):
    """An msgid of Oscar's (English) left as it is: plain ASCII letters."""
    return msgid.isascii() and re.search(r"[A-Za-z]{2}", msgid) is not None


def english_fragments(text):
    return [f for f in ENGLISH_FRAGMENTS if re.search(r"(?<![\w])" + re.escape(f) + r"(?![\w])", text)]
