/* coprodkg explorer: views, search, filters, legend and side panel over a vis-network drawing.
   Every text from the graph is shown with textContent, never parsed as markup.
   The page's state (view, filters, search, selection) lives in the URL fragment, so a link
   reproduces what its sender saw. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var META = DATA.meta;
  var SVG = "http://www.w3.org/2000/svg";
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var edgeById = {}, touching = {};
  DATA.edges.forEach(function (e) {
    edgeById[e.id] = e;
    (touching[e.from] = touching[e.from] || []).push(e.id);
    if (e.to !== e.from) { (touching[e.to] = touching[e.to] || []).push(e.id); }
  });
  var byCurie = {};
  META.forEach(function (m, id) { byCurie[m.curie] = id; byCurie[m.iri] = id; });
  var network = new vis.Network(document.getElementById("mynetwork"), { nodes: nodes, edges: edges }, DATA.options);
  var $ = function (id) { return document.getElementById(id); };
  var initial = DATA.view.indexOf("study:") === 0 ? DATA.view.slice(6).replace("+all", "") : "";
  var initialProvenance = DATA.view === "all" || DATA.view.slice(-4) === "+all";
  var state = { kinds: {}, statuses: {}, theme: "", study: initial, provenance: initialProvenance, focus: null, selected: null, q: "" };
  var inView = {};
  var drawnView = null;

  network.once("afterDrawing", function () {
    window.coprodkgFirstDraw = performance.now();
    document.body.setAttribute("data-drawn", "true");
  });

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }
  function isProvenance(kind) {
    return DATA.kinds.some(function (k) { return k.name === kind && k.provenance; });
  }

  /* ---- legend swatches ---- */
  function swatch(colour, shape) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "16"); svg.setAttribute("height", "16"); svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("aria-hidden", "true");
    var points = {
      triangle: "8,2 14,14 2,14", triangleDown: "2,2 14,2 8,14", diamond: "8,1 15,8 8,15 1,8",
      hexagon: "4,2 12,2 15,8 12,14 4,14 1,8", square: "2,2 14,2 14,14 2,14",
      star: "8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6"
    }[shape];
    var mark = points ? document.createElementNS(SVG, "polygon") : document.createElementNS(SVG, "circle");
    if (points) { mark.setAttribute("points", points); } else {
      mark.setAttribute("cx", "8"); mark.setAttribute("cy", "8"); mark.setAttribute("r", "6");
    }
    mark.setAttribute("fill", colour);
    mark.setAttribute("stroke", "#555"); mark.setAttribute("stroke-width", "0.6");
    svg.appendChild(mark);
    return svg;
  }
  function lineSample(colour, dashes) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "30"); svg.setAttribute("height", "10"); svg.setAttribute("aria-hidden", "true");
    var line = document.createElementNS(SVG, "line");
    line.setAttribute("x1", "1"); line.setAttribute("y1", "5"); line.setAttribute("x2", "29"); line.setAttribute("y2", "5");
    line.setAttribute("stroke", colour); line.setAttribute("stroke-width", "2");
    if (dashes) { line.setAttribute("stroke-dasharray", dashes.join(" ")); }
    svg.appendChild(line);
    return svg;
  }
  function checkbox(container, name, group, mark, text, count) {
    var label = el("label");
    var box = el("input");
    box.type = "checkbox"; box.checked = true; box.value = name;
    box.setAttribute("data-" + group, name);
    box.addEventListener("change", function () {
      state[group][name] = box.checked;
      if (group === "kinds" && box.checked && isProvenance(name) && !state.provenance) { state.provenance = true; }
      update(true);
    });
    state[group][name] = true;
    label.appendChild(box);
    label.appendChild(mark);
    label.appendChild(el("span", text));
    var n = el("span", count === undefined ? "" : count, "kg-count-n");
    n.setAttribute("data-count", group + ":" + name);
    label.appendChild(n);
    container.appendChild(label);
    return box;
  }

  DATA.kinds.forEach(function (k) {
    var where = k.provenance ? $("kg-provenance-kinds") : $("kg-kinds");
    checkbox(where, k.name, "kinds", swatch(k.colour, k.shape), k.name, k.count);
  });
  $("kg-provenance-toggle").hidden = !DATA.kinds.some(function (k) { return k.provenance; });
  $("kg-provenance").addEventListener("change", function () { state.provenance = $("kg-provenance").checked; update(true); });
  DATA.statuses.forEach(function (s) {
    checkbox($("kg-statuses"), s.name, "statuses", lineSample(s.colour, s.dashes), s.name || "no status", s.count);
  });
  DATA.themes.forEach(function (t) {
    var option = el("option", (t.notation ? t.notation + ". " : "") + t.label);
    option.value = META[t.id].curie;
    $("kg-theme").appendChild(option);
  });
  $("kg-theme-row").hidden = !DATA.themes.length;
  $("kg-theme").addEventListener("change", function () { state.theme = $("kg-theme").value; update(true); });
  if (DATA.views.overview) {
    var overview = el("option", "all studies (overview): studies and the shared concepts");
    overview.value = "overview";
    $("kg-study").appendChild(overview);
  }
  DATA.studies.forEach(function (s) {
    var option = el("option", s.code + (s.seed ? " (seed) " : " ") + s.label);
    option.value = s.code;
    $("kg-study").appendChild(option);
  });
  $("kg-study-row").hidden = !DATA.studies.length;
  $("kg-study").addEventListener("change", function () { state.study = $("kg-study").value; update(true); });

  /* ---- which view, which nodes ---- */
  function viewName() {
    if (state.study === "overview" && DATA.views.overview) { return "overview"; }
    var base = state.study ? "study:" + state.study : "concepts";
    if (state.provenance) { base = state.study ? base + "+all" : "all"; }
    return DATA.views[base] ? base : (state.provenance ? "all" : "concepts");
  }
  function themeId() { return state.theme && byCurie[state.theme] !== undefined ? byCurie[state.theme] : null; }
  function focusSet() {
    if (state.focus === null) { return null; }
    var near = {}; near[state.focus] = true;
    (touching[state.focus] || []).forEach(function (eid) { near[edgeById[eid].from] = true; near[edgeById[eid].to] = true; });
    return near;
  }
  function nodeShown(id) {
    var m = META[id];
    if (!inView[id] || !state.kinds[m.kind]) { return false; }
    var theme = themeId();
    if (theme !== null && m.themes.indexOf(theme) < 0) { return false; }
    var near = focusSet();
    return near === null || !!near[id];
  }
  function update(refit) {
    var name = viewName(), view = DATA.views[name], changes = [], i;
    if (name !== drawnView) {
      inView = {};
      for (i = 0; i < view.ids.length; i += 1) {
        inView[view.ids[i]] = true;
        changes.push({ id: view.ids[i], x: view.x[i], y: view.y[i] });
      }
      if (changes.length) { nodes.update(changes); }
      drawnView = name;
    }
    $("kg-provenance").checked = state.provenance;
    $("kg-study").value = state.study;
    $("kg-theme").value = state.theme;
    document.querySelectorAll("#kg-controls input[type=checkbox][data-kinds], #kg-controls input[data-statuses]").forEach(function (box) {
      box.checked = box.hasAttribute("data-kinds") ? state.kinds[box.value] : state.statuses[box.value];
    });
    var shown = {}, nodeChanges = [], edgeChanges = [], nShown = 0, eShown = 0, lines = {};
    nodes.forEach(function (n) {
      var visible = nodeShown(n.id);
      shown[n.id] = visible;
      if (visible) { nShown += 1; }
      if (!!n.hidden === visible) { nodeChanges.push({ id: n.id, hidden: !visible }); }
    });
    edges.forEach(function (e) {
      var ends = shown[e.from] && shown[e.to] && (!e.view || e.view === drawnView);
      var visible = ends && state.statuses[e.status] !== false;
      if (ends) { lines[e.status] = (lines[e.status] || 0) + 1; }
      if (visible) { eShown += 1; }
      if (!!e.hidden === visible) { edgeChanges.push({ id: e.id, hidden: !visible }); }
    });
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); }
    DATA.statuses.forEach(function (s) {
      var cell = document.querySelector('[data-count="statuses:' + s.name + '"]');
      if (cell) { cell.textContent = String(lines[s.name] || 0); }
    });
    $("kg-empty").hidden = nShown > 0;
    $("kg-focus-note").hidden = state.focus === null;
    if (state.focus !== null) { $("kg-focus-name").textContent = META[state.focus].label; }
    count(nShown, eShown);
    if (refit) { fit(true); }
    save();
  }
  function visibleIds() {
    return nodes.getIds({ filter: function (n) { return !n.hidden; } });
  }
  /* Fit the drawn boxes (labels included) to the canvas with a margin of 8 pixels, where
     vis-network's own fit leaves 10% of the screen empty; never zoom in past 1. A fit the page
     makes itself (on opening, after a filter) keeps label text at least LEGIBLE px high: on a
     small window it shows the middle of the drawing and says so; the Fit button shows it all. */
  var LEGIBLE = 10.05 / DATA.options.nodes.font.size;
  function fit(readable) {
    var ids = visibleIds();
    if (!ids.length) { return; }
    var left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
    ids.forEach(function (id) {
      var box = network.getBoundingBox(id);
      left = Math.min(left, box.left); top = Math.min(top, box.top);
      right = Math.max(right, box.right); bottom = Math.max(bottom, box.bottom);
    });
    var frame = $("mynetwork"), margin = 8;
    var scale = Math.min((frame.clientWidth - 2 * margin) / Math.max(right - left, 1),
      (frame.clientHeight - 2 * margin) / Math.max(bottom - top, 1), 1);
    var cropped = readable === true && scale < LEGIBLE;
    if (cropped) { scale = LEGIBLE; }
    $("kg-crop-note").hidden = !cropped;
    network.moveTo({ position: { x: (left + right) / 2, y: (top + bottom) / 2 }, scale: scale, animation: false });
  }
  function count(nShown, eShown) {
    var text = nShown === nodes.length && eShown === edges.length
      ? nodes.length + " nodes, " + edges.length + " edges"
      : nShown + " of " + nodes.length + " nodes, " + eShown + " of " + edges.length + " edges shown";
    $("kg-count").textContent = text;
    $("kg-count").setAttribute("data-nodes", String(nShown));
    $("kg-count").setAttribute("data-edges", String(eShown));
  }
  function reset() {
    Object.keys(state.kinds).forEach(function (k) { state.kinds[k] = true; });
    Object.keys(state.statuses).forEach(function (s) { state.statuses[s] = true; });
    state.theme = ""; state.focus = null; state.provenance = true; state.study = "";
    update(true);
  }
  $("kg-reset").addEventListener("click", reset);
  $("kg-empty-reset").addEventListener("click", reset);
  $("kg-fit").addEventListener("click", function () { fit(false); });
  function zoom(by) {
    network.moveTo({ scale: network.getScale() * by, animation: false });  /* clicks compound exactly */
  }
  $("kg-zoom-in").addEventListener("click", function () { zoom(1.3); });
  $("kg-zoom-out").addEventListener("click", function () { zoom(1 / 1.3); });
  $("kg-unfocus").addEventListener("click", function () { state.focus = null; update(true); });

  /* ---- search: exact label or alternative label first, then prefixes, then substrings ---- */
  var index = META.map(function (m, id) {
    return { id: id, names: [m.label].concat(m.alt).map(fold) };
  });
  function find(text) {
    var q = fold(text);
    if (!q) { return []; }
    var hits = [];
    index.forEach(function (entry) {
      var best = -1;
      entry.names.forEach(function (name, i) {
        var score;
        if (name === q) { score = 0; }
        else if (name.indexOf(q) === 0) { score = 2; }
        else if ((" " + name).indexOf(" " + q) >= 0) { score = 4; }
        else if (name.indexOf(q) >= 0) { score = 6; }
        else { return; }
        score += i === 0 ? 0 : 1;  /* the label before an alternative label */
        if (best < 0 || score < best) { best = score; }
      });
      if (best >= 0) { hits.push({ id: entry.id, score: best }); }
    });
    hits.sort(function (a, b) {
      return a.score - b.score || META[b.id].rank - META[a.id].rank || META[a.id].label.localeCompare(META[b.id].label);
    });
    return hits.slice(0, 12);
  }
  var hits = [], active = -1;
  function showResults() {
    var list = $("kg-results");
    list.replaceChildren();
    state.q = $("kg-search").value;
    hits = find(state.q);
    active = hits.length ? 0 : -1;
    hits.forEach(function (hit, i) {
      var m = META[hit.id];
      var item = el("li");
      item.id = "kg-result-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("data-node", String(hit.id));
      item.appendChild(el("span", m.label));
      item.appendChild(el("span", " · " + m.kind + (nodeShown(hit.id) ? "" : " (not in this view)"), "kg-sub"));
      item.addEventListener("mousedown", function (event) { event.preventDefault(); });
      item.addEventListener("click", function () { select(hit.id); });
      list.appendChild(item);
    });
    if (!hits.length && state.q.trim()) { list.appendChild(el("li", "no match", "kg-sub")); }
    mark();
    save();
    return hits;
  }
  function mark() {
    document.querySelectorAll("#kg-results [role=option]").forEach(function (item, i) {
      item.setAttribute("aria-selected", i === active ? "true" : "false");
    });
    if (active >= 0) {
      $("kg-search").setAttribute("aria-activedescendant", "kg-result-" + active);
      var item = $("kg-result-" + active);
      if (item && item.scrollIntoView) { item.scrollIntoView({ block: "nearest" }); }
    } else { $("kg-search").removeAttribute("aria-activedescendant"); }
  }
  $("kg-search").addEventListener("input", showResults);
  $("kg-search").addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!hits.length) { showResults(); }
      if (hits.length) {
        active = (active + (event.key === "ArrowDown" ? 1 : hits.length - 1)) % hits.length;
        mark();
      }
      event.preventDefault();
    } else if (event.key === "Enter") {
      if (!hits.length) { showResults(); }
      if (hits.length) { select(hits[Math.max(active, 0)].id); }
      event.preventDefault();
    } else if (event.key === "Escape") {
      $("kg-search").value = ""; showResults();
    }
  });

  /* ---- selecting: make it visible, centre it, open its panel ---- */
  function select(id, options) {
    if (!nodeShown(id)) {
      var has = function () { return DATA.views[viewName()].ids.indexOf(id) >= 0; };
      state.kinds[META[id].kind] = true;
      if (!has()) { state.provenance = true; }
      if (!has()) { state.study = ""; }
      if (themeId() !== null && META[id].themes.indexOf(themeId()) < 0) { state.theme = ""; }
      if (focusSet() !== null && !focusSet()[id]) { state.focus = null; }
      update(false);
    }
    network.selectNodes([id]);
    var scale = Math.max(network.getScale(), 1.0);
    var animate = !(options && options.instant);
    network.focus(id, { scale: scale, animation: animate ? { duration: 300 } : false });
    showNode(id);
  }

  /* ---- the side panel ---- */
  function fill(list, entries) {
    list.replaceChildren();
    entries.forEach(function (entry) { list.appendChild(entry); });
    if (!entries.length) { list.appendChild(el("li", "none recorded", "kg-sub")); }
  }
  function relation(e, id) {
    var outgoing = e.from === id, other = outgoing ? e.to : e.from;
    var item = el("li");
    item.appendChild(el("span", outgoing ? e.label + " → " : "← " + e.label + " "));
    var button = el("button", META[other].label);
    button.type = "button";
    button.addEventListener("click", function () { select(other); });
    item.appendChild(button);
    item.appendChild(el("span", " (" + META[other].kind + (e.status ? ", " + e.status : "") + ")", "kg-sub"));
    return item;
  }
  function showNode(id) {
    var m = META[id];
    state.selected = id;
    $("kg-panel-title").textContent = m.label;
    $("kg-panel-kind").textContent = m.kind + (m.status ? " · claim status: " + m.status : "") +
      (m.studies.length ? " · study " + m.studies.join(", ") : "");
    $("kg-panel-definition").textContent = m.definition || "No definition recorded.";
    $("kg-panel-iri").textContent = m.curie === m.iri ? m.iri : m.curie + "  ·  " + m.iri;
    $("kg-panel-alt").textContent = m.alt.length ? "Also called: " + m.alt.join("; ") : "";
    var related = (touching[id] || []).map(function (eid) { return edgeById[eid]; });
    fill($("kg-panel-relations"), related.map(function (e) { return relation(e, id); }));
    fill($("kg-panel-sources"), m.sources.map(function (s) { return el("li", s); }));
    $("kg-panel-focus").hidden = false;
    $("kg-panel").hidden = false;
    $("kg-panel").setAttribute("data-node", String(id));
    save();
  }
  function showEdge(eid) {
    var e = edgeById[eid];
    state.selected = null;
    $("kg-panel-title").textContent = META[e.from].label + " — " + e.label + " → " + META[e.to].label;
    $("kg-panel-kind").textContent = "relation" + (e.status ? " · claim status: " + e.status : "");
    $("kg-panel-definition").textContent = "";
    $("kg-panel-iri").textContent = "";
    $("kg-panel-alt").textContent = "";
    fill($("kg-panel-relations"), [relation(e, e.from), relation(e, e.to)]);
    fill($("kg-panel-sources"), e.sources.map(function (s) { return el("li", s); }));
    $("kg-panel-focus").hidden = true;
    $("kg-panel").hidden = false;
    $("kg-panel").removeAttribute("data-node");
    save();
  }
  function closePanel() { $("kg-panel").hidden = true; state.selected = null; network.unselectAll(); save(); }
  $("kg-close").addEventListener("click", closePanel);
  $("kg-panel-focus").addEventListener("click", function () {
    if (state.selected !== null) { state.focus = state.selected; update(true); }
  });
  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
    else { closePanel(); }
  });

  /* ---- the URL fragment: q, sel, focus, theme, study, prov, hide (kinds), lines (statuses off) ---- */
  function save() {
    var parts = [];
    function put(key, value) { parts.push(key + "=" + encodeURIComponent(value)); }
    if (state.q) { put("q", state.q); }
    if (state.selected !== null) { put("sel", META[state.selected].curie); }
    if (state.focus !== null) { put("focus", META[state.focus].curie); }
    if (state.theme) { put("theme", state.theme); }
    if (state.study !== initial) { put("study", state.study || "all"); }
    if (state.provenance !== initialProvenance) { put("prov", state.provenance ? "1" : "0"); }
    var off = Object.keys(state.kinds).filter(function (k) { return !state.kinds[k]; });
    if (off.length) { put("hide", off.join(",")); }
    var lines = Object.keys(state.statuses).filter(function (s) { return !state.statuses[s]; });
    if (lines.length) { put("lines", lines.map(function (s) { return s || "none"; }).join(",")); }
    var hash = parts.length ? "#" + parts.join("&") : "";
    if (hash !== location.hash && !(hash === "" && location.hash === "")) {
      history.replaceState(null, "", hash || location.pathname + location.search);
    }
  }
  function load() {
    var found = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var at = part.indexOf("=");
      if (at > 0) { found[part.slice(0, at)] = decodeURIComponent(part.slice(at + 1)); }
    });
    if (found.study !== undefined) {
      state.study = found.study === "all" ? "" : found.study;
      var known = DATA.studies.some(function (s) { return s.code === state.study; }) ||
        (state.study === "overview" && !!DATA.views.overview);
      if (!known) { state.study = initial; }
    }
    state.provenance = found.prov === undefined ? initialProvenance : found.prov === "1";
    if (found.theme !== undefined && byCurie[found.theme] !== undefined) { state.theme = found.theme; }
    if (found.focus !== undefined && byCurie[found.focus] !== undefined) { state.focus = byCurie[found.focus]; }
    (found.hide || "").split(",").forEach(function (k) { if (k in state.kinds) { state.kinds[k] = false; } });
    (found.lines || "").split(",").forEach(function (s) {
      var key = s === "none" ? "" : s;
      if (s && key in state.statuses) { state.statuses[key] = false; }
    });
    update(true);
    if (found.q) { $("kg-search").value = found.q; showResults(); }
    if (found.sel !== undefined && byCurie[found.sel] !== undefined) { select(byCurie[found.sel], { instant: true }); }
  }

  window.coprodkg = {
    network: network, nodes: nodes, edges: edges, meta: META, select: select, find: find, reset: reset,
    fit: fit, state: state, view: function () { return drawnView; }, visible: visibleIds,
    shown: function () {
      return { nodes: nodes.get({ filter: function (n) { return !n.hidden; } }).length,
               edges: edges.get({ filter: function (e) { return !e.hidden; } }).length };
    }
  };
  load();
  if (DATA.focus !== null && state.selected === null) {
    var centre = META.findIndex(function (m) { return m.iri === DATA.focus; });
    if (centre >= 0) { network.selectNodes([centre]); showNode(centre); }
  }
  window.addEventListener("hashchange", function () { drawnView = null; load(); });
}());
