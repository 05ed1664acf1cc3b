// Behaviour every page shares, bound here because the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  // A form's 取消 link returns to the page the user came from.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-history-back]");
    if (!link || window.history.length < 2) return;
    event.preventDefault();
    window.history.back();
  });
})();
