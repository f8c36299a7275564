"""403, 404 and 500 are the shop's pages, in the visitor's language, with a way on
(shop.error_pages); the APIs keep their JSON; /favicon.ico is the shop's icon."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults

User = get_user_model()


@pytest.fixture
def seller(db):
    return User.objects.create_user("live", "live@example.vn", "mat-khau-dai-123",
                                    first_name="Minh", last_name="Anh")


@pytest.mark.django_db
def test_a_seller_opening_the_dashboard_is_told_who_may_and_how_to_switch(client, seller):
    client.force_login(seller)
    response = client.get("/dashboard/orders/")
    assert response.status_code == 403
    html = response.content.decode()
    assert 'lang="vi"' in html and "Không có quyền xem trang này" in html
    assert "Phòng Nông nghiệp huyện" in html  # who may see the dashboard
    assert "Đăng nhập bằng tài khoản khác" in html and 'action="/sign-in-again/"' in html
    assert 'name="next" value="/dashboard/orders/"' in html
    assert "ocop-brand" in html  # the shop's layout, not a bare page
    assert "403 Forbidden" not in html


@pytest.mark.django_db
def test_the_refusal_reads_in_english_when_chosen(client, seller):
    client.cookies["django_language"] = "en"
    client.force_login(seller)
    html = client.get("/dashboard/").content.decode()
    assert "You may not see this page" in html
    assert "The dashboard is for the staff of the District Agriculture Office" in html
    assert "Sign in as another user" in html and "Back to the home page" in html


@pytest.mark.django_db
def test_signing_in_again_signs_out_and_comes_back_to_the_refused_page(client, seller):
    client.force_login(seller)
    response = client.post("/sign-in-again/", {"next": "/dashboard/orders/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fdashboard%2Forders%2F"
    assert "_auth_user_id" not in client.session
    client.force_login(seller)
    elsewhere = client.post("/sign-in-again/", {"next": "https://example.com/"})
    assert elsewhere["Location"] == "/accounts/login/"
    assert client.get("/sign-in-again/").status_code == 405


@pytest.mark.django_db
def test_a_missing_page_is_the_shops_page_and_the_api_keeps_json(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html and "Về trang chủ" in html and "ocop-brand" in html
    client.cookies["django_language"] = "en"
    assert "Page not found" in client.get("/no-such-page/").content.decode()
    api = client.get("/api/khong-co/")
    assert api.status_code == 404 and api["Content-Type"] == "application/json"


def test_a_refusal_under_the_apis_is_json():
    from django.core.exceptions import PermissionDenied

    from shop.error_pages import permission_denied

    response = permission_denied(RequestFactory().get("/pos/api/sales/"), PermissionDenied())
    assert response.status_code == 403 and response["Content-Type"] == "application/json"


def test_the_500_page_needs_neither_database_nor_context(django_assert_num_queries, db):
    with translation.override("vi"), django_assert_num_queries(0):
        response = defaults.server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Có lỗi xảy ra" in html and 'href="/"' in html and 'lang="vi"' in html
    with translation.override("en"):
        assert "Something went wrong" in defaults.server_error(RequestFactory().get("/")).content.decode()


@pytest.mark.django_db
def test_the_favicon_is_the_shops(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/ocop/img/favicon.ico")
    assert finders.find("ocop/img/favicon.ico") and finders.find("ocop/img/favicon.svg")
    assert "ocop/img/favicon.svg" in client.get("/").content.decode()
