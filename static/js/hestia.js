// Behaviour shared by every page. No page has inline script or event-handler attributes (the
// Content-Security-Policy forbids them): elements ask for behaviour with data- attributes.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    // A select that submits its form as soon as a choice is made (the language menu); the form
    // keeps a submit button inside <noscript> for browsers without JavaScript.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () {
        if (select.form) {
          select.form.submit();
        }
      });
    });

    // A button that prints the page (recovery codes).
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () {
        window.print();
      });
    });
  });
})();
