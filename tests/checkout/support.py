"""Shared helpers of the checkout and payment tests: shop data, a checkout walk, fake Stripe."""

from __future__ import annotations

import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import stripe
from django.urls import reverse
from oscar.core.loading import get_model

from tests.showroom.factories import make_offer, three_locations

Order = get_model("order", "Order")
Country = get_model("address", "Country")

WEBHOOK_SECRET = "whsec_test_secret"
ADDRESS = {
    "fulfilment": "delivery",
    "full_name": "Nguyễn Thị Lan",
    "phone": "0912 345 678",
    "province": "51",  # Quảng Ngãi (Kon Tum merged into it in 2025)
    "ward": "23500",  # Xã Đăk Hà
    "line1": "12 Hùng Vương",
    "notes": "",
}


def delivery_zones():
    """The starting fee table of the data migration (a transactional test may have flushed it)."""
    import importlib

    from django.apps import apps

    importlib.import_module("shop.shipping.migrations.0005_default_delivery_zones").seed(apps, None)


def shop_data():
    """The three sales points and two products with stock at the showcase and Đăk Mar."""
    delivery_zones()
    locations = three_locations()
    coffee = make_offer("Cà phê Đăk Hà rang mộc", stock={locations[0]: 10, locations[1]: 3},
                        price=150000)
    honey = make_offer("Mật ong rừng Ngọk Wang", stock={locations[0]: 5, locations[1]: 2},
                       price=220000)
    return locations, coffee, honey


def add_to_basket(client, stockrecord, quantity=1):
    response = client.post(
        reverse("basket:add", kwargs={"pk": stockrecord.product.pk}), {"quantity": quantity}
    )
    assert response.status_code == 302, response


def checkout(client, method="cod", address=None, shipping_code="delivery", extra_post=None,
             email="khach@example.vn", gift=None):
    """Walk the checkout as a guest; returns the response of the 'place order' POST."""
    r = client.post(reverse("checkout:index"), {"username": email, "options": "anonymous"})
    assert r.status_code == 302, r.content[:500]
    r = client.post(reverse("checkout:shipping-address"), address or ADDRESS)
    assert r.status_code == 302, r.content.decode()[:3000]
    r = client.post(reverse("checkout:shipping-method"), {"method_code": shipping_code})
    assert r.status_code == 302, r.content.decode()[:3000]
    r = client.post(reverse("checkout:payment-method"),
                    {"method": method, **{f"gift-{k}": v for k, v in (gift or {}).items()}})
    assert r.status_code == 302, r.content.decode()[:3000]
    data = {"action": "place_order"}
    data.update(extra_post or {})
    return client.post(reverse("checkout:preview"), data)


# --- A local Stripe --------------------------------------------------------------


class FakeStripe:
    """A tiny HTTP server speaking enough of Stripe's API for the SDK, recording requests."""

    def __init__(self):
        self.requests = []
        self.intents = {}
        self.by_key = {}
        self.fail_with = None  # (status, error dict) for the next request
        self._ids = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                fake.requests.append({
                    "path": self.path, "headers": dict(self.headers),
                    "params": dict(parse_qsl(body, keep_blank_values=True)),
                })
                status, payload = fake.route(self.path, dict(parse_qsl(body)),
                                             self.headers.get("Idempotency-Key"))
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Request-Id", f"req_{next(fake._ids)}")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def route(self, path, params, key):
        if self.fail_with is not None:
            failure, self.fail_with = self.fail_with, None
            return failure
        if key and key in self.by_key:
            return 200, self.by_key[key]
        if path == "/v1/payment_intents":
            n = next(self._ids)
            intent = {
                "id": f"pi_test{n}", "object": "payment_intent",
                "amount": int(params["amount"]), "amount_received": 0,
                "currency": params["currency"], "status": "requires_payment_method",
                "client_secret": f"pi_test{n}_secret_abc", "livemode": False,
                "created": int(time.time()), "description": params.get("description"),
                "metadata": {k[9:-1]: v for k, v in params.items() if k.startswith("metadata[")},
                "automatic_payment_methods": {"enabled": True}, "latest_charge": None,
            }
            self.intents[intent["id"]] = intent
            result = (200, intent)
        elif path.startswith("/v1/payment_intents/") and path.endswith("/cancel"):
            intent = self.intents[path.split("/")[3]]
            intent["status"] = "canceled"
            result = (200, intent)
        elif path == "/v1/refunds":
            n = next(self._ids)
            result = (200, {
                "id": f"re_test{n}", "object": "refund", "amount": int(params["amount"]),
                "currency": "vnd", "payment_intent": params["payment_intent"],
                "charge": f"ch_for_{params['payment_intent']}", "status": "succeeded",
                "created": int(time.time()), "metadata": {},
            })
        else:
            return 404, {"error": {"type": "invalid_request_error", "message": "no route"}}
        if key:
            self.by_key[key] = result[1]
        return result


def stripe_settings(settings, fake):
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake.url
    settings.SHOP_STRIPE_MAX_NETWORK_RETRIES = 0


# --- Webhook events --------------------------------------------------------------


_event_ids = itertools.count(1)


def event(type_, obj, event_id=None):
    return {
        "id": event_id or f"evt_test{next(_event_ids)}", "object": "event", "type": type_,
        "api_version": "2024-06-20", "created": int(time.time()), "livemode": False,
        "pending_webhooks": 1, "request": {"id": None, "idempotency_key": None},
        "data": {"object": obj},
    }


def intent_obj(intent_id, amount, number, status="succeeded", currency="vnd", error=None):
    return {
        "id": intent_id, "object": "payment_intent", "amount": amount,
        "amount_received": amount if status == "succeeded" else 0, "currency": currency,
        "status": status, "metadata": {"order_number": number},
        "last_payment_error": error,
    }


def post_event(client, payload: dict, secret=WEBHOOK_SECRET, timestamp=None, signature=None):
    """Sign the exact bytes with Stripe's own helper and post them."""
    body = json.dumps(payload, ensure_ascii=False)
    if signature is None:
        signature = stripe.WebhookSignature.generate_signature_header(
            body, secret, timestamp=timestamp
        )
    return client.post(
        reverse("ocop-payment:stripe-webhook"), data=body.encode(),
        content_type="application/json", HTTP_STRIPE_SIGNATURE=signature,
    )
