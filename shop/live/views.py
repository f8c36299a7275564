"""The livestream seller's workplace and the office's pages — thin views over the rules.

Access: :mod:`shop.live.access` (own rows only; the office sees all). Rules:
``sessions``, ``pricing``, ``holds``, ``orders``, ``links``, ``attribution``.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from catalogue import combos
from shop.core import links as site_links
from shop.core.numbers import is_digits
from shop.core.roles import LIVESTREAM_SELLER
from shop.live import access, attribution, holds, links, meta, orders, pricing, sessions
from shop.live.forms import (
    ConfirmHoldForm,
    FeatureForm,
    FloorForm,
    OfferForm,
    PasteForm,
    SellerForm,
    SessionForm,
)
from shop.live.models import Comment, Hold, Link, LiveOffer, LivePriceFloor, LiveSession, Seller
from vendors import access as vendor_access

StockRecord = get_model("partner", "StockRecord")
PAGE_SIZE = 30


def follow_link(request, code):
    """``/l/<code>``: count the click, remember the seller, land on the product page."""
    link = Link.objects.select_related("product").filter(code=code[:16]).first()
    if link is None or not link.product.is_public:
        raise Http404(_("Liên kết không tồn tại hoặc sản phẩm không còn bán."))
    response = redirect(link.product.get_absolute_url())
    return attribution.follow(request, link, response)


def _errors(error):
    if hasattr(error, "message_dict"):
        return [m for messages_ in error.message_dict.values() for m in messages_]
    return list(error.messages)


class LiveMixin(LoginRequiredMixin):
    """Signed-in sellers (their own rows) and the office (all rows)."""

    login_url = reverse_lazy("customer:login")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.seller = access.require(request.user)
            self.office = access.is_office(request.user)
        return super().dispatch(request, *args, **kwargs)

    def own(self, queryset):
        return access.own(queryset, self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(seller=self.seller, live_is_office=self.office,
                   live_partner=self.seller.partner if self.seller else None)
        return ctx

    def need_seller(self):
        if self.seller is None:
            raise PermissionDenied(_("Chỉ người bán hàng livestream làm được việc này."))
        return self.seller


class HomeView(LiveMixin, TemplateView):
    template_name = "live/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rows = (
            self.own(LiveSession.objects.all()).select_related("seller")
            .annotate(n_offers=Count("offers", distinct=True),
                      n_open=Count("holds", filter=Q(holds__status=Hold.Status.OPEN), distinct=True))
            .order_by("-scheduled_start", "-pk")
        )
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        ctx.update(page=page, sessions=page.object_list)
        return ctx


# --- Links and QR ----------------------------------------------------------------------------


class LinksView(LiveMixin, TemplateView):
    template_name = "live/links.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = (self.request.GET.get("q") or "").strip()[:100]
        my_links = self.own(Link.objects.all()).select_related("product", "session", "seller")
        ctx["links"] = Paginator(my_links, PAGE_SIZE).get_page(self.request.GET.get("page"))
        if self.seller is not None:
            products = sessions.sellable_products(self.seller).order_by("title")
            if query:
                products = products.filter(search_text__icontains=query.lower())
            ctx["products"] = Paginator(products, PAGE_SIZE).get_page(self.request.GET.get("p"))
        ctx["q"] = query
        return ctx

    def post(self, request, *args, **kwargs):
        seller = self.need_seller()
        product = sessions.sellable_products(seller).filter(pk=request.POST.get("product") or 0).first() \
            if is_digits(request.POST.get("product") or "") else None
        if product is None:
            messages.error(request, _("Sản phẩm không có hoặc bạn không được bán sản phẩm này."))
            return redirect("live:links")
        link = links.link_for(seller, product)
        messages.success(request, _("Liên kết của bạn: %(url)s") % {
            "url": links.absolute_url(link, request)})
        return redirect(reverse("live:links") + f"#link-{link.pk}")


class LinkQrView(LiveMixin, View):
    def get(self, request, pk, fmt):
        link = access.get_own_or_404(Link.objects.all(), request.user, pk=pk)
        if fmt == "svg":
            return HttpResponse(links.qr_svg(link, request), content_type="image/svg+xml")
        if fmt == "png":
            response = HttpResponse(links.qr_png(link, request), content_type="image/png")
            if request.GET.get("download"):
                response["Content-Disposition"] = f'attachment; filename="ocop-{link.code}.png"'
            return response
        raise Http404(_("Định dạng QR chỉ có png hoặc svg."))


class LinkCardView(LiveMixin, TemplateView):
    template_name = "live/link_card.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        link = access.get_own_or_404(
            Link.objects.select_related("product", "seller", "session"), self.request.user,
            pk=self.kwargs["pk"],
        )
        ctx.update(link=link, url=links.absolute_url(link, self.request),
                   qr_svg=links.qr_svg(link, self.request).decode("utf-8"),
                   stockrecord=link.product.stockrecords.order_by("pk").first())
        return ctx


# --- Sessions --------------------------------------------------------------------------------


class SessionCreateView(LiveMixin, View):
    template_name = "live/session_form.html"

    def get(self, request):
        self.need_seller()
        return render(request, self.template_name, self._ctx(SessionForm()))

    def post(self, request):
        seller = self.need_seller()
        form = SessionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                session = sessions.schedule(
                    seller, data["title"], data["platform"], data["scheduled_start"],
                    data["scheduled_end"], stream_url=data["stream_url"],
                    page_feed_id=data["page_feed_id"],
                )
            except ValidationError as error:
                for message in _errors(error):
                    form.add_error(None, message)
            else:
                messages.success(request, _("Đã lên lịch phiên “%(title)s”.") % {"title": session.title})
                return redirect("live:session", pk=session.pk)
        return render(request, self.template_name, self._ctx(form), status=400)

    def _ctx(self, form, session=None):
        return {"form": form, "session": session, "seller": self.seller,
                "live_is_office": self.office, "live_partner": self.seller.partner if self.seller else None}


class SessionEditView(SessionCreateView):
    def _session(self):
        session = access.get_own_or_404(LiveSession.objects.all(), self.request.user, pk=self.kwargs["pk"])
        if session.status != LiveSession.Status.SCHEDULED:
            messages.error(self.request, _("Chỉ sửa được phiên chưa phát."))
            return session, False
        return session, True

    def get(self, request, pk):
        session, ok = self._session()
        if not ok:
            return redirect("live:session", pk=pk)
        return render(request, self.template_name, self._ctx(SessionForm(instance=session), session))

    def post(self, request, pk):
        session, ok = self._session()
        if not ok:
            return redirect("live:session", pk=pk)
        form = SessionForm(request.POST, instance=session)
        if form.is_valid():
            form.save()
            messages.success(request, _("Đã lưu phiên."))
            return redirect("live:session", pk=pk)
        return render(request, self.template_name, self._ctx(form, session), status=400)


def _session_context(request, session, feature_form=None):
    offers = list(
        session.offers.select_related("product__product_class")
        .prefetch_related("product__stockrecords", "product__images", "product__batches",
                          "product__ocop_certificates")
        .annotate(n_holds=Count("holds", filter=Q(holds__status__in=["open", "confirmed"])))
    )
    rows = []
    for offer in offers:
        link = links.link_for(session.seller, offer.product, session)
        rows.append({
            "offer": offer,
            "stockrecord": next(iter(offer.product.stockrecords.all()), None),
            "available": sessions.available(offer),
            "papers": sessions.quality_papers(offer.product),
            "link": link,
            "url": links.absolute_url(link, request),
            "form": OfferForm(initial={"live_price": offer.live_price, "cap": offer.cap},
                              prefix=f"o{offer.pk}"),
        })
    seller = session.seller
    return {
        "session": session,
        "rows": rows,
        "feature_form": feature_form or FeatureForm(
            products=sessions.sellable_products(seller).order_by("title")
        ),
        "open_holds": session.holds.filter(status=Hold.Status.OPEN).count(),
        "editable": session.status in (LiveSession.Status.SCHEDULED, LiveSession.Status.LIVE),
    }


class SessionDetailView(LiveMixin, TemplateView):
    template_name = "live/session.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        session = access.get_own_or_404(
            LiveSession.objects.select_related("seller__partner", "pinned"), self.request.user,
            pk=self.kwargs["pk"],
        )
        ctx.update(_session_context(self.request, session, kwargs.get("feature_form")))
        return ctx


class FeatureView(LiveMixin, View):
    def post(self, request, pk):
        session = access.get_own_or_404(LiveSession.objects.select_related("seller"), request.user, pk=pk)
        form = FeatureForm(request.POST, products=sessions.sellable_products(session.seller))
        if form.is_valid():
            data = form.cleaned_data
            try:
                sessions.feature(session, data["product"], data["code"], data["live_price"], data["cap"])
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errs in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errs)
                else:
                    form.add_error(None, error.messages)
            else:
                messages.success(request, _("Đã thêm “%(title)s” vào phiên.") % {
                    "title": data["product"].get_title()})
                return redirect("live:session", pk=pk)
        view = SessionDetailView()
        view.setup(request, pk=pk)
        view.seller, view.office = self.seller, self.office
        return render(request, view.template_name, view.get_context_data(feature_form=form),
                      status=400)


class OfferEditView(LiveMixin, View):
    def post(self, request, pk, offer_pk):
        offer = access.get_own_or_404(
            LiveOffer.objects.select_related("session__seller", "product"), request.user,
            pk=offer_pk, session_id=pk,
        )
        try:
            if request.POST.get("action") == "remove":
                sessions.remove_offer(offer)
                messages.success(request, _("Đã gỡ sản phẩm khỏi phiên."))
            else:
                form = OfferForm(request.POST, prefix=f"o{offer.pk}")
                if not form.is_valid():
                    for errs in form.errors.values():
                        for message in errs:
                            messages.error(request, message)
                    return redirect("live:session", pk=pk)
                sessions.update_offer(offer, form.cleaned_data["live_price"], form.cleaned_data["cap"])
                messages.success(request, _("Đã lưu giá live và giới hạn của %(code)s.") % {"code": offer.code})
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
        return redirect("live:session", pk=pk)


class SessionActionView(LiveMixin, View):
    """Start, end, cancel, pin and unpin — the control page's actions without JavaScript."""

    def post(self, request, pk):
        session = access.get_own_or_404(LiveSession.objects.all(), request.user, pk=pk)
        action = request.POST.get("action")
        try:
            if action == "start":
                sessions.start(session)
                messages.success(request, _("Phiên đang phát."))
            elif action == "end":
                sessions.end(session)
                messages.success(request, _("Phiên đã kết thúc."))
            elif action == "cancel":
                sessions.cancel(session)
                messages.success(request, _("Đã huỷ phiên."))
            elif action in ("pin", "unpin"):
                offer = None
                if action == "pin":
                    offer_id = request.POST.get("offer") or ""
                    offer = session.offers.filter(pk=offer_id).first() if is_digits(offer_id) else None
                    if offer is None:
                        raise ValidationError(_("Hãy chọn sản phẩm để ghim."))
                sessions.pin(session, offer)
                messages.success(request, _("Đã ghim sản phẩm lên màn hình live.") if offer
                                 else _("Đã bỏ ghim."))
            else:
                messages.error(request, _("Thao tác không hợp lệ."))
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
        return redirect(request.POST.get("next") if request.POST.get("next") in (
            reverse("live:session", kwargs={"pk": pk}),
        ) else reverse("live:session", kwargs={"pk": pk}))


# --- Comment orders --------------------------------------------------------------------------


class CommentsView(LiveMixin, TemplateView):
    template_name = "live/comments.html"

    def session(self):
        return access.get_own_or_404(
            LiveSession.objects.select_related("seller"), self.request.user, pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        session = kwargs.get("session") or self.session()
        holds.expire_due(session=session)
        queue = list(holds.queue(session)[:300])
        unread = (
            session.comments.exclude(outcome__in=[Comment.Outcome.HOLD, Comment.Outcome.DUPLICATE])
            .filter(handled=False).order_by("-received_at", "-pk")[:200]
        )
        ctx.update(
            session=session, holds=queue, unread=unread,
            form=kwargs.get("form") or PasteForm(),
            codes=list(session.offers.values_list("code", flat=True)),
            counts={
                Hold.Status(status).label: n for status, n in
                session.holds.values_list("status").annotate(n=Count("pk")).order_by()
            },
        )
        return ctx

    def post(self, request, pk):
        session = self.session()
        if request.POST.get("action") == "dismiss":
            comment_id = request.POST.get("comment") or ""
            if is_digits(comment_id):
                session.comments.filter(pk=comment_id).update(handled=True)
            return redirect("live:comments", pk=pk)
        form = PasteForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(session=session, form=form), status=400)
        created = holds.receive(session, form.items())
        made = sum(1 for c in created if c.outcome == Comment.Outcome.HOLD)
        messages.success(request, _("Đã đọc %(n)s bình luận, giữ hàng cho %(holds)s đơn.") % {
            "n": len(created), "holds": made})
        return redirect("live:comments", pk=pk)


class HoldView(LiveMixin, TemplateView):
    template_name = "live/hold.html"

    def hold(self):
        return access.get_own_or_404(
            Hold.objects.select_related("session__seller", "offer__product", "comment", "order"),
            self.request.user, pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        hold = kwargs.get("hold") or self.hold()
        form = kwargs.get("form") or ConfirmHoldForm(initial={
            "phone": hold.phone,
            "full_name": hold.comment.author if hold.comment else "",
        })
        ctx.update(hold=hold, form=form)
        if hold.order_id:
            payment = get_model("payment", "OrderPayment").objects.filter(order=hold.order).first()
            ctx.update(payment=payment, payment_url=site_links.absolute(
                orders.order_status_url(hold.order), self.request))
        return ctx

    def post(self, request, pk):
        hold = self.hold()
        if request.POST.get("action") == "cancel":
            try:
                holds.cancel(hold, user=request.user)
                messages.success(request, _("Đã huỷ giữ hàng; hàng đã trả về kho."))
            except ValidationError as error:
                for message in _errors(error):
                    messages.error(request, message)
            return redirect("live:comments", pk=hold.session_id)
        form = ConfirmHoldForm(request.POST)
        if form.is_valid():
            try:
                order, _path = orders.confirm(
                    hold, form.address_fields(), form.cleaned_data["payment"],
                    collect_location=form.cleaned_data.get("collect_point")
                    if form.cleaned_data["fulfilment"] == form.COLLECT else None,
                    user=request.user,
                )
            except ValidationError as error:
                for message in _errors(error):
                    form.add_error(None, message)
            else:
                messages.success(request, _("Đã tạo đơn %(n)s.") % {"n": order.number})
                return redirect("live:hold", pk=hold.pk)
        return self.render_to_response(self.get_context_data(hold=hold, form=form), status=400)


# --- Floors: the lowest live price a seller of goods accepts ---------------------------------


class FloorsView(LoginRequiredMixin, TemplateView):
    """A producer sets floors on its own offers; the office on the district's combos (and any)."""

    template_name = "live/floors.html"
    login_url = reverse_lazy("customer:login")

    def offers(self):
        user = self.request.user
        queryset = StockRecord.objects.select_related("product", "partner").order_by("product__title")
        if access.is_office(user):
            partner = combos.district_partner()
            wanted = self.request.GET.get("all") == "1"
            return queryset if wanted or partner is None else queryset.filter(partner=partner)
        vendor = vendor_access.vendor_for(user)
        if vendor is None:
            raise PermissionDenied(_("Trang này dành cho chủ thể OCOP và Phòng Nông nghiệp huyện."))
        return queryset.filter(partner_id=vendor.partner_id)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        offers = self.offers()
        page = Paginator(offers, PAGE_SIZE).get_page(self.request.GET.get("page"))
        floors = dict(LivePriceFloor.objects.filter(stockrecord__in=list(page.object_list))
                      .values_list("stockrecord_id", "min_price"))
        ctx.update(page=page, rows=[(sr, floors.get(sr.pk)) for sr in page.object_list],
                   live_is_office=access.is_office(self.request.user),
                   seller=access.seller_for(self.request.user))
        return ctx

    def post(self, request):
        offer_id = request.POST.get("stockrecord") or ""
        stockrecord = self.offers().filter(pk=offer_id).first() if is_digits(offer_id) else None
        if stockrecord is None:
            raise Http404(_("Không tìm thấy mặt hàng."))
        form = FloorForm(request.POST)
        if not form.is_valid():
            for errs in form.errors.values():
                for message in errs:
                    messages.error(request, message)
        elif form.cleaned_data["min_price"] is None:
            LivePriceFloor.objects.filter(stockrecord=stockrecord).delete()
            messages.success(request, _("Đã bỏ giá sàn của %(title)s.") % {"title": stockrecord.product.get_title()})
        else:
            try:
                if form.cleaned_data["min_price"] > stockrecord.price:
                    raise ValidationError(_("Giá sàn không được cao hơn giá niêm yết."))
                pricing.set_floor(stockrecord, form.cleaned_data["min_price"], user=request.user)
                messages.success(request, _("Đã đặt giá sàn livestream cho %(title)s.") % {
                    "title": stockrecord.product.get_title()})
            except ValidationError as error:
                for message in _errors(error):
                    messages.error(request, message)
        return redirect(request.get_full_path())


# --- The office: sellers and their commission rates ------------------------------------------


class OfficeMixin(LiveMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            access.require_office(request.user)
        return super().dispatch(request, *args, **kwargs)


class OfficeSellersView(OfficeMixin, TemplateView):
    template_name = "live/office_sellers.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["sellers"] = Seller.objects.select_related("user", "partner").annotate(
            n_sessions=Count("sessions", distinct=True))
        ctx["form"] = kwargs.get("form") or SellerForm()
        ctx["username"] = kwargs.get("username", "")
        return ctx

    def post(self, request):
        username = (request.POST.get("username") or "").strip()[:150]
        form = SellerForm(request.POST)
        user = get_user_model().objects.filter(username=username).first() if username else None
        if user is None:
            form.add_error(None, _("Không có tài khoản “%(u)s”. Hãy tạo tài khoản trước.") % {"u": username})
        elif Seller.objects.filter(user=user).exists():
            form.add_error(None, _("Tài khoản này đã là người bán."))
        if form.is_valid():
            seller = form.save(commit=False)
            seller.user = user
            vendor = vendor_access.vendor_for(user)
            seller.partner = vendor.partner if vendor else None
            seller.save()
            user.groups.add(Group.objects.get_or_create(name=LIVESTREAM_SELLER)[0])
            messages.success(request, _("Đã thêm người bán %(name)s.") % {"name": seller.display_name})
            return redirect("live:office-sellers")
        return self.render_to_response(self.get_context_data(form=form, username=username), status=400)


class OfficeSellerView(OfficeMixin, TemplateView):
    template_name = "live/office_seller.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        target = get_object_or_404(Seller.objects.select_related("user", "partner"), pk=self.kwargs["pk"])
        ctx.update(target=target, form=kwargs.get("form") or SellerForm(instance=target))
        return ctx

    def post(self, request, pk):
        target = get_object_or_404(Seller, pk=pk)
        form = SellerForm(request.POST, instance=target)
        if form.is_valid():
            form.save()
            messages.success(request, _("Đã lưu người bán %(name)s.") % {"name": target.display_name})
            return redirect("live:office-sellers")
        return self.render_to_response(self.get_context_data(form=form), status=400)


# --- Meta's Page webhook: comments of a live video arrive by themselves ---------------------


@method_decorator(csrf_exempt, name="dispatch")
class MetaWebhookView(View):
    """Meta's Page ``feed`` webhook: the subscription handshake, then signed comment deliveries.

    A delivery is refused (403) unless ``X-Hub-Signature-256`` is the HMAC of the exact
    body with ``META_APP_SECRET``. Each new comment on the post of a live session
    (``LiveSession.page_feed_id``) goes through the same reading and holds as pasted ones;
    a delivery sent twice records each comment once.
    """

    def get(self, request):
        challenge = meta.verification_response(request.GET, getattr(settings, "META_VERIFY_TOKEN", ""))
        if challenge is None:
            return HttpResponseForbidden(_("Mã xác minh không đúng."))
        return HttpResponse(challenge, content_type="text/plain")

    def post(self, request):
        secret = getattr(settings, "META_APP_SECRET", "")
        if not meta.verify_signature(request.body, request.headers.get("X-Hub-Signature-256"), secret):
            return HttpResponseForbidden(_("Chữ ký không hợp lệ."))
        try:
            payload = json.loads(request.body.decode("utf-8"))
            found = meta.feed_comments(payload)
        except (ValueError, UnicodeDecodeError):
            return HttpResponseBadRequest(_("Dữ liệu không hợp lệ."))
        by_post = {}
        for comment in found:
            by_post.setdefault(comment.post_id, []).append(comment)
        received = 0
        if by_post:
            live = LiveSession.objects.filter(
                status=LiveSession.Status.LIVE, page_feed_id__in=[p for p in by_post if p]
            ).prefetch_related(Prefetch("offers", queryset=LiveOffer.objects.select_related("product")))
            for session in live:
                items = [(c.comment_id, c.author, c.message) for c in by_post[session.page_feed_id]]
                received += len(holds.receive(session, items, source=Comment.Source.FACEBOOK))
        return HttpResponse(json.dumps({"received": received}), content_type="application/json")
