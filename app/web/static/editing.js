/* EcoMap explorer: editing an organization (for editors and admins who signed in).
 * "Edit" on the profile opens a form built from the edit schema (app/web/schema.py: the
 * fields of app.domain.Organization, their inputs and caps); "Save" sends
 * PUT /api/organizations/{id} with If-Match, and the server's validation errors show next to
 * the field they name. "New organization" opens the same form, empty (If-None-Match: *).
 * "Confirm as right" and "Delete" act on the version shown. The form helpers and the
 * message line are forms.js's. */
(function () {
  "use strict";

  var x = window.explorer;
  var el = x.el;
  var forms = x.forms;
  var notice = x.notice;
  var label = forms.label, field = forms.field, value = forms.value;
  var fieldError = forms.fieldError, message = forms.message, clearErrors = forms.clearErrors;
  var showErrors = forms.showErrors, buttons = forms.buttons, busy = forms.busy;
  var editor = document.getElementById("editor");
  var formEl = document.getElementById("org-form");
  var title = document.getElementById("editor-title");
  var tools = document.getElementById("profile-tools");
  var shown = { org: null, etag: null };  // the profile on screen
  var edit = null;  // what the form edits: {org (null: a new one), etag}

  /* ---- the organization form ---- */
  function fixedRow(spec, current, why) {
    var row = el("div", null, "field fixed");
    row.setAttribute("data-field", spec.name);
    row.appendChild(el("span", label(spec.name), "caption"));
    row.appendChild(el("span", x.shown(current) || "\u2014", "value"));
    row.appendChild(el("span", why, "hint"));
    return row;
  }

  function openEditor(org, etag) {
    edit = { org: org, etag: etag };
    title.textContent = org ? "Edit " + org.name : "New organization";
    formEl.textContent = "";
    formEl.setAttribute("data-mode", org ? "edit" : "create");
    x.schema.organization.fields.forEach(function (spec) {
      if (spec.read_only || (org && spec.create_only)) {
        if (org) {
          formEl.appendChild(fixedRow(spec, org[spec.name], spec.read_only ? "set by EcoMap" :
            "fixed once created"));
        }
        return;
      }
      formEl.appendChild(field(spec, org ? org[spec.name] : undefined, "org"));
    });
    var box = el("div", null, "conflict");
    box.hidden = true;
    formEl.appendChild(box);
    buttons(formEl, org ? "Save" : "Create", closeEditor);
    editor.hidden = false;
    editor.scrollIntoView({ block: "start" });
    var first = formEl.querySelector("input, select, textarea");
    if (first) first.focus();
  }

  function closeEditor() {
    edit = null;
    editor.hidden = true;
    formEl.textContent = "";
  }

  function payload() {
    var body = {};
    x.schema.organization.fields.forEach(function (spec) {
      if (spec.read_only) return;
      if (edit.org && spec.create_only) {
        if (spec.name !== "id") body[spec.name] = edit.org[spec.name];
        return;
      }
      body[spec.name] = value(spec, formEl.elements[spec.name]);
    });
    return body;
  }

  function changed(answer) {
    var change = answer.headers.get("X-EcoMap-Change");
    return change ? " (change " + change + ")" : " (nothing changed)";
  }

  function conflict(answer) {
    var current = answer.data.current;
    var box = formEl.querySelector(".conflict");
    box.textContent = "";
    if (!edit.org) {
      fieldError(formEl, "id", "An organization with this id exists already" +
        (current ? " (" + current.name + ")" : "") + ": choose another id.");
      return;
    }
    box.hidden = false;
    if (!current) {
      box.appendChild(el("p", edit.org.name + " was deleted by someone else since you " +
        "opened it; nothing was saved."));
      return;
    }
    box.appendChild(el("p", "Someone else changed " + edit.org.name + " since you opened it; " +
      "nothing was saved. What they changed:"));
    var list = el("dl");
    x.schema.organization.fields.forEach(function (spec) {
      var before = x.shown(edit.org[spec.name]);
      var now = x.shown(current[spec.name]);
      if (before === now) return;
      list.appendChild(el("dt", label(spec.name)));
      list.appendChild(el("dd", (before || "\u2014") + " \u2192 " + (now || "\u2014")));
    });
    box.appendChild(list);
    var reload = el("button", "Reload their version");
    reload.type = "button";
    reload.addEventListener("click", function () {
      openEditor(current, answer.etag);
      x.showProfile(current.id);
    });
    var overwrite = el("button", "Save mine over it");
    overwrite.type = "button";
    overwrite.addEventListener("click", function () {
      edit.org = current;
      edit.etag = answer.etag;
      save();
    });
    box.appendChild(reload);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(overwrite);
  }

  function save() {
    clearErrors(formEl);
    formEl.querySelector(".conflict").hidden = true;
    var body = payload();
    var id = edit.org ? edit.org.id : body.id;
    if (!id) {
      fieldError(formEl, "id", "Give the new organization an id (it names it everywhere).");
      return;
    }
    var headers = edit.org ? { "If-Match": edit.etag } : { "If-None-Match": "*" };
    busy(formEl, true);
    x.call("PUT", x.orgPath(id), body, headers).then(function (answer) {
      busy(formEl, false);
      if (answer.ok) {
        closeEditor();
        notice((answer.status === 201 ? "Created " : "Saved ") + answer.data.name +
          changed(answer) + ".");
        return x.showProfile(id);
      }
      if (answer.status === 422) return showErrors(formEl, answer);
      if (answer.status === 409 && answer.data && answer.data.type === "version_conflict") {
        return conflict(answer);
      }
      message(formEl, x.describe(answer));
    }).catch(function (error) {
      busy(formEl, false);
      message(formEl, error.message);
    });
  }

  formEl.addEventListener("submit", function (event) {
    event.preventDefault();
    if (edit) save();
  });

  /* ---- confirm, delete ---- */
  function confirmRight() {
    var org = shown.org;
    x.call("POST", x.orgPath(org.id) + "/confirm", undefined, { "If-Match": shown.etag })
      .then(function (answer) {
        if (answer.ok) {
          notice("Confirmed " + org.name + " as right" + changed(answer) + ".");
        } else if (answer.status === 409) {
          notice(org.name + " changed since it was shown; here it is as it is now: check it " +
            "and confirm again.", true);
        } else {
          notice(x.describe(answer), true);
          return;
        }
        return x.showProfile(org.id);
      }).catch(function (error) { notice(error.message, true); });
  }

  function remove() {
    var org = shown.org;
    if (!window.confirm("Delete " + org.name + " (" + org.id + ") and every tie it has?\n" +
      "Its history keeps it: reverting the deletion brings it back.")) return;
    x.call("DELETE", x.orgPath(org.id), undefined, { "If-Match": shown.etag })
      .then(function (answer) {
        if (answer.ok) {
          var ties = answer.data.ties || [];
          x.closeProfile();
          if (edit && edit.org && edit.org.id === org.id) closeEditor();
          var change = answer.data.change_id;
          notice("Deleted " + org.name + " (change " + change + ")" + (ties.length ?
            " and its " + (ties.length === 1 ? "tie" : ties.length + " ties") + ", listed below." :
            ".") + " Apply the filters to redraw the map.", false,
            ties.map(function (t) { return t.source + " " + t.type + " " + t.target; }),
            { label: "Undo", run: function () {
              x.undo(change, function () { return x.showProfile(org.id); });
            } });
          return;
        }
        notice(x.describe(answer), true);
        if (answer.status === 409) return x.showProfile(org.id);
      }).catch(function (error) { notice(error.message, true); });
  }

  function tool(text, action, name) {
    var button = el("button", text);
    button.type = "button";
    button.setAttribute("data-action", name);
    button.addEventListener("click", action);
    tools.appendChild(button);
  }

  x.on("profile", function (profile) {
    shown = profile;
    tools.textContent = "";
    if (!x.canEdit()) return;
    tool("Edit", function () { openEditor(shown.org, shown.etag); }, "edit");
    tool("Confirm as right", confirmRight, "confirm");
    tool("Delete", remove, "delete");
  });
  x.on("person", function () {
    if (!x.canEdit()) {
      closeEditor();
      tools.textContent = "";
    }
  });
  document.getElementById("new-org").addEventListener("click", function () {
    openEditor(null, null);
  });
})();
