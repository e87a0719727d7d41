/* A page that waits for background work (BBC-DR's check of the files) marks the waiting part with
   data-refresh-when-done="<seconds>". Every so many seconds this script reads the page again in the background and
   reloads it once, when the mark is gone: the clerk sees the outcome without a page that reloads itself every few
   seconds (a <meta http-equiv="refresh">, which axe counts as a critical fault: it moves a screen reader's reading
   position and a keyboard user's focus back to the top each time). Without JavaScript the page's <noscript> refresh
   does it the old way. */
(function () {
  "use strict";

  var mark = document.querySelector("[data-refresh-when-done]");
  if (!mark) return;
  var seconds = Math.max(1, parseInt(mark.dataset.refreshWhenDone, 10) || 3);

  function poll() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) return window.setTimeout(poll, seconds * 1000);
        var fresh = new DOMParser().parseFromString(html, "text/html");
        if (fresh.querySelector("[data-refresh-when-done]")) return window.setTimeout(poll, seconds * 1000);
        window.location.reload();
      })
      .catch(function () { window.setTimeout(poll, seconds * 1000); });
  }

  window.setTimeout(poll, seconds * 1000);
})();
