/* EcoMap explorer: the history of the organization in the profile.
 * Opening "History" lists GET /api/organizations/{id}/history: change sets newest first,
 * each with when, who, from where, and field: before -> after for the organization and its
 * ties. Editors undo one with "Revert" (POST /api/history/{id}/revert, a new change set);
 * a refusal (409: a later change touched the same fields) is shown in words; after a revert
 * the profile reloads. */
(function () {
  "use strict";

  var x = window.explorer;
  var el = x.el;
  var box = document.getElementById("history");
  var body = document.getElementById("history-body");
  var SHOWN = 12;  // changes listed per change set before "and N more"
  var current = null;  // the organization whose history is shown or due
  var serial = 0;

  function value(v) {
    if (v === null || v === undefined || v === "") return "\u2014";
    return Array.isArray(v) ? v.join(", ") : String(v);
  }

  function when(at) {
    return String(at || "").replace("T", " ").replace(/Z$/, " UTC");
  }

  function revert(changeSet, item, button) {
    button.disabled = true;
    x.call("POST", "/api/history/" + encodeURIComponent(changeSet.id) + "/revert")
      .then(function (answer) {
        if (!answer.ok) {
          button.disabled = false;
          var reason = item.querySelector(".refusal") || el("p", null, "refusal error small");
          reason.setAttribute("role", "alert");
          reason.textContent = answer.status === 409 ?
            "Cannot revert change " + changeSet.id + ": " + x.describe(answer).replace(
              /^cannot revert change \d+: /i, "") + ". Revert the later change first." :
            x.describe(answer);
          item.appendChild(reason);
          return;
        }
        var made = answer.data.change_id;
        x.notice(made === null ? "Change " + changeSet.id + " had nothing left to undo." :
          "Change " + changeSet.id + " reverted by change " + made + ".");
        return x.call("GET", x.orgPath(current.id)).then(function (found) {
          if (found.ok) return x.showProfile(current.id);
          x.closeProfile();  // the revert undid its creation
          x.notice("Change " + changeSet.id + " reverted by change " + made + ": " +
            current.name + " no longer exists.");
        });
      }).catch(function (error) {
        button.disabled = false;
        x.notice(error.message, true);
      });
  }

  function changeSetItem(changeSet, editable) {
    var item = el("li", null, "change-set");
    item.setAttribute("data-change", String(changeSet.id));
    var head = el("div", null, "change-head");
    head.appendChild(el("strong", "Change " + changeSet.id));
    head.appendChild(el("span", " " + when(changeSet.at) + " \u00b7 " + changeSet.author,
      "small"));
    if (editable) {
      var button = el("button", "Revert", "small-button");
      button.type = "button";
      button.setAttribute("aria-label", "Revert change " + changeSet.id);
      button.addEventListener("click", function () { revert(changeSet, item, button); });
      head.appendChild(button);
    }
    item.appendChild(head);
    if (changeSet.source) item.appendChild(el("div", changeSet.source, "small muted"));
    var list = el("ul", null, "changes small");
    var changes = changeSet.changes || [];
    changes.slice(0, SHOWN).forEach(function (change) {
      var line = el("li");
      if (change.entity !== current.id) line.appendChild(el("span", change.entity + " ", "muted"));
      line.appendChild(el("span", change.field + ": ", "field-name"));
      line.appendChild(el("span", value(change.before), "before"));
      line.appendChild(document.createTextNode(" \u2192 "));
      line.appendChild(el("span", value(change.after), "after"));
      list.appendChild(line);
    });
    if (changes.length > SHOWN) list.appendChild(el("li", "and " + (changes.length - SHOWN) +
      " more changes", "muted"));
    item.appendChild(list);
    return item;
  }

  function load() {
    if (!current) return;
    var org = current;
    var mine = ++serial;
    box.removeAttribute("data-loaded");
    body.textContent = "Loading\u2026";
    x.call("GET", x.orgPath(org.id) + "/history?limit=20").then(function (answer) {
      if (mine !== serial) return;
      if (!answer.ok) throw x.failure(answer);
      body.textContent = "";
      var editable = x.canEdit();
      var list = el("ol", null, "history");
      answer.data.forEach(function (changeSet) { list.appendChild(changeSetItem(changeSet, editable)); });
      if (!answer.data.length) body.appendChild(el("p", "No recorded change.", "small muted"));
      body.appendChild(list);
      if (answer.headers.get("X-EcoMap-Truncated")) {
        body.appendChild(el("p", "Older changes are not shown (ecomap history " + org.id +
          " lists them all).", "small muted"));
      }
      box.setAttribute("data-loaded", org.id);
    }).catch(function (error) {
      if (mine !== serial) return;
      body.textContent = "";
      body.appendChild(el("p", error.message, "error"));
    });
  }

  box.addEventListener("toggle", function () {
    if (box.open && current && box.getAttribute("data-loaded") !== current.id) load();
  });
  x.on("profile", function (profile) {
    current = profile.org;
    box.removeAttribute("data-loaded");
    body.textContent = "";
    if (box.open) load();
  });
})();
