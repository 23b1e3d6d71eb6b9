/* EcoMap explorer: the ties and cluster memberships of the organization in the profile,
 * from GET /api/organizations/{id}/relationships (memberships first, then by type and the
 * other end's name; the first LISTED, with counts by type). Editors remove one (GET of the relationship for its
 * ETag, then DELETE with If-Match) or add one (PUT with If-None-Match: *): the types offered
 * are those whose endpoints (ENDPOINTS, from the edit schema) allow this organization's kind
 * at that end; the other organization is picked from GET /api/organizations?search=... */
(function () {
  "use strict";

  var x = window.explorer;
  var el = x.el;
  var forms = x.forms;
  var rel = x.schema.relationship;
  var tiesBody = document.getElementById("ties-body");
  var memberBox = document.getElementById("memberships");
  var memberBody = document.getElementById("memberships-body");
  var serial = 0;  // the latest profile shown: older answers are dropped
  var LISTED = 200;

  function relPath(source, type, target) {
    return "/api/relationships/" + encodeURIComponent(source) + "/" + type + "/" +
      encodeURIComponent(target);
  }

  /* The (type, direction) pairs this kind may have: "out" (this -> other), "in"
   * (other -> this) or "both" (a symmetric type). */
  function pairs(kind) {
    var found = [];
    rel.types.forEach(function (t) {
      var out = t.sources.indexOf(kind) >= 0;
      var into = t.targets.indexOf(kind) >= 0;
      if (t.symmetric) {
        if (out || into) found.push({ type: t.type, direction: "both", kinds: out ? t.targets : t.sources });
        return;
      }
      if (out) found.push({ type: t.type, direction: "out", kinds: t.targets });
      if (into) found.push({ type: t.type, direction: "in", kinds: t.sources });
    });
    return found;
  }

  function pairText(pair) {
    if (pair.direction === "both") return "this " + pair.type + " other (both ways)";
    return pair.direction === "out" ? "this " + pair.type + " other" : "other " + pair.type + " this";
  }

  function arrow(link, id) {
    var t = rel.types.filter(function (r) { return r.type === link.type; })[0];
    if (t && t.symmetric) return "\u2194";
    return link.source === id ? "\u2192" : "\u2190";
  }

  /* ---- the organization picker: a text input with suggestions from the API ---- */
  function picker(id, kinds, exclude) {
    var input = el("input");
    input.type = "text";
    input.id = id;
    input.name = "other";
    input.placeholder = "type a name, pick from the list";
    var list = el("datalist");
    list.id = id + "-options";
    input.setAttribute("list", list.id);
    var found = [];
    var timer = null;
    var asked = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 2) return;
      timer = setTimeout(function () {
        var query = [x.schema.filters.search + "=" + encodeURIComponent(text), "limit=20"];
        kinds().forEach(function (kind) {
          query.push(x.schema.filters.kinds + "=" + encodeURIComponent(kind));
        });
        var mine = ++asked;
        x.request("GET", "/api/organizations?" + query.join("&")).then(function (page) {
          if (mine !== asked) return;
          found = page.items.filter(function (o) { return o.id !== exclude; });
          list.textContent = "";
          found.forEach(function (o) {
            var option = el("option");
            option.value = o.id;
            option.label = o.name + " (" + o.kind + ")";
            list.appendChild(option);
          });
        }).catch(function () { /* suggestions are a help; the server checks the id */ });
      }, 200);
    });
    return {
      input: input,
      list: list,
      /* the id picked: an id as typed, or the id of the one suggestion of that name */
      id: function () {
        var text = input.value.trim();
        var byName = found.filter(function (o) { return o.name.toLowerCase() === text.toLowerCase(); });
        return byName.length === 1 && !found.some(function (o) { return o.id === text; }) ?
          byName[0].id : text;
      },
    };
  }

  /* ---- the form that adds a tie (or a membership) ---- */
  function tieForm(org, offered, prefix, submitText) {
    var form = el("form", null, "tie-form");
    form.noValidate = true;
    form.autocomplete = "off";
    var typeRow = el("div", null, "field");
    typeRow.setAttribute("data-field", "type");
    var typeSelect = el("select");
    typeSelect.id = prefix + "-type";
    typeSelect.name = "type";
    offered.forEach(function (pair, i) {
      var option = el("option", pairText(pair));
      option.value = String(i);
      typeSelect.appendChild(option);
    });
    if (offered.length > 1) {
      var caption = el("label", "type of tie");
      caption.htmlFor = typeSelect.id;
      typeRow.appendChild(caption);
      typeRow.appendChild(typeSelect);
      form.appendChild(typeRow);
    }
    function current() { return offered[Number(typeSelect.value) || 0]; }
    var otherRow = el("div", null, "field");
    otherRow.setAttribute("data-field", "other");
    var other = picker(prefix + "-other", function () { return current().kinds; }, org.id);
    var otherLabel = el("label", offered.length === 1 && offered[0].type === rel.membership ?
      "cluster" : "other organization");
    otherLabel.htmlFor = other.input.id;
    otherRow.appendChild(otherLabel);
    otherRow.appendChild(other.list);
    otherRow.appendChild(other.input);
    var otherError = el("p", null, "field-error");
    otherError.hidden = true;
    otherRow.appendChild(otherError);
    form.appendChild(otherRow);
    rel.fields.forEach(function (spec) { form.appendChild(forms.field(spec, undefined, prefix)); });
    forms.buttons(form, submitText);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      forms.clearErrors(form);
      var pair = current();
      var otherId = other.id();
      if (!otherId) {
        forms.fieldError(form, "other", "Pick the organization at the other end.");
        return;
      }
      var body = {};
      rel.fields.forEach(function (spec) {
        var v = forms.value(spec, form.elements[spec.name]);
        if (v !== null) body[spec.name] = v;
      });
      var ends = pair.direction === "in" ? [otherId, org.id] : [org.id, otherId];
      forms.busy(form, true);
      x.call("PUT", relPath(ends[0], pair.type, ends[1]), body, { "If-None-Match": "*" })
        .then(function (answer) {
          forms.busy(form, false);
          if (answer.ok) {
            x.notice("Added " + ends[0] + " " + pair.type + " " + ends[1] +
              (answer.headers.get("X-EcoMap-Change") ? " (change " +
                answer.headers.get("X-EcoMap-Change") + ")." : "."));
            return x.showProfile(org.id);
          }
          if (answer.status === 422) return forms.showErrors(form, answer);
          if (answer.status === 409 && answer.data && answer.data.type === "version_conflict") {
            forms.message(form, "This tie exists already.");
          } else if (answer.status === 404) {
            forms.fieldError(form, "other", x.describe(answer));
          } else {
            forms.message(form, x.describe(answer));
          }
        }).catch(function (error) {
          forms.busy(form, false);
          forms.message(form, error.message);
        });
    });
    return form;
  }

  /* ---- listing ---- */
  function removeTie(org, link) {
    var path = relPath(link.source, link.type, link.target);
    x.call("GET", path).then(function (answer) {
      if (!answer.ok) throw x.failure(answer);
      return x.call("DELETE", path, undefined, { "If-Match": answer.etag });
    }).then(function (answer) {
      if (!answer.ok) throw x.failure(answer);
      var change = answer.data.change_id;
      x.notice("Removed " + link.source + " " + link.type + " " + link.target + " (change " +
        change + ").", false, null, { label: "Undo", run: function () {
        x.undo(change, function () { return x.showProfile(org.id); });
      } });
      return x.showProfile(org.id);
    }).catch(function (error) { x.notice(error.message, true); });
  }

  function tieItem(org, link, names, editable) {
    var otherId = link.source === org.id ? link.target : link.source;
    var item = el("li", null, "tie");
    item.setAttribute("data-tie", link.source + " " + link.type + " " + link.target);
    var line = el("div", null, "tie-line");
    line.appendChild(el("span", arrow(link, org.id) + " " + link.type, "tie-type"));
    var other = el("span", names[otherId] || otherId, "tie-other");
    other.title = otherId;
    line.appendChild(other);
    if (editable) {
      var button = el("button", "Remove", "small-button");
      button.type = "button";
      button.setAttribute("aria-label", "Remove " + link.type + " " + (names[otherId] || otherId));
      button.addEventListener("click", function () {
        button.disabled = true;
        removeTie(org, link);
      });
      line.appendChild(button);
    }
    item.appendChild(line);
    var about = [];
    if (link.since || link.until) about.push((link.since || "?") + "\u2013" + (link.until || ""));
    if (link.weight !== undefined && link.weight !== null && link.weight !== 1) {
      about.push("weight " + link.weight);
    }
    if (link.evidence) about.push(link.evidence);
    if (about.length) item.appendChild(el("div", about.join(" \u00b7 "), "small muted"));
    return item;
  }

  function render(org, page) {
    var editable = x.canEdit();
    var names = {};
    page.items.forEach(function (l) { names[l.other.id] = l.other.name || l.other.id; });
    var links = page.items;
    var memberships = links.filter(function (l) {
      return l.type === rel.membership && l.source === org.id;
    });
    var ties = links.filter(function (l) { return memberships.indexOf(l) < 0; });
    var offered = pairs(org.kind);
    var tieTypes = offered.filter(function (p) {
      return !(p.type === rel.membership && p.direction === "out");
    });
    var memberTypes = offered.filter(function (p) {
      return p.type === rel.membership && p.direction === "out";
    });

    tiesBody.textContent = "";
    var count = page.total - memberships.length;
    document.querySelector("#ties > summary").textContent = "Ties (" + count + ")";
    var types = Object.keys(page.by_type).filter(function (t) { return t !== rel.membership; });
    if (types.length > 1) {
      tiesBody.appendChild(el("p", types.map(function (t) {
        return t + " " + page.by_type[t];
      }).join(" \u00b7 "), "small muted"));
    }
    var list = el("ul", null, "ties");
    ties.forEach(function (l) { list.appendChild(tieItem(org, l, names, editable)); });
    if (!ties.length) tiesBody.appendChild(el("p", "No ties.", "small muted"));
    tiesBody.appendChild(list);
    if (page.has_more) {
      tiesBody.appendChild(el("p", "The first " + page.items.length + " of " +
        page.total.toLocaleString("en") + " are listed.", "small muted"));
    }
    if (editable && tieTypes.length) {
      var add = el("details", null, "add");
      add.appendChild(el("summary", "Add tie"));
      add.appendChild(tieForm(org, tieTypes, "tie", "Add tie"));
      tiesBody.appendChild(add);
    }

    memberBox.hidden = !memberTypes.length;
    memberBody.textContent = "";
    if (!memberTypes.length) return;
    document.querySelector("#memberships > summary").textContent =
      "Member of (" + memberships.length + ")";
    var clusters = el("ul", null, "ties");
    memberships.forEach(function (l) { clusters.appendChild(tieItem(org, l, names, editable)); });
    if (!memberships.length) memberBody.appendChild(el("p", "No cluster.", "small muted"));
    memberBody.appendChild(clusters);
    if (editable) {
      var join = el("details", null, "add");
      join.appendChild(el("summary", "Add to a cluster"));
      join.appendChild(tieForm(org, memberTypes, "member", "Add membership"));
      memberBody.appendChild(join);
    }
  }

  x.on("profile", function (profile) {
    var org = profile.org;
    var mine = ++serial;
    document.getElementById("ties").removeAttribute("data-loaded");
    x.request("GET", x.orgPath(org.id) + "/relationships?limit=" + LISTED)
      .then(function (page) {
        if (mine !== serial) return;
        render(org, page);
        document.getElementById("ties").setAttribute("data-loaded", org.id);
      }).catch(function (error) {
        if (mine !== serial) return;
        tiesBody.textContent = "";
        tiesBody.appendChild(el("p", error.message, "error"));
      });
  });
})();
