// The permission request form offers only the modules and roles of the chosen information system.
(function () {
  "use strict";
  var system = document.getElementById("id_system");
  var boxes = document.querySelectorAll('input[name="modules"][data-system]');
  var field = document.getElementById("div_id_modules");
  if (!system || !field) {
    return;
  }

  function offerModulesOfSystem() {
    var offered = 0;
    boxes.forEach(function (box) {
      var mine = box.dataset.system === system.value;
      var row = box.closest(".form-check");
      var label = row.querySelector("label");
      if (!mine) {
        box.checked = false;
      }
      if (row.querySelector(".invalid-feedback")) {
        // The field's error message sits in the last row: keep the row, hide only its module.
        box.hidden = !mine;
        label.hidden = !mine;
      } else {
        row.hidden = !mine;
      }
      offered += mine ? 1 : 0;
    });
    field.hidden = offered === 0 && !field.querySelector(".invalid-feedback");
  }

  system.addEventListener("change", offerModulesOfSystem);
  offerModulesOfSystem();
})();
