"""The catalogue through the Saleor-compatible API, with the demo data, as a Saleor storefront asks.

The documents (tests/graphql/documents) are written in the shape Saleor's storefront
sends: fragments, variables, aliases. Every answer is checked against the shop's own
modules (the strategy's prices, the one inventory's stock, the certificate registry).
"""

import json

import pytest
from oscar.core.loading import get_class, get_model

from catalogue import certification
from shop.graphql.core.ids import from_global_id, to_global_id

from .conftest import document

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
Selector = get_class("partner.strategy", "Selector")

CHANNEL = "default-channel"

pytestmark = pytest.mark.django_db


def edges(connection):
    return [edge["node"] for edge in connection["edges"]]


def attribute_values(node, slug):
    return next(([v["name"] for v in a["values"]] for a in node["attributes"]
                 if a["attribute"]["slug"] == slug), None)


# --- Listing by category and collection -------------------------------------------------


def test_category_listing_with_prices_stars_and_photos(demo, gql):
    data = gql.data(document("ProductListByCategory"), {"slug": "ca-phe", "channel": CHANNEL})
    category = data["category"]
    assert category["name"] == "Cà phê" and category["level"] == 1
    assert category["parent"]["name"] == "Thực phẩm"
    products = edges(category["products"])
    expected = Product.objects.filter(categories__slug="ca-phe", is_public=True)
    assert {p["slug"] for p in products} == set(expected.values_list("slug", flat=True))
    assert category["products"]["totalCount"] == expected.count() == 4
    assert [p["name"] for p in products] == sorted(p["name"] for p in products)  # by name
    strategy = Selector().strategy()
    for node in products:
        product = Product.objects.get(pk=int(from_global_id(node["id"])[1]))
        price = strategy.fetch_for_product(product).price.incl_tax
        start = node["pricing"]["priceRange"]["start"]["gross"]
        assert start == {"amount": float(price), "currency": "VND"}
        assert node["stars"]["value"] == product.ocop_stars
        assert attribute_values(node, "ocop-stars") == [str(product.ocop_stars)]
        assert node["thumbnail"]["url"].startswith("http://testserver/media/cache/renditions/")
        assert node["category"]["slug"] == "ca-phe"


def test_parent_category_lists_its_subcategories_products(demo, gql):
    data = gql.data(document("ProductListByCategory"), {"slug": "thuc-pham", "channel": CHANNEL,
                                                        "first": 100})
    children = {c["slug"] for c in edges(data["category"]["children"])}
    assert {"ca-phe", "che", "gia-vi"} <= children
    slugs = {p["slug"] for p in edges(data["category"]["products"])}
    assert "ca-phe-nhan-robusta-dak-ha-1-kg" in slugs and "hat-tieu-den-dak-mar-200-g" in slugs


def test_gift_combos_collection_shows_components_as_attributes(demo, gql):
    data = gql.data(document("ProductListByCollection"), {"slug": "qua-tang-ocop", "channel": CHANNEL})
    collection = data["collection"]
    assert collection["name"] == "Quà tặng OCOP"
    assert json.loads(collection["description"])["blocks"][0]["type"] == "paragraph"
    combos = {p["slug"]: p for p in edges(collection["products"])}
    assert "combo-qua-tet-dak-ha" in combos
    combo = combos["combo-qua-tet-dak-ha"]
    facts = {a["attribute"]["slug"]: a for a in combo["assignedAttributes"]}
    components = facts["combo-components"]
    assert components["__typename"] == "AssignedMultiProductReferenceAttribute"
    assert components["attribute"]["entityType"] == "PRODUCT"
    product = Product.objects.get(slug="combo-qua-tet-dak-ha")
    expected = {c.component.product.slug for c in product.combo_components.select_related(
        "component__product")}
    names = {p["slug"] for p in components["products"]}
    assert names == expected and len(names) >= 2
    assert "×" in facts["combo-contents"]["text"]


# --- Search ------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["sam ngoc linh", "Sâm Ngọc Linh", "SAM NGOC LINH"])
def test_search_is_accent_insensitive_and_ranked(demo, gql, query):
    data = gql.data(document("SearchProducts"), {
        "search": query, "sortBy": "RANK", "sortDirection": "DESC", "first": 10, "channel": CHANNEL,
    })
    names = [p["name"] for p in edges(data["products"])]
    assert "Rượu Sâm Ngọc Linh bình 1 lít" in names
    assert "Sâm dây Ngọc Linh khô 500 g" in names
    assert "Cà phê nhân Robusta Đăk Hà 1 kg" not in names
    # the whole phrase ranks above its words apart ("Sâm dây Ngọc Linh")
    assert names.index("Rượu Sâm Ngọc Linh bình 1 lít") < names.index("Sâm dây Ngọc Linh khô 500 g")


def test_search_sorted_by_price(demo, gql):
    data = gql.data(document("SearchProducts"), {
        "search": "ca phe", "sortBy": "PRICE", "sortDirection": "ASC", "first": 50, "channel": CHANNEL,
    })
    prices = [p["pricing"]["priceRange"]["start"]["gross"]["amount"] for p in edges(data["products"])]
    assert len(prices) >= 4 and prices == sorted(prices)
    data = gql.data(document("SearchProducts"), {
        "search": "ca phe", "sortBy": "PRICE", "sortDirection": "DESC", "first": 50, "channel": CHANNEL,
    })
    down = [p["pricing"]["priceRange"]["start"]["gross"]["amount"] for p in edges(data["products"])]
    assert down == sorted(prices, reverse=True)


# --- Product detail ----------------------------------------------------------------------


def test_product_details_with_ocop_facts_and_stock(demo, gql):
    data = gql.data(document("ProductDetails"), {"slug": "ruou-sam-ngoc-linh-binh-1-lit",
                                                 "channel": CHANNEL})
    node = data["product"]
    product = Product.objects.get(slug="ruou-sam-ngoc-linh-binh-1-lit")
    assert node["id"] == to_global_id("Product", product.pk)
    assert node["name"] == product.title
    description = json.loads(node["description"])
    assert description["blocks"] and all(b["type"] in ("paragraph", "list", "header")
                                          for b in description["blocks"])
    assert node["productType"]["name"] == "Sản phẩm OCOP"
    assert node["media"] and node["media"][0]["type"] == "IMAGE"
    assert node["isAvailable"] is True
    assert node["translation"] is None  # the catalogue is written in Vietnamese only
    certificate = certification.current_certificate(product)
    facts = {a["attribute"]["slug"]: a for a in node["assignedAttributes"]}
    assert facts["ocop-stars"]["number"] == certificate.stars == 5
    assert facts["ocop-score"]["number"] == certificate.score
    assert facts["ocop-certificate"]["text"] == certificate.decision_number
    assert facts["ocop-valid-until"]["day"] == certificate.valid_until.isoformat()
    assert facts["producer"]["choice"]["name"] == product.producer.partner.name
    assert facts["commune"]["choice"]["name"] == product.origin_unit.name
    assert facts["trace-link"]["text"].endswith(product.get_trace_url())
    metadata = {m["key"]: m["value"] for m in node["metadata"]}
    assert metadata["ocop.stars"] == node["starsMeta"] == "5"
    assert metadata["ocop.certificate_valid_until"] == certificate.valid_until.isoformat()
    variant = node["variants"][0]
    assert node["defaultVariant"]["id"] == variant["id"] == to_global_id("ProductVariant", product.pk)
    stockrecord = product.stockrecords.get()
    assert variant["quantityAvailable"] == min(stockrecord.net_stock_level, 50)
    assert variant["sku"] == stockrecord.partner_sku
    assert variant["pricing"]["price"]["gross"] == {"amount": 1500000.0, "currency": "VND"}
    assert variant["trackInventory"] is True


def test_quantity_available_follows_the_one_inventory(demo, gql):
    from showroom import inventory
    from showroom.models import Location

    product = Product.objects.get(slug="mat-ong-hoa-ca-phe-dak-ui-chai-500-ml")
    query = """query Q($id: ID!) { productVariant(id: $id) { quantityAvailable } }"""
    variables = {"id": to_global_id("ProductVariant", product.pk)}
    before = gql.data(query, variables)["productVariant"]["quantityAvailable"]
    stockrecord = product.stockrecords.get()
    location = Location.objects.filter(sells_online=True).order_by("priority").first()
    inventory.receive(location, [(stockrecord, 5)], reference="test")
    after = gql.data(query, variables)["productVariant"]["quantityAvailable"]
    assert after == min(before + 5, 50)


def test_unknown_ids_and_slugs_answer_null_or_a_clear_error(demo, gql):
    query = "query Q($id: ID, $slug: String) { product(id: $id, slug: $slug) { id } }"
    assert gql.data(query, {"slug": "khong-co"})["product"] is None
    assert gql.data(query, {"id": to_global_id("Product", 999999)})["product"] is None
    answer = gql.post(query, {"id": "not-base64!"})
    assert answer["data"]["product"] is None and answer["errors"][0]["message"]
    answer = gql.post(query, {"id": to_global_id("Product", 1), "slug": "x"})
    assert answer["errors"][0]["extensions"]["exception"]["code"] == "GRAPHQL_ERROR"
    answer = gql.post('{ products(first: 5, channel: "other-channel") { totalCount } }')
    assert answer["data"]["products"] is None
    assert answer["errors"][0]["extensions"]["exception"]["code"] == "NOT_FOUND"
    # a category's id is not a product's: Saleor's "invalid id" error
    category = Category.objects.get(slug="ca-phe")
    answer = gql.post(query, {"id": to_global_id("Category", category.pk)})
    assert answer["data"]["product"] is None and "Product" in answer["errors"][0]["message"]


# --- Pagination, filters, limits ----------------------------------------------------------


def test_pages_follow_one_another_without_overlap(demo, gql):
    variables = {"first": 7, "channel": CHANNEL}
    first = gql.data(document("ProductListPaginated"), variables)["products"]
    assert first["pageInfo"]["hasNextPage"] is True and first["pageInfo"]["hasPreviousPage"] is False
    second = gql.data(document("ProductListPaginated"),
                      {**variables, "after": first["pageInfo"]["endCursor"]})["products"]
    assert second["pageInfo"]["hasPreviousPage"] is True
    ids = [p["id"] for p in edges(first)] + [p["id"] for p in edges(second)]
    assert len(ids) == len(set(ids)) == 14
    total = first["totalCount"]
    assert total == Product.objects.browsable().count()
    seen = []
    after = None
    while True:
        page = gql.data(document("ProductListPaginated"), {**variables, "after": after})["products"]
        seen += [p["id"] for p in edges(page)]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == total
    last = gql.data("{ products(last: 3) { edges { node { name } } pageInfo { hasPreviousPage } } }")
    assert len(last["products"]["edges"]) == 3 and last["products"]["pageInfo"]["hasPreviousPage"]


def test_paging_limits_as_saleor(demo, gql):
    answer = gql.post("{ products(first: 101) { totalCount } }")
    assert "100" in answer["errors"][0]["message"] and answer["data"]["products"] is None
    answer = gql.post("{ products { totalCount } }")
    assert "`first`" in answer["errors"][0]["message"]
    answer = gql.post('{ products(first: 5, after: "garbage") { totalCount } }')
    assert answer["errors"] and answer["data"]["products"] is None


def test_filters_where_and_sort(demo, gql):
    paginated = document("ProductListPaginated")
    coffee = Category.objects.get(slug="ca-phe")
    tea = Category.objects.get(slug="che")
    data = gql.data(paginated, {"first": 50, "channel": CHANNEL, "where": {"OR": [
        {"category": {"eq": to_global_id("Category", coffee.pk)}},
        {"category": {"eq": to_global_id("Category", tea.pk)}},
    ]}, "sortBy": {"field": "PRICE", "direction": "DESC"}})
    products = edges(data["products"])
    assert {p["category"]["slug"] for p in products} == {"ca-phe", "che"}
    prices = [p["pricing"]["priceRange"]["start"]["gross"]["amount"] for p in products]
    assert prices == sorted(prices, reverse=True)
    data = gql.data(paginated, {"first": 50, "channel": CHANNEL,
                                "filter": {"price": {"gte": 400000, "lte": 1000000}}})
    prices = [p["pricing"]["priceRange"]["start"]["gross"]["amount"] for p in edges(data["products"])]
    assert prices and all(400000 <= p <= 1000000 for p in prices)
    data = gql.data(paginated, {"first": 50, "channel": CHANNEL,
                                "where": {"price": {"range": {"lte": 60000}}}})
    assert {p["name"] for p in edges(data["products"])} >= {"Chuối sấy dẻo Đăk Mar 250 g"}
    in_stock = gql.data(paginated, {"first": 100, "channel": CHANNEL,
                                    "filter": {"stockAvailability": "IN_STOCK"}})["products"]["totalCount"]
    out = gql.data(paginated, {"first": 100, "channel": CHANNEL,
                               "filter": {"stockAvailability": "OUT_OF_STOCK"}})["products"]["totalCount"]
    assert in_stock + out == Product.objects.browsable().count() and in_stock > 0
    four = gql.data(paginated, {"first": 100, "channel": CHANNEL, "filter": {"collections": [
        to_global_id("Collection", get_model("offer", "Range").objects.get(slug="ocop-4-5-sao").pk)]}})
    assert four["products"]["totalCount"] == Product.objects.filter(ocop_stars__gte=4).count()


def test_depth_and_cost_limits(demo, gql):
    deep = "{ products(first: 1) { edges { node { category { " + "parent { " * 14 + "id" + " }" * 14 + \
        " } } } } }"
    answer = gql.post(deep, status=400)
    assert answer["errors"][0]["extensions"]["exception"]["code"] == "QueryDepthExceeded"
    costly = ("{ categories(first: 100) { edges { node { products(first: 100) { edges { node { "
              "variants { id name sku } category { children(first: 100) { edges { node { id } } } } "
              "} } } } } } }")
    answer = gql.post(costly, status=400)
    assert answer["errors"][0]["extensions"]["exception"]["code"] == "QueryCostError"


# --- Query counts -----------------------------------------------------------------------


def test_listing_query_count_does_not_grow_with_the_page(demo, gql, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    paginated = document("ProductListPaginated") + "\n" + """
fragment More on Product { ...OcopFacts variants { ...VariantDetails } collections { name } }"""
    paginated = paginated.replace("node { ...ProductListItem }", "node { ...ProductListItem ...More }")
    from .conftest import DOCUMENTS

    for name in ("OcopFacts", "VariantDetails"):
        paginated += "\n" + (DOCUMENTS / "fragments" / f"{name}.graphql").read_text()
    counts = {}
    for size in (10, 40):  # both pages hold gift combos (their components are one more query)
        with CaptureQueriesContext(connection) as queries:
            data = gql.data(paginated, {"first": size, "channel": CHANNEL,
                                        "sortBy": {"field": "NAME", "direction": "ASC"}})
        assert len(data["products"]["edges"]) == size
        counts[size] = len(queries)
    assert counts[40] == counts[10], counts
    with django_assert_max_num_queries(24):
        gql.data(paginated, {"first": 20, "channel": CHANNEL})


# --- Shop, channel, navigation, pages -------------------------------------------------


def test_shop_channel_navigation_and_pages(demo, gql):
    data = gql.data(document("Navigation"), {"channel": CHANNEL})
    assert data["shop"]["channelCurrencies"] == ["VND"]
    assert [lang["code"] for lang in data["shop"]["languages"]] == ["VI", "EN"]
    assert data["channel"]["slug"] == CHANNEL and data["channel"]["currencyCode"] == "VND"
    groups = {item["name"]: item for item in data["navbar"]["items"]}
    assert "Thực phẩm" in groups and groups["Thực phẩm"]["level"] == 0
    assert "Cà phê" in {child["name"] for child in groups["Thực phẩm"]["children"]}
    pages = {item["page"]["slug"] for item in data["footer"]["items"]}
    assert {"gioi-thieu", "giao-hang-doi-tra"} <= pages
    page = gql.data(document("PageDetails"), {"slug": "gioi-thieu"})["page"]
    assert page["title"] == "Chương trình OCOP huyện Đăk Hà"
    assert "OCOP" in json.loads(page["content"])["blocks"][0]["data"]["text"]
    assert gql.data(document("PageDetails"), {"slug": "khong-co"})["page"] is None


# --- The endpoint --------------------------------------------------------------------------


def test_endpoint_answers_every_kind_of_request_without_a_500(demo, client, gql):
    response = client.get("/graphql/", {"query": "{ shop { name } }"})
    assert response.status_code == 200 and response.json()["data"]["shop"]["name"] == "OCOP Đăk Hà"
    response = client.get("/graphql/")
    assert response.status_code == 200 and b"POST" in response.content
    response = client.post("/graphql/", data="{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"]
    response = client.post("/graphql/", data=json.dumps({"query": "{ shop { nope } }"}),
                           content_type="application/json")
    assert response.status_code == 400 and "nope" in response.json()["errors"][0]["message"]
    response = client.post("/graphql/", data=json.dumps({"query": "{ shop { name "}),
                           content_type="application/json")
    assert response.status_code == 400
    response = client.post("/graphql/", data=json.dumps({"query": "{ shop { name } }", "variables": [1]}),
                           content_type="application/json")
    assert response.status_code == 400
    response = client.post("/graphql/", data=json.dumps({"query": "{ shop { name } }\u0000"}),
                           content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"][0]["message"]
    batch = [{"query": "{ shop { name } }"}, {"query": "{ channels { slug } }"}]
    response = client.post("/graphql/", data=json.dumps(batch), content_type="application/json")
    assert [r["data"] for r in response.json()] == [{"shop": {"name": "OCOP Đăk Hà"}},
                                                   {"channels": [{"slug": CHANNEL}]}]
    introspection = gql.data("{ __schema { queryType { name } types { name } } }")
    names = {t["name"] for t in introspection["__schema"]["types"]}
    assert {"Product", "ProductCountableConnection", "TaxedMoney", "Checkout"} & names >= {
        "Product", "ProductCountableConnection", "TaxedMoney"}


def test_errors_speak_the_shoppers_language(demo, gql):
    vi = gql.post("{ products(first: 500) { totalCount } }")["errors"][0]["message"]
    en = gql.post("{ products(first: 500) { totalCount } }", HTTP_ACCEPT_LANGUAGE="en")["errors"][0]["message"]
    assert vi != en and "100" in vi and "100" in en


# --- The whole journey of a Saleor storefront -----------------------------------------------

JOURNEY = """
mutation Create($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) {
    checkout { id totalPrice { gross { amount currency } } shippingMethods { id name price { amount } } }
    errors { field code message }
  }
}
mutation Deliver($id: ID!, $method: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {
    checkout { id deliveryMethod { __typename ... on ShippingMethod { id } } totalPrice { gross { amount } } }
    errors { field code message }
  }
}
mutation Complete($id: ID!) {
  checkoutComplete(id: $id) {
    order { id number status total { gross { amount currency } } lines { productName quantity } }
    errors { field code message }
  }
}
"""

ADDRESS = {
    "firstName": "Thị Lan", "lastName": "Nguyễn", "streetAddress1": "12 Hùng Vương",
    "city": "Xã Đăk Hà", "countryArea": "Quảng Ngãi", "country": "VN", "phone": "0905123456",
}


def test_a_saleor_storefront_lists_shows_and_buys_with_cash_on_delivery(demo, gql, client):
    from django.contrib.auth import get_user_model

    from showroom import inventory
    from showroom.models import Allocation

    listing = gql.data(document("ProductListByCategory"), {"slug": "ca-phe", "channel": CHANNEL})
    slug = edges(listing["category"]["products"])[0]["slug"]
    product = gql.data(document("ProductDetails"), {"slug": slug, "channel": CHANNEL})["product"]
    variant = product["variants"][0]
    stockrecord = Product.objects.get(slug=slug).stockrecords.get()
    before = stockrecord.net_stock_level
    assert variant["quantityAvailable"] == min(before, 50) and before >= 2

    created = gql.data(JOURNEY, {"input": {
        "channel": CHANNEL, "email": "lan@example.vn", "lines": [{"variantId": variant["id"], "quantity": 2}],
        "shippingAddress": ADDRESS, "billingAddress": ADDRESS,
    }}, operation_name="Create")["checkoutCreate"]
    assert created["errors"] == []
    checkout = created["checkout"]
    price = variant["pricing"]["price"]["gross"]["amount"]
    assert checkout["totalPrice"]["gross"] == {"amount": 2 * price, "currency": "VND"}
    method = checkout["shippingMethods"][0]
    delivered = gql.data(JOURNEY, {"id": checkout["id"], "method": method["id"]},
                         operation_name="Deliver")["checkoutDeliveryMethodUpdate"]
    assert delivered["errors"] == []
    assert delivered["checkout"]["totalPrice"]["gross"]["amount"] == 2 * price + method["price"]["amount"]
    done = gql.data(JOURNEY, {"id": checkout["id"]}, operation_name="Complete")["checkoutComplete"]
    assert done["errors"] == []
    order = done["order"]
    assert order["lines"] == [{"productName": product["name"], "quantity": 2}]
    assert order["total"]["gross"]["currency"] == "VND"

    # the order is Oscar's, with its stock allocated in the one inventory
    oscar_order = get_model("order", "Order").objects.get(number=order["number"])
    assert oscar_order.total_incl_tax == 2 * price + method["price"]["amount"]
    line = oscar_order.lines.get()
    assert sum(a.quantity for a in Allocation.objects.filter(line=line)) == 2
    assert inventory.check_invariants() == []
    stockrecord.refresh_from_db()
    assert stockrecord.net_stock_level == before - 2
    after = gql.data("query Q($id: ID!) { productVariant(id: $id) { quantityAvailable } }",
                     {"id": variant["id"]})["productVariant"]["quantityAvailable"]
    assert after == min(before - 2, 50)

    # and the office sees it in Oscar's dashboard
    staff = get_user_model().objects.filter(is_staff=True).first()
    client.force_login(staff)
    page = client.get(f"/dashboard/orders/{order['number']}/")
    assert page.status_code == 200 and product["name"] in page.content.decode()
