/* The customer-facing screen: mirrors the till's cart and shows the VietQR code.
 * Its words come with the page (Vietnamese or English); amounts follow the page's language. */
(function () {
  "use strict";
  var id = document.body.dataset.register;
  if (!("BroadcastChannel" in window)) return;
  var channel = new BroadcastChannel("pos-display-" + id);
  var english = /^en/i.test(document.documentElement.lang || "");
  function vnd(n) {
    var digits = Math.abs(Math.round(n)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, english ? "," : ".");
    return (n < 0 ? "-" : "") + (english ? "₫" + digits : digits + " ₫");
  }
  function cell(tr, className, text) {
    var td = document.createElement("td");
    td.className = className; td.textContent = text || "";
    tr.appendChild(td);
    return td;
  }
  function picture(line) {
    var box = document.createElement("span");
    box.textContent = (String(line.title || "?").trim()[0] || "?").toUpperCase();
    if (!line.image) return box;
    var img = document.createElement("img");
    img.alt = ""; img.src = line.image;
    img.addEventListener("error", function () { img.replaceWith(box); });
    return img;
  }
  channel.onmessage = function (event) {
    var m = event.data;
    if (m.type === "cart") {
      var body = document.getElementById("display-lines");
      body.innerHTML = "";
      m.lines.forEach(function (l) {
        var tr = document.createElement("tr");
        cell(tr, "pic").appendChild(picture(l));
        var title = cell(tr, "title", l.title);
        if (l.stars) {
          var stars = document.createElement("span");
          stars.className = "stars"; stars.textContent = "★".repeat(l.stars);
          title.appendChild(stars);
        }
        cell(tr, "qty", l.quantity + " × " + vnd(l.price));
        cell(tr, "num", vnd(l.total));
        body.appendChild(tr);
      });
      document.getElementById("display-empty").hidden = m.lines.length > 0;
      document.getElementById("display-total").textContent = vnd(m.total);
      var saving = document.getElementById("display-saving");
      saving.hidden = !m.discounts;
      document.getElementById("display-discount").textContent = m.discounts ? vnd(-m.discounts) : "";
      if (!m.lines.length) { document.getElementById("display-qr").hidden = true; document.getElementById("display-qr-text").textContent = ""; }
    } else if (m.type === "qr") {
      var box = document.getElementById("display-qr");
      box.innerHTML = m.svg; box.hidden = false;
      document.getElementById("display-qr-text").textContent = m.text;
    }
  };
})();
