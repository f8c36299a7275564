"""The project's msgids are Vietnamese; locale/en holds their English translation."""
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from vendors.models import Vendor


def test_project_strings_come_out_in_english():
    with translation.override("en"):
        assert gettext("Hợp tác xã") == "Cooperative"
        assert gettext("Chủ thể OCOP") == "OCOP producer"
        assert gettext("Điểm bán") == "Sales point"
        assert gettext("Phòng Nông nghiệp huyện") == "District Agriculture Office"
        assert str(settings.OSCAR_SHOP_TAGLINE) == "OCOP products of Đăk Hà District, Kon Tum"
        assert str(Vendor.SubjectType.COOPERATIVE_GROUP.label) == "Cooperative group"
        assert ngettext("còn %(counter)s hộp", "còn %(counter)s hộp", 2) % {"counter": 2} == "2 boxes left"
        assert ngettext("còn %(counter)s hộp", "còn %(counter)s hộp", 1) % {"counter": 1} == "1 box left"


def test_vietnamese_stays_vietnamese():
    with translation.override("vi"):
        assert gettext("Hợp tác xã") == "Hợp tác xã"
        assert str(settings.OSCAR_SHOP_TAGLINE) == "Sản phẩm OCOP của huyện Đăk Hà, Kon Tum"


@pytest.mark.django_db
def test_home_page_reads_in_english_when_chosen(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("home")).content.decode()
    assert "One Commune One Product" in html
    assert "Buy online or pick up at a sales point" in html
    assert "Mỗi xã một sản phẩm" not in html
    assert "Mua trực tuyến hoặc nhận tại điểm bán" not in html


@pytest.mark.django_db
def test_home_page_reads_in_vietnamese_by_default(client):
    html = client.get(reverse("home")).content.decode()
    assert "Mỗi xã một sản phẩm" in html
    assert "One Commune One Product" not in html
