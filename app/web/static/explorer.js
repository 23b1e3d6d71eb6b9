/* EcoMap explorer: filters -> map (POST /api/maps) and analyses (POST /api/analytics/...);
 * clicking an organization on the map shows its profile, ties and memberships.
 * Every value from the API is written with textContent, never as HTML.
 * This core also holds what the other scripts of the page share on window.explorer: the
 * request helper (which sends the signed-in person's token), the signed-in person, the
 * edit schema and a small event hub ("profile", "person", "state": the map, the selection or
 * the tab changed, which views.js writes into the URL). */
(function () {
  "use strict";

  var form = document.getElementById("filters");
  var frame = document.getElementById("map");
  var status = document.getElementById("status");
  var body = document.getElementById("tab-body");
  var state = { tab: "actors", selected: null, names: {} };
  var LIST_FIELDS = ["kinds", "types", "sectors", "regions", "countries", "clusters", "tags",
    "rel_types"];
  var SCALAR_FIELDS = ["search", "stale_since", "min_employees", "max_employees", "founded_from",
    "founded_to"];
  var TOKEN_KEY = "ecomap.token";
  var schema = JSON.parse(document.getElementById("edit-schema").textContent);
  var facets = JSON.parse(document.getElementById("facets").textContent);
  var listeners = {};

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function say(text, isError) {
    status.textContent = text || "";
    status.className = isError ? "error" : "";
  }

  function on(name, listener) { (listeners[name] = listeners[name] || []).push(listener); }
  function emit(name, value) {
    (listeners[name] || []).forEach(function (listener) { listener(value); });
  }

  function filters() {
    var spec = {};
    LIST_FIELDS.forEach(function (field) {
      var values = [];
      form.querySelectorAll("[name=" + field + "]").forEach(function (input) {
        if (input.tagName === "SELECT") {
          Array.prototype.forEach.call(input.selectedOptions, function (o) { values.push(o.value); });
        } else if (input.checked) {
          values.push(input.value);
        }
      });
      if (values.length) spec[field] = values;
    });
    SCALAR_FIELDS.forEach(function (field) {
      var value = form.elements[field].value.trim();
      if (value) spec[field] = value;
    });
    return spec;
  }

  /* The filters as query parameters (named as FilterSpec.parameters() names them). */
  function query(spec) {
    var params = new URLSearchParams();
    Object.keys(spec).forEach(function (field) {
      var name = schema.filters[field] || field;
      [].concat(spec[field]).forEach(function (value) { params.append(name, value); });
    });
    return params.toString();
  }

  /* The title bar's count, and hints when a filter value matches nothing. */
  function countSelection() {
    var hints = document.getElementById("hints");
    return request("GET", "/api/selection?" + query(filters())).then(function (answer) {
      document.getElementById("count").textContent =
        answer.organizations.toLocaleString("en") + " organizations";
      hints.textContent = answer.hints.join(" \u2022 ");
      hints.hidden = !answer.hints.length;
    }).catch(function () { hints.hidden = true; });
  }

  /* ---- requests: the token, and errors in words ---- */
  function token() {
    try { return window.sessionStorage.getItem(TOKEN_KEY) || ""; } catch (e) { return ""; }
  }

  function setToken(value) {
    try {
      if (value) window.sessionStorage.setItem(TOKEN_KEY, value);
      else window.sessionStorage.removeItem(TOKEN_KEY);
    } catch (e) { /* storage refused: the token lives as long as the page */ }
    state.token = value || "";
  }

  function detailOf(data, fallback) {
    var detail = data && data.detail !== undefined ? data.detail : fallback;
    return typeof detail === "string" ? detail : JSON.stringify(detail);
  }

  /* What an error answer means, for a person. */
  function describe(answer) {
    var detail = detailOf(answer.data, answer.statusText || "error " + answer.status);
    if (answer.status === 401) return "Not signed in, or the token is not known: " + detail;
    if (answer.status === 403) return "Not allowed: " + detail;
    if (answer.status === 404) return "Not found: " + detail;
    if (answer.status === 428) return "The page sent no version of the record: " + detail;
    if (answer.status === 503 || answer.status === 504) return "The server is busy: " + detail;
    return detail;
  }

  function failure(answer) {
    var error = new Error(describe(answer));
    error.status = answer.status;
    error.answer = answer;
    return error;
  }

  /* Any request; resolves to {ok, status, data, etag, headers} whatever the status
   * (rejects only when the server cannot be reached). */
  function call(method, path, payload, headers, signal) {
    // X-EcoMap-CSRF: the server refuses uploads without it (see app/api/guard.py).
    var options = { method: method, headers: { "X-EcoMap-CSRF": "1" } };
    var bearer = state.token !== undefined ? state.token : token();
    if (bearer) options.headers.Authorization = "Bearer " + bearer;
    Object.keys(headers || {}).forEach(function (name) { options.headers[name] = headers[name]; });
    if (payload !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(payload);
    }
    if (signal) options.signal = signal;
    return fetch(path, options).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      var read = type.indexOf("json") >= 0 ? response.json() : response.text();
      return read.then(function (data) {
        return { ok: response.ok, status: response.status, statusText: response.statusText,
          data: data, etag: response.headers.get("ETag"), headers: response.headers };
      });
    }, function (error) {
      if (error && error.name === "AbortError") throw error;
      throw new Error("The server did not answer (is ecomap serve running?)");
    });
  }

  /* The answer's data; an error answer rejects with its meaning in words. */
  function request(method, path, payload, headers, signal) {
    return call(method, path, payload, headers, signal).then(function (answer) {
      if (!answer.ok) throw failure(answer);
      return answer.data;
    });
  }

  function orgPath(id) { return "/api/organizations/" + encodeURIComponent(id); }

  function shown(value) {
    if (value === null || value === undefined || value === "") return "";
    return Array.isArray(value) ? value.join(", ") : String(value);
  }

  function table(headers, rows, numeric) {
    var t = el("table");
    var head = el("tr");
    headers.forEach(function (h, i) { head.appendChild(el("th", h, numeric[i] ? "num" : "")); });
    t.appendChild(head);
    rows.forEach(function (row) {
      var tr = el("tr");
      row.forEach(function (cell, i) { tr.appendChild(el("td", cell, numeric[i] ? "num" : "")); });
      t.appendChild(tr);
    });
    return t;
  }

  function fixed(x, digits) {
    return typeof x === "number" ? x.toFixed(digits === undefined ? 3 : digits) : String(x);
  }

  /* ---- the map ---- */
  function drawMap() {
    emit("state", "map");
    countSelection();
    var payload = {
      filters: filters(),
      color_by: form.elements.color_by.value,
      size_by: form.elements.size_by.value,
      layout: form.elements.layout.value,
      max_nodes: Number(form.elements.max_nodes.value) || 1500,
      drill: window.explorer ? window.explorer.drillPath() : [],
    };
    var drawing = "Drawing the map\u2026";
    say(drawing);
    frame.setAttribute("data-ready", "false");
    return request("POST", "/api/maps", payload).then(function (html) {
      // out and back in: a new srcdoc in place would add a history entry (Back would step
      // through old maps); the frame's new document replaces its history instead
      var parent = frame.parentNode, next = frame.nextSibling;
      parent.removeChild(frame);
      frame.srcdoc = html;
      parent.insertBefore(frame, next);
      frame.setAttribute("data-ready", "true");
      if (status.textContent === drawing) say("");
    }).catch(function (error) {
      frame.setAttribute("data-ready", "failed");
      say(error.message, true);
    });
  }

  /* ---- profile of the selected organization ---- */
  function showProfile(id) {
    state.selected = id;
    emit("state", "selection");
    return call("GET", orgPath(id)).then(function (answer) {
      if (!answer.ok) throw failure(answer);
      var org = answer.data;
      state.org = org;
      document.getElementById("profile").hidden = false;
      document.getElementById("profile-hint").hidden = true;
      document.getElementById("profile-name").textContent = org.name;
      var facts = document.getElementById("profile-facts");
      facts.textContent = "";
      schema.organization.fields.forEach(function (field) {
        var value = shown(org[field.name]);
        if (field.name === "name" || !value) return;
        facts.appendChild(el("dt", field.name.replace(/_/g, " ")));
        facts.appendChild(el("dd", value));
      });
      emit("profile", { org: org, etag: answer.etag });  // its ties: ties.js
      document.body.setAttribute("data-selected", id);
    }).catch(function (error) { say(error.message, true); });
  }

  function closeProfile() {
    state.selected = null;
    state.org = null;
    document.getElementById("profile").hidden = true;
    document.getElementById("profile-hint").hidden = false;
    document.body.removeAttribute("data-selected");
    emit("state", "unselected");
  }

  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow || !event.data || event.data.source !== "ecomap-map") {
      return;
    }
    if (event.data.group !== undefined) emit("group", event.data);  // a circle: drill.js
    else showProfile(event.data.id);
  });

  /* ---- analysis tabs ---- */
  var TABS = {
    // actors, communities, brokers, health: analyses.js
    // links: the missing-link suggestions, with accept and dismiss (suggestions.js)
  };

  /* Open an analysis tab: while it computes, the seconds count up beside a Cancel button
   * (the request is aborted, and the server stops the work of a client that went away);
   * opening another tab cancels the one still computing. */
  function openTab(name) {
    state.tab = name;
    emit("state", "tab");
    document.querySelectorAll(".tabs button").forEach(function (b) {
      b.setAttribute("aria-selected", String(b.getAttribute("data-tab") === name));
    });
    if (state.pending) state.pending.abort();
    var controller = new AbortController();
    var started = Date.now();
    state.pending = controller;
    body.textContent = "";
    body.removeAttribute("data-count");
    body.removeAttribute("data-cancelled");
    var progress = el("p", "Computing\u2026", "computing");
    var cancel = el("button", "Cancel", "small-button");
    cancel.type = "button";
    cancel.id = "cancel-analysis";
    cancel.addEventListener("click", function () { controller.abort(); });
    body.appendChild(progress);
    body.appendChild(cancel);
    var timer = setInterval(function () {
      progress.textContent = "Computing\u2026 " + Math.round((Date.now() - started) / 1000) + " s";
    }, 1000);
    function done() {
      clearInterval(timer);
      if (state.pending === controller) state.pending = null;
    }
    return TABS[name](controller.signal).then(done, function (error) {
      done();
      if (state.pending !== null && state.pending !== controller) return;  // superseded
      body.textContent = "";
      body.removeAttribute("data-count");
      if (error && error.name === "AbortError") {
        body.appendChild(el("p", "Cancelled.", "muted"));
        body.setAttribute("data-cancelled", "true");
        return;
      }
      body.appendChild(el("p", error.message, "error"));
    });
  }

  document.querySelectorAll(".tabs button").forEach(function (button) {
    button.addEventListener("click", function () { openTab(button.getAttribute("data-tab")); });
  });
  document.getElementById("profile-links").addEventListener("click", function () {
    openTab("links");
  });
  /* Whether the selected organization is among those the filters select: the filters
   * with its name as the search (and, when the filters search a name too, that name must
   * hold it); a profile the filters exclude is closed. */
  function keepSelection() {
    var org = state.org;
    if (!state.selected || !org) return Promise.resolve();
    var spec = filters();
    var wanted = (spec.search || "").toLowerCase();
    if (wanted && String(org.name).toLowerCase().indexOf(wanted) < 0) {
      return Promise.resolve(dropSelection(org));
    }
    spec.search = org.name;
    return request("GET", "/api/organizations?limit=100&" + query(spec)).then(function (page) {
      var kept = page.items.some(function (item) { return item.id === org.id; });
      if (!kept) dropSelection(org);
    }).catch(function () { dropSelection(org); });
  }

  function dropSelection(org) {
    closeProfile();
    say(org.name + " is not among the filtered organizations: its profile was closed.");
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    emit("filters");  // new filters: a drill-down starts again from the whole selection
    drawMap();
    keepSelection().then(function () { openTab(state.tab); });
  });
  form.addEventListener("reset", function () {
    emit("filters");
    closeProfile();
    setTimeout(function () { drawMap(); openTab(state.tab); }, 0);
  });
  document.getElementById("profile-close").addEventListener("click", function () {
    closeProfile();
    if (state.tab === "links") openTab("links");
  });

  state.token = token();
  window.explorer = {
    drawMap: drawMap, showProfile: showProfile, closeProfile: closeProfile, openTab: openTab,
    filters: filters, query: query, countSelection: countSelection, request: request,
    call: call, describe: describe, failure: failure,
    orgPath: orgPath, el: el, say: say, shown: shown, on: on, emit: emit, schema: schema,
    facets: facets, token: function () { return state.token; }, setToken: setToken,
    /* the signed-in person ({name, role, clusters, signed_in}) or null; set by session.js */
    person: null,
    canEdit: function () {
      var p = window.explorer.person;
      return Boolean(p && p.signed_in && (p.role === "editor" || p.role === "admin"));
    },
    selected: function () { return state.org || null; },
    selectedId: function () { return state.selected; },
    tab: function () { return state.tab; },
    tabs: TABS, fixed: fixed, table: table, tabBody: body,
    /* the circles opened on an aggregated map, outermost first (drill.js) */
    drillPath: function () { return []; },
  };
  /* Select an organization (its profile) and focus it on the map, if it is drawn there. */
  function select(id) {
    if (frame.contentWindow) {
      frame.contentWindow.postMessage({ source: "ecomap-explorer", focus: String(id) }, "*");
    }
    return showProfile(id);
  }
  window.explorer.select = select;

  // Once every script of the page has registered its part (tabs, drill-down, views): the
  // parser may pause between two scripts. views.js restores the state of the page's address.
  document.addEventListener("DOMContentLoaded", function () {
    if (window.explorer.restore) return window.explorer.restore();
    drawMap();
    openTab(state.tab);
  });
})();
