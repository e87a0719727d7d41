/* The strength meter under the new-password field of the back office's password forms (accounts/password_meter.html,
   accounts/password_strength.py). 300 ms after the last keystroke the typed password (with the person's name, so the
   policy's similarity rule can compare) is posted to the Loket, which answers zxcvbn's score 0-4 and what the policy
   has against it; the meter, its word and those messages are shown under the field and read out politely. Only
   help: the form's own check on saving decides. Texts come from the container's data attributes. */
(function () {
  "use strict";

  var DELAY_MS = 300;
  var meter = document.getElementById("password-meter");
  if (!meter || !window.fetch || !window.FormData) return;
  var input = document.querySelector('form input[name="' + meter.dataset.passwordInput + '"]');
  if (!input) return;
  var form = input.form;
  var bar = meter.querySelector("meter");
  var label = meter.querySelector(".password-meter-label");
  var failures = meter.querySelector(".password-meter-failures");
  var timer = null;
  var asked = 0; // only the answer to the latest question is shown

  (input.closest(".form-row") || input.parentNode).appendChild(meter);

  function field(name) {
    var element = form.elements.namedItem(name);
    return element && element.value !== undefined ? element.value : null;
  }

  function showMessages(text, messages) {
    label.textContent = text;
    failures.textContent = "";
    messages.forEach(function (message) {
      var item = document.createElement("li");
      item.textContent = message;
      failures.appendChild(item);
    });
    failures.hidden = messages.length === 0;
    meter.hidden = false;
  }

  function show(answer) {
    bar.value = answer.score;
    var word = meter.getAttribute("data-label-" + answer.score);
    showMessages(answer.failures.length ? word : word + ". " + meter.dataset.passes, answer.failures);
  }

  function question() {
    var body = new FormData();
    body.append("password", input.value);
    var username = field("username"); // adding a person, or another person's page: whose password it is
    if (username !== null) {
      body.append("username", username);
      body.append("first_name", field("first_name") || meter.dataset.firstName || "");
      body.append("last_name", field("last_name") || meter.dataset.lastName || "");
      body.append("email", field("email") || meter.dataset.email || "");
    }
    return body;
  }

  function check() {
    var sequence = ++asked;
    if (!input.value) {
      meter.hidden = true;
      return;
    }
    fetch(meter.dataset.endpoint, {
      method: "POST",
      body: question(),
      headers: { "X-CSRFToken": field("csrfmiddlewaretoken"), "Accept": "application/json" },
      credentials: "same-origin",
      cache: "no-store"
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (sequence !== asked) return;
      if (result.ok) {
        show(result.data);
      } else {
        bar.value = 0;
        showMessages(result.data.error ? result.data.error.message : meter.dataset.unavailable, []);
      }
    }).catch(function () {
      if (sequence !== asked) return;
      bar.value = 0;
      showMessages(meter.dataset.unavailable, []);
    });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, DELAY_MS);
  });
})();
