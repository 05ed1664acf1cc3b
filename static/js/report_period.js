// Statistical reports: show only the period fields the chosen kind of report uses.
(function () {
  "use strict";
  var kind = document.getElementById("id_kind");
  if (!kind) return;
  function show() {
    document.querySelectorAll("#period-form [data-for]").forEach(function (el) {
      el.hidden = !el.dataset.for.split(" ").includes(kind.value);
    });
  }
  kind.addEventListener("change", show);
  show();
})();
