// 证书批量生成: poll the progress endpoint and update "已生成 N / M" in place.
// No inline script (CSP): the endpoint is read from data-progress-url. When the batch
// finishes, the page reloads once to show the download button or the error.
(function () {
  "use strict";
  var root = document.querySelector("[data-certificate-batch]");
  if (!root || root.dataset.finished === "1") {
    return;
  }
  var url = root.dataset.progressUrl;
  var text = root.querySelector("[data-batch-text]");
  var status = root.querySelector("[data-batch-status]");
  var bar = root.querySelector("[data-batch-bar]");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        text.textContent = data.text;
        status.textContent = data.status_label;
        bar.max = data.total || 1;
        bar.value = data.done;
        if (data.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 10000);
      });
  }
  window.setTimeout(poll, 2000);
})();
