/* Asks before a page with typed but unsent input is left: by the header's language switch (a form of its own),
   a link, the back button or closing the tab. The browser shows its own question in its own language; a page
   cannot word it. Only forms that send (method post) count: a search or filter form (get) loses nothing worth a
   question. A form marked data-unsaved="ignore" never counts. Sending the form that holds the input is not leaving
   it, so it is not asked about; a send another script stops (upload-check.js) leaves the input unsent, so it still
   counts. Without JavaScript nothing changes. */
(function () {
  "use strict";

  var changed = new Set();
  var sending = null;

  function counts(form) {
    return form && (form.getAttribute("method") || "").toLowerCase() === "post" && form.dataset.unsaved !== "ignore";
  }

  function noteChange(event) {
    var form = event.target && event.target.form;
    if (counts(form)) changed.add(form);
  }

  document.addEventListener("input", noteChange, true);
  document.addEventListener("change", noteChange, true);

  // Bubbling, so a handler that cancels the send (on the form itself) has run before this one reads it.
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) sending = event.target;
  });

  window.addEventListener("beforeunload", function (event) {
    var unsent = Array.from(changed).some(function (form) {
      return form !== sending && form.isConnected;
    });
    if (unsent) {
      event.preventDefault();
      event.returnValue = "";  // older Chromium asks only when returnValue is set
    }
  });

  // Back from the browser's cache: the page is as it was left, its input unsent again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) sending = null;
  });
})();
