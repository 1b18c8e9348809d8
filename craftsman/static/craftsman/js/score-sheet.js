// Running total of a score sheet: Σ points × weight, recomputed on every input.
// The server recomputes the total on save; this is only a convenience.
(function () {
  "use strict";
  function update(form) {
    var total = 0;
    var invalid = false;
    form.querySelectorAll("input[data-max]").forEach(function (input) {
      var value = input.value.trim();
      if (value === "") { return; }
      var points = Number(value);
      var max = Number(input.dataset.max);
      if (isNaN(points) || points < 0 || points > max) {
        invalid = true;
        input.setAttribute("aria-invalid", "true");
        return;
      }
      input.removeAttribute("aria-invalid");
      total += points * Number(input.dataset.weight || 1);
    });
    var out = form.querySelector("[data-running-total]");
    if (out) {
      out.textContent = (Math.round(total * 100) / 100).toString() + (invalid ? "（有超出范围的分数）" : "");
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-score-sheet]").forEach(function (form) {
      form.addEventListener("input", function () { update(form); });
      update(form);
    });
  });
})();
