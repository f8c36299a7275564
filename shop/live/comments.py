"""Reading a viewer's "chốt đơn" comment: a phone, an item code and a quantity.

During a live the seller announces item codes (``SAM2``, ``CF1``, ``A3``); a viewer who
wants one types a comment such as ``0987654321 SAM2 x2`` or ``chốt 2 hộp cf1 sdt
0905.123.456``. :func:`parse_comment` reads it. It is a pure function: no database, no
translation; its ``problems`` are machine codes that the caller turns into words.

Rules, as a seller can explain them to viewers
----------------------------------------------

Everything is read without accents and without case: ``chốt``, ``chot`` and ``CHỐT``
are the same word, ``đ`` reads as ``d``.

**Phone.** A Vietnamese mobile number of 10 digits starting 03, 05, 07, 08 or 09,
written in any common way: ``0987654321``, ``0987.654.321``, ``0987 654 321``,
``0987-654-321``, ``+84987654321``, ``84987654321``, ``+84 987 654 321``,
``(+84)987654321`` (also ``+84 0987...``). It is returned as ``0987654321``.
A partly hidden number (``09xx...``, ``0987***321``) is no phone, nor is a number
missing its first 0 (``987654321``). When a comment holds two numbers, the first counts.
Words around it (``sđt``, ``đt``, ``ib``, ``inbox``) are not needed and do no harm.

**Code.** One of the codes announced in the session, as a whole word, in any case and
with or without accents: ``sam2``, ``Sam2``, ``SAM2`` all read as ``SAM2``; a quantity may
be glued after it (``SAM2x2``). Only when no code is written exactly, a space, dot or
dash (or spaces) between its letters and its digits is accepted too (``sam 2``, ``SAM-2``).
The same code twice is fine; two different codes in one comment is ``ambiguous_code``
(the viewer must comment once per item). A code that is only digits cannot be told
from a phone or a quantity: announce codes with at least one letter.

**Quantity** (1 to 99; none written means the caller's default, one):
``x2``, ``x 2``, ``*2``; a number before a unit word ``2 hộp``, ``2hop``, ``2 cái``,
``2 chai``, ``2 gói``, ``2 túi``, ``2 lọ``, ``2 hũ``, ``2 phần``, ``2 combo``, ``2 sp``
(also ``bịch``, ``thùng``, ``lon``, ``cặp``, ``suất``, ``bộ``); a number after ``lấy``,
``chốt``, ``mua``, ``đặt``, ``cho mình``/``cho em``, ``sl``, ``sl:``, ``số lượng``;
a number just before the code (``2 SAM2``). Number words ``một``, ``hai``, ``ba``,
``bốn``, ``năm`` count only before a unit word (``hai hộp``). The phone's digits and the
code's own digits are never a quantity. A quantity of 0 or above 99, or two different
quantities in one comment (``2 SAM2 x3``), is ``bad_quantity``: the seller asks again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from shop.core.numbers import is_digits

NO_PHONE = "no_phone"
NO_CODE = "no_code"
AMBIGUOUS_CODE = "ambiguous_code"
BAD_QUANTITY = "bad_quantity"

MAX_QUANTITY = 99

MOBILE_PREFIXES = frozenset("35789")

UNITS = frozenset({
    "hop", "cai", "chai", "goi", "tui", "lo", "hu", "phan", "combo", "sp",
    "bich", "thung", "lon", "cap", "suat", "bo",
})
NUMBER_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5}
# Words after which a number is the quantity: "lấy 2", "sl: 2", "số lượng 2", "cho mình 2".
QUANTITY_LEADS = (
    ("lay",), ("chot",), ("mua",), ("dat",), ("sl",), ("so", "luong"),
    ("cho", "minh"), ("cho", "em"), ("cho", "e"),
)

CODE_MARK = "\u00a7"  # stands for the matched code in the text left for quantities

# A run of digit groups separated by spaces, dots or dashes; each group may carry a "+".
_DIGIT_RUN = re.compile(r"\+?\d+(?:[ .\-]+\+?\d+)*")
_DIGIT_GROUP = re.compile(r"\d+")
# A partly hidden phone: 09xx..., 0987***321, +8498xxxx.
_HIDDEN_PHONE = re.compile(r"(?<!\d)(?:\+?84|0)\d{0,8}[x*]{2,}(?:[.\-]?[\dx*]+)*\.*")
_TOKEN = re.compile(rf"\d+|[a-z]+|{CODE_MARK}|[*:]")


@dataclass(frozen=True)
class ParsedComment:
    phone: str | None
    code: str | None
    quantity: int | None
    problems: tuple[str, ...]

    @property
    def readable(self) -> bool:
        return self.phone is not None and self.code is not None and not self.problems


def fold(text: str) -> str:
    """Lower case, without diacritics (``đ`` → ``d``), compatibility forms unified."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def normalise_phone(digits: str) -> str | None:
    """The 10-digit national form of a Vietnamese mobile number given as bare digits."""
    if digits.startswith("840"):
        digits = digits[2:]
    elif digits.startswith("84"):
        digits = "0" + digits[2:]
    if len(digits) == 10 and digits[0] == "0" and digits[1] in MOBILE_PREFIXES:
        return digits
    return None


def _find_phone(text: str) -> tuple[str | None, list[tuple[int, int]]]:
    """The first phone in ``text`` and the spans to blank out (the phone and hidden phones)."""
    spans = [m.span() for m in _HIDDEN_PHONE.finditer(text)]
    blanked = _blank(text, spans)
    for run in _DIGIT_RUN.finditer(blanked):
        groups = [(m.start() + run.start(), m.end() + run.start(), m.group())
                  for m in _DIGIT_GROUP.finditer(run.group())]
        for i in range(len(groups)):
            digits = ""
            found = None
            for j in range(i, len(groups)):
                digits += groups[j][2]
                if len(digits) > 12:
                    break
                phone = normalise_phone(digits)
                if phone is not None:
                    found = (phone, j)
            if found is not None:
                phone, j = found
                start = groups[i][0]
                if start > 0 and blanked[start - 1] == "+":
                    start -= 1
                spans.append((start, groups[j][1]))
                return phone, spans
    return None, spans


def _blank(text: str, spans: Iterable[tuple[int, int]], mark: str = " ") -> str:
    """``text`` with each span replaced by spaces, or by `` mark `` padded to the span's length."""
    chars = list(text)
    for start, end in spans:
        filler = [" "] * (end - start)
        if mark != " ":
            filler[0] = mark
        chars[start:end] = filler
    return "".join(chars)


def _code_patterns(codes: Iterable[str]) -> list[tuple[str, re.Pattern, re.Pattern | None]]:
    """(code as announced, exact pattern, loose pattern) for each distinct announced code."""
    patterns = []
    seen = set()
    for code in codes:
        folded = fold(code).strip()
        if not folded or folded in seen:
            continue
        seen.add(folded)
        after = r"(?=[x*]\d|[^a-z0-9]|$)"
        exact = re.compile(rf"(?<![a-z0-9]){re.escape(folded)}{after}")
        loose = None
        split = re.fullmatch(r"([a-z]+)(\d+)", folded)
        if split:
            loose = re.compile(rf"(?<![a-z0-9]){split[1]} *[.\-_]? *{split[2]}{after}")
        patterns.append((code.strip(), exact, loose))
    return patterns


def _find_codes(text: str, codes: Iterable[str]) -> tuple[list[str], list[tuple[int, int]]]:
    """The distinct codes written in ``text`` (announced spelling) and their spans."""
    patterns = _code_patterns(codes)
    for pick in (1, 2):
        found: list[str] = []
        spans: list[tuple[int, int]] = []
        for code, exact, loose in patterns:
            pattern = exact if pick == 1 else loose
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                if any(m.start() < end and start < m.end() for start, end in spans):
                    continue
                spans.append(m.span())
                if code not in found:
                    found.append(code)
        if found:
            return found, spans
    return [], []


def _quantities(text: str) -> set[int]:
    """Every quantity written in ``text`` (phone blanked out, the code replaced by the mark)."""
    tokens = _TOKEN.findall(text)
    found: dict[int, int] = {}  # token index → value, so one number read twice counts once

    def number(i, words=False):
        if i >= len(tokens):
            return None
        tok = tokens[i]
        if is_digits(tok):
            return int(tok)
        if words:
            return NUMBER_WORDS.get(tok)
        return None

    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if tok in ("x", "*") and number(i + 1) is not None:
            found[i + 1] = number(i + 1)
        if nxt is not None and (nxt in UNITS or nxt == CODE_MARK):
            value = number(i, words=nxt in UNITS)
            if value is not None:
                found[i] = value
        for lead in QUANTITY_LEADS:
            if tuple(tokens[i:i + len(lead)]) == lead:
                k = i + len(lead)
                if k < len(tokens) and tokens[k] == ":":
                    k += 1
                if number(k) is not None:
                    found[k] = number(k)
    return set(found.values())


def parse_comment(text: str, codes: Iterable[str]) -> ParsedComment:
    """Read the phone, the announced item code and the quantity from a viewer's comment."""
    folded = fold(text or "")
    folded = folded.replace("(", " ").replace(")", " ")
    problems = []

    phone, phone_spans = _find_phone(folded)
    if phone is None:
        problems.append(NO_PHONE)
    rest = _blank(folded, phone_spans)

    found, code_spans = _find_codes(rest, codes)
    code = None
    if not found:
        problems.append(NO_CODE)
    elif len(found) > 1:
        problems.append(AMBIGUOUS_CODE)
    else:
        code = found[0]
    rest = _blank(rest, code_spans, mark=CODE_MARK)

    quantity = None
    values = _quantities(rest)
    if len(values) > 1 or any(not 1 <= v <= MAX_QUANTITY for v in values):
        problems.append(BAD_QUANTITY)
    elif values:
        quantity = values.pop()

    return ParsedComment(phone=phone, code=code, quantity=quantity, problems=tuple(problems))
