/* The customer-facing screen: mirrors the till's cart and shows the VietQR code. */
(function () {
  "use strict";
  var id = document.body.dataset.register;
  if (!("BroadcastChannel" in window)) return;
  var channel = new BroadcastChannel("pos-display-" + id);
  function vnd(n) { return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".") + " ₫"; }
  channel.onmessage = function (event) {
    var m = event.data;
    if (m.type === "cart") {
      var body = document.getElementById("display-lines");
      body.innerHTML = "";
      m.lines.forEach(function (l) {
        var tr = document.createElement("tr");
        var a = document.createElement("td"), b = document.createElement("td"), c = document.createElement("td");
        a.textContent = l.title; b.textContent = "× " + l.quantity; c.textContent = vnd(l.total); c.className = "num";
        tr.appendChild(a); tr.appendChild(b); tr.appendChild(c); body.appendChild(tr);
      });
      document.getElementById("display-total").textContent = vnd(m.total);
      if (!m.lines.length) { document.getElementById("display-qr").hidden = true; document.getElementById("display-qr-text").textContent = ""; }
    } else if (m.type === "qr") {
      var box = document.getElementById("display-qr");
      box.innerHTML = m.svg; box.hidden = false;
      document.getElementById("display-qr-text").textContent = m.text;
    }
  };
})();
