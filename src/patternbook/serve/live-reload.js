// patternbook serve: reload this page when the preview rewrites it (never shipped in a build).
(function () {
  "use strict";
  var script = document.currentScript;
  var since = script ? script.getAttribute("data-since") || "0" : "0";
  function here(path) {
    return path.replace(/index\.html$/, "");
  }
  var source = new EventSource("/.patternbook/events?since=" + encodeURIComponent(since));
  source.addEventListener("change", function (event) {
    var changed = JSON.parse(event.data);
    if (changed.indexOf(here(window.location.pathname)) !== -1) {
      source.close();
      window.location.reload();
    }
  });
})();
