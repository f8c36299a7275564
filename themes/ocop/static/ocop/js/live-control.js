/* The livestream control page: start, end, pin / unpin and caps through the live API,
 * live figures refreshed by polling it. Without JavaScript the same forms post to the
 * session's pages (live:session-action, live:offer), which do the same. */
(function () {
    "use strict";

    var root = document.getElementById("live-control");
    if (!root || !window.fetch) {
        return;
    }
    var message = root.querySelector("[data-message]");
    var refresh = parseInt(root.getAttribute("data-refresh"), 10) || 2000;
    var urls = {
        detail: root.getAttribute("data-detail-url"),
        start: root.getAttribute("data-start-url"),
        end: root.getAttribute("data-end-url"),
        pin: root.getAttribute("data-pin-url"),
        offer: root.getAttribute("data-offer-url")
    };

    function say(text, isError) {
        message.textContent = text || "";
        message.classList.toggle("live-problem", !!isError);
    }

    function csrf(form) {
        var input = form.querySelector("input[name=csrfmiddlewaretoken]");
        return input ? input.value : "";
    }

    function call(method, url, form, body) {
        return fetch(url, {
            method: method,
            credentials: "same-origin",
            headers: {"Content-Type": "application/json", "Accept": "application/json",
                      "X-CSRFToken": csrf(form)},
            body: body === undefined ? undefined : JSON.stringify(body)
        }).then(function (response) {
            return response.json().then(function (data) {
                if (!response.ok) {
                    throw new Error((data && data.detail) || root.getAttribute("data-failed"));
                }
                return data;
            });
        });
    }

    function setField(card, name, value) {
        var node = card.querySelector("[data-field=" + name + "]");
        if (node) {
            node.textContent = value == null ? "∞" : String(value);
        }
    }

    function render(detail) {
        var ended = detail.status === "ended" || detail.status === "cancelled";
        var badge = root.querySelector("[data-session-status]");
        badge.textContent = detail.status_label;
        badge.className = "live-badge live-badge--" + detail.status;
        root.querySelector("[data-api=start]").hidden = detail.status !== "scheduled";
        root.querySelector("[data-api=end]").hidden = detail.status !== "live";
        root.querySelector("[data-open-holds]").textContent = detail.open_holds;
        detail.offers.forEach(function (offer) {
            var card = root.querySelector("[data-offer='" + offer.id + "']");
            if (!card) {
                return;
            }
            setField(card, "available", offer.available);
            setField(card, "sold", offer.sold);
            setField(card, "cap", offer.cap);
            setField(card, "open_holds", offer.open_holds);
            card.classList.toggle("is-pinned", offer.pinned);
            card.querySelector("[data-pinned-badge]").hidden = !offer.pinned;
            card.querySelector("[data-api=pin]").hidden = offer.pinned || ended;
            card.querySelector("[data-api=unpin]").hidden = !offer.pinned || ended;
            var cap = card.querySelector("input[type=number]");
            if (cap && document.activeElement !== cap) {
                cap.value = offer.cap == null ? "" : offer.cap;
            }
        });
    }

    function load() {
        return fetch(urls.detail, {credentials: "same-origin", headers: {"Accept": "application/json"},
                                   cache: "no-store"})
            .then(function (response) { return response.ok ? response.json() : null; })
            .then(function (detail) { if (detail) { render(detail); } })
            .catch(function () { /* offline for a moment: the next refresh tries again */ });
    }

    function submit(event) {
        var form = event.target.closest("form[data-api]");
        if (!form) {
            return;
        }
        event.preventDefault();
        var kind = form.getAttribute("data-api");
        var request;
        if (kind === "start" || kind === "end") {
            request = call("POST", urls[kind], form);
        } else if (kind === "pin") {
            request = call("POST", urls.pin, form, {offer: parseInt(form.getAttribute("data-pin-offer"), 10)});
        } else if (kind === "unpin") {
            request = call("POST", urls.pin, form, {offer: null});
        } else if (kind === "cap") {
            var id = form.getAttribute("data-offer-id");
            var value = form.querySelector("input[type=number]").value.trim();
            request = call("PATCH", urls.offer.replace(/\/0\/$/, "/" + id + "/"), form,
                           {cap: value === "" ? null : parseInt(value, 10)})
                .then(function () { return load(); });
        }
        form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
        request.then(function (detail) {
            if (detail && detail.offers) {
                render(detail);
            }
            say(root.getAttribute("data-saved"), false);
        }).catch(function (error) {
            say(error.message, true);
        }).then(function () {
            form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
        });
    }

    root.addEventListener("submit", submit);
    root.querySelectorAll("[data-copy]").forEach(function (button) {
        button.addEventListener("click", function () {
            var input = document.querySelector(button.getAttribute("data-copy"));
            input.select();
            var done = function () { say(root.getAttribute("data-copied"), false); };
            if (navigator.clipboard) {
                navigator.clipboard.writeText(input.value).then(done, function () {});
            } else if (document.execCommand("copy")) {
                done();
            }
        });
    });
    window.setInterval(load, refresh);
}());
