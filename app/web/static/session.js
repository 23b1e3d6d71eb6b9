/* EcoMap explorer: signing in with a person's token (from `ecomap users add`).
 * The token is kept in this tab's sessionStorage; explorer.request sends it as
 * "Authorization: Bearer TOKEN". GET /api/me says who the server takes the person for;
 * window.explorer.person holds the answer, and the "person" event tells the other scripts.
 * Without a token the page stays read-only. */
(function () {
  "use strict";

  var x = window.explorer;
  var signIn = document.getElementById("sign-in");
  var signOut = document.getElementById("sign-out");
  var whoami = document.getElementById("whoami");
  var form = document.getElementById("sign-in-form");
  var input = document.getElementById("token");
  var error = document.getElementById("sign-in-error");
  var newOrg = document.getElementById("new-org");

  function describePerson(person) {
    var text = "Signed in as " + person.name + " (" + (person.role || "no role");
    if (person.clusters && person.clusters.length) {
      text += " of " + person.clusters.join(", ");
    }
    return text + ")";
  }

  function setPerson(person) {
    x.person = person && person.signed_in ? person : null;
    var signedIn = Boolean(x.person);
    whoami.textContent = signedIn ? describePerson(x.person) : "";
    document.body.setAttribute("data-role", signedIn ? String(x.person.role) : "none");
    signIn.hidden = signedIn;
    signOut.hidden = !signedIn;
    newOrg.hidden = !x.canEdit();
    x.emit("person", x.person);
  }

  function openForm() {
    form.hidden = false;
    error.textContent = "";
    input.value = "";
    input.focus();
  }

  function closeForm() {
    form.hidden = true;
    input.value = "";
    error.textContent = "";
  }

  /* Ask the server who this token is; resolves to the person, rejects in words. */
  function whoIs(token) {
    return x.call("GET", "/api/me", undefined, { Authorization: "Bearer " + token })
      .then(function (answer) {
        if (answer.status === 401) {
          throw new Error("This token is not known (removed, or mistyped): " +
            x.describe(answer).replace(/^[^:]*: /, ""));
        }
        if (!answer.ok) throw x.failure(answer);
        return answer.data;
      });
  }

  function afterSignIn(person) {
    setPerson(person);
    // a server whose reads need a token showed nothing before: draw now
    if (document.getElementById("map").getAttribute("data-ready") === "failed") {
      x.drawMap();
      var tab = document.querySelector(".tabs button[aria-selected=true]");
      x.openTab(tab ? tab.getAttribute("data-tab") : "actors");
    }
    var org = x.selected();
    if (org) x.showProfile(org.id);
  }

  signIn.addEventListener("click", function () {
    if (form.hidden) openForm(); else closeForm();
  });
  document.getElementById("sign-in-cancel").addEventListener("click", closeForm);
  form.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeForm();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var token = input.value.trim();
    if (!token) {
      error.textContent = "Paste the token that 'ecomap users add' printed.";
      return;
    }
    error.textContent = "Checking\u2026";
    whoIs(token).then(function (person) {
      if (!person.signed_in) throw new Error("The server did not take this token.");
      x.setToken(token);
      closeForm();
      x.say("");
      afterSignIn(person);
    }).catch(function (failure) { error.textContent = failure.message; });
  });
  signOut.addEventListener("click", function () {
    x.setToken("");
    setPerson(null);
    x.say("Signed out.");
    var org = x.selected();
    if (org) x.showProfile(org.id);
  });

  setPerson(null);
  if (x.token()) {
    whoIs(x.token()).then(function (person) {
      afterSignIn(person);
    }).catch(function (failure) {
      x.setToken("");
      setPerson(null);
      x.say("Your sign-in is no longer valid, sign in again. " + failure.message, true);
    });
  }
})();
