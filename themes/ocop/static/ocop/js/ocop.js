/* OCOP Đăk Hà theme: tiny progressive enhancements, no dependencies. */
(function () {
    "use strict";
    var root = document.documentElement;
    root.className = root.className.replace(/\bno-js\b/, "") + " js";
    function ready(fn) {
        if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
    }
    ready(function () {
        // Selects and radios marked data-autosubmit send their form on change.
        var fields = document.querySelectorAll("[data-autosubmit]");
        Array.prototype.forEach.call(fields, function (field) {
            field.addEventListener("change", function () {
                if (field.form) { field.form.submit(); }
            });
        });
    });
})();
