// The interview record form: warns, while the interviewer answers, that an interview without
// the worker in person, in private and with no employer present will not count; and shows the
// question about the interpreter's independence only when an interpreter is chosen. The server
// checks both again, so the form works the same without this script.
(function () {
  "use strict";

  var PRESENCE = ["in_person", "in_private", "no_employer_present"];

  function checkedValue(form, name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    return checked ? checked.value : "";
  }

  function updatePresence(form) {
    var warning = form.querySelector("[data-not-counting]");
    if (!warning) {
      return;
    }
    var notCounting = PRESENCE.some(function (name) {
      return checkedValue(form, name) === "no";
    });
    warning.classList.toggle("d-none", !notCounting);
  }

  function updateInterpreter(form) {
    var select = form.querySelector('select[name="interpreter"]');
    var question = form.querySelector("[data-needs-interpreter]");
    if (!select || !question) {
      return;
    }
    question.classList.toggle("d-none", select.value === "");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("record-form");
    if (!form) {
      return;
    }
    form.addEventListener("change", function (event) {
      if (PRESENCE.indexOf(event.target.name) >= 0) {
        updatePresence(form);
      }
      if (event.target.name === "interpreter") {
        updateInterpreter(form);
      }
    });
    updatePresence(form);
    updateInterpreter(form);
  });
})();
