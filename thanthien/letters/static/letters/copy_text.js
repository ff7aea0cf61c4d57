// The "copy" button of a plain-text export: shown only when JavaScript runs; without it the
// read-only text area stays selectable (the page says how to copy by hand).
(function () {
  "use strict";
  var button = document.getElementById("copy-post");
  var area = document.getElementById("post-text");
  var status = document.getElementById("copy-status");
  if (!button || !area) { return; }
  button.hidden = false;
  function done() { status.textContent = button.dataset.done; }
  function fallback() { area.select(); document.execCommand("copy"); done(); }
  button.addEventListener("click", function () {
    area.select();
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(area.value).then(done, fallback);
    } else {
      fallback();
    }
  });
})();
