(function () {
  "use strict";
  var button = document.getElementById("print-receipt");
  if (button) button.addEventListener("click", function () { window.print(); });
  if (document.body.dataset.autoprint === "1") window.addEventListener("load", function () { window.print(); });
})();
