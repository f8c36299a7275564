/* The livestream overlay (OBS or a phone's screen): follows the control page without a reload.
 *
 * Twice a second it asks the session's state (/live/api/sessions/<pk>/state/, with the
 * overlay's signed token) and re-renders only when the state's etag changed. The page
 * is rendered by the server first, so it shows the pinned item before this runs. */
(function () {
    "use strict";

    var root = document.getElementById("live-overlay");
    if (!root || !window.fetch) {
        return;
    }
    var card = root.querySelector(".live-overlay__card");
    var photo = root.querySelector(".live-overlay__photo");
    var qr = root.querySelector(".live-overlay__qr-img");
    var listPrice = root.querySelector("[data-o=list_price_text]");
    var interval = parseInt(root.getAttribute("data-interval"), 10) || 1000;
    var etag = root.getAttribute("data-etag");
    var url = root.getAttribute("data-state-url");
    var token = root.getAttribute("data-token");
    if (token) {
        url += (url.indexOf("?") < 0 ? "?" : "&") + "token=" + encodeURIComponent(token);
    }

    function text(name, value) {
        var node = root.querySelector("[data-o=" + name + "]");
        if (node) {
            node.textContent = value == null ? "" : String(value);
        }
    }

    function image(node, src) {
        if (src) {
            if (node.getAttribute("src") !== src) {
                node.setAttribute("src", src);
            }
            node.hidden = false;
        } else {
            node.removeAttribute("src");
            node.hidden = true;
        }
    }

    function render(state) {
        var item = state.pinned;
        if (!item) {
            card.hidden = true;
            return;
        }
        text("code", item.code);
        text("title", item.title);
        text("price_text", item.price_text);
        text("list_price_text", item.list_price_text);
        listPrice.hidden = !item.is_live_price;
        text("left", item.available > 0
            ? root.getAttribute("data-left").replace("__N__", item.available)
            : root.getAttribute("data-sold-out"));
        text("link_text", item.link_text);
        image(photo, item.image_url);
        image(qr, item.qr);
        card.hidden = false;
    }

    function poll() {
        fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}, cache: "no-store"})
            .then(function (response) {
                return response.ok ? response.json() : null;
            })
            .then(function (state) {
                if (state && state.etag !== etag) {
                    etag = state.etag;
                    render(state);
                }
            })
            .catch(function () { /* the network dropped: the next poll tries again */ })
            .then(function () {
                window.setTimeout(poll, interval);
            });
    }

    window.setTimeout(poll, interval);
}());
