"""VietQR: the NAPAS 247 bank-transfer QR code (an EMVCo merchant-presented payload).

Used by the online shop (order page of a bank-transfer order) and by the till.

The payload is a string of TLV fields ``ID (2 digits) + LENGTH (2 digits) + VALUE``:

====  ==========================================================================
00    payload format indicator, always ``01``
01    point of initiation: ``11`` static (no amount), ``12`` dynamic (one payment)
38    merchant account information (NAPAS):
        00  GUID ``A000000727`` (NAPAS)
        01  beneficiary organisation: 00 bank BIN (6 digits), 01 account number
        02  service code ``QRIBFTTA`` (transfer to an account)
53    currency, ISO 4217 numeric: ``704`` (VND)
54    amount in whole đồng (only with an amount)
58    country ``VN``
62    additional data: 08 purpose of the transfer (the order number)
63    CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) of everything before it,
      including the ``6304`` of the CRC field itself, as 4 upper-case hex digits
====  ==========================================================================
"""

from __future__ import annotations

import re

import qrcode
import qrcode.image.svg

from shop import money

NAPAS_GUID = "A000000727"
SERVICE_TRANSFER_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
MAX_AMOUNT_DIGITS = 13
MAX_PURPOSE_LENGTH = 25  # EMVCo: 62.08 "purpose of transaction" is at most 25 characters

_BIN = re.compile(r"^\d{6}$")
_ACCOUNT = re.compile(r"^[0-9A-Za-z]{1,19}$")
_PURPOSE = re.compile(r"^[0-9A-Za-z .\-]*$")


class VietQRError(ValueError):
    """A value that cannot go into a VietQR payload (a programming or settings error)."""


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise VietQRError(f"field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def _amount(amount) -> str:
    try:
        if isinstance(amount, bool):
            raise TypeError("a bool is not an amount")
        value = money.to_int(amount)
    except TypeError:
        raise VietQRError("amount must be whole đồng (int or Decimal), never a float") from None
    except ValueError:
        raise VietQRError("amount must be a positive whole number of đồng") from None
    if value <= 0:
        raise VietQRError("amount must be a positive whole number of đồng")
    text = str(value)
    if len(text) > MAX_AMOUNT_DIGITS:
        raise VietQRError("amount is too large")
    return text


def build_payload(bank_bin: str, account: str, amount=None, purpose: str = "") -> str:
    """The VietQR text for a transfer of ``amount`` đồng to ``account`` at bank ``bank_bin``.

    ``amount`` None gives a static code (the payer types the amount). ``purpose``
    (the order number) is plain ASCII, at most 25 characters: banks drop diacritics.
    """
    bank_bin, account, purpose = str(bank_bin).strip(), str(account).strip(), str(purpose or "")
    if not _BIN.match(bank_bin):
        raise VietQRError("bank BIN must be 6 digits")
    if not _ACCOUNT.match(account):
        raise VietQRError("account number must be 1–19 letters or digits")
    if len(purpose) > MAX_PURPOSE_LENGTH or not _PURPOSE.match(purpose):
        raise VietQRError("purpose must be at most 25 ASCII letters, digits, spaces, '.' or '-'")
    beneficiary = tlv("00", bank_bin) + tlv("01", account)
    merchant = (
        tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", SERVICE_TRANSFER_TO_ACCOUNT)
    )
    parts = [
        tlv("00", "01"),
        tlv("01", "11" if amount is None else "12"),
        tlv("38", merchant),
        tlv("53", CURRENCY_VND),
    ]
    if amount is not None:
        parts.append(tlv("54", _amount(amount)))
    parts.append(tlv("58", COUNTRY_VN))
    if purpose:
        parts.append(tlv("62", tlv("08", purpose)))
    body = "".join(parts) + "6304"
    return body + f"{crc16_ccitt_false(body.encode('ascii')):04X}"


def parse_payload(payload: str) -> dict[str, str]:
    """Top-level ``{tag: value}`` of a payload (for tests and the statement import)."""
    fields, i = {}, 0
    while i < len(payload):
        tag, length = payload[i : i + 2], int(payload[i + 2 : i + 4])
        fields[tag] = payload[i + 4 : i + 4 + length]
        i += 4 + length
    return fields


def is_valid(payload: str) -> bool:
    """True when the payload ends with a correct CRC field."""
    if len(payload) < 8 or payload[-8:-4] != "6304":
        return False
    return f"{crc16_ccitt_false(payload[:-4].encode('ascii')):04X}" == payload[-4:]


def qr_svg(payload: str) -> str:
    """The QR code of ``payload`` as an inline ``<svg>`` element (no external files)."""
    image = qrcode.make(
        payload,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    return image.to_string(encoding="unicode")


def qr_png(payload: str, box_size: int = 8) -> bytes:
    """The QR code of ``payload`` as PNG bytes (for printing / download)."""
    import io

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=2)
    qr.add_data(payload)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image().save(buffer)
    return buffer.getvalue()
