/* EcoMap explorer: the "Missing links" tab. Suggested new ties (POST /api/analytics/links),
 * each naming both ends; an editor accepts one (POST /api/suggestions/accept: the tie is
 * created, its evidence says it was suggested and by whom it was accepted, and it can be
 * undone like any change) or dismisses it (POST /api/suggestions/dismiss: never suggested
 * again). Dismissed pairs are listed under the suggestions and can be restored
 * (DELETE /api/suggestions/dismissed). Every value is written with textContent. */
(function () {
  "use strict";

  var x = window.explorer;
  var el = x.el;
  var METHOD = "ra";
  var DISMISSED_SHOWN = 50;

  function end(id, name, kind, country) {
    var about = [kind, country].filter(Boolean).join(", ");
    return (name || id) + (about ? " (" + about + ")" : "");
  }

  /* The relationship types that may join the two ends (either way round counts for a
   * symmetric type), COLLABORATES_WITH first. */
  function typesFor(s) {
    return x.schema.relationship.types.filter(function (t) {
      if (t.type === x.schema.relationship.membership) return false;
      return t.sources.indexOf(s.source_kind) >= 0 && t.targets.indexOf(s.target_kind) >= 0;
    }).map(function (t) { return t.type; }).sort(function (a, b) {
      return (a === "COLLABORATES_WITH" ? -1 : 0) - (b === "COLLABORATES_WITH" ? -1 : 0);
    });
  }

  function button(label, run) {
    var b = el("button", label, "small-button");
    b.type = "button";
    b.addEventListener("click", function () { b.disabled = true; run(b); });
    return b;
  }

  function reopen() { return x.openTab("links"); }

  function accept(s, type) {
    var payload = { source: s.source, target: s.target, type: type, method: METHOD,
      score: s.score };
    return x.call("POST", "/api/suggestions/accept", payload).then(function (answer) {
      if (!answer.ok) return x.notice(x.describe(answer), true);
      var change = answer.headers.get("X-EcoMap-Change");
      x.notice("Accepted: " + (s.source_name || s.source) + " \u2013 " +
        (s.target_name || s.target) + " (" + type + "), change " + change + ".", false,
        [answer.data.evidence], { label: "Undo", run: function () { x.undo(change, reopen); } });
      return reopen();
    }).catch(function (error) { x.notice(error.message, true); });
  }

  function dismiss(s) {
    var payload = { source: s.source, target: s.target, method: METHOD, score: s.score };
    return x.call("POST", "/api/suggestions/dismiss", payload).then(function (answer) {
      if (!answer.ok) return x.notice(x.describe(answer), true);
      x.notice("Dismissed: " + (s.source_name || s.source) + " \u2013 " +
        (s.target_name || s.target) + " will not be suggested again.", false, null,
        { label: "Undo", run: function () { restore(answer.data); } });
      return reopen();
    }).catch(function (error) { x.notice(error.message, true); });
  }

  function restore(d) {
    var path = "/api/suggestions/dismissed?" +
      new URLSearchParams({ source: d.source, target: d.target }).toString();
    return x.call("DELETE", path).then(function (answer) {
      if (!answer.ok) return x.notice(x.describe(answer), true);
      x.notice("Restored: " + d.source + " \u2013 " + d.target + " may be suggested again.");
      return reopen();
    }).catch(function (error) { x.notice(error.message, true); });
  }

  function suggestionItem(s, editable) {
    var item = el("li");
    item.setAttribute("data-pair", s.source + " " + s.target);
    item.appendChild(el("strong", end(s.source, s.source_name, s.source_kind,
      s.source_country) + " \u2013 " + end(s.target, s.target_name, s.target_kind,
      s.target_country)));
    item.appendChild(el("span", " (" + x.fixed(s.score) + "): " + s.reason));
    if (!editable) return item;
    var tools = el("div", null, "tools");
    var types = typesFor(s);
    var select = el("select");
    select.setAttribute("aria-label", "type of the new tie");
    types.forEach(function (t) { select.appendChild(el("option", t)); });
    tools.appendChild(button("Accept", function () { accept(s, select.value); }));
    tools.appendChild(el("span", " as ", "small muted"));
    tools.appendChild(select);
    tools.appendChild(button("Dismiss", function () { dismiss(s); }));
    item.appendChild(tools);
    return item;
  }

  function dismissedList(body, editable) {
    var path = "/api/suggestions/dismissed?limit=" + DISMISSED_SHOWN;
    return x.request("GET", path).then(function (page) {
      if (!page.items.length) return;
      var box = el("details", null, "dismissed");
      box.appendChild(el("summary", "Dismissed suggestions (" + page.items.length +
        (page.has_more ? "+" : "") + ")"));
      var list = el("ul", null, "small");
      page.items.forEach(function (d) {
        var item = el("li", d.source + " \u2013 " + d.target + ": dismissed by " + d.by +
          ", " + d.at.slice(0, 10) + " ");
        if (editable) item.appendChild(button("Restore", function () { restore(d); }));
        list.appendChild(item);
      });
      box.appendChild(list);
      body.appendChild(box);
    });
  }

  x.tabs.links = function () {
    var body = x.tabBody;
    var payload = { filters: x.filters(), top: 15, method: METHOD };
    var selected = x.selectedId();
    if (selected) payload.org = selected;
    return x.request("POST", "/api/analytics/links", payload).then(function (data) {
      var editable = x.canEdit();
      body.textContent = "";
      body.appendChild(el("p", (selected ? "Best new partners of the selected " +
        "organization." : "Best new ties in the filtered network.") + (editable ?
        " Accept one to add the tie, or dismiss it for good." : ""), "small muted"));
      if (!data.length) body.appendChild(el("p", "No pair to suggest here.", "muted"));
      var list = el("ol", null, "links");
      data.forEach(function (s) { list.appendChild(suggestionItem(s, editable)); });
      body.appendChild(list);
      return dismissedList(body, editable).then(function () {
        body.setAttribute("data-count", String(data.length));
      });
    });
  };
  x.on("person", function () {  // buttons appear or go with the person's role
    if (document.querySelector("[data-tab=links][aria-selected=true]")) reopen();
  });
})();
