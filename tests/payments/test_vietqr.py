import binascii
from decimal import Decimal

import pytest

from shop.payment import vietqr


def test_crc_is_ccitt_false_catalogue_check_value():
    # The CRC catalogue's check value of CRC-16/CCITT-FALSE for "123456789" is 0x29B1,
    # and Python's binascii.crc_hqx (CRC-CCITT, poly 0x1021) agrees when started at 0xFFFF.
    assert vietqr.crc16_ccitt_false(b"123456789") == 0x29B1
    assert binascii.crc_hqx(b"123456789", 0xFFFF) == 0x29B1


def test_payload_matches_a_hand_built_vector():
    # Built by hand, field by field (ID, 2-digit length, value):
    #   00 02 01                       payload format
    #   01 02 12                       dynamic (one payment, with amount)
    #   38 57 ...                      NAPAS merchant info, 57 = 14 + 31 + 12:
    #      00 10 A000000727            (14 chars)
    #      01 27 0006970436 0113 0011001932418   BIN 970436, account (13 digits) → 10+17=27, +4 = 31
    #      02 08 QRIBFTTA              (12 chars)
    #   53 03 704                      VND
    #   54 06 150000                   amount
    #   58 02 VN
    #   62 12 0808DH100001             purpose = order number (12 = 4 + 8)
    #   63 04 ....                     CRC over everything up to and including "6304"
    body = (
        "000201" "010212"
        "3857" "0010A000000727" "0127" "0006970436" "0113" "0011001932418" "0208QRIBFTTA"
        "5303704" "5406150000" "5802VN" "62120808DH100001" "6304"
    )
    # The CRC computed independently with the standard library (CRC-CCITT init 0xFFFF).
    expected = body + f"{binascii.crc_hqx(body.encode(), 0xFFFF):04X}"
    payload = vietqr.build_payload("970436", "0011001932418", 150000, "DH100001")
    assert payload == expected
    assert vietqr.is_valid(payload)
    fields = vietqr.parse_payload(payload)
    assert fields["54"] == "150000" and fields["53"] == "704" and fields["58"] == "VN"


def test_static_payload_has_no_amount_and_decimal_amount_is_whole():
    static = vietqr.build_payload("970436", "123456", None)
    assert "54" not in vietqr.parse_payload(static)
    assert vietqr.parse_payload(static)["01"] == "11"
    assert vietqr.parse_payload(vietqr.build_payload("970436", "123", Decimal("250000.00")))[
        "54"
    ] == "250000"


@pytest.mark.parametrize(
    "args",
    [
        ("97043", "123", 1000, ""),  # BIN not 6 digits
        ("970436", "12 3", 1000, ""),  # account with a space
        ("970436", "123", 1000.0, ""),  # float
        ("970436", "123", Decimal("10.5"), ""),  # part of a đồng
        ("970436", "123", 0, ""),
        ("970436", "123", 1000, "Đơn hàng"),  # diacritics
        ("970436", "123", 1000, "X" * 26),
    ],
)
def test_refuses_bad_values(args):
    with pytest.raises(vietqr.VietQRError):
        vietqr.build_payload(*args)


def test_tampered_payload_fails_crc_and_qr_renders():
    payload = vietqr.build_payload("970436", "0011001932418", 150000, "DH100001")
    assert not vietqr.is_valid(payload.replace("150000", "150001"))
    svg = vietqr.qr_svg(payload)
    assert svg.startswith("<svg") and "path" in svg
    assert vietqr.qr_png(payload)[:8] == b"\x89PNG\r\n\x1a\n"
