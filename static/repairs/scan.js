// Filing form: read a device's QR label with the browser's BarcodeDetector, or take the typed asset number.
(function () {
  "use strict";
  var button = document.getElementById("scan-button");
  var assetInput = document.getElementById("id_asset_no");
  var picker = document.getElementById("id_equipment");
  if (!button || !assetInput) return;

  function assetFrom(text) {
    text = (text || "").trim();
    if (text.indexOf("/asset/") !== -1) text = text.replace(/\/+$/, "").split("/").pop();
    return decodeURIComponent(text).toUpperCase();
  }

  // Select the device in the department's list when it is there; the server checks the number either way.
  function choose(assetNo) {
    assetInput.value = assetNo;
    if (!picker) return;
    for (var i = 0; i < picker.options.length; i++) {
      var label = picker.options[i].text;
      if (label === assetNo || label.indexOf(assetNo + " ") === 0) {
        picker.selectedIndex = i;
        picker.dispatchEvent(new Event("change"));
        return;
      }
    }
  }

  assetInput.addEventListener("change", function () { choose(assetFrom(assetInput.value)); });

  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) {
    button.addEventListener("click", function () {
      document.getElementById("scan-unsupported").hidden = false;
      assetInput.focus();
    });
    return;
  }

  button.addEventListener("click", function () {
    var box = document.getElementById("scanner");
    var video = document.getElementById("scanner-video");
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      box.hidden = false;
      video.srcObject = stream;
      video.play();
      function stop() { stream.getTracks().forEach(function (track) { track.stop(); }); box.hidden = true; }
      function look() {
        detector.detect(video).then(function (codes) {
          if (codes.length) { choose(assetFrom(codes[0].rawValue)); stop(); }
          else requestAnimationFrame(look);
        }).catch(function () { requestAnimationFrame(look); });
      }
      look();
    }).catch(function () {
      document.getElementById("scan-unsupported").hidden = false;
      assetInput.focus();
    });
  });
})();
