/* Patternbook discovery: facets, a sortable pillar matrix and the problem finder; on a
   priced pattern's page, the cost calculator.
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

  /* The relation graph: filter by category and relation type, pan and zoom by pointer,
     wheel or keyboard, and find a pattern to centre it. The SVG is complete without
     this: every node is already a link. */
  function relationMap(controls) {
    var svg = document.querySelector("[data-pb-map]");
    var frame = svg && svg.closest(".pb-map-frame");
    if (!svg || !frame) return;
    var full = svg.viewBox.baseVal;
    var home = { x: full.x, y: full.y, width: full.width, height: full.height };
    var view = Object.assign({}, home);
    var nodes = Array.prototype.slice.call(svg.querySelectorAll(".pb-map-node"));
    var edges = Array.prototype.slice.call(svg.querySelectorAll(".pb-map-edge"));
    var blocks = Array.prototype.slice.call(svg.querySelectorAll(".pb-map-block"));
    var status = controls.querySelector(".pb-map-status");
    var category = controls.querySelector("#pb-map-category");
    var find = controls.querySelector("#pb-map-find");
    var bySlug = {};
    nodes.forEach(function (node) { bySlug[node.getAttribute("data-slug")] = node; });

    function show() {
      svg.setAttribute("viewBox", [view.x, view.y, view.width, view.height].join(" "));
    }
    function zoom(factor, cx, cy) {
      var width = Math.min(home.width * 1.5, Math.max(200, view.width * factor));
      var height = view.height * (width / view.width);
      cx = cx === undefined ? view.x + view.width / 2 : cx;
      cy = cy === undefined ? view.y + view.height / 2 : cy;
      view = { x: cx - (cx - view.x) * (width / view.width), y: cy - (cy - view.y) * (height / view.height),
               width: width, height: height };
      show();
    }
    function pan(dx, dy) {
      view.x += dx * view.width;
      view.y += dy * view.height;
      show();
    }
    function centreOn(node) {
      var box = node.getBBox();
      var width = Math.min(home.width, 1400), height = width * (home.height / home.width);
      view = { x: box.x + box.width / 2 - width / 2, y: box.y + box.height / 2 - height / 2,
               width: width, height: height };
      show();
      nodes.forEach(function (other) { other.classList.toggle("pb-map-node--found", other === node); });
      node.focus();
    }
    function filter() {
      var types = Array.prototype.slice.call(controls.querySelectorAll("input[name=type]:checked"))
        .map(function (box) { return box.value; });
      var only = category.value;
      var visible = {};
      nodes.forEach(function (node) {
        var shown = !only || node.getAttribute("data-category") === only;
        node.style.display = shown ? "" : "none";
        if (shown) visible[node.getAttribute("data-slug")] = true;
      });
      blocks.forEach(function (block) {
        block.style.opacity = !only || block.getAttribute("data-category") === only ? "" : "0.25";
      });
      var count = 0;
      edges.forEach(function (edge) {
        var shown = types.indexOf(edge.getAttribute("data-type")) !== -1 &&
          (visible[edge.getAttribute("data-from")] || visible[edge.getAttribute("data-to")]);
        edge.style.display = shown ? "" : "none";
        if (shown) count += 1;
      });
      status.textContent = Object.keys(visible).length + " patterns and " + count + " relations shown.";
      if (only) {
        var block = svg.querySelector('.pb-map-block[data-category="' + only + '"]');
        if (block) {
          var box = block.getBBox();
          view = { x: box.x - 20, y: box.y - 20, width: box.width + 40,
                   height: (box.width + 40) * (home.height / home.width) };
          if (view.height < box.height + 40) {
            view.height = box.height + 40;
            view.width = view.height * (home.width / home.height);
          }
          show();
        }
      }
    }

    controls.addEventListener("change", function (event) { if (event.target !== find) filter(); });
    controls.addEventListener("submit", function (event) {
      event.preventDefault();
      var wanted = find.value.trim().toLowerCase();
      var option = Array.prototype.slice.call(controls.querySelectorAll("#pb-map-titles option"))
        .filter(function (o) { return o.value.toLowerCase() === wanted; })[0] ||
        Array.prototype.slice.call(controls.querySelectorAll("#pb-map-titles option"))
          .filter(function (o) { return wanted && o.value.toLowerCase().indexOf(wanted) !== -1; })[0];
      if (!option) { status.textContent = "No pattern is called that."; return; }
      var node = bySlug[option.getAttribute("data-slug")];
      if (category.value && node.getAttribute("data-category") !== category.value) {
        category.value = "";
        filter();
      }
      status.textContent = option.value + " centred.";
      centreOn(node);
    });
    controls.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var how = button.getAttribute("data-zoom");
        if (how === "reset") { view = Object.assign({}, home); show(); }
        else zoom(how === "in" ? 0.7 : 1 / 0.7);
      });
    });
    frame.addEventListener("keydown", function (event) {
      var steps = { ArrowLeft: [-0.1, 0], ArrowRight: [0.1, 0], ArrowUp: [0, -0.1], ArrowDown: [0, 0.1] };
      if (event.target !== frame) return;  // arrows on a focused node are the browser's
      if (steps[event.key]) { event.preventDefault(); pan(steps[event.key][0], steps[event.key][1]); }
      else if (event.key === "+" || event.key === "=") { event.preventDefault(); zoom(0.7); }
      else if (event.key === "-") { event.preventDefault(); zoom(1 / 0.7); }
    });
    // Keyboard focus on a node outside the view brings it into view.
    svg.addEventListener("focusin", function (event) {
      var node = event.target.closest && event.target.closest(".pb-map-node");
      if (!node) return;
      var box = node.getBBox();
      if (box.x < view.x || box.y < view.y || box.x + box.width > view.x + view.width ||
          box.y + box.height > view.y + view.height) {
        view.x = box.x + box.width / 2 - view.width / 2;
        view.y = box.y + box.height / 2 - view.height / 2;
        show();
      }
    });
    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var point = svg.createSVGPoint();
      point.x = event.clientX;
      point.y = event.clientY;
      var at = point.matrixTransform(svg.getScreenCTM().inverse());
      zoom(event.deltaY > 0 ? 1.15 : 1 / 1.15, at.x, at.y);
    }, { passive: false });
    var dragging = null;
    svg.addEventListener("pointerdown", function (event) {
      if (event.target.closest(".pb-map-node")) return;
      dragging = { x: event.clientX, y: event.clientY };
      svg.setPointerCapture(event.pointerId);
    });
    svg.addEventListener("pointermove", function (event) {
      if (!dragging) return;
      var scale = view.width / svg.getBoundingClientRect().width;
      view.x -= (event.clientX - dragging.x) * scale;
      view.y -= (event.clientY - dragging.y) * scale;
      dragging = { x: event.clientX, y: event.clientY };
      show();
    });
    svg.addEventListener("pointerup", function () { dragging = null; });
    controls.hidden = false;
    filter();
  }

  // The cost calculator: the same formula as patternbook.schema.Cost.breakdown, in the
  // same order of operations, so the low workload reproduces the static table exactly.
  // toFixed rounds the exact binary value, ties away from zero, as format_amount does in Python.
  // model.limits are the bounds validation holds every pattern to (patternbook.schema's
  // MAXIMUM_MEASURE for a workload value, MAXIMUM_AMOUNT for a cost): a reader's input obeys
  // them too, so no cell ever shows NaN, Infinity or an exponent.
  function amountText(value, currency) {
    var digits = value !== 0 && Math.abs(value) < 0.01 ? 4 : 2;
    var parts = value.toFixed(digits).split(".");
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return currency + " " + parts.join(".");
  }

  function calculator(form) {
    var model;
    try { model = JSON.parse(form.getAttribute("data-pb-cost-model")); } catch (error) { return; }
    var section = form.parentNode;
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input[type=number]"));
    var summary = form.querySelector("[data-pb-cost-summary]");
    var total = section.querySelector("[data-pb-cost-total]");

    function recompute() {
      var workload = {}, valid = true;
      inputs.forEach(function (input) {
        var value = input.value.trim() === "" ? NaN : Number(input.value);
        var ok = isFinite(value) && value >= 0 && value <= model.limits.workload;
        if (ok) input.removeAttribute("aria-invalid"); else input.setAttribute("aria-invalid", "true");
        valid = valid && ok;
        workload[input.name] = value;
      });
      var sum = 0;
      model.drivers.forEach(function (driver, index) {
        var units = driver.fixed;
        Object.keys(driver.per_workload).forEach(function (name) {
          units += driver.per_workload[name] * (workload[name] || 0);
        });
        var cost = driver.amount / driver.per * units;
        sum += cost;
        var cell = section.querySelector('[data-pb-cost-driver="' + index + '"]');
        if (cell) cell.textContent = valid && cost <= model.limits.amount ? amountText(cost, model.currency) : "–";
      });
      var shown = sum <= model.limits.amount;  // false for NaN too
      var text = valid && shown ? amountText(sum, model.currency) : "–";
      if (total) total.textContent = text;
      summary.textContent = !valid
        ? "Enter a number from 0 to " + model.limits.workload.toLocaleString("en-US") + " in every field."
        : shown ? "Total at your workload: " + text + " per " + model.period + "."
          : "More than " + amountText(model.limits.amount, model.currency) + " per " + model.period
            + ", the largest amount this calculator shows: lower a value.";
    }

    form.addEventListener("input", recompute);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.querySelectorAll("[data-pb-preset]").forEach(function (button) {
      button.addEventListener("click", function () {
        var bound = button.getAttribute("data-pb-preset");
        inputs.forEach(function (input) { input.value = input.getAttribute("data-" + bound); });
        recompute();
      });
    });
    section.querySelectorAll("[data-pb-calc-cell]").forEach(function (cell) { cell.hidden = false; });
    form.hidden = false;
    recompute();
  }

  function start() {
    document.querySelectorAll("[data-pb-facets]").forEach(facets);
    document.querySelectorAll("[data-pb-sortable]").forEach(sortable);
    document.querySelectorAll("[data-pb-finder]").forEach(finder);
    document.querySelectorAll("[data-pb-map-controls]").forEach(relationMap);
    document.querySelectorAll("[data-pb-calculator]").forEach(calculator);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
