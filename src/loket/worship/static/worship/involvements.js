// The running total of the supervising and co-financing percentages on the involvements page (the server
// checks and stores; this only shows the sum while typing). A static file: the CSP allows no inline script.
(function () {
  var form = document.getElementById("involvements");
  function cents(text) { var v = (text || "").replace(",", ".").replace("%", "").trim(); if (!/^\d+(\.\d{1,2})?$/.test(v)) return 0; var p = v.split("."); return parseInt(p[0], 10) * 100 + (p[1] ? parseInt((p[1] + "0").slice(0, 2), 10) : 0); }
  function update() {
    var total = 0;
    form.querySelectorAll("tbody tr").forEach(function (row) {
      var type = row.querySelector(".type").value;
      if (type === "toezichthoudend" || type === "mede-financierend") total += cents(row.querySelector(".percentage").value);
    });
    document.getElementById("total").textContent = (Math.floor(total / 100)) + "." + String(total % 100).padStart(2, "0");
  }
  form.addEventListener("input", update); form.addEventListener("change", update);
})();
