"""An amount of đồng in Vietnamese words, as an invoice's "Số tiền viết bằng chữ".

Rules (the way invoices and banks read numbers):

* Digits are read in groups of three from the right: units, nghìn, triệu, tỷ;
  beyond a tỷ the reading starts again ("nghìn tỷ", "triệu tỷ").
* A group after the first one reads its hundreds even when they are zero
  ("không trăm"), and a zero ten before a unit is "linh": 1.000.005 is "một triệu
  không trăm linh năm"; a group of three zeros is left out (1.000.000 is "một triệu").
* Tens: "mười" for ten, "mươi" from twenty; unit 1 after twenty or more is "mốt"
  (21 "hai mươi mốt"), unit 5 after a ten is "lăm" (15 "mười lăm", 25 "hai mươi lăm"),
  unit 4 after twenty or more is "tư" (24 "hai mươi tư").
* The sentence starts with a capital letter and ends with "đồng": 0 is "Không đồng".
  Amounts are whole đồng (VND has no minor unit); a negative amount reads "Âm …".
"""

from decimal import Decimal

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUPS = ("", "nghìn", "triệu")


def _tens_and_units(tens, units, spell_zero_tens):
    words = []
    if tens == 0:
        if units == 0:
            return words
        if spell_zero_tens:
            words.append("linh")
        words.append(DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 4 and tens > 1:
        words.append("tư")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _group(number, full):
    """Words of 0–999; ``full`` reads the hundreds and "linh" (a group after the first)."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    words += _tens_and_units(tens, units, spell_zero_tens=bool(hundreds or full))
    return words


def _below_billion(number, leading):
    """Words of 0 … 999.999.999 (``leading``: nothing is read before it)."""
    groups = []
    while number:
        number, group = divmod(number, 1000)
        groups.append(group)
    words = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        first = leading and index == len(groups) - 1
        words += _group(group, full=not first)
        if GROUPS[index]:
            words.append(GROUPS[index])
    return words


def number_words(number):
    """The words of a whole number ≥ 0, without "đồng" or a capital."""
    number = int(number)
    if number == 0:
        return DIGITS[0]
    billions, rest = divmod(number, 1_000_000_000)
    words = []
    if billions:
        words += number_words(billions).split() + ["tỷ"]
    if rest:
        words += _below_billion(rest, leading=not billions)
    return " ".join(words)


def amount_in_words(amount):
    """``1250000`` → "Một triệu hai trăm năm mươi nghìn đồng"."""
    amount = Decimal(amount)
    if amount != amount.to_integral_value():
        raise ValueError("an amount in đồng has no fraction")
    number = int(amount)
    text = number_words(abs(number)) + " đồng"
    if number < 0:
        text = "âm " + text
    return text[0].upper() + text[1:]
