// khaldun's map page. It reads the JSON API only (api/events.geojson, api/stats, api/events/{id},
// api/documents/{id}), the same queries a script would use.
//
// Every string from the API is untrusted text from the web. It reaches the page only through
// textContent, Text nodes or attributes that are not URLs; links are made only from http(s) URLs.
// Nothing here parses a string as HTML: Leaflet tooltips and icons get DOM elements, never HTML strings.
'use strict';

(() => {
  const TYPE_COLORS = {
    'Battles': '#d62728',
    'Explosions/Remote violence': '#ff7f0e',
    'Violence against civilians': '#9467bd',
    'Protests': '#1f77b4',
    'Riots': '#c9a100',
    'Strategic developments': '#2ca02c',
  };
  const OTHER_COLORS = ['#8c564b', '#e377c2', '#7f7f7f', '#17becf', '#bcbd22'];
  const LIST_MAX = 300; // list rows drawn at once; the map still shows every event
  const DAY_BINS_MAX_DAYS = 120; // longer spans are binned by week
  const DAY_MS = 86400000;
  const TEXT_DEBOUNCE_MS = 300;
  const FILTER_KEYS = ['date_from', 'date_to', 'event_type', 'sub_event_type', 'country', 'admin1', 'actor',
    'q', 'min_fatalities'];

  const state = {
    map: null, cluster: null, markers: new Map(), features: [], facets: null, selected: null,
    seq: 0, fitted: false, panelSeq: 0,
  };
  const $ = (sel, root = document) => root.querySelector(sel);
  const form = () => $('#filters');

  // -- small DOM helpers (text only) ------------------------------------------------------------------
  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else if (key === 'title') node.title = String(value);
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : String(child)); // strings become Text nodes
    }
    return node;
  }

  function svg(tag, attrs = {}) {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
    return node;
  }

  function safeUrl(url) {
    return typeof url === 'string' && /^https?:\/\//i.test(url.trim()) ? url.trim() : null;
  }

  function cssToken(value) {
    return String(value).replace(/[^A-Za-z0-9_-]/g, '');
  }

  function colorOf(type) {
    if (TYPE_COLORS[type]) return TYPE_COLORS[type];
    let h = 0;
    for (const ch of String(type)) h = (h * 31 + ch.codePointAt(0)) >>> 0;
    return OTHER_COLORS[h % OTHER_COLORS.length];
  }

  function radiusOf(fatalities) {
    return Math.min(24, 5 + 2.5 * Math.sqrt(Math.max(0, fatalities || 0)));
  }

  function fmt(value) {
    return value === null || value === undefined || value === '' ? '—' : String(value);
  }

  function place(p) {
    return [p.location, p.admin1, p.country].filter((x) => x).filter((x, i, a) => a.indexOf(x) === i).join(', ');
  }

  function setStatus(message) {
    const node = $('#status');
    node.textContent = message || '';
    node.hidden = !message;
  }

  async function getJSON(path, params) {
    const query = params && params.toString();
    const response = await fetch(query ? `${path}?${query}` : path, { headers: { Accept: 'application/json' } });
    if (!response.ok) {
      let detail = response.statusText;
      try { detail = (await response.json()).detail || detail; } catch (_) { /* not JSON */ }
      throw new Error(`${path}: ${response.status} ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`);
    }
    return response.json();
  }

  // -- filters <-> query string -----------------------------------------------------------------------
  function filterParams({ dates = true } = {}) {
    const data = new FormData(form());
    const params = new URLSearchParams();
    for (const key of FILTER_KEYS) {
      if (!dates && (key === 'date_from' || key === 'date_to')) continue;
      for (const value of data.getAll(key)) {
        if (String(value).trim() !== '') params.append(key, String(value).trim());
      }
    }
    if ($('#f-in-view').checked && state.map) {
      const b = state.map.getBounds();
      const west = Math.max(-180, b.getWest()), east = Math.min(180, b.getEast());
      const south = Math.max(-90, b.getSouth()), north = Math.min(90, b.getNorth());
      params.set('bbox', [west, south, east, north].map((x) => x.toFixed(4)).join(','));
    }
    return params;
  }

  function applyParams(params) {
    const f = form();
    for (const key of FILTER_KEYS) {
      const values = params.getAll(key);
      const fields = f.querySelectorAll(`[name="${key}"]`);
      for (const field of fields) {
        if (field.type === 'checkbox') field.checked = values.includes(field.value);
        else if (values.length) field.value = values[0];
      }
    }
    if (params.get('in_view') || params.get('bbox')) $('#f-in-view').checked = true;
  }

  function syncUrl() {
    const params = filterParams();
    params.delete('bbox');
    if ($('#f-in-view').checked) params.set('in_view', '1');
    if (state.selected) params.set('event', state.selected);
    const query = params.toString();
    history.replaceState(null, '', query ? `?${query}` : location.pathname);
    const twin = filterParams();
    $('#geojson-link').setAttribute('href', `api/events.geojson${twin.toString() ? `?${twin}` : ''}`);
  }

  // -- facets: the filter controls' choices, from unfiltered stats ------------------------------------
  function renderFacets(stats) {
    const boxes = $('#type-boxes');
    boxes.replaceChildren(...stats.by_type.filter((t) => t.event_type).map((t) => el('label', { class: 'type' },
      el('input', { type: 'checkbox', name: 'event_type', value: t.event_type }),
      el('span', { class: 'swatch', dataset: { type: t.event_type } }),
      el('span', { class: 'type-name', text: t.event_type }),
      el('span', { class: 'n', text: String(t.n) }),
    )));
    for (const swatch of boxes.querySelectorAll('.swatch')) swatch.style.background = colorOf(swatch.dataset.type);

    const sub = $('#f-sub');
    const groups = new Map();
    for (const row of stats.by_sub_event_type) {
      if (!row.sub_event_type) continue;
      if (!groups.has(row.event_type)) groups.set(row.event_type, []);
      groups.get(row.event_type).push(row);
    }
    sub.replaceChildren(el('option', { value: '', text: 'any' }), ...[...groups].map(([type, rows]) =>
      el('optgroup', { label: fmt(type) }, ...rows.map((r) => el('option', { value: r.sub_event_type, text: `${r.sub_event_type} (${r.n})` })))));

    const country = $('#f-country');
    country.replaceChildren(el('option', { value: '', text: 'any' }), ...stats.by_country.filter((c) => c.country || c.country_code)
      .map((c) => el('option', { value: c.country_code || c.country, text: `${fmt(c.country)} (${c.n})` })));

    $('#admin1-list').replaceChildren(...stats.by_admin1.filter((a) => a.admin1)
      .map((a) => el('option', { value: a.admin1, text: `${a.admin1}, ${fmt(a.country)}` })));
  }

  // -- map -------------------------------------------------------------------------------------------
  function initMap() {
    const container = $('#map');
    if (!window.L) {
      container.classList.add('missing');
      container.replaceChildren(el('div', { class: 'missing-note', id: 'map-missing' },
        el('strong', { text: 'The map files are missing: run `npm ci` ' }),
        'in the khaldun checkout (npm ci --ignore-scripts), or point KHALDUN_NODE_MODULES at a node_modules folder, then reload. ',
        'The filters, the timeline, the event list and the event panel still work.'));
      return;
    }
    const map = L.map(container, { worldCopyJump: true, minZoom: 1, maxZoom: 13, zoomSnap: 0.25 });
    map.attributionControl.setPrefix('Leaflet');
    map.createPane('basemap').style.zIndex = 250;
    map.setView([25, 30], 3);
    state.map = map;
    loadCountries(map);
    state.cluster = newMarkerLayer().addTo(map);
    map.on('moveend', () => { if ($('#f-in-view').checked) scheduleRefresh(); });
    // Until the reader moves the map, keep the first view fitted to the events, also when the panel opens.
    map.on('dragstart', () => { state.autoFit = null; });
    map.on('zoomstart', () => { if (!state.fitting) state.autoFit = null; });
  }

  async function loadCountries(map) {
    try {
      if (!window.topojson) throw new Error('topojson-client is missing');
      const topo = await getJSON('vendor/countries-50m.json');
      const land = topojson.feature(topo, topo.objects.countries);
      land.features = land.features.filter((f) => f.id !== ANTARCTICA).map(unwrapFeature);
      L.geoJSON(land, {
        pane: 'basemap', interactive: false, renderer: L.canvas({ pane: 'basemap', padding: 0.5 }),
        style: { color: '#ffffff', weight: 0.8, fillColor: '#e4e1d8', fillOpacity: 1 },
      }).addTo(map);
      map.attributionControl.addAttribution('Country outlines: Natural Earth via world-atlas');
    } catch (err) {
      map.attributionControl.addAttribution('Country outlines missing: run `npm ci`');
      console.warn(err);
    }
  }

  // Natural Earth rings that cross the antimeridian (Russia, Fiji) jump from +180 to -180; Leaflet draws
  // such a jump as a line across the world, so continue the ring past 180 instead.
  const ANTARCTICA = '010';
  function unwrapRing(ring) {
    let shift = 0;
    let prev = null;
    return ring.map(([x, y]) => {
      if (prev !== null) {
        if (x + shift - prev > 180) shift -= 360;
        else if (x + shift - prev < -180) shift += 360;
      }
      prev = x + shift;
      return [x + shift, y];
    });
  }

  function unwrapFeature(f) {
    const g = f.geometry;
    if (!g) return f;
    if (g.type === 'Polygon') g.coordinates = g.coordinates.map(unwrapRing);
    else if (g.type === 'MultiPolygon') g.coordinates = g.coordinates.map((poly) => poly.map(unwrapRing));
    return f;
  }

  function newMarkerLayer() {
    return typeof L.markerClusterGroup === 'function'
      ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40, iconCreateFunction: clusterIcon,
        spiderfyOnMaxZoom: true, chunkedLoading: true, chunkProgress: onChunk })
      : L.layerGroup();
  }

  function onChunk(done, total) {
    if (done < total) return;
    state.loadingMarkers = false;
    if (state.pendingFeatures) drawMarkers(state.pendingFeatures);
  }

  function clusterIcon(cluster) {
    const children = cluster.getAllChildMarkers();
    const byType = new Map();
    for (const m of children) byType.set(m.options.eventType, (byType.get(m.options.eventType) || 0) + 1);
    let at = 0;
    const stops = [];
    for (const [type, n] of [...byType].sort((a, b) => b[1] - a[1])) {
      const next = at + (n / children.length) * 360;
      stops.push(`${colorOf(type)} ${at.toFixed(1)}deg ${next.toFixed(1)}deg`);
      at = next;
    }
    const size = Math.round(Math.min(60, 26 + 8 * Math.log2(children.length)));
    const pie = el('div', { class: 'pie' }, el('span', { class: 'count', text: String(children.length) }));
    pie.style.background = `conic-gradient(${stops.join(', ')})`;
    pie.style.width = pie.style.height = `${size}px`;
    return L.divIcon({ html: pie, className: 'ev-cluster', iconSize: L.point(size, size) });
  }

  function tooltipFor(p) {
    return () => el('div', { class: 'tip' },
      el('strong', { text: `${fmt(p.event_type)}: ${fmt(p.sub_event_type)}` }), el('br'),
      `${fmt(p.event_date)} · ${place(p) || 'place unknown'}`, el('br'),
      `${fmt(p.fatalities)} fatalities · ${fmt(p.n_sources)} source(s)`);
  }

  // markercluster adds big sets in chunks between frames and cannot stop; a result that arrives meanwhile
  // waits for the running load to end (onChunk), then replaces it.
  function drawMarkers(features) {
    if (!state.map) return;
    state.pendingFeatures = features;
    if (state.loadingMarkers) return;
    state.pendingFeatures = null;
    state.cluster.clearLayers();
    state.markers.clear();
    const layers = [];
    for (const f of features) {
      if (!f.geometry || f.geometry.type !== 'Point') continue;
      const [lon, lat] = f.geometry.coordinates;
      if (typeof lat !== 'number' || typeof lon !== 'number') continue;
      const p = f.properties;
      const marker = L.circleMarker([lat, lon], {
        radius: radiusOf(p.fatalities), color: '#1b1b1b', weight: 1, fillColor: colorOf(p.event_type),
        fillOpacity: 0.85, className: 'ev-marker', eventType: p.event_type, eventId: p.event_id,
      });
      marker.bindTooltip(tooltipFor(p), { direction: 'top', offset: [0, -4] });
      marker.on('click', () => selectEvent(p.event_id, { pan: false }));
      marker.on('add', () => {
        const node = marker.getElement();
        if (node) node.setAttribute('data-event-id', p.event_id);
        if (p.event_id === state.selected) marker.setStyle({ weight: 3, color: '#000' });
      });
      state.markers.set(p.event_id, marker);
      layers.push(marker);
    }
    if (state.cluster.addLayers) {
      state.loadingMarkers = true;
      state.cluster.addLayers(layers);
    } else {
      layers.forEach((m) => state.cluster.addLayer(m));
    }
    $('#map').dataset.markers = String(layers.length);
    if (!state.fitted && layers.length) {
      state.fitted = true;
      state.autoFit = L.latLngBounds(layers.map((m) => m.getLatLng())).pad(0.15);
      fitMap();
    }
  }

  function fitMap() {
    if (!state.map || !state.autoFit) return;
    state.fitting = true;
    try {
      state.map.fitBounds(state.autoFit, { maxZoom: 7, animate: false });
    } finally {
      state.fitting = false;
    }
  }

  function highlightMarker(id) {
    for (const [eventId, marker] of state.markers) {
      marker.setStyle(eventId === id ? { weight: 3, color: '#000' } : { weight: 1, color: '#1b1b1b' });
    }
  }

  // -- event list ------------------------------------------------------------------------------------
  function renderList(features) {
    const sorted = [...features].sort((a, b) =>
      String(b.properties.event_date || '').localeCompare(String(a.properties.event_date || ''))
      || String(a.id).localeCompare(String(b.id)));
    const rows = sorted.slice(0, LIST_MAX).map((f) => {
      const p = f.properties;
      const swatch = el('span', { class: 'swatch' });
      swatch.style.background = colorOf(p.event_type);
      return el('li', { class: p.event_id === state.selected ? 'selected' : null, dataset: { eventId: p.event_id } },
        el('button', { type: 'button', class: 'event-row', onclick: () => selectEvent(p.event_id, { pan: true }) },
          swatch,
          el('span', { class: 'date', text: fmt(p.event_date) }),
          el('span', { class: 'what', text: `${fmt(p.sub_event_type || p.event_type)}` }),
          el('span', { class: 'where', text: (place(p) || 'place unknown') + (f.geometry ? '' : ' (not on the map)') }),
          el('span', { class: 'fat', text: p.fatalities ? `${p.fatalities} killed` : '' })));
    });
    $('#event-list').replaceChildren(...rows);
    const more = $('#list-more');
    more.hidden = sorted.length <= LIST_MAX;
    more.textContent = `…and ${sorted.length - LIST_MAX} more; narrow the filters to list them.`;
  }

  // -- timeline --------------------------------------------------------------------------------------
  const dayNum = (iso) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
  const isoOf = (n) => new Date(n * DAY_MS).toISOString().slice(0, 10);

  function timelineBins(stats) {
    if (!stats.date_min || !stats.date_max) return { bins: [], step: 1 };
    const lo = dayNum(stats.date_min), hi = dayNum(stats.date_max);
    const weekly = hi - lo > DAY_BINS_MAX_DAYS;
    const rows = weekly ? stats.by_week : stats.by_day;
    const key = weekly ? 'week' : 'day';
    const step = weekly ? 7 : 1;
    const counts = new Map(rows.map((r) => [dayNum(r[key]), r.n]));
    const first = weekly ? dayNum(stats.by_week[0].week) : lo;
    const bins = [];
    for (let d = first; d <= hi; d += step) bins.push({ start: d, end: d + step - 1, n: counts.get(d) || 0 });
    return { bins, step };
  }

  function renderTimeline(stats) {
    const chart = $('#histogram');
    const { bins, step } = timelineBins(stats);
    state.timeline = { bins, step };
    const width = Math.max(200, chart.clientWidth || 600), height = 90, pad = 18;
    chart.setAttribute('viewBox', `0 0 ${width} ${height}`);
    chart.replaceChildren();
    if (!bins.length) {
      chart.append(Object.assign(svg('text', { x: 8, y: 40, class: 'empty' }), { textContent: 'No dated events.' }));
      return;
    }
    const max = Math.max(...bins.map((b) => b.n), 1);
    const bw = width / bins.length;
    const from = $('#f-date-from').value, to = $('#f-date-to').value;
    const lo = from ? dayNum(from) : -Infinity, hi = to ? dayNum(to) : Infinity;
    bins.forEach((b, i) => {
      const h = b.n ? Math.max(2, (b.n / max) * (height - pad - 6)) : 0;
      const inRange = b.end >= lo && b.start <= hi;
      const rect = svg('rect', { x: i * bw + 0.5, y: height - pad - h, width: Math.max(1, bw - 1), height: h,
        class: inRange ? 'bar in' : 'bar out', 'data-start': isoOf(b.start) });
      const title = svg('title');
      title.textContent = `${isoOf(b.start)}${step > 1 ? ` – ${isoOf(b.end)}` : ''}: ${b.n} event(s)`;
      rect.append(title);
      chart.append(rect);
      chart.append(svg('rect', { x: i * bw, y: 0, width: bw, height: height - pad, class: 'hit', 'data-i': i }));
    });
    const label = (x, text, anchor) => {
      const t = svg('text', { x, y: height - 4, 'text-anchor': anchor, class: 'axis' });
      t.textContent = text;
      chart.append(t);
    };
    label(2, isoOf(bins[0].start), 'start');
    label(width - 2, isoOf(bins[bins.length - 1].end), 'end');
    $('#all-dates').hidden = !(from || to);
    $('#timeline-label').textContent = from || to
      ? `Showing ${from || 'the start'} to ${to || 'the end'}.`
      : `${step > 1 ? 'Weekly' : 'Daily'} counts. Drag across the bars to filter by date.`;
  }

  function initTimelineBrush() {
    const chart = $('#histogram');
    let startIndex = null;
    const indexAt = (event) => {
      const { bins } = state.timeline || { bins: [] };
      if (!bins.length) return null;
      const box = chart.getBoundingClientRect();
      return Math.max(0, Math.min(bins.length - 1, Math.floor(((event.clientX - box.left) / box.width) * bins.length)));
    };
    const paint = (a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      chart.querySelectorAll('rect.bar').forEach((r, i) => r.classList.toggle('brush', i >= lo && i <= hi));
    };
    chart.addEventListener('pointerdown', (event) => {
      startIndex = indexAt(event);
      if (startIndex === null) return;
      chart.setPointerCapture(event.pointerId);
      paint(startIndex, startIndex);
    });
    chart.addEventListener('pointermove', (event) => {
      if (startIndex !== null) paint(startIndex, indexAt(event));
    });
    chart.addEventListener('pointerup', (event) => {
      if (startIndex === null) return;
      const endIndex = indexAt(event);
      const [a, b] = startIndex <= endIndex ? [startIndex, endIndex] : [endIndex, startIndex];
      startIndex = null;
      const { bins } = state.timeline;
      $('#f-date-from').value = isoOf(bins[a].start);
      $('#f-date-to').value = isoOf(bins[b].end);
      refresh();
    });
    $('#all-dates').addEventListener('click', () => {
      $('#f-date-from').value = '';
      $('#f-date-to').value = '';
      refresh();
    });
  }

  // -- refresh: one GeoJSON request for the map and list, one stats request for the timeline ----------
  async function refresh() {
    const seq = ++state.seq;
    syncUrl();
    document.body.classList.add('loading');
    try {
      const [geo, stats] = await Promise.all([
        getJSON('api/events.geojson', filterParams()),
        getJSON('api/stats', filterParams({ dates: false })),
      ]);
      if (seq !== state.seq) return; // a newer refresh is under way
      state.features = geo.features;
      const located = geo.features.filter((f) => f.geometry).length;
      const fatalities = geo.features.reduce((sum, f) => sum + (f.properties.fatalities || 0), 0);
      const count = $('#count');
      count.textContent = String(geo.total);
      count.dataset.count = String(geo.total);
      $('#summary').textContent = `${geo.total} event(s), ${fatalities} fatalities`
        + (geo.total - located ? `, ${geo.total - located} without coordinates (listed, not mapped)` : '')
        + (geo.truncated ? ` (showing the first ${geo.features.length})` : '');
      drawMarkers(geo.features);
      renderList(geo.features);
      state.lastStats = stats;
      renderTimeline(stats);
      setStatus('');
    } catch (err) {
      if (seq === state.seq) setStatus(`Could not load events: ${err.message}`);
    } finally {
      if (seq === state.seq) document.body.classList.remove('loading');
    }
  }

  let timer = null;
  function scheduleRefresh(delay = TEXT_DEBOUNCE_MS) {
    clearTimeout(timer);
    timer = setTimeout(refresh, delay);
  }

  // -- event panel -----------------------------------------------------------------------------------
  async function selectEvent(id, { pan = false } = {}) {
    state.selected = id;
    syncUrl();
    for (const li of document.querySelectorAll('#event-list li')) li.classList.toggle('selected', li.dataset.eventId === id);
    highlightMarker(id);
    const marker = state.markers.get(id);
    const parent = pan && marker && state.cluster.getVisibleParent ? state.cluster.getVisibleParent(marker) : null;
    if (parent && parent !== marker) {
      state.autoFit = null; // the reader asked to see this one: zoom into its cluster
      state.cluster.zoomToShowLayer(marker, () => {});
    }
    const seq = ++state.panelSeq;
    const panel = $('#panel');
    panel.hidden = false;
    $('#panel-body').replaceChildren(el('p', { class: 'loading', text: 'Loading the event…' }));
    try {
      const event = await getJSON(`api/events/${encodeURIComponent(id)}`);
      if (seq !== state.panelSeq) return;
      renderPanel(event);
      await Promise.all(event.reports.map((r) => loadArticle(r, seq)));
    } catch (err) {
      if (seq === state.panelSeq) $('#panel-body').replaceChildren(el('p', { class: 'error', text: err.message }));
    }
  }

  function closePanel() {
    state.selected = null;
    state.panelSeq++;
    $('#panel').hidden = true;
    highlightMarker(null);
    for (const li of document.querySelectorAll('#event-list li.selected')) li.classList.remove('selected');
    syncUrl();
  }

  function row(label, value, cls) {
    return el('tr', { class: cls }, el('th', { scope: 'row', text: label }), el('td', { text: fmt(value) }));
  }

  const FIELD_LABELS = {
    event_date: 'Date', event_type: 'Event type', sub_event_type: 'Sub-event type', actor1: 'Actor 1',
    actor2: 'Actor 2', location: 'Location', fatalities: 'Fatalities', claimed_by: 'Claimed by',
  };
  const PRECISION = { 1: 'day', 2: 'week', 3: 'month' };
  const GEO_PRECISION = { 1: 'town', 2: 'near / district', 3: 'province' };

  function renderPanel(ev) {
    const swatch = el('span', { class: 'swatch big' });
    swatch.style.background = colorOf(ev.event_type);
    const fatalities = ev.fatalities_low !== null && ev.fatalities_high !== null && ev.fatalities_low !== ev.fatalities_high
      ? `${fmt(ev.fatalities)} (reports say ${ev.fatalities_low}–${ev.fatalities_high})` : fmt(ev.fatalities);
    const coords = ev.latitude !== null && ev.longitude !== null
      ? `${ev.latitude.toFixed(4)}, ${ev.longitude.toFixed(4)}${ev.geo_precision ? ` (${GEO_PRECISION[ev.geo_precision] || ev.geo_precision})` : ''}`
      : 'none (not on the map)';
    const badges = el('p', { class: 'badges' },
      el('span', { class: 'badge', text: `${fmt(ev.n_sources)} source(s), ${fmt(ev.n_reports)} report(s)` }),
      ev.single_side ? el('span', { class: 'badge warn', title: 'every source is on one side of the conflict', text: "one side's sources only" }) : null,
      ev.divergence ? el('span', { class: 'badge warn', text: 'sources disagree' }) : null);

    const fields = el('table', { class: 'fields' }, el('tbody', {},
      row('Date', ev.event_date ? `${ev.event_date}${ev.time_precision ? ` (to the ${PRECISION[ev.time_precision] || ev.time_precision})` : ''}` : null),
      row('Event type', ev.event_type), row('Sub-event type', ev.sub_event_type),
      row('Actor 1', ev.actor1), row('Actor 2', ev.actor2),
      row('Location', ev.location), row('Admin1', ev.admin1), row('Admin2', ev.admin2),
      row('Country', ev.country ? `${ev.country}${ev.country_code ? ` (${ev.country_code})` : ''}` : ev.country_code),
      row('Coordinates', coords), row('Fatalities', fatalities), row('Sources', ev.sources),
      row('Notes', ev.notes), row('Event id', ev.event_id, 'mono')));

    const divergence = el('section', { class: 'divergence' }, el('h3', { text: 'Where the sources disagree' }));
    if (ev.disagreements && ev.disagreements.length) {
      divergence.append(el('table', { class: 'disagreements' }, el('tbody', {}, ...ev.disagreements.map((d) =>
        el('tr', {}, el('th', { scope: 'row', text: FIELD_LABELS[d.field] || d.field }),
          el('td', {}, el('ul', {}, ...d.values.map((v) => el('li', {},
            el('span', { class: 'said', text: fmt(v.value) }), ` (${fmt(v.outlet)})`)))))))));
    } else if (ev.divergence_fields) {
      divergence.append(el('dl', {}, ...Object.entries(ev.divergence_fields).flatMap(([k, v]) =>
        [el('dt', { text: k }), el('dd', { text: typeof v === 'string' ? v : JSON.stringify(v) })])));
    } else if (ev.divergence) {
      divergence.append(el('ul', {}, ...String(ev.divergence).split(/\s*(?:;|\n)\s*/).filter((x) => x)
        .map((line) => el('li', { text: line }))));
    } else {
      divergence.append(el('p', { class: 'quiet', text: 'The reports agree on every coded field.' }));
    }

    const sources = el('section', { class: 'sources' }, el('h3', { text: `Sources (${ev.reports.length})` }),
      ...ev.reports.map((r) => sourceCard(ev, r)));

    $('#panel-body').replaceChildren(
      el('h2', {}, swatch, `${fmt(ev.event_type)}: ${fmt(ev.sub_event_type)}`),
      el('p', { class: 'sub', text: `${fmt(ev.event_date)} · ${place(ev) || 'place unknown'}` }),
      badges, el('h3', { text: 'Corroborated fields' }), fields, divergence, sources,
      el('p', { class: 'twin' }, el('a', { href: `api/events/${encodeURIComponent(ev.event_id)}`, text: 'this event as JSON' })));
    $('#panel').scrollTop = 0;
  }

  const REPORT_FIELDS = [
    ['event_date', 'Date'], ['event_type', 'Type'], ['sub_event_type', 'Sub-type'], ['actor1', 'Actor 1'],
    ['actor2', 'Actor 2'], ['location', 'Location'], ['fatalities', 'Fatalities'], ['claim', 'Claim'],
    ['claimed_by', 'Claimed by'],
  ];

  function sourceCard(ev, r) {
    const url = safeUrl(r.source_url);
    const title = r.title || r.source_url || r.doc_id;
    const heading = el('header', {},
      el('span', { class: 'outlet', text: fmt(r.outlet) }),
      el('span', { class: 'published', text: r.published ? ` · published ${r.published}` : '' }), el('br'),
      url ? el('a', { href: url, rel: 'noopener noreferrer nofollow', target: '_blank', class: 'title', text: title })
        : el('span', { class: 'title', text: title }));
    const dl = el('dl', { class: 'report-fields' });
    for (const [key, label] of REPORT_FIELDS) {
      const value = r[key];
      if (value === null || value === undefined || value === '') continue;
      const differs = key in ev && ev[key] !== null && String(ev[key]) !== String(value);
      dl.append(el('dt', { text: label }), el('dd', { class: differs ? 'differs' : null,
        title: differs ? `the event says: ${ev[key]}` : null, text: String(value) }));
    }
    return el('article', { class: 'source', dataset: { reportId: r.report_id, docId: r.doc_id } },
      heading, dl,
      el('div', { class: 'framing' }),
      el('div', { class: 'article', tabindex: '0', 'aria-label': 'article text' },
        el('p', { class: 'quiet', text: 'Loading the article…' })),
      el('p', { class: 'legend' },
        el('mark', { class: 'evidence', text: 'evidence' }), ' ', el('mark', { class: 'mention', text: 'field words' }), ' ',
        el('mark', { class: 'flag', text: 'framing flag' }), ' ', el('span', { class: 'opinion', text: 'opinion sentence' }), ' · ',
        el('a', { href: `api/documents/${encodeURIComponent(r.doc_id)}`, text: 'document as JSON' })));
  }

  async function loadArticle(report, seq) {
    const doc = await getJSON(`api/documents/${encodeURIComponent(report.doc_id)}`);
    if (seq !== state.panelSeq) return;
    for (const card of document.querySelectorAll('#panel article.source')) {
      if (card.dataset.reportId !== report.report_id) continue;
      renderFraming(card.querySelector('.framing'), doc.framing);
      const box = card.querySelector('.article');
      renderArticle(box, doc.text || '', articleMarks(doc, report.report_id));
      const first = box.querySelector('.evidence');
      if (first) box.scrollTop = Math.max(0, first.offsetTop - box.offsetTop - 24);
    }
  }

  function renderFraming(node, framing) {
    if (!framing || (!framing.flags?.length && framing.loaded_score == null)) {
      node.replaceChildren();
      return;
    }
    const parts = [el('h4', { text: 'Framing' })];
    if (typeof framing.loaded_score === 'number') {
      parts.push(el('p', { class: 'loaded' }, 'Loaded wording: ',
        el('meter', { min: '0', max: '1', value: String(framing.loaded_score) }), ` ${framing.loaded_score.toFixed(2)}`));
    }
    if (framing.flags?.length) {
      parts.push(el('ul', { class: 'flags' }, ...framing.flags.map((f) => el('li', {},
        el('span', { class: 'category', text: fmt(f.category) }), ' ',
        el('q', { text: fmt(f.text) }), f.why ? ` — ${f.why}` : ''))));
    }
    node.replaceChildren(...parts);
  }

  function articleMarks(doc, reportId) {
    const marks = [];
    for (const s of doc.spans || []) {
      if (s.report_id === reportId) {
        if (s.field === 'evidence') marks.push({ start: s.start, end: s.end, classes: ['evidence'], label: 'evidence' });
        else marks.push({ start: s.start, end: s.end, classes: ['mention', `f-${cssToken(s.field)}`], label: s.field });
      } else if (s.field === 'evidence') {
        marks.push({ start: s.start, end: s.end, classes: ['other-evidence'], label: 'evidence of another event' });
      }
    }
    const framing = doc.framing || {};
    for (const f of framing.flags || []) {
      marks.push({ start: f.start, end: f.end, classes: ['flag'], label: `framing: ${fmt(f.category)}${f.why ? ` (${f.why})` : ''}` });
    }
    for (const s of framing.sentences || []) {
      if (s.kind === 'opinion') marks.push({ start: s.start, end: s.end, classes: ['opinion'], label: 'opinion' });
    }
    return marks;
  }

  // Offsets are Python code points; JavaScript strings count UTF-16 units, so slice an array of code points.
  function renderArticle(container, text, marks) {
    const chars = Array.from(text);
    const n = chars.length;
    const valid = marks.filter((m) => Number.isInteger(m.start) && Number.isInteger(m.end) && m.start >= 0
      && m.end <= n && m.start < m.end);
    const cuts = new Set([0, n]);
    for (const m of valid) { cuts.add(m.start); cuts.add(m.end); }
    const points = [...cuts].sort((a, b) => a - b);
    const frag = document.createDocumentFragment();
    for (let i = 0; i < points.length - 1; i++) {
      const a = points[i], b = points[i + 1];
      const piece = chars.slice(a, b).join('');
      const cover = valid.filter((m) => m.start <= a && m.end >= b);
      if (!cover.length) { frag.append(piece); continue; }
      const classes = [...new Set(cover.flatMap((m) => m.classes))];
      const tag = classes.some((c) => c !== 'opinion' && c !== 'other-evidence') ? 'mark' : 'span';
      frag.append(el(tag, { class: classes.join(' '), title: [...new Set(cover.map((m) => m.label))].join('; '), text: piece }));
    }
    container.replaceChildren(frag);
  }

  // -- start -----------------------------------------------------------------------------------------
  async function start() {
    initMap();
    initTimelineBrush();
    const f = form();
    f.addEventListener('submit', (event) => event.preventDefault());
    f.addEventListener('change', (event) => {
      if (event.target.type === 'search' || event.target.type === 'number') return;
      refresh();
    });
    f.addEventListener('input', (event) => {
      if (event.target.type === 'search' || event.target.type === 'number') scheduleRefresh();
    });
    f.addEventListener('reset', () => setTimeout(refresh, 0));
    $('#panel-close').addEventListener('click', closePanel);
    document.addEventListener('keydown', (event) => { if (event.key === 'Escape' && !$('#panel').hidden) closePanel(); });
    // Redraw the timeline when its width changes (window resize, panel opened or closed).
    let resizeTimer = null;
    let lastWidth = 0;
    new ResizeObserver(() => {
      const width = $('#histogram').clientWidth;
      if (width === lastWidth) return;
      lastWidth = width;
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => {
        if (state.lastStats) renderTimeline(state.lastStats);
        if (state.map) {
          state.map.invalidateSize();
          fitMap();
        }
      }, 100);
    }).observe($('#histogram'));

    try {
      state.facets = await getJSON('api/stats');
      renderFacets(state.facets);
    } catch (err) {
      setStatus(`Could not load the filters: ${err.message}`);
    }
    const params = new URLSearchParams(location.search);
    applyParams(params);
    await refresh();
    // A bookmarked event opens its panel over the fitted overview; a click in the list zooms to it.
    if (params.get('event')) selectEvent(params.get('event'), { pan: false });
    document.body.dataset.ready = '1';
  }

  document.addEventListener('DOMContentLoaded', start);
})();
