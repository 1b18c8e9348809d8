/* 关怀版: large text and high contrast, remembered in this browser.
   Loaded in <head> so the page is drawn in the chosen mode from the start. */
(function () {
  var KEY = "gzgj-care-mode";
  var root = document.documentElement;
  function stored() {
    try { return window.localStorage.getItem(KEY) === "on"; } catch (e) { return false; }
  }
  function apply(on) {
    root.classList.toggle("care-mode", on);
    var button = document.querySelector("[data-care-toggle]");
    if (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "标准版" : "关怀版";
    }
  }
  apply(stored());
  document.addEventListener("DOMContentLoaded", function () {
    apply(stored());
    var button = document.querySelector("[data-care-toggle]");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var on = !root.classList.contains("care-mode");
      try { window.localStorage.setItem(KEY, on ? "on" : "off"); } catch (e) { /* private mode */ }
      apply(on);
    });
  });
})();
