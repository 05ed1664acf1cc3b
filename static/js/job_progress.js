// A background job's page (a report archive, a label sheet): follow its progress until it can be downloaded.
// The bar carries data-progress-url; the JSON gives progress, status_label and, once ready, download (and the
// report's sha256, shown where the page has a place for it).
(function () {
  "use strict";
  var bar = document.getElementById("progress");
  var url = bar && bar.dataset.progressUrl;
  if (!url) return;
  function show(id, text) {
    var element = document.getElementById(id);
    if (element && text !== undefined) element.textContent = text;
  }
  function poll() {
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      bar.style.width = data.progress + "%";
      bar.textContent = data.progress + "%";
      show("status", data.status_label);
      show("sha256", data.sha256);
      if (data.download) { document.getElementById("download").classList.remove("d-none"); return; }
      if (data.status !== "failed") { setTimeout(poll, 1000); } else { location.reload(); }
    }).catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
