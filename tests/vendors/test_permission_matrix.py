"""Producer A (and a customer, and nobody) × every producer page / API endpoint / action on B's data.

Every request is refused (403/404; anonymous: login redirect or 401/403) and
B's data is exactly as before. Lists and exports of A never show B's rows.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.vendors.conftest import jpeg_upload, pdf_upload, snapshot

pytestmark = pytest.mark.django_db

PRODUCT_FORM = {"title": "Đổi tên trái phép", "price": "1000", "description": "x"}
CERT_FORM = {
    "stars": 5, "score": 95, "rating_level": "national", "certifying_body": "Bộ",
    "decision_number": "999/QĐ-BNN", "decision_date": "2025-01-01",
}
BATCH_FORM = {"lot_code": "HACK", "production_date": "2025-01-01", "best_before": "2026-01-01"}
# "@path": an attribute of producer B, resolved like the URL kwargs (its own offer).
COMBO_FORM = {
    "title": "Combo đổi trái phép", "price": "1000",
    "components-TOTAL_FORMS": "1", "components-INITIAL_FORMS": "0",
    "components-MIN_NUM_FORMS": "0", "components-MAX_NUM_FORMS": "20",
    "components-0-offer": "@stockrecord.pk", "components-0-quantity": "1",
}


def _files(kind):
    if kind == "photo":
        return {"original": jpeg_upload()}
    if kind == "scan":
        return {"scan": pdf_upload()}
    return {}


# (name, method, url name, {kwarg: attribute of producer B (or A when prefixed "a.")}, data, files)
PAGES = [
    ("page product detail", "get", "vendors:product", {"pk": "product.pk"}, None, None),
    ("page hidden product detail", "get", "vendors:product", {"pk": "hidden_product.pk"}, None, None),
    ("page product edit form", "get", "vendors:product-edit", {"pk": "product.pk"}, None, None),
    ("page product edit submit", "post", "vendors:product-edit", {"pk": "product.pk"}, PRODUCT_FORM, None),
    ("page hidden product edit submit", "post", "vendors:product-edit", {"pk": "hidden_product.pk"}, PRODUCT_FORM, None),
    ("page photo form", "get", "vendors:photo-add", {"pk": "product.pk"}, None, None),
    ("page photo upload", "post", "vendors:photo-add", {"pk": "product.pk"}, {}, "photo"),
    ("page photo delete", "post", "vendors:photo-delete", {"pk": "product.pk", "image_pk": "image.pk"}, {}, None),
    ("page photo delete via own product", "post", "vendors:photo-delete", {"pk": "a.product.pk", "image_pk": "image.pk"}, {}, None),
    ("page certificate form", "get", "vendors:certificate-add", {"pk": "product.pk"}, None, None),
    ("page certificate upload", "post", "vendors:certificate-add", {"pk": "product.pk"}, CERT_FORM, "scan"),
    ("page batch form", "get", "vendors:batch-add", {"pk": "product.pk"}, None, None),
    ("page batch add", "post", "vendors:batch-add", {"pk": "product.pk"}, BATCH_FORM, None),
    ("page batch edit form", "get", "vendors:batch-edit", {"pk": "batch.pk"}, None, None),
    ("page batch edit submit", "post", "vendors:batch-edit", {"pk": "batch.pk"}, BATCH_FORM, None),
    ("page batch delete", "post", "vendors:batch-delete", {"pk": "batch.pk"}, {}, None),
    ("page combo detail", "get", "vendors:product", {"pk": "combo.pk"}, None, None),
    ("page combo edit form", "get", "vendors:combo-edit", {"pk": "combo.pk"}, None, None),
    ("page combo edit submit", "post", "vendors:combo-edit", {"pk": "combo.pk"}, COMBO_FORM, None),
    ("page hidden combo edit form", "get", "vendors:combo-edit", {"pk": "hidden_combo.pk"}, None, None),
    ("page hidden combo edit submit", "post", "vendors:combo-edit", {"pk": "hidden_combo.pk"}, COMBO_FORM, None),
    ("page combo via product edit", "get", "vendors:product-edit", {"pk": "combo.pk"}, None, None),
    ("page combo photo upload", "post", "vendors:photo-add", {"pk": "combo.pk"}, {}, "photo"),
    ("page change withdraw", "post", "vendors:change-withdraw", {"pk": "change.pk"}, {}, None),
    ("page change file download", "get", "vendors:change-file", {"pk": "file_change.pk"}, None, None),
    ("office queue", "get", "vendors:review-queue", {}, None, None),
    ("office review page", "get", "vendors:review", {"pk": "change.pk"}, None, None),
    ("office approve", "post", "vendors:review", {"pk": "change.pk"}, {"decision": "approve"}, None),
    ("office reject", "post", "vendors:review", {"pk": "change.pk"}, {"decision": "reject", "reason": "x"}, None),
    ("office file download", "get", "vendors:review-file", {"pk": "file_change.pk"}, None, None),
]

API = [
    ("api product retrieve", "get", "vendors-api:product-detail", {"pk": "product.pk"}, None, None),
    ("api hidden product retrieve", "get", "vendors-api:product-detail", {"pk": "hidden_product.pk"}, None, None),
    ("api product patch", "patch", "vendors-api:product-detail", {"pk": "product.pk"}, {"price": "1000"}, None),
    ("api product put", "put", "vendors-api:product-detail", {"pk": "product.pk"}, PRODUCT_FORM, None),
    ("api product delete", "delete", "vendors-api:product-detail", {"pk": "product.pk"}, None, None),
    ("api photo upload", "post", "vendors-api:product-photos", {"pk": "product.pk"}, {}, "photo"),
    ("api certificate upload", "post", "vendors-api:product-certificates", {"pk": "product.pk"}, CERT_FORM, "scan"),
    ("api batch add", "post", "vendors-api:product-add-batch", {"pk": "product.pk"}, BATCH_FORM, None),
    ("api certificate retrieve", "get", "vendors-api:certificate-detail", {"pk": "certificate.pk"}, None, None),
    ("api certificate delete", "delete", "vendors-api:certificate-detail", {"pk": "certificate.pk"}, None, None),
    ("api batch retrieve", "get", "vendors-api:batch-detail", {"pk": "batch.pk"}, None, None),
    ("api batch patch", "patch", "vendors-api:batch-detail", {"pk": "batch.pk"}, {"lot_code": "HACK"}, None),
    ("api batch put", "put", "vendors-api:batch-detail", {"pk": "batch.pk"}, BATCH_FORM, None),
    ("api batch delete", "delete", "vendors-api:batch-detail", {"pk": "batch.pk"}, None, None),
    ("api stock retrieve", "get", "vendors-api:stock-detail", {"pk": "stock.pk"}, None, None),
    ("api sale retrieve", "get", "vendors-api:sale-detail", {"pk": "line.pk"}, None, None),
    ("api share retrieve", "get", "vendors-api:share-detail", {"pk": "share.pk"}, None, None),
    ("api change retrieve", "get", "vendors-api:change-detail", {"pk": "change.pk"}, None, None),
    ("api change withdraw", "post", "vendors-api:change-withdraw", {"pk": "change.pk"}, {}, None),
]

ACTIONS = PAGES + API
NOT_OFFERED = {"api product delete", "api certificate delete"}
ACTORS = ["producer_a", "customer", "anonymous"]


def _resolve(path, a, b):
    owner, path = (a, path[2:]) if path.startswith("a.") else (b, path)
    value = owner
    for part in path.split("."):
        value = getattr(value, part)
    return value


def _payload(data, a, b):
    return {
        k: str(_resolve(v[1:], a, b)) if isinstance(v, str) and v.startswith("@") else v
        for k, v in (data or {}).items()
    }


def _request(client, method, url, data, files, api):
    payload = dict(data or {})
    payload.update(_files(files))
    if method == "get":
        return client.get(url)
    if api and not files:
        return getattr(client, method)(url, payload, format="json")
    if api:
        return getattr(client, method)(url, payload, format="multipart")
    return getattr(client, method)(url, payload)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(
    "name, method, url_name, kwargs, data, files", ACTIONS, ids=[a[0] for a in ACTIONS]
)
def test_nobody_but_the_owner_reaches_a_producers_data(
    request, actor, name, method, url_name, kwargs, data, files, producer_a, producer_b
):
    api = url_name.startswith("vendors-api:")
    client = APIClient() if api else request.getfixturevalue("client")
    if actor != "anonymous":
        client.force_login(producer_a.user if actor == "producer_a" else request.getfixturevalue(actor))
    url = reverse(url_name, kwargs={k: _resolve(v, producer_a, producer_b) for k, v in kwargs.items()})
    before_b, before_a = snapshot(producer_b), snapshot(producer_a)

    response = _request(client, method, url, _payload(data, producer_a, producer_b), files, api)

    if actor == "anonymous":
        if api:
            assert response.status_code in (401, 403), (name, response.status_code)
        else:
            assert response.status_code == 302 and "/login/" in response["Location"], name
    elif name in NOT_OFFERED:
        # No such action for anybody (producers never delete products or certificates).
        assert response.status_code in (403, 404, 405), (name, response.status_code)
    else:
        assert response.status_code in (403, 404), (name, response.status_code)
    assert snapshot(producer_b) == before_b, f"{name}: B's data changed"
    assert snapshot(producer_a) == before_a, f"{name}: A's data changed"


LISTS = [
    "vendors:home", "vendors:products", "vendors:stock", "vendors:sales", "vendors:changes",
    "vendors:combos",
]
API_LISTS = [
    "vendors-api:product-list", "vendors-api:certificate-list", "vendors-api:batch-list",
    "vendors-api:stock-list", "vendors-api:sale-list", "vendors-api:change-list",
    "vendors-api:share-list",
]


@pytest.mark.parametrize("url_name", LISTS + API_LISTS + ["csv"])
def test_lists_and_exports_show_only_own_rows(client, url_name, producer_a, producer_b):
    client.force_login(producer_a.user)
    if url_name == "csv":
        response = client.get(reverse("vendors:sales"), {"format": "csv"})
    else:
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    body = response.content.decode()
    assert producer_b.product.title not in body
    assert producer_b.hidden_product.title not in body
    assert producer_b.vendor.name not in body
    if url_name in ("vendors-api:batch-list",):
        assert producer_b.batch.lot_code not in body and producer_a.batch.lot_code in body
    if url_name in ("vendors:products", "vendors-api:product-list", "vendors:stock", "csv"):
        assert producer_a.product.title in body
    assert producer_b.combo.title not in body and producer_b.hidden_combo.title not in body
    if url_name in ("vendors:combos", "vendors:products", "vendors-api:product-list"):
        assert producer_a.combo.title in body and producer_a.hidden_combo.title in body


def test_matrix_size():
    """The matrix covers every producer URL and API route with a pk (checked against the URLconf)."""
    from django.urls import get_resolver

    covered = {a[2] for a in ACTIONS}
    names = set()
    for ns in ("vendors", "vendors-api"):
        resolver = get_resolver()
        for key in resolver.namespace_dict[ns][1].reverse_dict.keys():
            if isinstance(key, str) and not key.endswith("-list") and not key.endswith("root") \
                    and "format" not in key:
                names.add(f"{ns}:{key}")
    object_routes = {
        n for n in names
        if n not in {f"vendors:{x.split(':')[1]}" for x in LISTS}
        and n not in {"vendors:product-create", "vendors:combo-create", "vendors-api:token",
                      "vendors-api:token-revoke", "vendors-api:token-revoke-all",
                      "vendors-api:api-root"}
    }
    assert object_routes <= covered, sorted(object_routes - covered)
    assert len(ACTIONS) * len(ACTORS) >= 120


OWNER_CONTROL = [
    a for a in ACTIONS
    if not a[2].startswith("vendors:review") and a[0] not in NOT_OFFERED
    and not any(v.startswith("a.") for v in a[3].values())
]


@pytest.mark.parametrize(
    "name, method, url_name, kwargs, data, files", OWNER_CONTROL, ids=[a[0] for a in OWNER_CONTROL]
)
def test_the_owner_is_served_by_the_same_requests(
    client, name, method, url_name, kwargs, data, files, producer_a, producer_b
):
    """Control: the very requests refused above succeed for B on B's own data."""
    api = url_name.startswith("vendors-api:")
    client = APIClient() if api else client
    client.force_login(producer_b.user)
    url = reverse(url_name, kwargs={k: _resolve(v, producer_a, producer_b) for k, v in kwargs.items()})
    response = _request(client, method, url, _payload(data, producer_a, producer_b), files, api)
    assert response.status_code < 400, (name, response.status_code, response.content[:500])
