/* The guide's check-in page: scan the voucher's QR with the phone's camera where the
   browser has a barcode detector (Chrome on Android), otherwise type the code.
   The scanned text may be the voucher link (…/experiences/booking/<code>/) or the code. */
(function () {
  "use strict";
  var button = document.getElementById("scan-camera");
  var video = document.getElementById("scan-video");
  var input = document.getElementById("id_code");
  var form = document.getElementById("checkin-lookup");
  if (!button || !video || !input || !form) { return; }
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;  // typing the code is enough
  }
  button.hidden = false;
  function codeOf(text) {
    var match = /\/booking\/([^/?#]+)/.exec(text || "");
    return match ? decodeURIComponent(match[1]) : (text || "").trim();
  }
  button.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.hidden = false;
      video.srcObject = stream;
      video.play();
      function stop() { stream.getTracks().forEach(function (t) { t.stop(); }); video.hidden = true; }
      function look() {
        detector.detect(video).then(function (codes) {
          if (codes.length) {
            stop();
            input.value = codeOf(codes[0].rawValue);
            form.submit();
          } else {
            window.requestAnimationFrame(look);
          }
        }).catch(function () { window.setTimeout(look, 300); });
      }
      look();
    }).catch(function () { button.hidden = true; input.focus(); });
  });
})();
