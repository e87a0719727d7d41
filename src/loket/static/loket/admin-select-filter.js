// The back office's two-box pickers (filter_horizontal: a person's groups and permissions, a vendor's bodies, an
// offer's criteria). Django's admin/js/SelectFilter2.js labels each filter box with an empty
// <span class="search-label-icon" aria-label="Type into this box ..."> inside its <label>: aria-label is not allowed on
// a span without a role (axe: aria-prohibited-attr). The span shows a magnifying glass; as an image it may carry the
// name, and the filter box keeps that name through its label. SelectFilter2.js builds the pickers on the load event,
// with a listener added while the page was parsed, so before this deferred script's.
"use strict";
window.addEventListener("load", function () {
    document.querySelectorAll(".selector-filter .search-label-icon[aria-label]:not([role])").forEach(function (icon) {
        icon.setAttribute("role", "img");
    });
});

// The back office's search pickers (autocomplete_fields: an organisation's access manager and supervisors). For a
// field of several values, select2 (Django's admin/js/autocomplete.js) shows a typing box without a label
// (axe: label, critical) and makes it anew at every choice. Each such box is named after the field's own label.
function nameSearchBoxes() {
    document.querySelectorAll(".select2-container .select2-search__field:not([aria-label])").forEach(function (box) {
        var container = box.closest(".select2-container");
        var select = container && container.previousElementSibling;
        var label = select && select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
        if (label) box.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
    });
}
window.addEventListener("load", function () {
    nameSearchBoxes();
    new MutationObserver(nameSearchBoxes).observe(document.body, { childList: true, subtree: true });
});
