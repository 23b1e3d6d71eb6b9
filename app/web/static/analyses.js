/* EcoMap explorer: the analysis tabs (top actors, communities, brokers, cluster health) of
 * the filtered network, from POST /api/analytics/...; numbers are formatted for reading and
 * a row naming an organization selects it (its profile) and focuses it on the map. */
(function () {
  "use strict";

  var x = window.explorer;
  var el = x.el;
  var body = x.tabBody;
  var state = { groupBy: "clusters" };

  function count(n) { return typeof n === "number" ? n.toLocaleString("en") : "\u2013"; }
  function share(v) { return typeof v === "number" ? (100 * v).toFixed(1) + " %" : "\u2013"; }
  function score(v) {
    if (typeof v !== "number") return "\u2013";
    return Math.abs(v) >= 100 ? Math.round(v).toLocaleString("en") : v.toPrecision(3);
  }

  /* A table whose rows may name an organization: clicking such a row selects it. */
  function rows(headers, data, numeric) {
    var t = el("table", null, "rows");
    var head = el("tr");
    headers.forEach(function (h, i) { head.appendChild(el("th", h, numeric[i] ? "num" : "")); });
    t.appendChild(head);
    data.forEach(function (row) {
      var tr = el("tr");
      row.cells.forEach(function (cell, i) { tr.appendChild(el("td", cell, numeric[i] ? "num" : "")); });
      if (row.id !== undefined && row.id !== null) {
        tr.className = "pick";
        tr.tabIndex = 0;
        tr.setAttribute("data-id", String(row.id));
        tr.title = "Select it and show it on the map";
        tr.addEventListener("click", function () { x.select(String(row.id)); });
      }
      t.appendChild(tr);
    });
    return t;
  }

  function post(path, payload, signal) {
    return x.request("POST", path, payload, undefined, signal);
  }

  x.tabs.actors = function (signal) {
    var metrics = ["betweenness", "pagerank", "degree"];
    return post("/api/analytics/centrality", { filters: x.filters(), metrics: metrics, top: 10 },
      signal).then(function (data) {
      body.textContent = "";
      Object.keys(data).forEach(function (metric) {
        body.appendChild(el("h3", metric));
        body.appendChild(rows(["organization", "score"], data[metric].map(function (r) {
          return { id: r.id, cells: [r.name || r.id, score(r.score)] };
        }), [false, true]));
      });
      body.setAttribute("data-count", String(metrics.length));
    });
  };

  x.tabs.communities = function (signal) {
    return post("/api/analytics/communities", { filters: x.filters() }, signal)
      .then(function (data) {
        body.textContent = "";
        var line = count(data.communities) + " communities, modularity " + score(data.modularity);
        if (data.agreement) line += "; agreement with declared clusters: NMI " +
          score(data.agreement.nmi) + ", ARI " + score(data.agreement.ari);
        body.appendChild(el("p", line + "."));
        body.appendChild(rows(["#", "size", "best-connected members", "declared clusters"],
          data.groups.slice(0, 30).map(function (g) {
            var clusters = Object.keys(g.clusters).slice(0, 3).map(function (c) {
              return c + " (" + g.clusters[c] + ")";
            });
            return { cells: [g.community + 1, count(g.size), g.top.join(", "), clusters.join(", ")] };
          }), [true, true, false, false]));
        if (data.groups.length > 30) {
          body.appendChild(el("p", (data.groups.length - 30) + " smaller communities not listed.",
            "small muted"));
        }
        body.setAttribute("data-count", String(data.groups.length));
      });
  };

  x.tabs.brokers = function (signal) {
    var payload = { filters: x.filters(), top: 15, group_by: state.groupBy };
    return post("/api/analytics/brokerage", payload, signal).then(function (data) {
      body.textContent = "";
      var label = el("label", "Groups: ", "small");
      var select = el("select");
      select.id = "group-by";
      x.schema.groupings.forEach(function (g) {
        var option = el("option", g);
        if (g === data.group_by) option.selected = true;
        select.appendChild(option);
      });
      select.addEventListener("change", function () {
        state.groupBy = select.value;
        x.openTab("brokers");
      });
      label.appendChild(select);
      body.appendChild(label);
      body.appendChild(el("p", count(data.groups) + " groups by " + data.group_by +
        (data.ungrouped ? "; " + count(data.ungrouped) + " organizations in none" : "") + ".",
        "small muted"));
      if (data.groups < 2) {
        body.appendChild(el("p", "Nobody brokers between groups here: choose another " +
          "grouping (community works on any network).", "hint-text"));
      }
      body.appendChild(rows(["organization", "liaison", "all roles", "constraint"],
        data.organizations.map(function (r) {
          return { id: r.id, cells: [r.name || r.id, count(r.liaison), count(r.total),
            score(r.constraint)] };
        }), [false, true, true, true]));
      body.setAttribute("data-count", String(data.organizations.length));
    });
  };

  x.tabs.health = function (signal) {
    return post("/api/analytics/health", { filters: x.filters() }, signal).then(function (d) {
      body.textContent = "";
      body.appendChild(el("p", "Health of the filtered organizations within the whole " +
        "network (pick a cluster in the filters to measure one cluster).", "small muted"));
      var table = [
        ["organizations", count(d.nodes)],
        ["ties among them", count(d.ties)],
        ["density", share(d.density)],
        ["mean clustering", score(d.mean_clustering)],
        ["connected pieces", count(d.components.count)],
        ["largest piece", share(d.components.largest_share)],
        ["without ties", count(d.isolates.length)],
        ["ties inside / outside", count(d.internal_ties) + " / " + count(d.external_ties)],
        ["E-I index (\u22121 inward, +1 outward)", score(d.ei_index)],
        ["paths through the top brokers", share(d.brokers.path_share)],
      ].map(function (cells) { return { cells: cells }; });
      body.appendChild(rows(["indicator", "value"], table, [false, true]));
      if (d.brokers.top.length) {
        body.appendChild(el("h3", "Top brokers"));
        body.appendChild(rows(["organization", "betweenness"], d.brokers.top.map(function (b) {
          return { id: b.id, cells: [b.id, score(b.betweenness)] };
        }), [false, true]));
      }
      body.setAttribute("data-count", String(table.length));
    });
  };
})();
