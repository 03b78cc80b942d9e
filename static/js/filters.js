// The list's filters sit in a <details> that the page sends closed, so that on a phone
// the results come first; on a wider screen this opens it, as the filters fit beside them.
(function () {
  "use strict";
  if (window.matchMedia("(max-width: 600px)").matches) {
    return;
  }
  document.querySelectorAll("details.filter-fold").forEach(function (details) {
    details.open = true;
  });
})();
