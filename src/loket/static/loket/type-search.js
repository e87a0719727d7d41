// Progressive enhancement of the type-of-dossier choice: filter the list while typing (without JavaScript the
// search form asks the server). Words match in any order, accents ignored, like the server's search.
(function () {
  const input = document.getElementById("zoek");
  const count = document.getElementById("type-count");
  if (!input || !count) return;
  const fold = (text) => text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const choices = Array.from(document.querySelectorAll(".type-choice"));
  const groups = Array.from(document.querySelectorAll(".type-group"));
  const one = count.dataset.one || "1 type dossier";
  input.addEventListener("input", function () {
    const words = fold(input.value).split(/\s+/).filter(Boolean);
    let shown = 0;
    choices.forEach(function (choice) {
      const text = fold(choice.dataset.search || "");
      const match = words.every((word) => text.includes(word));
      choice.hidden = !match;
      if (match) shown += 1;
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector(".type-choice:not([hidden])");
    });
    count.textContent = shown === 1 ? one : shown + " " + (count.dataset.many || "types dossier");
  });
})();
