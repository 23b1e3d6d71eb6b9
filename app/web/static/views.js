/* EcoMap explorer: the whole state of the page in its address, and saved views.
 *
 * The address's query holds the filters, named like the CLI options and the API's query
 * parameters (schema.filters: ?cluster=cl-x&kind=company&min_employees=10; a list repeats),
 * the map's options that are not the page's defaults (color-by, size-by, layout, max-nodes),
 * the circles of an aggregated map drilled into (drill, outermost first; drill.js), the
 * selected organization (org) and the open tab (tab): app.services.view_options.link writes
 * the same.
 * Opening such an address restores the form, the map, the profile and the tab; every change
 * writes the address: a new map, selection or tab is a new history entry (Back returns to the
 * one before), a profile closed replaces the entry.
 *
 * Saved views (GET|POST /api/views, GET|DELETE /api/views/{name}) keep the same state under a
 * name, private or shared with the team; anyone with a role saves their own (a viewer too).
 * The positions a view pins are kept when it is saved again under its name; the map does not
 * take pinned positions yet, so it lays a view out afresh. Values are written with
 * textContent. */
(function () {
  "use strict";

  var x = window.explorer;
  var el = x.el;
  var form = document.getElementById("filters");
  var OPTIONS = { color_by: "color-by", size_by: "size-by", layout: "layout",
    max_nodes: "max-nodes" };
  var DRILL = "drill";
  var ORG = "org";
  var TAB = "tab";
  var TABS = [].map.call(document.querySelectorAll(".tabs button"), function (button) {
    return button.getAttribute("data-tab");
  });
  var defaults = { tab: TABS[0] };
  Object.keys(OPTIONS).forEach(function (field) { defaults[field] = form.elements[field].value; });
  var applied = { filters: {}, options: {}, drill: [] }; // what the map drawn shows
  var restoring = false;
  var pending = null;
  var opened = null; // the view last opened or saved: {name, shared, positions}
  var person = null; // GET /api/me: who the server takes us for

  var saveButton = document.getElementById("save-view");
  var saveForm = document.getElementById("save-view-form");
  var nameInput = document.getElementById("view-name");
  var sharedBox = document.getElementById("view-shared");
  var saveError = document.getElementById("save-view-error");
  var menuButton = document.getElementById("views-button");
  var menu = document.getElementById("views-menu");
  var list = document.getElementById("views-list");
  var empty = document.getElementById("views-empty");

  function values(value) {
    if (value === undefined || value === null || value === "") return [];
    return [].concat(value).map(String);
  }

  /* ---- the state and its address ---- */
  function current() {
    var options = {};
    Object.keys(OPTIONS).forEach(function (field) {
      options[field] = applied.options[field] || defaults[field];
    });
    options.drill = applied.drill;
    options.selection = x.selectedId() || null;
    options.tab = x.tab();
    return { filters: applied.filters, options: options };
  }

  function address(view) {
    var params = new URLSearchParams();
    Object.keys(x.schema.filters).forEach(function (field) {
      values(view.filters[field]).forEach(function (value) {
        params.append(x.schema.filters[field], value);
      });
    });
    Object.keys(OPTIONS).forEach(function (field) {
      var value = view.options[field];
      if (value && String(value) !== defaults[field]) params.append(OPTIONS[field], value);
    });
    values(view.options.drill).forEach(function (group) { params.append(DRILL, group); });
    if (view.options.selection) params.append(ORG, view.options.selection);
    if (view.options.tab && view.options.tab !== defaults.tab) params.append(TAB, view.options.tab);
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  function fromAddress(search) {
    var params = new URLSearchParams(search);
    var filters = {};
    Object.keys(x.schema.filters).forEach(function (field) {
      var found = params.getAll(x.schema.filters[field]).filter(Boolean);
      if (found.length) filters[field] = found;
    });
    var options = { selection: params.get(ORG) || null, tab: params.get(TAB) || defaults.tab,
      drill: params.getAll(DRILL).filter(Boolean) };
    Object.keys(OPTIONS).forEach(function (field) {
      options[field] = params.get(OPTIONS[field]) || defaults[field];
    });
    return { filters: filters, options: options };
  }

  /* Write the address of what the page shows: "push" a history entry or "replace" it. */
  function write(mode) {
    var target = address(current());
    if (target === window.location.pathname + window.location.search) return;
    if (mode === "push") window.history.pushState(null, "", target);
    else window.history.replaceState(null, "", target);
  }

  /* Changes of one moment (a new map, then its tab) make one history entry. */
  function schedule(mode) {
    var first = pending === null;
    if (pending !== "push") pending = mode;
    if (first) {
      setTimeout(function () {
        var chosen = pending;
        pending = null;
        write(chosen);
      }, 0);
    }
  }

  x.on("state", function (what) {
    if (what === "map") {
      applied = { filters: x.filters(), options: {}, drill: x.drillPath() };
      Object.keys(OPTIONS).forEach(function (field) {
        applied.options[field] = form.elements[field].value;
      });
    }
    if (!restoring) schedule(what === "unselected" ? "replace" : "push");
  });

  /* ---- restoring a state into the form, the map, the profile and the tab ---- */
  function has(options, value) {
    return [].some.call(options, function (option) { return option.value === value; });
  }

  /* Whether a map option's field takes this value (a list's choice, a number in range). */
  function takes(input, value) {
    if (input.tagName === "SELECT") return has(input.options, value);
    var number = Number(value);
    return /^\d+$/.test(value) && number >= Number(input.min || 0) &&
      (!input.max || number <= Number(input.max));
  }

  /* The option of a list box that means ``value`` (any case), added when there is none. */
  function optionFor(select, value) {
    var wanted = value.toLowerCase();
    var found = [].filter.call(select.options, function (option) {
      return option.value === value || option.value.toLowerCase() === wanted;
    })[0];
    if (found) return found.value;
    var option = el("option", value + " (from the link)");
    option.value = value;
    select.appendChild(option);
    return value;
  }

  function checkboxFor(boxes, value) {
    if (has(boxes, value)) return;
    var label = el("label", null, "inline");
    var box = el("input");
    box.type = "checkbox";
    box.name = boxes[0].name;
    box.value = value;
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + value));
    boxes[0].closest("fieldset").appendChild(label);
  }

  /* Put the filters into the form; returns the parameters it has no field for. */
  function setFilters(filters) {
    var left = [];
    Object.keys(x.schema.filters).forEach(function (field) {
      var wanted = values(filters[field]);
      var inputs = form.querySelectorAll("[name=" + field + "]");
      if (!inputs.length) {
        if (wanted.length) left.push(x.schema.filters[field]);
        return;
      }
      if (inputs[0].type === "checkbox") {
        wanted.forEach(function (value) { checkboxFor(inputs, value); });
        inputs = form.querySelectorAll("[name=" + field + "]");
      }
      inputs.forEach(function (input) {
        if (input.tagName === "SELECT") {
          var chosen = wanted.map(function (value) { return optionFor(input, value); });
          [].forEach.call(input.options, function (option) {
            option.selected = chosen.indexOf(option.value) >= 0;
          });
        } else if (input.type === "checkbox") {
          input.checked = wanted.indexOf(input.value) >= 0;
        } else {
          input.value = wanted.length ? wanted[0] : "";
        }
      });
    });
    return left;
  }

  /* Show a state ({filters, options}); ``mode`` writes its address afterwards. */
  function apply(view, mode) {
    restoring = true;
    document.body.setAttribute("data-view-state", "restoring");
    var left = setFilters(view.filters || {});
    var options = view.options || {};
    Object.keys(OPTIONS).forEach(function (field) {
      var value = String(options[field] || defaults[field]);
      if (!takes(form.elements[field], value)) {
        left.push(OPTIONS[field] + "=" + value);
        value = defaults[field];
      }
      form.elements[field].value = value;
    });
    var tab = options.tab || defaults.tab;
    if (TABS.indexOf(tab) < 0) {
      left.push(TAB + "=" + tab);
      tab = defaults.tab;
    }
    var drill = values(options.drill);
    if (x.drillSet) x.drillSet(drill);
    else if (drill.length) left.push(DRILL + "=" + drill.join(","));
    var drawn = x.drawMap();
    var selected = options.selection ? x.showProfile(options.selection)
      : Promise.resolve(x.closeProfile());
    return selected.then(function () {
      x.openTab(tab);
      restoring = false;
      write(mode);
      if (left.length) x.say("Left out, not understood here: " + left.join(", "), true);
      return drawn;
    }).then(function () {
      document.body.setAttribute("data-view-state", "ready");
    });
  }

  x.restore = function () { return apply(fromAddress(window.location.search), "replace"); };
  window.addEventListener("popstate", function () {
    apply(fromAddress(window.location.search), "replace");
  });

  /* ---- saved views ---- */
  function maySave() { return Boolean(person && person.role); }

  function mayDelete(view) {
    return maySave() && (person.role === "admin" || person.name === view.owner);
  }

  function whoAmI() {
    return x.call("GET", "/api/me").then(function (answer) {
      person = answer.ok ? answer.data : null;
    }, function () { person = null; }).then(function () {
      saveButton.hidden = !maySave();
      if (!maySave()) saveForm.hidden = true;
    });
  }

  function closeMenus() {
    saveForm.hidden = true;
    menu.hidden = true;
    menuButton.setAttribute("aria-expanded", "false");
  }

  function item(view) {
    var li = el("li");
    li.setAttribute("data-view", view.name);
    var open = el("button", view.name, "view-open");
    open.type = "button";
    open.title = "Open this view";
    open.addEventListener("click", function () { openView(view.name); });
    li.appendChild(open);
    var owner = person && view.owner === person.name ? "yours" : view.owner;
    li.appendChild(el("span", owner + ", " + (view.shared ? "shared" : "private"), "view-about"));
    if (mayDelete(view)) {
      var remove = el("button", "Delete", "small-button view-delete");
      remove.type = "button";
      remove.addEventListener("click", function () { removeView(view); });
      li.appendChild(remove);
    }
    return li;
  }

  function refresh() {
    list.removeAttribute("data-count");
    return x.call("GET", "/api/views").then(function (answer) {
      var found = answer.ok ? answer.data : [];
      list.textContent = "";
      found.forEach(function (view) { list.appendChild(item(view)); });
      empty.textContent = answer.ok ? "No saved views yet." : x.describe(answer);
      empty.hidden = answer.ok && found.length > 0;
      list.setAttribute("data-count", String(found.length));
    }).catch(function (error) {
      empty.textContent = error.message;
      empty.hidden = false;
    });
  }

  function openView(name) {
    closeMenus();
    return x.request("GET", "/api/views/" + encodeURIComponent(name)).then(function (view) {
      opened = { name: view.name, shared: view.shared, positions: view.options.positions || {} };
      document.body.setAttribute("data-view", view.name);
      return apply(view, "push").then(function () {
        var pinned = view.pinned ? " (its " + view.pinned + " pinned positions are kept with" +
          " it; the map lays it out afresh)" : "";
        x.say("Opened the view " + view.name + pinned + ".");
      });
    }).catch(function (error) { x.say(error.message, true); });
  }

  function removeView(view) {
    return x.call("DELETE", "/api/views/" + encodeURIComponent(view.name)).then(function (answer) {
      if (!answer.ok) return x.say(x.describe(answer), true);
      var gone = answer.data;
      if (opened && opened.name === gone.name) opened = null;
      var undo = gone.owner === person.name ? { label: "Undo", run: function () {
        x.notice("");
        send(gone.name, gone.filters, gone.options, gone.shared);
      } } : null;
      x.notice("Deleted the view " + gone.name + ".", false, null, undo);
      return refresh();
    }).catch(function (error) { x.say(error.message, true); });
  }

  function send(name, filters, options, shared) {
    var body = { name: name, filters: filters, options: options, shared: shared };
    return x.call("POST", "/api/views", body).then(function (answer) {
      if (!answer.ok) {
        saveError.textContent = answer.status === 409
          ? "This name is another person's view: choose another." : x.describe(answer);
        return;
      }
      opened = { name: answer.data.name, shared: answer.data.shared,
        positions: options.positions || {} };
      document.body.setAttribute("data-view", answer.data.name);
      closeMenus();
      x.say((answer.status === 201 ? "Saved the view " : "Replaced your view ") +
        answer.data.name + (answer.data.shared ? ", shared with the team." : ", private."));
      if (!menu.hidden) refresh();
    });
  }

  saveButton.addEventListener("click", function () {
    var showing = saveForm.hidden;
    closeMenus();
    if (!showing) return;
    saveForm.hidden = false;
    saveError.textContent = "";
    nameInput.value = opened ? opened.name : "";
    sharedBox.checked = Boolean(opened && opened.shared);
    nameInput.focus();
  });
  document.getElementById("save-view-cancel").addEventListener("click", closeMenus);
  saveForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var name = nameInput.value.trim();
    if (!name) {
      saveError.textContent = "Give the view a name.";
      return;
    }
    saveError.textContent = "Saving\u2026";
    var state = current();
    state.options.positions = opened && opened.name === name ? opened.positions : {};
    send(name, state.filters, state.options, sharedBox.checked).catch(function (error) {
      saveError.textContent = error.message;
    });
  });
  menuButton.addEventListener("click", function () {
    var showing = menu.hidden;
    closeMenus();
    if (!showing) return;
    menu.hidden = false;
    menuButton.setAttribute("aria-expanded", "true");
    refresh();
  });
  [saveForm, menu].forEach(function (popover) {
    popover.addEventListener("keydown", function (event) {
      if (event.key === "Escape") closeMenus();
    });
  });
  x.on("person", function () {
    whoAmI().then(function () { if (!menu.hidden) refresh(); });
  });

  whoAmI();
  x.views = { address: address, fromAddress: fromAddress, apply: apply, current: current,
    open: openView, refresh: refresh };
})();
