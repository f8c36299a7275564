/* Checkout address form: hide the address fields when collecting at a point, and load the
   wards/communes of the chosen province (JSON from data-wards-url). No inline script (CSP). */
(function () {
  "use strict";
  var form = document.getElementById("new_shipping_address");
  if (!form) { return; }
  var province = form.querySelector("[name=province]");
  var ward = form.querySelector("[name=ward]");
  var first = ward && ward.options[0] ? ward.options[0].text : "";
  function toggle() {
    var collect = form.querySelector("[name=fulfilment]:checked");
    var hide = collect && collect.value === "collect";
    ["province", "ward", "line1"].forEach(function (n) {
      var box = form.querySelector(".field-" + n);
      if (box) { box.hidden = !!hide; }
    });
  }
  if (province && ward) {
    province.addEventListener("change", function () {
      ward.innerHTML = "";
      ward.add(new Option(first, ""));
      if (!province.value) { return; }
      fetch(form.dataset.wardsUrl + "?province=" + encodeURIComponent(province.value))
        .then(function (r) { return r.json(); })
        .then(function (data) {
          data.wards.forEach(function (w) { ward.add(new Option(w.name, w.code)); });
          ward.dataset.loaded = province.value;
        });
    });
  }
  form.querySelectorAll("[name=fulfilment]").forEach(function (r) { r.addEventListener("change", toggle); });
  toggle();
})();
