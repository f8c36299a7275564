// The product page's departure calendar: picking a day shows that day's departures only.
// Without this script every day's departures are listed (the page works without it).
(function () {
  "use strict";
  var form = document.getElementById("experience-book-form");
  if (!form) { return; }
  var days = form.querySelectorAll(".exp-calendar__day[data-day]");
  var picks = form.querySelectorAll("[data-pick-day]");
  function show(day) {
    days.forEach(function (block) {
      var on = block.getAttribute("data-day") === day;
      block.hidden = !on;
      if (!on) {
        block.querySelectorAll("input[name=departure]").forEach(function (r) { r.checked = false; });
      }
    });
    picks.forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-pick-day") === day ? "true" : "false");
    });
  }
  picks.forEach(function (b) {
    b.addEventListener("click", function () { show(b.getAttribute("data-pick-day")); });
  });
  if (picks.length) { show(picks[0].getAttribute("data-pick-day")); }
})();
