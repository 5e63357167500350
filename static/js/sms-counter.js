// Live counter for the notice-template editor: GSM-7 or UCS-2 and the number of SMS segments,
// updated as the administrator types. Variables are replaced by the same sample values the
// server-side preview uses; that preview (the Preview button) stays the reference and works
// without this script. The rules are those of notifications/templating.py (sms_count).
(function () {
  "use strict";

  var GSM_BASIC =
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var GSM_EXTENDED = "\f^{}\\[~]|€";
  var VARIABLE = /\{\{\s*([A-Za-z]\w*)((?:\s*\|\s*\w+(?::(?:"[^"]*"|'[^']*'|\w+))?)*)\s*\}\}/g;
  var FILTER = /\|\s*(\w+)/g;

  function count(text) {
    var characters = Array.from(text);
    var gsm = characters.every(function (c) {
      return GSM_BASIC.indexOf(c) >= 0 || GSM_EXTENDED.indexOf(c) >= 0;
    });
    var costs = characters.map(function (c) {
      if (gsm) {
        return GSM_EXTENDED.indexOf(c) >= 0 ? 2 : 1;
      }
      return c.codePointAt(0) > 0xffff ? 2 : 1;
    });
    var units = costs.reduce(function (a, b) { return a + b; }, 0);
    var single = gsm ? 160 : 70;
    var part = gsm ? 153 : 67;
    var segments = units === 0 ? 0 : 1;
    if (units > single) {
      var used = 0;
      costs.forEach(function (cost) {
        if (used + cost > part) {
          segments += 1;
          used = 0;
        }
        used += cost;
      });
    }
    return { gsm: gsm, units: units, segments: segments };
  }

  function applyFilters(value, filters) {
    var match;
    FILTER.lastIndex = 0;
    while ((match = FILTER.exec(filters)) !== null) {
      if (match[1] === "upper") {
        value = value.toUpperCase();
      } else if (match[1] === "lower") {
        value = value.toLowerCase();
      } else if (match[1] === "capfirst") {
        value = value.charAt(0).toUpperCase() + value.slice(1);
      } else if (match[1] === "title") {
        value = value.replace(/\b\w/g, function (c) { return c.toUpperCase(); });
      }
    }
    return value;
  }

  function render(text, samples) {
    return text
      .replace(/\{#[\s\S]*?#\}/g, "")
      .replace(VARIABLE, function (whole, name, filters) {
        return Object.prototype.hasOwnProperty.call(samples, name)
          ? applyFilters(String(samples[name]), filters)
          : whole;
      })
      .trim();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var body = document.getElementById("id_body");
    var live = document.getElementById("sms-live");
    var channel = document.getElementById("id_channel");
    var samplesElement = document.getElementById("sms-samples");
    if (!body || !live || !channel || !samplesElement) {
      return;
    }
    var samples = JSON.parse(samplesElement.textContent);
    var limit = parseInt(live.dataset.limit, 10);

    function update() {
      if (channel.value !== "sms") {
        live.hidden = true;
        return;
      }
      var result = count(render(body.value.replace(/\r\n/g, "\n"), samples));
      live.textContent = (result.gsm ? live.dataset.gsm : live.dataset.ucs)
        .replace("__UNITS__", String(result.units))
        .replace("__SEGMENTS__", String(result.segments));
      live.classList.toggle("text-danger", result.segments > limit);
      live.classList.toggle("text-muted", result.segments <= limit);
      live.hidden = false;
    }

    body.addEventListener("input", update);
    channel.addEventListener("change", update);
    update();
  });
})();
