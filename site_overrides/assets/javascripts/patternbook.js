/* Patternbook discovery: facets, a sortable pillar matrix and the problem finder.
   Progressive enhancement only: without JavaScript every list shows in full. */
(function () {
  "use strict";

  function facets(form) {
    var list = document.querySelector("[data-pb-list]");
    var count = document.querySelector("[data-pb-count]");
    if (!list) return;
    var items = Array.prototype.slice.call(list.querySelectorAll("[data-pb-item]"));
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));
    var params = new URLSearchParams(window.location.search);
    boxes.forEach(function (box) {
      box.checked = params.getAll(box.name).indexOf(box.value) !== -1;
    });

    function apply() {
      var wanted = {};
      boxes.forEach(function (box) {
        if (box.checked) (wanted[box.name] = wanted[box.name] || []).push(box.value);
      });
      var shown = 0;
      items.forEach(function (item) {
        var match = Object.keys(wanted).every(function (name) {
          var values = (item.getAttribute("data-" + name) || "").split(" ");
          return wanted[name].some(function (value) { return values.indexOf(value) !== -1; });
        });
        item.hidden = !match;
        if (match) shown += 1;
      });
      if (count) count.textContent = shown + " of " + items.length + " patterns";
      var query = new URLSearchParams();
      Object.keys(wanted).sort().forEach(function (name) {
        wanted[name].forEach(function (value) { query.append(name, value); });
      });
      var search = query.toString();
      window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
    }

    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.hidden = false;
    apply();
  }

  function sortable(table) {
    var body = table.tBodies[0];
    table.querySelectorAll("[data-pb-sort]").forEach(function (button) {
      button.addEventListener("click", function () {
        var key = button.getAttribute("data-pb-sort");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var title = a.getAttribute("data-title").localeCompare(b.getAttribute("data-title"));
          if (key === "title") return title;
          var cellA = a.querySelector("[data-" + key + "]"), cellB = b.querySelector("[data-" + key + "]");
          return (cellB.getAttribute("data-" + key) - cellA.getAttribute("data-" + key)) || title;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        table.querySelectorAll("th[aria-sort]").forEach(function (th) { th.removeAttribute("aria-sort"); });
        button.parentNode.setAttribute("aria-sort", key === "title" ? "ascending" : "descending");
      });
    });
  }

  function finder(form) {
    var select = form.querySelector("select");
    var sections = Array.prototype.slice.call(document.querySelectorAll("[data-pb-symptom]"));
    var initial = new URLSearchParams(window.location.search).get("symptom");
    if (initial) select.value = initial;

    function apply() {
      sections.forEach(function (section) {
        section.hidden = Boolean(select.value) && section.getAttribute("data-pb-symptom") !== select.value;
      });
      var search = select.value ? "?symptom=" + encodeURIComponent(select.value) : "";
      window.history.replaceState(null, "", window.location.pathname + search);
    }

    select.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }

  function start() {
    document.querySelectorAll("[data-pb-facets]").forEach(facets);
    document.querySelectorAll("[data-pb-sortable]").forEach(sortable);
    document.querySelectorAll("[data-pb-finder]").forEach(finder);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
