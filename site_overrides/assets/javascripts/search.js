/* Patternbook search: a keyboard-first dialog over the Pagefind index that the
   post-build stage writes to <site>/pagefind/. Nothing is fetched until a reader
   opens search; then only Pagefind's script, its WebAssembly, and the index chunks
   and result fragments a query needs — never the whole catalogue.

   Keys: "/" or "s" opens, arrows move between the field and the results, Enter
   opens a result, Escape closes. Every string from the index is set as text. */
(function () {
  "use strict";

  var script = document.currentScript;
  var ROOT = new URL("../../", script ? script.src : window.location.href);
  var RESULT_LIMIT = 10;
  var TYPING_PAUSE = 200;  // ms after the last keystroke before searching
  var DOUBTFUL_BELOW = 6;  // a query word with fewer hits is checked against the vocabulary
  /* Pagefind's BM25 settings. Records weight the title, summary, symptoms and pressure
     (site post-build), so a word met often in long prose must not outweigh one in a
     title: occurrences saturate quickly and long pages are barely penalised. */
  var RANKING = { termSaturation: 1.0, pageLength: 0.3 };
  var STOP_WORDS = ["a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "for", "from", "how", "i", "if",
    "in", "is", "it", "its", "my", "of", "on", "or", "our", "so", "that", "the", "their", "them", "this", "to",
    "too", "up", "us", "was", "we", "what", "when", "with", "without", "you", "your", "get", "gets", "keep",
    "keeps"];

  var engine = null;      // a promise of the Pagefind module, started on first open
  var settings = null;  // a promise of the filters' titles and the synonyms
  var vocabularyWords = null;  // a promise of the catalogue's words, fetched for a misspelling only
  var ui = null;
  var searchId = 0;

  function loadEngine() {
    if (!engine) {
      engine = import(new URL("pagefind/pagefind.js", ROOT).href).then(function (pagefind) {
        return pagefind.options({ baseUrl: ROOT.pathname, excerptLength: 0, ranking: RANKING }).then(function () {
          return pagefind.init();
        }).then(function () { return pagefind; });
      });
    }
    return engine;
  }

  /* Filters (the facets page's vocabularies) and synonyms, written beside the index. */
  function loadSettings() {
    if (!settings) {
      settings = fetch(new URL("pagefind/patternbook-search.json", ROOT).href).then(function (response) {
        return response.ok ? response.json() : { facets: [], synonyms: {} };
      }).catch(function () { return { facets: [], synonyms: {} }; });
    }
    return settings;
  }

  /* The words of titles, summaries, symptoms and pressure, for correcting misspellings. */
  function loadWords() {
    if (!vocabularyWords) {
      vocabularyWords = fetch(new URL("pagefind/patternbook-words.json", ROOT).href).then(function (response) {
        return response.ok ? response.json() : [];
      }).catch(function () { return []; });
    }
    return vocabularyWords;
  }

  /* Pagefind returns only the pages that hold every word of a query, but readers
     describe trouble in sentences ("the database is overloaded by reads") and use
     their own words for it. So each word that carries meaning is searched on its
     own, together with its synonyms (one concept), and a page ranks by the sum of
     Pagefind's weighted scores, scaled by the share of the query's concepts it holds.
     A word found nowhere is replaced by the closest word of the catalogue's own
     vocabulary (a misspelling), fetched only when that happens. */
  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  function concepts(query, synonyms) {
    var terms = words(query).filter(function (w) { return STOP_WORDS.indexOf(w) === -1; });
    if (!terms.length) terms = words(query);
    return terms.map(function (term) {
      var alternatives = [term];
      (synonyms[term] || []).forEach(function (other) {
        if (alternatives.indexOf(other) === -1) alternatives.push(other);
      });
      return alternatives;
    });
  }

  function searchConcept(pagefind, alternatives, options) {
    return Promise.all(alternatives.map(function (term) { return pagefind.search(term, options); }))
      .then(function (responses) {
        var best = {};
        responses.forEach(function (response, index) {
          // The reader's own word counts fully, a synonym a little less.
          var factor = index === 0 ? 1 : 0.8;
          response.results.forEach(function (r) {
            var score = r.score * factor;
            if (!best[r.id] || best[r.id].score < score) best[r.id] = { result: r, score: score };
          });
        });
        return best;
      });
  }

  function closestWord(term, vocabulary) {
    var limit = term.length <= 4 ? 1 : 2;
    var found = null, distance = limit + 1;
    vocabulary.forEach(function (candidate) {
      if (Math.abs(candidate.length - term.length) > limit) return;
      var d = editDistance(term, candidate, limit);
      if (d < distance) { distance = d; found = candidate; }
    });
    return found;
  }

  /* Damerau–Levenshtein (optimal string alignment), giving up past ``limit``. */
  function editDistance(a, b, limit) {
    var previous2 = null, previous = [], current, i, j;
    for (j = 0; j <= b.length; j++) previous[j] = j;
    for (i = 1; i <= a.length; i++) {
      current = [i];
      var rowMin = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        if (previous2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          value = Math.min(value, previous2[j - 2] + 1);
        }
        current[j] = value;
        if (value < rowMin) rowMin = value;
      }
      if (rowMin > limit) return limit + 1;
      previous2 = previous;
      previous = current;
    }
    return previous[b.length];
  }

  function rankedSearch(pagefind, query, filters, settings) {
    var options = { filters: filters };
    if (!query) return pagefind.search(null, options).then(function (r) { return r.results; });
    var groups = concepts(query, settings.synonyms);
    return Promise.all(groups.map(function (g) { return searchConcept(pagefind, g, options); }))
      .then(function (found) {
        // A word with (almost) no hits may be misspelt, or matched only a lookalike.
        var doubtful = groups.filter(function (g, index) {
          return Object.keys(found[index]).length < DOUBTFUL_BELOW && g[0].length > 3;
        });
        if (!doubtful.length) return found;
        return loadWords().then(function (vocabulary) {
          return Promise.all(groups.map(function (g, index) {
            if (doubtful.indexOf(g) === -1 || vocabulary.indexOf(g[0]) !== -1) return found[index];
            var fixed = closestWord(g[0], vocabulary);
            if (!fixed) return found[index];
            return searchConcept(pagefind, [fixed].concat(settings.synonyms[fixed] || []), options);
          }));
        });
      })
      .then(function (found) {
        var merged = {};
        found.forEach(function (best) {
          Object.keys(best).forEach(function (id) {
            var entry = merged[id] || (merged[id] = { result: best[id].result, concepts: 0, score: 0 });
            entry.concepts += 1;
            entry.score += best[id].score;
          });
        });
        // Summed scores, scaled by the share of the query's concepts a page holds.
        var top = 0;
        Object.keys(merged).forEach(function (id) {
          var entry = merged[id];
          entry.rank = entry.score * entry.concepts / groups.length;
          if (entry.rank > top) top = entry.rank;
        });
        return symptomBoost(pagefind, groups, filters, settings.symptoms || []).then(function (boost) {
          // A page answering the symptom the query restates goes ahead of pages that merely
          // hold its words, in proportion to how much of the query the symptom covers.
          Object.keys(boost).forEach(function (id) {
            if (merged[id]) merged[id].rank += boost[id] * top;
          });
          return Object.keys(merged).map(function (id) { return merged[id]; }).sort(function (a, b) {
            return b.rank - a.rank;
          }).map(function (entry) { return entry.result; });
        });
      });
  }

  /* Readers describe the trouble they are in, and the catalogue names each trouble once,
     as a symptom ("Writing to a database and a queue separately leaves them out of step").
     Word by word, a long query meets common words all over the prose; matched against a
     symptom's title as a whole, it finds the patterns that answer that symptom. A symptom
     counts when its title holds at least two of the query's concepts and most of them
     (SYMPTOM_COVERAGE); its patterns come from a hidden Pagefind filter. */
  var SYMPTOM_COVERAGE = 0.6;

  function stem(word) {
    return word.length > 4 ? word.replace(/(?:ing|ed|es|s)$/, "") : word;
  }

  function symptomBoost(pagefind, groups, filters, symptoms) {
    if (groups.length < 2 || !symptoms.length) return Promise.resolve({});
    var matches = [];
    symptoms.forEach(function (symptom) {
      var title = words(symptom[1]).map(stem);
      var held = groups.filter(function (alternatives) {
        return alternatives.some(function (term) { return title.indexOf(stem(term)) !== -1; });
      }).length;
      var coverage = held / groups.length;
      if (held >= 2 && coverage >= SYMPTOM_COVERAGE) matches.push({ id: symptom[0], coverage: coverage });
    });
    return Promise.all(matches.map(function (match) {
      var narrowed = Object.assign({}, filters, { symptom: [match.id] });
      return pagefind.search(null, { filters: narrowed }).then(function (response) {
        return { coverage: match.coverage, ids: response.results.map(function (r) { return r.id; }) };
      });
    })).then(function (answered) {
      var boost = {};
      answered.forEach(function (found) {
        found.ids.forEach(function (id) { boost[id] = Math.max(boost[id] || 0, found.coverage); });
      });
      return boost;
    });
  }

  /* The search as data, for the dialog and for tests: result URLs, titles and metadata. */
  function query(text, filters) {
    return Promise.all([loadEngine(), loadSettings()]).then(function (loaded) {
      return rankedSearch(loaded[0], text.trim(), filters || {}, loaded[1]);
    }).then(function (results) {
      return Promise.all(results.slice(0, RESULT_LIMIT).map(function (result) { return result.data(); }))
        .then(function (data) { return { total: results.length, hits: data }; });
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function build() {
    var dialog = element("dialog", "pb-search");
    dialog.setAttribute("aria-labelledby", "pb-search-title");
    var form = element("form", "pb-search__form");
    form.setAttribute("role", "search");
    form.method = "dialog";
    var title = element("h2", "pb-search__title", "Search the patterns");
    title.id = "pb-search-title";
    var label = element("label", "pb-search__label", "Search by name, problem or symptom");
    label.htmlFor = "pb-search-input";
    var input = element("input", "pb-search__input");
    input.type = "search";
    input.id = "pb-search-input";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.setAttribute("aria-describedby", "pb-search-keys");
    var keys = element("p", "pb-search__keys", "Arrow keys move between results, Enter opens one, Escape closes.");
    keys.id = "pb-search-keys";
    var filters = element("details", "pb-search__filters");
    var summary = element("summary", "", "Filters");
    filters.appendChild(summary);
    var status = element("p", "pb-search__status");
    status.setAttribute("role", "status");
    var list = element("ul", "pb-search__results");
    list.setAttribute("aria-label", "Results");
    var close = element("button", "md-button pb-search__close", "Close");
    close.type = "button";
    form.append(title, label, input, keys, filters);
    dialog.append(form, status, list, close);
    document.body.appendChild(dialog);

    ui = { dialog: dialog, input: input, filters: filters, status: status, list: list, chosen: {} };
    // Searching on every keystroke would fetch index chunks for every partial word typed.
    var pause = null;
    input.addEventListener("input", function () {
      window.clearTimeout(pause);
      pause = window.setTimeout(run, TYPING_PAUSE);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = list.querySelector("a");
      if (first) window.location.href = first.href;
    });
    close.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("keydown", moveWithArrows);
    dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); });
    loadSettings().then(addFilters);
  }

  function addFilters(data) {
    data.facets.forEach(function (facet) {
      var group = element("fieldset", "pb-search__facet");
      group.appendChild(element("legend", "", facet.title));
      facet.values.forEach(function (pair) {
        var option = element("label", "pb-search__option");
        var box = element("input");
        box.type = "checkbox";
        box.name = facet.name;
        box.value = pair[0];
        box.addEventListener("change", function () {
          var chosen = ui.chosen[facet.name] || (ui.chosen[facet.name] = []);
          if (box.checked) chosen.push(box.value);
          else chosen.splice(chosen.indexOf(box.value), 1);
          if (!chosen.length) delete ui.chosen[facet.name];
          run();
        });
        option.append(box, document.createTextNode(" " + pair[1]));
        group.appendChild(option);
      });
      ui.filters.appendChild(group);
    });
  }

  function pagefindFilters() {
    var filters = {};
    Object.keys(ui.chosen).forEach(function (name) { filters[name] = { any: ui.chosen[name].slice() }; });
    return filters;
  }

  function run() {
    var text = ui.input.value.trim();
    var filters = pagefindFilters();
    var id = ++searchId;
    if (!text && !Object.keys(filters).length) {
      ui.list.replaceChildren();
      ui.status.textContent = "";
      return;
    }
    ui.status.textContent = "Searching…";
    query(text, filters).then(function (found) {
      if (id !== searchId) return;
      ui.list.replaceChildren.apply(ui.list, found.hits.map(hit));
      ui.status.textContent = found.total === 0 ? "No pattern matches." :
        found.total === 1 ? "1 result." :
        found.total > found.hits.length ? found.total + " results, the first " + found.hits.length + " shown." :
        found.total + " results.";
    }, function () {
      if (id === searchId) ui.status.textContent = "Search could not load. Browse the categories or All patterns.";
    });
  }

  function hit(data) {
    var meta = data.meta || {};
    var item = element("li", "pb-search__hit");
    var link = element("a", "pb-search__link");
    link.href = data.url;
    link.appendChild(element("span", "pb-search__hit-title", meta.title || data.url));
    var facts = element("span", "pb-search__hit-facts");
    if (meta.kind && meta.kind !== "Pattern") facts.appendChild(element("span", "pb-badge", meta.kind));
    if (meta.status) {
      var badge = element("span", "pb-badge pb-status pb-status--" + meta.status.toLowerCase(), meta.status);
      facts.appendChild(badge);
    }
    if (meta.category) facts.appendChild(element("span", "pb-search__hit-category", meta.category));
    link.appendChild(facts);
    if (meta.summary) link.appendChild(element("span", "pb-search__hit-summary", meta.summary));
    item.appendChild(link);
    return item;
  }

  function moveWithArrows(event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(ui.list.querySelectorAll("a"));
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    if (document.activeElement === ui.input) at = -1;
    else if (at === -1) return;  // the filters keep their own arrow-key behaviour
    event.preventDefault();
    var next = event.key === "ArrowDown" ? Math.min(at + 1, links.length - 1) : at - 1;
    if (next < 0) ui.input.focus();
    else links[next].focus();
  }

  function open() {
    if (!ui) build();
    loadEngine().catch(function () {});
    if (!ui.dialog.open) ui.dialog.showModal();
    ui.input.focus();
    ui.input.select();
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  // Capture phase: Material's own shortcut handler would otherwise toggle its (absent) search.
  window.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "/" || event.key === "s" || event.key === "S") {
      event.preventDefault();
      event.stopPropagation();
      open();
    }
  }, true);

  function start() {
    document.querySelectorAll("[data-pb-search-open]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", open);
    });
  }

  window.patternbookSearch = { open: open, query: query };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
