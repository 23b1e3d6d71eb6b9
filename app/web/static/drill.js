/* EcoMap explorer: drilling into an aggregated map, and expanding one organization. Above
 * the node limit the map draws communities (or clusters) as circles; clicking one opens its
 * members as the next map (POST /api/maps with "drill": the circles opened so far), and a
 * breadcrumb under the map leads back. New filters start again from the whole selection.
 * "Show its partners on the map" adds the selected organization's partners that the map
 * does not show (GET /api/organizations/{id}/relationships) around it. */
(function () {
  "use strict";

  var x = window.explorer;
  var el = x.el;
  var crumbs = document.getElementById("breadcrumb");
  var path = [];  // [{group, label}], outermost first

  function render() {
    crumbs.textContent = "";
    crumbs.hidden = !path.length;
    if (!path.length) return;
    var all = el("button", "All filtered organizations", "crumb");
    all.type = "button";
    all.addEventListener("click", function () { back(0); });
    crumbs.appendChild(all);
    path.forEach(function (step, i) {
      crumbs.appendChild(el("span", " \u203a ", "muted"));
      if (i === path.length - 1) {
        crumbs.appendChild(el("strong", step.label, "crumb-here"));
        return;
      }
      var link = el("button", step.label, "crumb");
      link.type = "button";
      link.addEventListener("click", function () { back(i + 1); });
      crumbs.appendChild(link);
    });
    crumbs.setAttribute("data-depth", String(path.length));
  }

  function back(depth) {
    path = path.slice(0, depth);
    render();
    return x.drawMap();
  }

  x.drillPath = function () { return path.map(function (step) { return step.group; }); };
  x.drillInto = function (group, label) {
    path.push({ group: String(group), label: String(label || group) });
    render();
    return x.drawMap();
  };
  x.drillBack = back;
  /* Open these circles, outermost first, named by their ids (views.js restores them from the
   * page's address or a saved view); the next map draws them. */
  x.drillSet = function (groups) {
    path = groups.map(function (group) { return { group: String(group), label: String(group) }; });
    render();
  };

  var EXPANDED = 500;  // most partners added at once
  document.getElementById("profile-expand").addEventListener("click", function () {
    var org = x.selected();
    if (!org) return;
    var path = x.orgPath(org.id) + "/relationships?limit=" + EXPANDED;
    x.request("GET", path).then(function (page) {
      var ties = page.items.filter(function (t) {
        return t.type !== x.schema.relationship.membership;
      });
      var part = {
        center: org.id,
        nodes: ties.map(function (t) {
          return { id: t.other.id, name: t.other.name, kind: t.other.kind };
        }),
        edges: ties.map(function (t) { return { from: t.source, to: t.target, type: t.type }; }),
      };
      var frame = document.getElementById("map");
      if (frame.contentWindow) {
        frame.contentWindow.postMessage({ source: "ecomap-explorer", expand: part }, "*");
      }
      if (page.has_more) x.say("The first " + EXPANDED + " of " + page.total + " ties were added.");
    }).catch(function (error) { x.say(error.message, true); });
  });
  x.on("group", function (message) { x.drillInto(message.group, message.label); });
  x.on("filters", function () { path = []; render(); });
  render();
})();
