/* EcoMap explorer: what the edit forms share. A labelled input for a field of the edit
 * schema (app/web/schema.py), reading it back as the API takes it, the server's validation
 * errors placed next to the field their "loc" names, the form's buttons; and the message
 * line above the profile (window.explorer.notice). Used by editing.js and ties.js through
 * window.explorer.forms. */
(function () {
  "use strict";

  var x = window.explorer;
  var el = x.el;
  var noticeEl = document.getElementById("notice");

  /* ---- messages ---- */
  /* A message above the profile (none: hide it), perhaps with a list of items and one
   * action ({label, run}), e.g. undoing what was just done. */
  function notice(text, isError, items, action) {
    noticeEl.textContent = "";
    noticeEl.hidden = !text;
    noticeEl.className = "notice" + (isError ? " error" : "");
    if (!text) return;
    var close = el("button", "\u00d7", "close");
    close.type = "button";
    close.setAttribute("aria-label", "Close this message");
    close.addEventListener("click", function () { notice(""); });
    noticeEl.appendChild(close);
    noticeEl.appendChild(el("p", text));
    if (items && items.length) {
      var list = el("ul", null, "small");
      items.forEach(function (item) { list.appendChild(el("li", item)); });
      noticeEl.appendChild(list);
    }
    if (action) {
      var button = el("button", action.label, "small-button");
      button.type = "button";
      button.addEventListener("click", function () {
        button.disabled = true;
        action.run();
      });
      noticeEl.appendChild(button);
    }
  }

  /* Undo a change set (POST /api/history/{id}/revert), then run ``after``; refusals are
   * shown in words. */
  function undo(changeId, after) {
    return x.call("POST", "/api/history/" + encodeURIComponent(changeId) + "/revert")
      .then(function (answer) {
        if (!answer.ok) {
          notice(x.describe(answer), true);
          return;
        }
        notice(answer.data.change_id === null ? "Nothing left to undo." : "Undone: change " +
          changeId + " reverted by change " + answer.data.change_id + ".");
        return after();
      }).catch(function (error) { notice(error.message, true); });
  }

  /* ---- form helpers ---- */
  function label(name) { return name.replace(/_/g, " "); }

  function number(n) { return Math.abs(n) >= 10000 ? Number(n).toLocaleString("en") : String(n); }

  function hint(spec) {
    if (spec.input === "list") return "several: separate with " + spec.separator;
    var low = spec.min !== undefined ? spec.min : spec.min_exclusive;
    if (spec.input === "integer" || spec.input === "number") {
      if (low !== undefined && spec.max !== undefined) return number(low) + " to " + number(spec.max);
      if (spec.min_exclusive !== undefined) return "above " + number(spec.min_exclusive);
      if (low !== undefined) return "from " + number(low);
    }
    return spec.description || "";
  }

  function suggestions(spec) {
    if (spec.suggestions) return spec.suggestions;
    var facet = spec.name === "type" ? x.facets.types : null;
    return facet ? facet.map(function (f) { return f.value; }) : null;
  }

  /* One labelled input for a field of the schema, with room for its error. */
  function field(spec, value, prefix) {
    var id = prefix + "-" + spec.name;
    var row = el("div", null, "field");
    row.setAttribute("data-field", spec.name);
    var caption = el("label", label(spec.name));
    caption.htmlFor = id;
    if (spec.required) caption.appendChild(el("span", " *", "required"));
    row.appendChild(caption);
    var input;
    if (spec.input === "choice") {
      input = el("select");
      spec.choices.forEach(function (choice) {
        var option = el("option", choice);
        option.value = choice;
        input.appendChild(option);
      });
    } else if (spec.input === "textarea") {
      input = el("textarea");
      input.rows = 3;
    } else {
      input = el("input");
      input.type = "text";
      if (spec.input === "integer") input.inputMode = "numeric";
      if (spec.input === "number") input.inputMode = "decimal";
    }
    input.id = id;
    input.name = spec.name;
    if (spec.max_length && spec.input !== "list") input.maxLength = spec.max_length;
    if (spec.default !== undefined) input.placeholder = String(spec.default);
    var options = suggestions(spec);
    if (options && input.tagName === "INPUT") {
      var list = el("datalist");
      list.id = id + "-options";
      options.forEach(function (value) { var o = el("option"); o.value = value; list.appendChild(o); });
      row.appendChild(list);
      input.setAttribute("list", list.id);
    }
    if (Array.isArray(value)) value = value.join(" " + spec.separator + " ");
    if (value !== null && value !== undefined) input.value = String(value);
    row.appendChild(input);
    var help = hint(spec);
    if (help) row.appendChild(el("span", help, "hint"));
    var error = el("p", null, "field-error");
    error.id = id + "-error";
    error.setAttribute("role", "alert");
    error.hidden = true;
    input.setAttribute("aria-describedby", error.id);
    row.appendChild(error);
    return row;
  }

  /* What an input holds, as the API takes it (the server checks and converts it). */
  function value(spec, input) {
    var text = input.value;
    if (spec.input === "choice") return text;
    if (spec.input === "list") {
      return text.split(spec.separator).map(function (s) { return s.trim(); })
        .filter(function (s) { return s; });
    }
    text = text.trim();
    return text || (spec.required ? "" : null);
  }

  function fieldError(form, name, message) {
    var row = form.querySelector(".field[data-field='" + name + "']");
    if (!row) return false;
    var error = row.querySelector(".field-error");
    error.textContent = message;
    error.hidden = false;
    var input = row.querySelector("input, select, textarea");
    if (input) input.setAttribute("aria-invalid", "true");
    return true;
  }

  function message(form, text) {
    var box = form.querySelector(".form-error");
    box.textContent = text || "";
    box.hidden = !text;
  }

  function clearErrors(form) {
    form.querySelectorAll(".field-error").forEach(function (p) { p.textContent = ""; p.hidden = true; });
    form.querySelectorAll("[aria-invalid]").forEach(function (i) { i.removeAttribute("aria-invalid"); });
    message(form, "");
  }

  /* A 422 answer's errors, each next to the field its loc names (["body", FIELD, ...]). */
  function showErrors(form, answer) {
    var errors = (answer.data && answer.data.errors) || [];
    var elsewhere = [];
    errors.forEach(function (error) {
      var loc = error.loc || [];
      var name = loc[0] === "body" ? loc[1] : loc[loc.length - 1];
      if (!(name !== undefined && fieldError(form, String(name), error.msg))) {
        elsewhere.push(error.msg);
      }
    });
    var count = errors.length - elsewhere.length;
    message(form, (count ? "Please correct the " + (count === 1 ? "field" : count + " fields") +
      " marked below." : "") + (elsewhere.length ? " " + elsewhere.join("; ") : "") ||
      x.describe(answer));
    var first = form.querySelector("[aria-invalid]");
    if (first) first.focus();
  }

  function buttons(form, saveText, onCancel) {
    var error = el("p", null, "form-error error");
    error.setAttribute("role", "alert");
    error.hidden = true;
    form.appendChild(error);
    var row = el("div", null, "buttons");
    var save = el("button", saveText);
    save.type = "submit";
    row.appendChild(save);
    if (onCancel) {
      var cancel = el("button", "Cancel");
      cancel.type = "button";
      cancel.addEventListener("click", onCancel);
      row.appendChild(document.createTextNode(" "));
      row.appendChild(cancel);
    }
    form.appendChild(row);
  }

  function busy(form, yes) {
    form.querySelectorAll("button").forEach(function (b) { b.disabled = yes; });
    if (yes) form.setAttribute("aria-busy", "true"); else form.removeAttribute("aria-busy");
  }

  x.notice = notice;
  x.undo = undo;
  x.forms = { field: field, value: value, fieldError: fieldError, message: message,
    clearErrors: clearErrors, showErrors: showErrors, buttons: buttons, busy: busy,
    label: label };
})();
