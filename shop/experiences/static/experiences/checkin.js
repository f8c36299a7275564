/* The guide's check-in page: scan the voucher's QR with the phone's camera, or type the code.
   The browser's own barcode detector is used where it has one (Chrome on Android); elsewhere
   (Safari on an iPhone, desktop browsers) the frames are read by jsQR (vendor/, loaded before
   this file). Without a camera, or when the guide refuses it, typing the code is enough.
   The scanned text may be the voucher link (…/experiences/booking/<code>/) or the code. */
(function () {
  "use strict";
  var button = document.getElementById("scan-camera");
  var video = document.getElementById("scan-video");
  var input = document.getElementById("id_code");
  var form = document.getElementById("checkin-lookup");
  if (!button || !video || !input || !form) { return; }
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
  var MAX_WIDTH = 640;  // frames are scaled down to this before jsQR reads them

  function nativeReader() {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    return function (source) {
      return detector.detect(source).then(function (codes) {
        return codes.length ? codes[0].rawValue : null;
      });
    };
  }

  function jsQRReader() {
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    return function (source) {
      var width = source.videoWidth, height = source.videoHeight;
      if (!width || !height) { return Promise.resolve(null); }
      var scale = Math.min(1, MAX_WIDTH / width);
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      context.drawImage(source, 0, 0, canvas.width, canvas.height);
      var frame = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(frame.data, canvas.width, canvas.height,
                              { inversionAttempts: "dontInvert" });
      return Promise.resolve(found && found.data ? found.data : null);
    };
  }

  var makeReader = "BarcodeDetector" in window ? nativeReader
    : (typeof window.jsQR === "function" ? jsQRReader : null);
  if (!makeReader) { return; }
  button.hidden = false;

  function codeOf(text) {
    var match = /\/booking\/([^/?#]+)/.exec(text || "");
    return match ? decodeURIComponent(match[1]) : (text || "").trim();
  }

  var stream = null;
  function stop() {
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    video.hidden = true;
    video.srcObject = null;
  }

  button.addEventListener("click", function () {
    if (stream) { stop(); return; }  // a second press closes the camera
    var read = makeReader();
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (opened) {
      stream = opened;
      video.hidden = false;
      video.srcObject = stream;
      video.play();
      function look() {
        if (!stream) { return; }
        read(video).then(function (text) {
          if (text) {
            stop();
            input.value = codeOf(text);
            form.submit();
          } else {
            window.setTimeout(look, 120);
          }
        }).catch(function () { window.setTimeout(look, 300); });
      }
      look();
    }).catch(function () { button.hidden = true; input.focus(); });
  });
})();
