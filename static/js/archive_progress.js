// Report archive: follow the PDF's generation until it can be downloaded (the URL comes from data-progress-url).
(function () {
  "use strict";
  var bar = document.getElementById("progress");
  var url = bar && bar.dataset.progressUrl;
  if (!url) return;
  function poll() {
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      bar.style.width = data.progress + "%";
      bar.textContent = data.progress + "%";
      document.getElementById("status").textContent = data.status_label;
      document.getElementById("sha256").textContent = data.sha256;
      if (data.download) { document.getElementById("download").classList.remove("d-none"); return; }
      if (data.status !== "failed") { setTimeout(poll, 1000); } else { location.reload(); }
    });
  }
  setTimeout(poll, 500);
})();
