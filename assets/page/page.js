// The actorgraph page: draws the graph embedded in #graph-data with Cytoscape.js; search, filters by relation, kind and date, and the evidence of what is clicked. Text goes into the page only as textContent.
(function () {
  'use strict';

  const data = JSON.parse(document.getElementById('graph-data').textContent);

  // The same layout every time: Cytoscape's layouts draw on Math.random, so seed it.
  let seed = 0x2545f491;
  Math.random = function () {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  const $ = (id) => document.getElementById(id);
  const kinds = new Map(data.kinds.map((k) => [k.kind, k]));
  const relations = new Map(data.relations.map((r) => [r.relation, r]));
  const documents = new Map(data.documents.map((d) => [d.id, d]));

  /** An element with text, made without parsing any markup. */
  function el(tag, text, className) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (className) e.className = className;
    return e;
  }

  /** Lowercase without accents, for search. */
  function fold(s) {
    return String(s).normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  }

  function plural(n, one, many) {
    return n + ' ' + (n === 1 ? one : many);
  }

  // ---- The graph ----
  const elements = [];
  for (const n of data.nodes) {
    const k = kinds.get(n.kind) || { fill: '#eeeeee', stroke: '#888888', shape: 'ellipse' };
    elements.push({
      group: 'nodes',
      data: {
        id: n.id,
        label: n.label,
        kind: n.kind,
        fill: k.fill,
        stroke: k.stroke,
        shape: k.shape,
        size: Math.min(70, 22 + 7 * Math.sqrt(Math.max(1, n.mentions))),
        haystack: fold([n.label, n.id].concat(n.aliases).join('\u0000')),
      },
    });
  }
  for (const e of data.edges) {
    const r = relations.get(e.relation) || { color: '#888888', symmetric: false };
    elements.push({
      group: 'edges',
      data: {
        id: e.id,
        source: e.source,
        target: e.target,
        relation: e.relation,
        symmetric: r.symmetric,
        color: r.color,
        width: 1.5 + Math.min(4, e.count - 1) * 0.75,
        caption: e.date ? e.relation + ' ' + e.date : e.relation,
      },
    });
  }
  const nodeInfo = new Map(data.nodes.map((n) => [n.id, n]));
  const edgeInfo = new Map(data.edges.map((e) => [e.id, e]));

  const cy = cytoscape({
    container: $('cy'),
    elements: elements,
    minZoom: 0.1,
    maxZoom: 4,
    wheelSensitivity: 0.3,
    style: [
      {
        selector: 'node',
        style: {
          label: 'data(label)',
          shape: 'data(shape)',
          'background-color': 'data(fill)',
          'border-color': 'data(stroke)',
          'border-width': 2,
          width: 'data(size)',
          height: 'data(size)',
          'font-size': 11,
          color: '#222',
          'text-valign': 'bottom',
          'text-margin-y': 4,
          'text-wrap': 'wrap',
          'text-max-width': 150,
          'text-background-color': '#ffffff',
          'text-background-opacity': 0.75,
          'text-background-padding': 1,
        },
      },
      {
        selector: 'edge',
        style: {
          'curve-style': 'bezier',
          width: 'data(width)',
          'line-color': 'data(color)',
          'target-arrow-color': 'data(color)',
          'target-arrow-shape': 'triangle',
          'arrow-scale': 0.9,
          label: 'data(caption)',
          'font-size': 9,
          color: 'data(color)',
          'text-rotation': 'autorotate',
          'text-background-color': '#ffffff',
          'text-background-opacity': 0.85,
          'text-background-padding': 1,
          'min-zoomed-font-size': 6,
        },
      },
      { selector: 'edge[?symmetric]', style: { 'target-arrow-shape': 'none' } },
      { selector: '.hidden', style: { display: 'none' } },
      { selector: '.faded', style: { opacity: 0.15 } },
      { selector: 'node.match', style: { 'border-width': 5, 'border-color': '#e6007e' } },
      {
        selector: ':selected',
        style: { 'underlay-color': '#ffb300', 'underlay-opacity': 0.85, 'underlay-padding': 7, 'z-index': 10 },
      },
    ],
    layout: { name: 'preset' },
  });

  function layout(eles, randomize) {
    return eles.layout({
      name: 'cose',
      animate: false,
      randomize: randomize,
      fit: true,
      padding: 40,
      nodeDimensionsIncludeLabels: true,
      idealEdgeLength: () => 50,
      edgeElasticity: () => 50,
      nodeRepulsion: () => 2500,
      nodeOverlap: 20,
      componentSpacing: 20,
      gravity: 2,
      numIter: 2500,
    });
  }

  // ---- Filters ----
  const relationOn = new Map();
  const kindOn = new Map();
  const counts = { relations: new Map(), kinds: new Map() };
  for (const e of data.edges) counts.relations.set(e.relation, (counts.relations.get(e.relation) || 0) + 1);
  for (const n of data.nodes) counts.kinds.set(n.kind, (counts.kinds.get(n.kind) || 0) + 1);

  function checkbox(container, key, on, swatch, text, count, onChange) {
    const label = el('label');
    const box = el('input');
    box.type = 'checkbox';
    box.checked = true;
    box.dataset.key = key;
    box.addEventListener('change', () => {
      on.set(key, box.checked);
      onChange();
    });
    on.set(key, true);
    label.append(box, swatch, el('span', text), el('span', count, 'count'));
    container.append(label);
    return box;
  }

  const relationBoxes = [];
  for (const r of data.relations) {
    const swatch = el('span', null, 'swatch');
    swatch.style.background = r.color;
    const text = r.symmetric ? r.relation + ' \u2194' : r.relation + ' \u2192';
    relationBoxes.push(checkbox($('relation-filters'), r.relation, relationOn, swatch, text, counts.relations.get(r.relation), apply));
  }
  $('relations-all').addEventListener('click', () => setAll(relationBoxes, relationOn, true));
  $('relations-none').addEventListener('click', () => setAll(relationBoxes, relationOn, false));
  function setAll(boxes, on, value) {
    for (const b of boxes) {
      b.checked = value;
      on.set(b.dataset.key, value);
    }
    apply();
  }

  for (const k of data.kinds) {
    const swatch = el('span', null, 'shape ' + k.shape);
    swatch.style.background = k.fill;
    swatch.style.borderColor = k.stroke;
    checkbox($('kind-filters'), k.kind, kindOn, swatch, k.kind, counts.kinds.get(k.kind), apply);
  }

  const dated = data.edges.filter((e) => e.first_day);
  const from = $('date-from');
  const to = $('date-to');
  if (dated.length) {
    const min = dated.map((e) => e.first_day).reduce((a, b) => (a < b ? a : b));
    const max = dated.map((e) => e.last_day).reduce((a, b) => (a > b ? a : b));
    for (const input of [from, to]) {
      input.min = min;
      input.max = max;
    }
    $('date-span').textContent = 'Dated relations: ' + min + ' to ' + max;
  } else {
    $('date-span').textContent = 'No relation has a date.';
  }
  for (const input of [from, to, $('undated'), $('isolated')]) {
    input.addEventListener('input', apply);
    input.addEventListener('change', apply);
  }
  $('dates-clear').addEventListener('click', () => {
    from.value = '';
    to.value = '';
    apply();
  });

  function dateOk(e) {
    if (!e.first_day) return $('undated').checked;
    if (from.value && e.last_day < from.value) return false;
    if (to.value && e.first_day > to.value) return false;
    return true;
  }

  /** Hides what the filters leave out: an edge whose relation, ends or date are off; an actor
   * none of whose relations is shown (or, without relations at all, when those are off). */
  function apply() {
    cy.batch(() => {
      cy.edges().forEach((edge) => {
        const e = edgeInfo.get(edge.id());
        const ok =
          relationOn.get(e.relation) !== false &&
          kindOn.get(edge.source().data('kind')) !== false &&
          kindOn.get(edge.target().data('kind')) !== false &&
          dateOk(e);
        edge.toggleClass('hidden', !ok);
      });
      cy.nodes().forEach((node) => {
        const edges = node.connectedEdges();
        const ok =
          kindOn.get(node.data('kind')) !== false &&
          (edges.length === 0 ? $('isolated').checked : edges.some((e) => !e.hasClass('hidden')));
        node.toggleClass('hidden', !ok);
      });
    });
    search();
    report();
  }

  function report() {
    // Counted by class: Cytoscape's visibility selector can lag behind a class change.
    const nodes = cy.nodes().not('.hidden').length;
    const edges = cy.edges().not('.hidden').length;
    $('nodes-drawn').textContent = nodes;
    $('edges-drawn').textContent = edges;
    document.body.dataset.nodesDrawn = nodes;
    document.body.dataset.edgesDrawn = edges;
    document.title = nodes + ' of ' + data.nodes.length + ' actors \u2014 actorgraph';
  }

  // ---- Search ----
  const searchBox = $('search');
  function search() {
    const q = fold(searchBox.value.trim());
    cy.elements().removeClass('faded match');
    if (!q) {
      $('search-result').textContent = '';
      return cy.collection();
    }
    const all = cy.nodes().filter((n) => n.data('haystack').includes(q));
    const shown = all.not('.hidden');
    let text = plural(shown.length, 'match', 'matches');
    if (all.length > shown.length) text += ' (' + (all.length - shown.length) + ' hidden by filters)';
    $('search-result').textContent = text;
    if (shown.length) {
      cy.elements().not(shown.closedNeighborhood()).addClass('faded');
      shown.addClass('match');
    }
    return shown;
  }
  searchBox.addEventListener('input', () => {
    const shown = search();
    if (shown.length) cy.fit(shown.closedNeighborhood().not('.hidden'), 80);
  });
  searchBox.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      const shown = search();
      if (shown.length) select(shown[0]);
    } else if (ev.key === 'Escape') {
      searchBox.value = '';
      search();
    }
  });

  // ---- Details ----
  const details = $('details');
  function clearDetails() {
    details.replaceChildren(el('p', 'Click an actor or a relation to see where the articles say it.', 'hint'));
  }

  function field(dl, name, value) {
    if (value === undefined || value === null || value === '') return;
    const dd = el('dd', value);
    dd.dir = 'auto';
    dl.append(el('dt', name), dd);
  }

  function documentText(id) {
    const d = documents.get(id);
    let s = id;
    if (d && d.date) s += ', ' + d.date;
    if (d && d.title) s += ': ' + d.title;
    return s;
  }

  function showEdge(edge) {
    const e = edgeInfo.get(edge.id());
    const s = nodeInfo.get(e.source);
    const t = nodeInfo.get(e.target);
    const symmetric = relations.get(e.relation) && relations.get(e.relation).symmetric;
    const h = el('h2');
    h.dir = 'auto';
    h.append(el('span', s.label), el('span', symmetric ? ' \u2194 ' : ' \u2192 '), el('span', t.label));
    const dl = el('dl');
    field(dl, 'relation', e.relation + (symmetric ? ' (no direction)' : ''));
    if (e.date) {
      field(dl, 'date', e.first_day === e.last_day ? e.date : e.date + ' (' + e.first_day + ' to ' + e.last_day + ')');
    } else {
      field(dl, 'date', 'none given');
    }
    field(dl, 'stated', plural(e.count, 'sentence', 'sentences'));
    field(dl, 'confidence', e.confidence);
    field(dl, 'CAMEO', e.cameo);
    field(dl, 'rules', e.rules.join(', '));
    const list = el('ol');
    for (const ev of e.evidence) {
      const li = el('li');
      const q = el('blockquote', ev.sentence);
      q.dir = 'auto';
      const src = el('div', documentText(ev.document) + ' (bytes ' + ev.start + '\u2013' + ev.end + ')', 'source');
      src.dir = 'auto';
      li.append(q, src);
      list.append(li);
    }
    details.replaceChildren(h, dl, el('h3', 'Evidence'), list);
  }

  function showNode(node) {
    const n = nodeInfo.get(node.id());
    const h = el('h2', n.label);
    h.dir = 'auto';
    const dl = el('dl');
    field(dl, 'kind', n.kind);
    field(dl, 'id', n.id);
    field(dl, 'also named', n.aliases.filter((a) => a !== n.label).join('; '));
    field(dl, 'mentions', n.mentions);
    field(dl, 'documents', n.documents.map(documentText).join('; '));
    const list = el('ul', null, 'relations');
    node
      .connectedEdges()
      .sort((a, b) => (a.id() < b.id() ? -1 : a.id() > b.id() ? 1 : 0))
      .forEach((edge) => {
        const e = edgeInfo.get(edge.id());
        const out = e.source === n.id;
        const other = nodeInfo.get(out ? e.target : e.source);
        const symmetric = relations.get(e.relation) && relations.get(e.relation).symmetric;
        const arrow = symmetric ? ' \u2194 ' : out ? ' \u2192 ' : ' \u2190 ';
        const b = el('button', e.relation + arrow + other.label + (e.date ? ' (' + e.date + ')' : ''), 'link');
        b.dir = 'auto';
        if (edge.hasClass('hidden')) b.append(el('span', ' \u2014 hidden by filters', 'source'));
        b.addEventListener('click', () => select(edge));
        const li = el('li');
        li.append(b);
        list.append(li);
      });
    details.replaceChildren(h, dl, el('h3', plural(node.connectedEdges().length, 'relation', 'relations')), list);
  }

  function select(ele) {
    cy.elements().unselect();
    ele.select();
    if (ele.isEdge()) showEdge(ele);
    else showNode(ele);
  }

  cy.on('tap', 'node', (ev) => select(ev.target));
  cy.on('tap', 'edge', (ev) => select(ev.target));
  cy.on('tap', (ev) => {
    if (ev.target === cy) {
      cy.elements().unselect();
      clearDetails();
    }
  });

  $('fit').addEventListener('click', () => cy.fit(cy.elements().not('.hidden'), 40));
  $('relayout').addEventListener('click', () => layout(cy.elements().not('.hidden'), false).run());

  // ---- Start ----
  $('summary').textContent =
    plural(data.nodes.length, 'actor', 'actors') +
    ', ' +
    plural(data.edges.length, 'relation', 'relations') +
    ' from ' +
    plural(data.documents.length, 'document', 'documents');
  $('nodes-total').textContent = data.nodes.length;
  $('edges-total').textContent = data.edges.length;
  document.body.dataset.nodesTotal = data.nodes.length;
  clearDetails();
  const first = layout(cy.elements(), true);
  first.one('layoutstop', () => {
    apply();
    // Ready once Cytoscape has drawn the laid-out graph.
    requestAnimationFrame(() => requestAnimationFrame(() => (document.body.dataset.ready = 'true')));
  });
  first.run();

  window.actorgraph = { cy: cy, data: data, apply: apply, select: select };
})();
