/* OCOP Đăk Hà: what Oscar 4.2's dashboard pages call but its dashboard.js lacks.

   oscar/dashboard/orders/order_detail.html runs oscar.dashboard.orders.initTable()
   when the page loads, a function Oscar's own dashboard.js no longer defines (the
   page stopped there with "initTable is not a function"). Here it does what it did
   in earlier Oscar releases: a "select all" box heads the first column of the order
   lines table. Loaded after oscar/js/oscar/dashboard.js (dashboard layout). */
(function () {
    "use strict";
    var orders = window.oscar && window.oscar.dashboard && window.oscar.dashboard.orders;
    if (!orders || typeof orders.initTable === "function") { return; }
    orders.initTable = function () {
        var boxes = document.querySelectorAll("input[name='selected_line']");
        var table = boxes.length ? boxes[0].closest("table") : null;
        var head = table ? table.querySelector("thead th") : null;
        if (!head || head.querySelector("input")) { return; }
        var all = document.createElement("input");
        all.type = "checkbox";
        all.setAttribute("aria-label",
            (document.documentElement.lang || "").indexOf("vi") === 0 ? "Chọn tất cả" : "Select all");
        head.appendChild(all);
        all.addEventListener("change", function () {
            boxes.forEach(function (box) { box.checked = all.checked; });
        });
    };
})();
