/* coprodkg explorer: search, filters, legend and side panel over a vis-network drawing.
   Every text from the graph is shown with textContent, never parsed as markup. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var META = DATA.meta;
  var SVG = "http://www.w3.org/2000/svg";
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var edgeById = {};
  DATA.edges.forEach(function (e) { edgeById[e.id] = e; });
  var network = new vis.Network(document.getElementById("mynetwork"), { nodes: nodes, edges: edges }, DATA.options);
  var state = { kinds: {}, statuses: {}, theme: "" };
  var $ = function (id) { return document.getElementById(id); };

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
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function statusOf(s) { return s ? s : "none"; }

  /* ---- legend swatches ---- */
  function swatch(colour, shape) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "16"); svg.setAttribute("height", "16"); svg.setAttribute("viewBox", "0 0 16 16");
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
    svg.appendChild(mark);
    return svg;
  }
  function lineSample(kind) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "26"); svg.setAttribute("height", "10");
    var line = document.createElementNS(SVG, "line");
    line.setAttribute("x1", "1"); line.setAttribute("y1", "5"); line.setAttribute("x2", "25"); line.setAttribute("y2", "5");
    line.setAttribute("stroke", "#666"); line.setAttribute("stroke-width", "2");
    if (kind === "dotted") { line.setAttribute("stroke-dasharray", "2 3"); }
    if (kind === "dashed") { line.setAttribute("stroke-dasharray", "6 4"); }
    svg.appendChild(line);
    return svg;
  }
  function checkbox(container, name, group, mark, text, count) {
    var label = el("label");
    var box = el("input");
    box.type = "checkbox"; box.checked = true; box.value = name;
    box.setAttribute("data-" + group, name);
    box.addEventListener("change", function () { state[group][name] = box.checked; apply(); });
    state[group][name] = true;
    label.appendChild(box);
    label.appendChild(mark);
    label.appendChild(el("span", text));
    if (count !== undefined) { label.appendChild(el("span", count, "kg-count-n")); }
    container.appendChild(label);
  }

  DATA.kinds.forEach(function (k) {
    checkbox($("kg-kinds"), k.name, "kinds", swatch(k.colour, k.shape), k.name, k.count);
  });
  var statusCounts = {};
  META.forEach(function (m) { statusCounts[statusOf(m.status)] = (statusCounts[statusOf(m.status)] || 0) + 1; });
  DATA.edges.forEach(function (e) { statusCounts[statusOf(e.status)] = statusCounts[statusOf(e.status)] || 0; });
  DATA.statuses.concat([{ name: "none", line: "solid" }]).forEach(function (s) {
    if (statusCounts[s.name] === undefined) { return; }
    checkbox($("kg-statuses"), s.name, "statuses", lineSample(s.line), s.name === "none" ? "no status" : s.name,
      statusCounts[s.name]);
  });
  DATA.themes.forEach(function (t) {
    var option = el("option", t.label);
    option.value = String(t.id);
    $("kg-theme").appendChild(option);
  });
  $("kg-theme").addEventListener("change", function () { state.theme = $("kg-theme").value; apply(); });

  /* ---- filters: hide and show, never redraw from scratch ---- */
  function nodeShown(id) {
    var m = META[id];
    if (!state.kinds[m.kind] || !state.statuses[statusOf(m.status)]) { return false; }
    return state.theme === "" || m.themes.indexOf(Number(state.theme)) >= 0;
  }
  function apply() {
    var shown = {}, nodeChanges = [], edgeChanges = [], nShown = 0, eShown = 0;
    nodes.forEach(function (n) {
      var visible = nodeShown(n.id);
      shown[n.id] = visible;
      if (visible) { nShown += 1; }
      if (!!n.hidden === visible) { nodeChanges.push({ id: n.id, hidden: !visible }); }
    });
    edges.forEach(function (e) {
      var visible = shown[e.from] && shown[e.to] && state.statuses[statusOf(e.status)] !== false;
      if (visible) { eShown += 1; }
      if (!!e.hidden === visible) { edgeChanges.push({ id: e.id, hidden: !visible }); }
    });
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); }
    $("kg-empty").hidden = nShown > 0;
    count(nShown, eShown);
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
    document.querySelectorAll("#kg-controls input[type=checkbox]").forEach(function (box) {
      box.checked = true;
      state[box.hasAttribute("data-kinds") ? "kinds" : "statuses"][box.value] = true;
    });
    $("kg-theme").value = ""; state.theme = "";
    apply();
  }
  $("kg-reset").addEventListener("click", reset);
  $("kg-empty-reset").addEventListener("click", reset);

  /* ---- search over labels and alternative labels ---- */
  var index = META.map(function (m, id) {
    return { id: id, names: [m.label].concat(m.alt).map(fold) };
  });
  function find(text) {
    var q = fold(text.trim());
    if (!q) { return []; }
    var hits = [];
    index.forEach(function (entry) {
      var best = -1;
      entry.names.forEach(function (name, i) {
        var at = name.indexOf(q);
        if (at < 0) { return; }
        var score = (at === 0 ? 0 : 2) + (i === 0 ? 0 : 1) + (name === q ? -3 : 0);
        if (best < 0 || score < best) { best = score; }
      });
      if (best >= 0) { hits.push({ id: entry.id, score: best }); }
    });
    hits.sort(function (a, b) {
      return a.score - b.score || META[b.id].rank - META[a.id].rank || META[a.id].label.localeCompare(META[b.id].label);
    });
    return hits.slice(0, 12);
  }
  function showResults() {
    var list = $("kg-results");
    list.replaceChildren();
    var hits = find($("kg-search").value);
    hits.forEach(function (hit) {
      var m = META[hit.id];
      var item = el("li"), button = el("button");
      button.type = "button";
      button.setAttribute("data-node", String(hit.id));
      button.appendChild(el("span", m.label));
      button.appendChild(el("span", " · " + m.kind + (nodeShown(hit.id) ? "" : " (hidden by filters)"), "kg-sub"));
      button.addEventListener("click", function () { select(hit.id); });
      item.appendChild(button);
      list.appendChild(item);
    });
    if (!hits.length && $("kg-search").value.trim()) { list.appendChild(el("li", "no match", "kg-sub")); }
    return hits;
  }
  $("kg-search").addEventListener("input", showResults);
  $("kg-search").addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var hits = showResults();
      if (hits.length) { select(hits[0].id); }
    }
  });

  function select(id) {
    if (!nodeShown(id)) { reset(); }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: { duration: 300 } });
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
    if (e.status) { item.appendChild(el("span", " (" + e.status + ")", "kg-sub")); }
    return item;
  }
  function showNode(id) {
    var m = META[id];
    $("kg-panel-title").textContent = m.label;
    $("kg-panel-kind").textContent = m.kind + (m.status ? " · claim status: " + m.status : "");
    $("kg-panel-definition").textContent = m.definition || "No definition recorded.";
    $("kg-panel-iri").textContent = m.curie === m.iri ? m.iri : m.curie + "  ·  " + m.iri;
    $("kg-panel-alt").textContent = m.alt.length ? "Also called: " + m.alt.join("; ") : "";
    var related = network.getConnectedEdges(id).map(function (eid) { return edgeById[eid]; });
    fill($("kg-panel-relations"), related.map(function (e) { return relation(e, id); }));
    fill($("kg-panel-sources"), m.sources.map(function (s) { return el("li", s); }));
    $("kg-panel").hidden = false;
    $("kg-panel").setAttribute("data-node", String(id));
  }
  function showEdge(eid) {
    var e = edgeById[eid];
    $("kg-panel-title").textContent = META[e.from].label + " — " + e.label + " → " + META[e.to].label;
    $("kg-panel-kind").textContent = "relation" + (e.status ? " · claim status: " + e.status : "");
    $("kg-panel-definition").textContent = "";
    $("kg-panel-iri").textContent = "";
    $("kg-panel-alt").textContent = "";
    fill($("kg-panel-relations"), [relation(e, e.from), relation(e, e.to)]);
    fill($("kg-panel-sources"), e.sources.map(function (s) { return el("li", s); }));
    $("kg-panel").hidden = false;
    $("kg-panel").removeAttribute("data-node");
  }
  $("kg-close").addEventListener("click", function () { $("kg-panel").hidden = true; network.unselectAll(); });
  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
    else { $("kg-panel").hidden = true; }
  });

  window.coprodkg = {
    network: network, nodes: nodes, edges: edges, meta: META, select: select, find: find, reset: reset,
    shown: function () {
      return { nodes: nodes.get({ filter: function (n) { return !n.hidden; } }).length,
               edges: edges.get({ filter: function (e) { return !e.hidden; } }).length };
    }
  };
  apply();
  if (DATA.focus !== null) {
    var centre = META.findIndex(function (m) { return m.iri === DATA.focus; });
    if (centre >= 0) { network.selectNodes([centre]); showNode(centre); }
  }
}());
