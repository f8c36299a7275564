from django.shortcuts import get_object_or_404, redirect
from django.views import View

from shop.live import attribution
from shop.live.models import Link


def follow_link(request, code):
    link = get_object_or_404(Link.objects.select_related("product"), code=code)
    response = redirect(link.product.get_absolute_url())
    return attribution.follow(request, link, response)


HomeView = LinksView = LinkQrView = LinkCardView = SessionCreateView = SessionDetailView = View
SessionEditView = FeatureView = OfferEditView = SessionActionView = CommentsView = HoldView = View
FloorsView = OfficeSellersView = OfficeSellerView = MetaWebhookView = View
