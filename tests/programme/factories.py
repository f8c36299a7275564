"""Known programme data for the dashboard tests: producers, certified products, sales, people."""

import datetime
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from catalogue.certification import add_months
from pos import returns as till_returns
from pos import sales as till_sales
from pos.models import TillSession
from shop.core.roles import COMMUNE_OFFICER, DISTRICT_OFFICE, ensure_role_groups
from shop.payment.models import OrderPayment, PaymentRefund
from shop.programme.models import CommuneOfficer, ProducerFacts
from tests.factories import make_certificate
from tests.pos.factories import make_cashier, make_register, new_uuid
from tests.showroom.factories import make_offer, order_for

PASSWORD = "mat-khau-rat-dai-123"
_seq = itertools.count(1)


def make_user(prefix="nguoi-dung", **kwargs):
    n = next(_seq)
    return get_user_model().objects.create_user(
        username=f"{prefix}{n}", email=f"{prefix}{n}@example.vn", password=PASSWORD, **kwargs
    )


def make_office():
    """A member of the district office (staff, ``programme.manage_programme`` by its group)."""
    groups = ensure_role_groups()
    user = make_user("phong-nn", is_staff=True)
    user.groups.add(groups[DISTRICT_OFFICE])
    return user


def make_officer(commune):
    """A commune's OCOP officer."""
    user = make_user("can-bo-xa")
    user.groups.add(Group.objects.get_or_create(name=COMMUNE_OFFICER)[0])
    CommuneOfficer.objects.create(user=user, commune=commune)
    return user


def certified(vendor, stars, title, price=Decimal("100000"), stock=None, category=None,
              decided=None, earlier=None):
    """An offer of ``vendor`` whose product holds a current ``stars`` certificate.

    ``earlier``: ``[(stars, decision_date), ...]`` certificates before the current one.
    """
    stockrecord = make_offer(title=title, vendor=vendor, price=price, stock=stock,
                             category=category, stars=None)
    for old_stars, day in earlier or ():
        make_certificate(stockrecord.product, stars=old_stars, decision_date=day)
    make_certificate(stockrecord.product, stars=stars,
                     decision_date=decided or timezone.localdate() - datetime.timedelta(days=60))
    stockrecord.product.refresh_from_db()
    return stockrecord


def expiring_decision(days_left):
    """A decision date whose certificate ends ``days_left`` days from today."""
    target = timezone.localdate() + datetime.timedelta(days=days_left)
    return add_months(target, -36)


def facts(vendor, confirmed=True, **values):
    return ProducerFacts.objects.create(
        vendor=vendor, confirmed_at=timezone.now() if confirmed else None, **values
    )


def online_order(items, placed=None, status=None):
    order = order_for(items)
    changes = {}
    if placed is not None:
        changes["date_placed"] = placed
    if status is not None:
        changes["status"] = status
    if changes:
        type(order).objects.filter(pk=order.pk).update(**changes)
        order.refresh_from_db()
    return order


def refund(order, amount, status="succeeded"):
    payment, _created = OrderPayment.objects.get_or_create(
        order=order, defaults={
            "method": OrderPayment.Method.CARD, "status": OrderPayment.Status.PAID,
            "amount": order.total_incl_tax, "amount_paid": order.total_incl_tax,
        },
    )
    return PaymentRefund.objects.create(payment=payment, amount=Decimal(amount), status=status)


class Till:
    """A register of ``location`` with an open session."""

    def __init__(self, location):
        self.register = make_register(location)
        self.cashier = make_cashier(location)
        self.session = TillSession.objects.create(
            register=self.register, cashier=self.cashier, opening_float=Decimal(0)
        )

    def sell(self, items):
        """``items`` = [(stockrecord, qty)]; paid in cash, exactly."""
        sale, _created = till_sales.record_sale(
            register=self.register, session=self.session, user=self.cashier,
            client_uuid=new_uuid(),
            lines=[{"stockrecord": sr.pk, "quantity": qty} for sr, qty in items],
            tenders=[{"kind": "cash", "tendered": 10_000_000}],
        )
        return sale

    def take_back(self, sale, stockrecord, quantity):
        line = sale.lines.get(stockrecord=stockrecord)
        return till_returns.record_return(
            sale=sale, session=self.session, user=self.cashier, refund_kind="cash",
            lines=[{"line": line.pk, "quantity": quantity}],
        )


class Known:
    """The known data of the KPI tests (the numbers each test asserts are worked out here).

    Communes A (Đăk Mar) and B (Ngọk Wang). Subjects (producers with a certified product):
    coop_a (HTX, A), enterprise_a (DN, A), coop_b (HTX, B), household_b (hộ, B),
    group_b (tổ hợp tác, B); farm_a has only an expired certificate (not a subject).
    """

    def __init__(self, locations):
        from shop.live.models import Attribution
        from shop.payment import statuses
        from tests.factories import make_category, make_unit, make_vendor
        from tests.live.factories import make_seller
        from vendors.models import Vendor

        T = Vendor.SubjectType
        today = timezone.localdate()
        self.today = today
        self.start = today.replace(month=1, day=1)
        self.showcase = locations[0]
        self.a = make_unit("Đăk Mar", code="xa-dak-mar")
        self.b = make_unit("Ngọk Wang", code="xa-ngok-wang")
        self.coop_a = make_vendor("HTX Cà phê Đăk Mar", T.COOPERATIVE, self.a)
        self.enterprise_a = make_vendor("Công ty TNHH Sâm Đăk Hà", T.ENTERPRISE, self.a)
        self.farm_a = make_vendor("Trang trại Bò Đăk Mar", T.FARM, self.a)
        self.coop_b = make_vendor("HTX Mật ong Ngọk Wang", T.COOPERATIVE, self.b)
        self.household_b = make_vendor("Hộ kinh doanh Y Bình", T.HOUSEHOLD, self.b)
        self.group_b = make_vendor("Tổ hợp tác dệt thổ cẩm", T.COOPERATIVE_GROUP, self.b)
        food = make_category("Thực phẩm")
        drinks = make_category("Đồ uống")
        coffee = make_category("Cà phê", parent=drinks)
        stock = {self.showcase: 50}
        long_ago = today - datetime.timedelta(days=4 * 365)
        # coop_a: a 3★ product; a 5★ one re-rated up from 4★ (upgraded)
        self.p1 = certified(self.coop_a, 3, "Cà phê bột Đăk Mar", Decimal("150000"), stock, food)
        self.p2 = certified(self.coop_a, 5, "Cà phê đặc sản Đăk Mar", Decimal("300000"), stock,
                            food, earlier=[(4, today - datetime.timedelta(days=400))])
        # enterprise_a: a 5★ product
        self.p4 = certified(self.enterprise_a, 5, "Sâm dây Đăk Hà", Decimal("200000"), stock,
                            food)
        # coop_b: a 4★ product renewed (its first 4★ certificate ran out years ago)
        self.p3 = certified(self.coop_b, 4, "Mật ong rừng Ngọk Wang", Decimal("150000"), stock,
                            coffee, earlier=[(4, long_ago)])
        # household_b: a 3★ product (no category), and a revoked certificate that counts for nothing
        self.p5 = certified(self.household_b, 3, "Măng khô Y Bình", Decimal("100000"), stock)
        self.p6 = certified(self.household_b, 4, "Rượu cần Y Bình", Decimal("120000"), stock)
        self.p6.product.ocop_certificates.update(revoked_on=today - datetime.timedelta(days=1))
        # group_b: a 3★ product whose certificate ends in 30 days
        self.p7 = certified(self.group_b, 3, "Khăn thổ cẩm", Decimal("250000"), stock,
                            decided=expiring_decision(30))
        # farm_a: only an expired certificate
        self.p8 = certified(self.farm_a, 4, "Bò một nắng", Decimal("180000"), stock,
                            decided=long_ago)
        # Programme facts: only the office-confirmed ones count
        facts(self.coop_a, closed_value_chain=True, workers=10, trained_workers=4)
        facts(self.coop_b, closed_value_chain=False, workers=5, trained_workers=1)
        facts(self.enterprise_a, confirmed=False, closed_value_chain=True, workers=100,
              trained_workers=100)
        facts(self.household_b, modern_channels="Sàn Postmart", workers=3, trained_workers=0)
        # Sales this year
        self.o1 = online_order([(self.p1, 2)])  # 300.000, online, coop_a
        refund(self.o1, 50000)  # an online card refund: −50.000
        refund(self.o1, 20000, status="failed")  # not counted
        self.o2 = online_order([(self.p3, 1)])  # 150.000, livestream, coop_b
        Attribution.objects.create(line=self.o2.lines.get(), seller=make_seller())
        online_order([(self.p1, 1)], status=statuses.CANCELLED)  # never counted
        online_order([(self.p4, 1)], status=statuses.AWAITING_PAYMENT)  # never counted
        self.till = Till(self.showcase)
        self.sale = self.till.sell([(self.p4, 1), (self.p5, 2)])  # 400.000 at the showcase
        self.till.take_back(self.sale, self.p5, 1)  # −100.000
        # Last year, same period: one online sale of p1
        last_year = timezone.make_aware(datetime.datetime(today.year - 1, 1, 1, 10, 0))
        online_order([(self.p1, 1)], placed=last_year)  # 150.000
        # Modern channels: coop_a and enterprise_a are listed in the online shop; coop_b sold
        # through a livestream; household_b names another channel; group_b has none.
        hidden = [self.p3, self.p5, self.p6, self.p7]
        type(self.p3.product).objects.filter(pk__in=[s.product_id for s in hidden]).update(
            is_public=False
        )
