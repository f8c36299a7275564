/* OCOP Đăk Hà: what Oscar's inline event handlers did, for pages under the
   Content-Security-Policy (shop/settings.py forbids inline handlers). Loaded by
   oscar/base.html on the storefront, the producer corner and the dashboard.

   data-history-back       a link that goes back one page ("cancel")
   data-window-close       a link that closes a popup window
   data-print              a link or button that prints the page
   form[data-confirm]      asks the question before the form is sent
   .image-input img        Oscar's image widget (dashboard, product photos): its upload
                           button hides once the chosen picture shows, and shows again
                           when the file is not a picture. */
(function () {
    "use strict";
    // Oscar templates not copied into the theme still carry these handlers; the
    // browser refuses to run them, so the same action is done from here.
    var BACK = "[data-history-back], a[onclick*='history.go(-1)']";
    var CLOSE = "[data-window-close], a[onclick*='window.close()']";
    var PRINT = "[data-print], a[onclick='window.print()']";
    document.addEventListener("click", function (event) {
        var target = event.target instanceof Element ? event.target : null;
        if (!target) { return; }
        if (target.closest(BACK)) {
            event.preventDefault();
            window.history.back();
        } else if (target.closest(CLOSE)) {
            event.preventDefault();
            window.close();
        } else if (target.closest(PRINT)) {
            event.preventDefault();
            window.print();
        }
    });
    document.addEventListener("submit", function (event) {
        var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
        if (question && !window.confirm(question)) { event.preventDefault(); }
    });
    function uploadButton(target) {
        var widget = target.tagName === "IMG" ? target.closest(".image-input") : null;
        return widget ? widget.querySelector("button[id^='upload_button_']") : null;
    }
    // load and error do not bubble: listen while they go down (capture).
    document.addEventListener("load", function (event) {
        var button = uploadButton(event.target);
        if (button) { button.style.display = "none"; }
    }, true);
    document.addEventListener("error", function (event) {
        var button = uploadButton(event.target);
        if (button && event.target.getAttribute("src")) {
            button.style.display = "";
            var message = event.target.getAttribute("data-error-message");
            if (message) { window.alert(message); }
        }
    }, true);
})();
