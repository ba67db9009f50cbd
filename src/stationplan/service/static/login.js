// Sign in through POST /login without leaving the page, so that a wrong name or password is
// shown as a message (without JavaScript the form posts as usual).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("login-form");
  const message = document.getElementById("login-error");
  if (!form || !message) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.hidden = true;
    let text = "Sign-in failed.";
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        credentials: "same-origin",
      });
      if (response.ok) {
        window.location.assign(response.redirected ? response.url : form.elements.next.value);
        return;
      }
      const body = await response.json().catch(() => null);
      text = (body && body.error && body.error.message) || `Sign-in failed (${response.status}).`;
    } catch (err) {
      text = `Sign-in failed: ${err}`;
    }
    message.textContent = text.charAt(0).toUpperCase() + text.slice(1) + ".";
    message.hidden = false;
  });
});
