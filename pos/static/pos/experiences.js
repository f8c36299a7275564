/* The till's experiences drawer (pos/experiences.py): today's or the week's departures,
 * and places for a walk-in visitor — added to the sale as tickets (booked when the sale
 * is recorded) or held for cash on arrival (booked at once). Needs the network. */
(function () {
  "use strict";
  var panel = document.getElementById("experience-panel");
  var till = window.posTill;
  if (!panel || !till) return;
  var config = JSON.parse(document.getElementById("pos-config").textContent);
  var base = "registers/" + config.register.id + "/experiences/";
  var list = document.getElementById("experience-departures");
  var form = document.getElementById("experience-form");
  var result = document.getElementById("experience-result");
  var chosen = null, days = 1;
  function $(id) { return document.getElementById(id); }
  function msg(name, params) {
    return String(panel.dataset[name] || "").replace(/%\((\w+)\)s/g, function (_m, k) { return params && k in params ? params[k] : ""; });
  }
  function count(id) {
    var text = $(id).value.trim();
    return /^\d{1,4}$/.test(text) ? parseInt(text, 10) : NaN;
  }
  function load() {
    list.innerHTML = ""; form.hidden = true; chosen = null;
    till.api("GET", base + "?days=" + days).then(function (data) {
      if (!data.departures.length) {
        var li = document.createElement("li"); li.textContent = msg("msgNone"); list.appendChild(li); return;
      }
      data.departures.forEach(function (d) {
        var li = document.createElement("li"), button = document.createElement("button");
        button.type = "button"; button.className = "departure"; button.dataset.departure = d.id;
        button.textContent = d.day + " " + d.time + " — " + d.product + " — " +
          msg("msgLeft", { n: d.places_left }) + (d.adult_price ? " — " + till.vnd(d.adult_price) : "");
        if (!d.bookable) { button.disabled = true; button.title = d.reason; }
        button.addEventListener("click", function () { choose(d); });
        li.appendChild(button); list.appendChild(li);
      });
    }, function (error) { till.say(error.network ? msg("msgNone") : error.message, "error"); });
  }
  function choose(d) {
    chosen = d; form.hidden = false; result.textContent = "";
    $("experience-chosen").textContent = d.day + " " + d.time + " — " + d.product + (d.meeting_point ? " (" + d.meeting_point + ")" : "");
    $("experience-name").focus();
  }
  function visitor() {
    var adults = count("experience-adults"), children = count("experience-children");
    if (isNaN(adults) || isNaN(children) || adults + children < 1) { till.say(msg("msgPeople"), "error"); return null; }
    return { departure: chosen.id, name: $("experience-name").value.trim(), phone: $("experience-phone").value.trim(),
             adults: adults, children: children };
  }
  function reset() { $("experience-name").value = ""; $("experience-phone").value = ""; $("experience-adults").value = "1"; $("experience-children").value = "0"; }
  $("experience-on-arrival").addEventListener("click", function () {
    if (!chosen) return;
    var v = visitor(); if (!v) return;
    v.client_uuid = till.uuid();
    till.api("POST", base + "bookings/", v).then(function (booking) {
      result.textContent = msg("msgBooked", { code: booking.display_code, people: booking.adults + booking.children });
      result.dataset.code = booking.code;
      till.say(result.textContent, "ok"); reset(); load();
    }, function (error) { till.say(error.message, "error"); });
  });
  $("experience-pay-here").addEventListener("click", function () {
    if (!chosen || !chosen.offer) return;
    var v = visitor(); if (!v) return;
    if (v.children && chosen.child_price && chosen.child_price !== chosen.adult_price) { till.say(msg("msgChild"), "error"); return; }
    till.addTickets(chosen.offer, v.adults + v.children, v);
    result.textContent = msg("msgAdded", { n: v.adults + v.children });
    till.say(result.textContent, "ok"); reset();
    panel.hidden = true;  // back to the sale: the cashier takes the money
  });
  document.addEventListener("pos:bookings", function (event) {
    var texts = event.detail.map(function (b) { return b.error || msg("msgPaid", { code: b.display_code, people: b.adults + b.children }); });
    result.textContent = texts.join(" ");
    var lastSale = document.getElementById("last-sale");
    if (lastSale) { var p = document.createElement("p"); p.className = "experience-vouchers"; p.textContent = texts.join(" "); lastSale.appendChild(p); }
  });
  panel.querySelectorAll("[data-days]").forEach(function (chip) {
    chip.addEventListener("click", function () {
      days = parseInt(chip.dataset.days, 10);
      panel.querySelectorAll("[data-days]").forEach(function (c) { c.classList.toggle("active", c === chip); });
      load();
    });
  });
  $("open-experiences").addEventListener("click", load);
  document.addEventListener("keydown", function (e) { if (e.key === "F8") load(); });
})();
