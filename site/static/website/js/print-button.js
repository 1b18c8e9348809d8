/* 打印 buttons: <button data-print> prints the page.  A static file rather than an
   onclick="" attribute, which the Content-Security-Policy (script-src 'self') blocks. */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
