"""Demo data the storefront API shows: collections, a voucher, information pages.

* Collections (Oscar ranges, public): the gift combos; the products holding
  4 or 5 stars; the medicinal herbs and ginseng group.
* A voucher ``OCOPDAKHA``: 5 % off an order of at least 300.000 ₫, for anyone,
  valid a year from loading (Oscar's voucher + offer + benefit + condition).
* Information pages (Django flatpages): about the programme, delivery and returns;
  the API's ``menu(slug: "footer")`` lists them, ``menu(slug: "navbar")`` the
  OCOP groups.

Idempotent: run twice, nothing is duplicated.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

Range = get_model("offer", "Range")
Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Voucher = get_model("voucher", "Voucher")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Category = get_model("catalogue", "Category")

VOUCHER_CODE = "OCOPDAKHA"

PAGES = (
    ("/gioi-thieu/", "Chương trình OCOP huyện Đăk Hà",
     "<p>Mỗi xã một sản phẩm (OCOP) là chương trình phát triển kinh tế khu vực nông thôn theo hướng "
     "phát huy nội lực và gia tăng giá trị. Cửa hàng này bán các sản phẩm đã được công nhận OCOP "
     "của các chủ thể trên địa bàn huyện Đăk Hà, tỉnh Kon Tum.</p>"
     "<p>Mỗi sản phẩm có giấy chứng nhận hạng sao còn hiệu lực và trang truy xuất nguồn gốc.</p>"),
    ("/giao-hang-doi-tra/", "Giao hàng và đổi trả",
     "<p>Giao hàng tận nơi toàn quốc theo bảng phí theo vùng và khối lượng, hoặc nhận miễn phí tại "
     "điểm giới thiệu sản phẩm OCOP của huyện và hai điểm bán ở xã.</p>"
     "<p>Thanh toán khi nhận hàng, chuyển khoản VietQR hoặc thẻ. Sản phẩm lỗi được đổi trong 7 ngày.</p>"),
)


def _collection(name, slug, description, **fields):
    collection, created = Range.objects.get_or_create(
        slug=slug, defaults={"name": name, "description": description, "is_public": True, **fields})
    return collection, created


def load_demo_storefront(progress=None):
    made = 0
    with transaction.atomic():
        combos, created = _collection(
            "Quà tặng OCOP", "qua-tang-ocop",
            "<p>Các combo quà tặng ghép từ sản phẩm OCOP của nhiều chủ thể, đóng hộp sẵn.</p>")
        made += created
        combo_class = ProductClass.objects.filter(slug="gift-combo").first()
        if combo_class is not None:
            combos.classes.add(combo_class)
        rated, created = _collection(
            "Sản phẩm OCOP 4–5 sao", "ocop-4-5-sao",
            "<p>Sản phẩm được công nhận OCOP từ 4 sao trở lên.</p>")
        made += created
        rated.included_products.add(*Product.objects.filter(ocop_stars__gte=4))
        herbs = Category.objects.filter(name__icontains="dược liệu").first()
        if herbs is not None:
            group, created = _collection(
                "Sâm và dược liệu Đăk Hà", "sam-duoc-lieu",
                "<p>Sâm, đảng sâm và dược liệu trồng dưới tán rừng Đăk Hà.</p>")
            made += created
            group.included_categories.add(herbs)

        everything, _created = Range.objects.get_or_create(
            slug="tat-ca-san-pham", defaults={"name": "Tất cả sản phẩm", "includes_all_products": True,
                                              "is_public": False})
        if not Voucher.objects.filter(code=VOUCHER_CODE).exists():
            benefit = Benefit.objects.create(range=everything, type=Benefit.PERCENTAGE, value=Decimal(5))
            condition = Condition.objects.create(range=everything, type=Condition.VALUE,
                                                 value=Decimal(300_000))
            offer = ConditionalOffer.objects.create(
                name="Mã OCOPDAKHA: giảm 5% đơn từ 300.000 ₫", offer_type=ConditionalOffer.VOUCHER,
                benefit=benefit, condition=condition, exclusive=True)
            now = timezone.now()
            voucher = Voucher.objects.create(
                name="Giảm 5% đơn từ 300.000 ₫", code=VOUCHER_CODE, usage=Voucher.MULTI_USE,
                start_datetime=now - timedelta(days=1), end_datetime=now + timedelta(days=365))
            voucher.offers.add(offer)
            made += 1

        site = Site.objects.get_current()
        for url, title, content in PAGES:
            page, created = FlatPage.objects.get_or_create(url=url, defaults={"title": title,
                                                                              "content": content})
            page.sites.add(site)
            made += created
    if progress is not None:
        progress.step("storefront API extras", Range.objects.filter(is_public=True).count()
                      + FlatPage.objects.count() + 1, made,
                      f"collections, information pages, voucher {VOUCHER_CODE}")
    return made
