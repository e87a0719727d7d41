/* Personeelsbeheer: cells save as the clerk leaves them (the page works without this script: one form post).
   Each changed cell is posted to its dataset's cell URL; the server applies every rule and answers with the value
   as stored, the dataset's totals and the table's warnings, or an error (then nothing was changed). */
(function () {
  "use strict";
  var form = document.getElementById("personnel-form");
  if (!form || !window.fetch) return;
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var status = document.getElementById("save-status");
  var texts = form.dataset;

  function cellUrl(table, index) {
    return table.dataset.cellUrl.replace(/\/0\/$/, "/" + index + "/");
  }

  function setError(input, message) {
    var cell = input.parentNode;
    var old = cell.querySelector(".error-text, .warning");
    if (old) old.remove();
    cell.classList.remove("invalid", "warned");
    input.removeAttribute("aria-invalid");
    if (message) {
      var p = document.createElement("p");
      p.className = "error-text";
      p.id = "e-" + input.name;
      p.textContent = message;
      cell.appendChild(p);
      cell.classList.add("invalid");
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", p.id);
    }
  }

  function setTotals(unit, totals) {
    function put(id, text) {
      var node = document.getElementById("t-" + unit + "-" + id);
      if (node) node.textContent = text;
    }
    totals.rows.forEach(function (t, i) { put("row-" + i, t); });
    totals.columns.forEach(function (t, i) { put("col-" + i, t); });
    totals.statuses.forEach(function (t, i) { put("status-" + i, t); });
    totals.working_times.forEach(function (t, i) { put("time-" + i, t); });
    put("grand", totals.grand);
  }

  function setWarnings(warnings) {
    form.querySelectorAll("p.warning").forEach(function (p) { p.remove(); });
    form.querySelectorAll("td.warned").forEach(function (td) { td.classList.remove("warned"); });
    var box = document.getElementById("warnings");
    if (!box) {
      box = document.createElement("div");
      box.id = "warnings";
      box.className = "notice";
      form.parentNode.insertBefore(box, form);
    }
    box.textContent = "";
    box.hidden = warnings.length === 0;
    if (!warnings.length) return;
    var intro = document.createElement("p");
    intro.textContent = texts.warningsIntro;
    var list = document.createElement("ul");
    warnings.forEach(function (warning) {
      var item = document.createElement("li");
      item.textContent = warning.message;
      list.appendChild(item);
      var input = warning.cell && document.getElementById("c-" + warning.cell);
      if (input && !input.parentNode.classList.contains("invalid")) {
        var p = document.createElement("p");
        p.className = "help warning";
        p.textContent = warning.message;
        input.parentNode.appendChild(p);
        input.parentNode.classList.add("warned");
      }
    });
    box.appendChild(intro);
    box.appendChild(list);
  }

  // One save at a time, in the order the clerk left the cells: the last answer carries the latest totals.
  var queue = Promise.resolve();

  function save(input) {
    var table = input.closest("table");
    var body = new FormData();
    body.append("value", input.value);
    status.textContent = texts.saving;
    return fetch(cellUrl(table, input.dataset.cell), {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": token, "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok) {
        var fields = result.data.error.fields || {};
        setError(input, fields[input.name] || result.data.error.message);
        status.textContent = result.data.error.message;
        return;
      }
      setError(input, "");
      input.value = result.data.value;
      input.dataset.saved = input.value;
      setTotals(table.dataset.unit, result.data.totals);
      setWarnings(result.data.warnings);
      status.textContent = result.data.changed ? texts.saved : "";
    }).catch(function () {
      status.textContent = texts.failed;
    });
  }

  form.querySelectorAll("input[data-cell]").forEach(function (input) {
    input.dataset.saved = input.value;
    input.addEventListener("change", function () {
      if (input.value !== input.dataset.saved) {
        queue = queue.then(function () { return save(input); });
      }
    });
  });
})();
