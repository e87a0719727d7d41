/* Checks a chosen file's type (by its extension) and size before the form is sent, so a clerk does not wait for
   a 100 MB upload to hear it was refused. The server checks again (core.uploads, core.files): this is only help.
   Settings come from the form's data attributes: data-upload-accept, data-upload-max-bytes, data-upload-message-type,
   data-upload-message-size ({name} and {size} are filled in). */
(function () {
  "use strict";

  function formatSize(bytes) {
    var megabyte = 1024 * 1024;
    function decimal(value) {
      return value === Math.floor(value) ? String(value) : value.toFixed(1).replace(".", ",");
    }
    if (bytes >= megabyte) return decimal(bytes / megabyte) + " MB";
    if (bytes >= 1024) return decimal(bytes / 1024) + " kB";
    return bytes + " bytes";
  }

  function problemWith(file, form) {
    var accepted = form.dataset.uploadAccept.split(",");
    var name = file.name.toLowerCase();
    var extension = name.lastIndexOf(".") >= 0 ? name.slice(name.lastIndexOf(".")) : "";
    var maxBytes = parseInt(form.dataset.uploadMaxBytes, 10);
    if (accepted.indexOf(extension) < 0) {
      return form.dataset.uploadMessageType.replace("{name}", file.name);
    }
    if (maxBytes && file.size > maxBytes) {
      return form.dataset.uploadMessageSize.replace("{name}", file.name).replace("{size}", formatSize(maxBytes));
    }
    return "";
  }

  function messageFor(input) {
    var id = input.id + "-upload-check";
    var message = document.getElementById(id);
    if (!message) {
      message = document.createElement("p");
      message.id = id;
      message.className = "form-error";
      message.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", message);
      var describedBy = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      describedBy.push(id);
      input.setAttribute("aria-describedby", describedBy.join(" "));
    }
    return message;
  }

  function check(input, form) {
    var problems = Array.prototype.map.call(input.files || [], function (file) {
      return problemWith(file, form);
    }).filter(Boolean);
    var message = messageFor(input);
    message.textContent = problems.join(" ");
    message.hidden = problems.length === 0;
    if (problems.length) {
      input.value = "";  // the refused file is not sent; the other fields can still be saved
      input.setAttribute("aria-invalid", "true");
    } else if (!input.closest(".has-error")) {
      input.removeAttribute("aria-invalid");
    }
    return problems.length === 0;
  }

  document.querySelectorAll("form[data-upload-accept]").forEach(function (form) {
    var inputs = form.querySelectorAll('input[type="file"]');
    inputs.forEach(function (input) {
      if (!input.hasAttribute("accept")) input.setAttribute("accept", form.dataset.uploadAccept);
      input.addEventListener("change", function () {
        check(input, form);
      });
    });
    form.addEventListener("submit", function (event) {
      var firstBad = Array.prototype.find.call(inputs, function (input) {
        return !check(input, form);
      });
      if (firstBad) {
        event.preventDefault();
        firstBad.focus();
      }
    });
  });
})();
