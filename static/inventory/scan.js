// Stocktake counting with the phone camera: the browser's own BarcodeDetector reads the QR label
// and submits it like a typed asset number. Browsers without it keep the typed form only.
(function () {
  "use strict";
  var form = document.getElementById("count-form");
  if (!form) return;
  var input = form.querySelector("input[name=asset_no]");
  var start = document.getElementById("camera-start");
  var box = document.getElementById("camera");
  var video = document.getElementById("camera-video");
  var unsupported = document.getElementById("camera-unsupported");
  var usable = "BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  if (!usable) {
    unsupported.hidden = false;
    return;
  }
  start.hidden = false;
  start.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (stream) {
        box.hidden = false;
        start.hidden = true;
        video.srcObject = stream;
        video.play();
        var timer = setInterval(function () {
          if (video.readyState < 2) return;
          detector.detect(video).then(function (codes) {
            if (!codes.length) return;
            clearInterval(timer);
            stream.getTracks().forEach(function (track) { track.stop(); });
            if (navigator.vibrate) navigator.vibrate(80);
            input.value = codes[0].rawValue;
            sessionStorage.setItem("stocktake-camera", "on");
            form.submit();
          });
        }, 300);
      })
      .catch(function () {
        unsupported.hidden = false;
        start.hidden = true;
      });
  });
  // Keep scanning item after item: reopen the camera if it was on before this page loaded.
  if (sessionStorage.getItem("stocktake-camera") === "on") {
    sessionStorage.removeItem("stocktake-camera");
    start.click();
  }
})();
