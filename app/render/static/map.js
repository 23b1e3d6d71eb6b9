/* EcoMap interactive map: search, neighbourhood highlighting, toggles, layout, PNG export.
 *
 * The page embeds its data as JSON in <script id="ecomap-data">; every text that came from
 * the data reaches the page through textContent or vis-network's canvas, never as HTML.
 * window.ecomap exposes the network and a few actions for tests and the explorer page.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("ecomap-data").textContent);
  var container = document.getElementById("ecomap-network");
  var DIM_NODE = { background: "rgba(200,200,200,0.35)", border: "rgba(180,180,180,0.35)" };
  var DIM_EDGE = "rgba(200,200,200,0.15)";
  var state = { hiddenKinds: {}, hiddenTypes: {}, focus: null, ready: false };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function tooltip(rows) {
    var box = el("div", "ecomap-tip");
    rows.forEach(function (row, i) {
      if (i === 0) {
        box.appendChild(el("strong", null, row[1]));
        return;
      }
      var line = el("div");
      line.appendChild(el("span", "ecomap-tip-key", row[0] + ": "));
      line.appendChild(el("span", null, row[1]));
      box.appendChild(line);
    });
    return box;
  }

  data.nodes.forEach(function (node) {
    node.title = tooltip(node.tip);
    node.baseColor = node.color;
    node.baseFont = node.font || {};
    node.baseLabel = node.label || "";
  });
  data.edges.forEach(function (edge) {
    if (edge.tip) edge.title = tooltip(edge.tip);
    edge.baseColor = edge.color;
  });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var status = document.getElementById("ecomap-status");
  // A geographic map draws its base map (basemap.js) under the network.
  var basemap = data.basemap && window.EcoMapBasemap
    ? window.EcoMapBasemap.attach(network, data.basemap) : null;

  function say(text) {
    if (status) status.textContent = text;
  }

  function freeze() {
    network.setOptions({ physics: { enabled: false } });
    state.ready = true;
    container.setAttribute("data-ready", "true");
    say("Layout settled.");
  }

  if (data.options.physics && data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", freeze);
  } else {
    var ready = function () {
      state.ready = true;
      container.setAttribute("data-ready", "true");
    };
    network.once("afterDrawing", function () {
      if (!basemap) return ready();
      basemap.fit(false);  // the frame and every organization, then ready once drawn so
      network.once("afterDrawing", ready);
      network.redraw();
    });
  }

  /* ---- neighbourhood highlighting ---- */
  function highlight(id) {
    if (id === null || id === undefined || nodes.get(id) === null) return clear();
    state.focus = id;
    var keep = {};
    keep[id] = true;
    network.getConnectedNodes(id).forEach(function (n) { keep[n] = true; });
    var incident = {};
    network.getConnectedEdges(id).forEach(function (e) { incident[e] = true; });
    nodes.update(nodes.get().map(function (n) {
      var near = keep[n.id] === true;
      return {
        id: n.id,
        color: near ? n.baseColor : DIM_NODE,
        font: near ? n.baseFont : { color: "rgba(120,120,120,0.4)" },
        label: near ? n.fullLabel || n.baseLabel : n.baseLabel,
      };
    }));
    edges.update(edges.get().map(function (e) {
      return { id: e.id, color: incident[e.id] ? e.baseColor : { color: DIM_EDGE } };
    }));
    var name = nodes.get(id).name || id;
    say("Showing " + name + " and its " + (Object.keys(keep).length - 1) + " direct partners.");
    container.setAttribute("data-focus", String(id));
  }

  function clear() {
    state.focus = null;
    nodes.update(nodes.get().map(function (n) {
      return { id: n.id, color: n.baseColor, font: n.baseFont, label: n.baseLabel };
    }));
    edges.update(edges.get().map(function (e) { return { id: e.id, color: e.baseColor }; }));
    container.removeAttribute("data-focus");
    say("");
  }

  network.on("click", function (params) {
    if (params.nodes.length) highlight(params.nodes[0]);
    else clear();
    // Embedded in the explorer: tell the page which organization (or which group of an
    // aggregated map, to open it) was chosen.
    if (window.parent !== window && params.nodes.length) {
      var chosen = nodes.get(params.nodes[0]);
      var message = chosen && chosen.drillable ?
        { source: "ecomap-map", group: String(chosen.id), label: String(chosen.name) } :
        { source: "ecomap-map", id: String(params.nodes[0]) };
      window.parent.postMessage(message, "*");
    }
  });

  // Embedded in the explorer: the page asks to focus an organization (a row it listed).
  window.addEventListener("message", function (event) {
    var ask = event.data;
    if (event.source !== window.parent || !ask || ask.source !== "ecomap-explorer") return;
    if (ask.expand) return expand(ask.expand);
    if (ask.focus === undefined) return;
    if (nodes.get(ask.focus) === null) {
      say("Not drawn on this map: " + ask.focus);
      return;
    }
    highlight(ask.focus);
    network.focus(ask.focus, { scale: 1.2, animation: { duration: 300 } });
  });

  /* Add an organization's partners that the map does not show yet around it (grey, on a
   * ring), with its ties to them (dashed): the explorer's "Show its partners here". */
  function expand(part) {
    var center = nodes.get(part.center);
    if (center === null) {
      say("Not drawn on this map: " + part.center);
      return;
    }
    var at = network.getPositions([part.center])[part.center];
    var fresh = part.nodes.filter(function (n) { return nodes.get(n.id) === null; });
    var radius = 60 + 6 * Math.sqrt(fresh.length);
    nodes.add(fresh.map(function (n, i) {
      var angle = 2 * Math.PI * i / Math.max(fresh.length, 1);
      var color = { background: "#d9dee4", border: "#5b6b7b" };
      return { id: n.id, name: n.name, kind: n.kind, label: n.name, baseLabel: n.name,
        x: at.x + radius * Math.cos(angle), y: at.y + radius * Math.sin(angle), size: 8,
        color: color, baseColor: color, baseFont: {}, expanded: true,
        title: tooltip([["name", n.name], ["kind", n.kind], ["added", "partner of " +
          (center.name || part.center) + ", outside the filters"]]) };
    }));
    var known = {};
    edges.get().forEach(function (e) {
      known[e.from + " " + e.to] = known[e.to + " " + e.from] = true;
    });
    edges.add(part.edges.filter(function (e) { return !known[e.from + " " + e.to]; })
      .map(function (e) {
        var color = { color: "#9aa7b4" };
        return { from: e.from, to: e.to, dashes: [4, 4], width: 1, color: color,
          baseColor: color, title: tooltip([["tie", e.type]]) };
      }));
    container.setAttribute("data-expanded", String(part.center));
    highlight(part.center);
    say((center.name || part.center) + ": " + fresh.length + " partners added to the map.");
  }

  /* ---- search ---- */
  var index = data.nodes.map(function (n) {
    return { id: n.id, name: String(n.name || n.id), key: String(n.name || n.id).toLowerCase() };
  });

  function find(text) {
    var query = String(text || "").trim().toLowerCase();
    if (!query) return null;
    var exact = null, prefix = null, part = null;
    for (var i = 0; i < index.length; i++) {
      var entry = index[i];
      if (entry.key === query || String(entry.id).toLowerCase() === query) { exact = entry; break; }
      if (prefix === null && entry.key.indexOf(query) === 0) prefix = entry;
      if (part === null && entry.key.indexOf(query) >= 0) part = entry;
    }
    return exact || prefix || part;
  }

  function search(text) {
    var found = find(text);
    if (!found) {
      say("No organization matches \u201c" + String(text) + "\u201d.");
      return null;
    }
    highlight(found.id);
    network.selectNodes([found.id]);
    network.focus(found.id, { scale: 1.3, locked: false, animation: { duration: 300 } });
    return found.id;
  }

  var box = document.getElementById("ecomap-search");
  var list = document.getElementById("ecomap-names");
  if (list) {
    index.slice().sort(function (a, b) { return a.name.localeCompare(b.name); })
      .forEach(function (entry) {
        var option = document.createElement("option");
        option.value = entry.name;
        list.appendChild(option);
      });
  }
  if (box) {
    box.addEventListener("change", function () { search(box.value); });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") search(box.value);
    });
  }

  /* ---- toggles: kinds and relationship types ---- */
  function applyVisibility() {
    nodes.update(nodes.get().map(function (n) {
      return { id: n.id, hidden: state.hiddenKinds[n.kind] === true };
    }));
    edges.update(edges.get().map(function (e) {
      var shown = (e.types || []).some(function (t) { return state.hiddenTypes[t] !== true; });
      return { id: e.id, hidden: !shown && (e.types || []).length > 0 };
    }));
  }

  document.querySelectorAll("input[data-toggle]").forEach(function (input) {
    input.addEventListener("change", function () {
      var bucket = input.getAttribute("data-toggle") === "kind" ? state.hiddenKinds
        : state.hiddenTypes;
      bucket[input.value] = !input.checked;
      applyVisibility();
    });
  });

  /* ---- layout, fit, PNG ---- */
  function relayout() {
    state.ready = false;
    container.setAttribute("data-ready", "false");
    say("Re-running the layout\u2026");
    network.once("stabilizationIterationsDone", freeze);
    network.setOptions({ physics: data.rerunPhysics });
    network.stabilize(data.rerunIterations);
  }

  function png() {
    var canvas = container.querySelector("canvas");
    var out = document.createElement("canvas");
    out.width = canvas.width;
    out.height = canvas.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    return out.toDataURL("image/png");
  }

  function download() {
    var link = document.createElement("a");
    link.href = png();
    link.download = data.filename + ".png";
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  function on(id, handler) {
    var button = document.getElementById(id);
    if (button) button.addEventListener("click", handler);
  }
  on("ecomap-relayout", relayout);
  on("ecomap-fit", function () {
    if (basemap) basemap.fit(true);
    else network.fit({ animation: { duration: 300 } });
  });
  on("ecomap-png", download);
  // A narrow page (the explorer's frame) starts with the legend folded: the network first.
  if (window.innerWidth < 760) document.getElementById("ecomap-legend").classList.add("collapsed");
  on("ecomap-legend-toggle", function () {
    document.getElementById("ecomap-legend").classList.toggle("collapsed");
  });

  window.ecomap = {
    network: network,
    basemap: basemap,
    nodes: nodes,
    edges: edges,
    state: state,
    search: search,
    highlight: highlight,
    clear: clear,
    relayout: relayout,
    png: png,
  };
})();
