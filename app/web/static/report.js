/* EcoMap explorer: "Download report". The one-page report of the organizations the filters
 * select (POST /api/report: the report `ecomap report` writes, with the map coloured, sized
 * and laid out as on screen), saved as an HTML file named after the server's answer. */
(function () {
  "use strict";

  var x = window.explorer;
  var button = document.getElementById("download-report");
  var form = document.getElementById("filters");
  if (!button) return;

  function filename(answer) {
    var header = answer.headers.get("Content-Disposition") || "";
    var match = /filename="([^"]+)"/.exec(header);
    return match ? match[1] : "ecomap-report.html";
  }

  function save(html, name) {
    var url = URL.createObjectURL(new Blob([html], { type: "text/html" }));
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(url); link.remove(); }, 1000);
  }

  function download() {
    var payload = {
      filters: x.filters(),
      color_by: form.elements.color_by.value,
      size_by: form.elements.size_by.value,
      layout: form.elements.layout.value,
    };
    button.disabled = true;
    button.setAttribute("data-state", "running");
    x.say("Making the report of the filtered organizations\u2026");
    return x.call("POST", "/api/report", payload).then(function (answer) {
      if (!answer.ok) throw x.failure(answer);
      var name = filename(answer);
      save(answer.data, name);
      var count = answer.headers.get("X-EcoMap-Organizations");
      x.say("Report of " + Number(count || 0).toLocaleString("en") + " organizations saved as " +
        name + ".");
      button.setAttribute("data-state", "done");
    }).catch(function (error) {
      x.say("No report: " + error.message, true);
      button.setAttribute("data-state", "failed");
    }).then(function () { button.disabled = false; });
  }

  button.addEventListener("click", download);
  x.downloadReport = download;
})();
