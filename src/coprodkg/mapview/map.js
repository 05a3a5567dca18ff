/* coprodkg evidence map: the matrix, its filters, and the claims behind a cell.
   Every text from the graph is shown with textContent, never parsed as markup. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("em-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var state = { kinds: {}, strengths: {}, independent: false, disputed: true };
  DATA.kinds.forEach(function (k) { state.kinds[k.name] = true; });
  DATA.strengths.forEach(function (s) { state.strengths[s.name] = true; });
  var shade = {}; DATA.strengths.forEach(function (s) { shade[s.name] = s.shade; });
  var rank = { same: 0, close: 1, loose: 2 };
  var rowByIri = {}; DATA.rows.forEach(function (r) { rowByIri[r.iri] = r; });

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  function studies() {
    return DATA.studies.filter(function (s) { return !state.independent || s.independent; });
  }
  function shown(row, code) {
    return (row.cells[code] || []).filter(function (c) {
      return state.strengths[c.strength] && (state.disputed || !c.disputed);
    });
  }
  function strongest(concepts) {
    return concepts.map(function (c) { return c.strength; }).sort(function (a, b) { return rank[a] - rank[b]; })[0];
  }

  /* ---- controls ---- */
  function checkbox(container, group, name, mark, text) {
    var label = el("label");
    var box = el("input"); box.type = "checkbox"; box.checked = true; box.setAttribute("data-" + group, name);
    box.addEventListener("change", function () { state[group][name] = box.checked; draw(); });
    label.appendChild(box);
    if (mark) { label.appendChild(mark); }
    label.appendChild(document.createTextNode(text));
    container.appendChild(label);
  }
  DATA.kinds.forEach(function (k) {
    var dot = el("span", null, "em-kind"); dot.style.background = k.colour;
    checkbox($("em-kinds"), "kinds", k.name, dot, k.name);
  });
  DATA.strengths.forEach(function (s) {
    var sw = el("span", null, "em-swatch"); sw.style.background = s.shade;
    checkbox($("em-strengths"), "strengths", s.name, sw, s.name);
  });
  $("em-independent").addEventListener("change", function (e) { state.independent = e.target.checked; draw(); });
  $("em-disputed").addEventListener("change", function (e) { state.disputed = e.target.checked; draw(); });
  $("em-reset").addEventListener("click", function () {
    Object.keys(state.kinds).forEach(function (k) { state.kinds[k] = true; });
    Object.keys(state.strengths).forEach(function (k) { state.strengths[k] = true; });
    state.independent = false; state.disputed = true;
    document.querySelectorAll("#em-controls input[type=checkbox]").forEach(function (b) { b.checked = b.id !== "em-independent"; });
    draw();
  });
  $("em-close").addEventListener("click", function () { $("em-panel").hidden = true; });

  /* ---- the claims behind a cell ---- */
  function openCell(row, study) {
    $("em-panel-title").textContent = row.label + " — " + study.code + (study.year ? " (" + study.year + ")" : "");
    var body = $("em-panel-body");
    body.textContent = "";
    body.appendChild(el("p", row.definition, "em-meta"));
    shown(row, study.code).forEach(function (c) {
      body.appendChild(el("h3", c.label));
      if (c.definition) { body.appendChild(el("p", c.definition)); }
      body.appendChild(el("p", c.relation + " the shared concept; match: " + c.strength +
        (c.role ? "; role in the study: " + c.role : "") + (c.disputed ? "; disputed" : ""), "em-meta"));
      var list = el("ul", null, "em-claims");
      c.claims.forEach(function (claim) {
        var item = el("li");
        item.appendChild(el("div", claim.statement));
        var where = [claim.status];
        if (claim.section) { where.push(claim.section); }
        where.push("source: " + (claim.sources.join(", ") || "none"));
        item.appendChild(el("div", where.join(" · "), "em-meta em-source"));
        if (claim.anchor) { item.appendChild(el("div", "“" + claim.anchor + "”", "em-meta")); }
        if (claim.rationale) { item.appendChild(el("div", "Why: " + claim.rationale, "em-meta")); }
        list.appendChild(item);
      });
      body.appendChild(list);
    });
    $("em-panel").hidden = false;
  }

  /* ---- the matrix ---- */
  function draw() {
    var cols = studies();
    var head = $("em-map").tHead; head.textContent = "";
    var hr = el("tr"); hr.appendChild(el("th", "Shared concept"));
    cols.forEach(function (s) {
      var th = el("th", s.code + (s.independent ? "" : " †"));
      th.title = (s.seed ? "seed study; " : "") + (s.year || "") + (s.design ? "; " + s.design : "");
      th.setAttribute("data-study", s.code);
      hr.appendChild(th);
    });
    hr.appendChild(el("th", "Studies"));
    head.appendChild(hr);
    var body = $("em-map").tBodies[0]; body.textContent = "";
    var filtered = !state.disputed || state.independent ||
      Object.keys(state.strengths).some(function (k) { return !state.strengths[k]; });
    var shownRows = 0, shownCells = 0;
    DATA.kinds.forEach(function (kind) {
      if (!state.kinds[kind.name]) { return; }
      var rows = DATA.rows.filter(function (r) { return r.kind === kind.name; }).map(function (r) {
        var total = cols.filter(function (s) { return shown(r, s.code).length > 0; }).length;
        return { row: r, total: total };
      }).filter(function (x) { return x.total > 0 || !filtered; });
      rows.sort(function (a, b) { return b.total - a.total || a.row.label.localeCompare(b.row.label); });
      if (!rows.length) { return; }
      var group = el("tr", null, "em-group");
      var gh = el("th", kind.name + "s"); gh.colSpan = cols.length + 2; group.appendChild(gh);
      body.appendChild(group);
      rows.forEach(function (x) {
        var r = x.row;
        var tr = el("tr", null, "em-row"); tr.setAttribute("data-row", r.curie);
        var th = el("th", r.label, "em-rowhead"); th.title = r.definition;
        if (x.total === 1) { th.appendChild(el("span", "thin", "em-thin")); tr.classList.add("em-is-thin"); }
        tr.appendChild(th);
        cols.forEach(function (s) {
          var td = el("td", null, "em-cell"); td.setAttribute("data-study", s.code);
          var concepts = shown(r, s.code);
          if (concepts.length) {
            var best = strongest(concepts);
            td.style.background = shade[best];
            td.style.color = best === "same" ? "#fff" : "#111";
            td.setAttribute("data-strength", best);
            if (concepts.some(function (c) { return c.disputed; })) { td.classList.add("em-disputed"); }
            var button = el("button", concepts.map(function (c) { return c.label; }).join("; "));
            button.type = "button";
            button.title = best + " match; click for the claims";
            button.addEventListener("click", function () { openCell(r, s); });
            td.appendChild(button);
            shownCells += 1;
          }
          tr.appendChild(td);
        });
        tr.appendChild(el("td", x.total, "em-total"));
        body.appendChild(tr);
        shownRows += 1;
      });
    });
    $("em-count").textContent = shownRows + " shared concepts × " + cols.length + " studies, " + shownCells + " cells" +
      (DATA.filters.length ? " (" + DATA.filters.join("; ") + ")" : "");
    drawPairs(cols);
  }

  function drawPairs(cols) {
    var P = DATA.pairs;
    $("em-pairs-title").textContent = P.title.charAt(0).toUpperCase() + P.title.slice(1);
    var codes = cols.map(function (s) { return s.code; });
    var visible = function (iri) {
      var r = rowByIri[iri];
      return state.kinds[r.kind] && codes.some(function (c) { return shown(r, c).length > 0; });
    };
    var barriers = P.barriers.filter(visible), others = P.others.filter(visible);
    var head = $("em-pairs").tHead; head.textContent = "";
    var hr = el("tr"); hr.appendChild(el("th", "Barrier"));
    others.forEach(function (o) { hr.appendChild(el("th", rowByIri[o].label)); });
    head.appendChild(hr);
    var body = $("em-pairs").tBodies[0]; body.textContent = "";
    barriers.forEach(function (b) {
      var tr = el("tr"); tr.appendChild(el("th", rowByIri[b].label, "em-rowhead"));
      others.forEach(function (o) {
        var both = codes.filter(function (c) { return shown(rowByIri[b], c).length && shown(rowByIri[o], c).length; });
        tr.appendChild(el("td", both.join(", ")));
      });
      body.appendChild(tr);
    });
  }

  draw();
  window.coprodkgMap = {
    rows: function () { return document.querySelectorAll("#em-map tr.em-row").length; },
    data: DATA,
    open: openCell
  };
  document.body.setAttribute("data-drawn", "true");
}());
