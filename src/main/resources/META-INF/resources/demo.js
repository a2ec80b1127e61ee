// The demo page: the widgets in the language picked, the embed snippet, a table of current rates with sparklines,
// a year's chart of each currency, and the sources' state.
(() => {
  'use strict';
  const origin = location.origin;
  const snippet = `<script src="${origin}/widget/rate-ticker.js" defer></script>\n<rate-ticker></rate-ticker>`;
  document.getElementById('snippet').textContent = snippet;
  document.getElementById('copy').addEventListener('click', async (event) => {
    try {
      await navigator.clipboard.writeText(snippet);
      event.target.textContent = 'Copied';
    } catch (e) {
      event.target.textContent = 'Select and copy';
    }
  });

  const tickers = document.querySelectorAll('rate-ticker');
  document.getElementById('lang').addEventListener('change', (event) => {
    tickers.forEach((ticker) => ticker.setAttribute('locale', event.target.value));
  });

  // Per USD as the widget shows it (4 significant digits, never fewer than the integer part); the full value on hover.
  const perUsd = (value) => {
    const n = Number(value);
    return new Intl.NumberFormat('en', Math.abs(n) >= 1000 ? { maximumFractionDigits: 0 }
      : { maximumSignificantDigits: 4 }).format(n);
  };

  const cell = (text, className) => {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    return td;
  };

  function sparkline(points) {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('width', '120');
    svg.setAttribute('height', '28');
    svg.setAttribute('role', 'img');
    if (points.length < 2) {
      svg.setAttribute('aria-label', 'not enough history');
      return svg;
    }
    const values = points.map((p) => Number(p.rate));
    const min = Math.min(...values);
    const span = Math.max(...values) - min || 1;
    const line = document.createElementNS(ns, 'polyline');
    line.setAttribute('fill', 'none');
    line.setAttribute('stroke', 'currentColor');
    line.setAttribute('stroke-width', '1.5');
    line.setAttribute('points', values.map((v, i) =>
      `${(i * 118 / (values.length - 1) + 1).toFixed(1)},${(26 - (v - min) / span * 24).toFixed(1)}`).join(' '));
    svg.appendChild(line);
    svg.setAttribute('aria-label', `${points.length} days from ${points[0].asOf} to ${points[points.length - 1].asOf}`);
    return svg;
  }

  async function json(path) {
    const response = await fetch(path, { cache: 'no-store' });
    if (!response.ok) throw new Error(path + ': HTTP ' + response.status);
    return response.json();
  }

  async function rates() {
    const body = document.querySelector('#rates tbody');
    const data = await json('/api/v1/rates');
    const rows = await Promise.all(data.rates.map(async (rate) => {
      const to = rate.asOf;
      const from = new Date(Date.parse(to) - 30 * 86400000).toISOString().slice(0, 10);
      const history = await json(`/api/v1/rates/${rate.currency}/history?from=${from}&to=${to}`);
      const change = rate.changePercent === null ? null : Number(rate.changePercent);
      const tr = document.createElement('tr');
      tr.dataset.currency = rate.currency;
      const usd = cell(perUsd(rate.perUsd), 'num');
      usd.title = String(rate.perUsd);
      tr.append(cell(rate.pair), cell(String(rate.rate), 'num'), usd,
        cell(change === null ? '—' : (change > 0 ? '▲ +' : change < 0 ? '▼ ' : '= ') + change + '%',
          change === null || change === 0 ? 'flat' : change > 0 ? 'up' : 'down'),
        cell(rate.asOf + (rate.stale ? ' (stale)' : ''), rate.stale ? 'stale' : ''), cell(rate.source));
      const spark = document.createElement('td');
      spark.appendChild(sparkline(history.points));
      tr.appendChild(spark);
      return tr;
    }));
    body.replaceChildren(...rows);
  }

  const DAY = 86400000;
  const svg = (name, attributes, text) => {
    const element = document.createElementNS('http://www.w3.org/2000/svg', name);
    Object.entries(attributes).forEach(([key, value]) => element.setAttribute(key, value));
    if (text !== undefined) element.textContent = text;
    return element;
  };

  // One currency's year, drawn at the width it is shown at (so that its labels are real 12 px text on a phone too):
  // a point per official date, placed by that date, units per USD on the left axis (lowest, middle, highest), and
  // month starts below, as many as fit.
  function yearChart(pair, rows, from, to, width) {
    const height = 200, left = 60, right = 10, top = 10, bottom = 26;
    const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'year', role: 'img' });
    const start = Date.parse(from), span = Date.parse(to) - start || DAY;
    const x = (date) => left + (Date.parse(date) - start) / span * (width - left - right);
    const values = rows.map((r) => Number(r.perUsd));
    const min = Math.min(...values), max = Math.max(...values);
    // a value that never moved is drawn across the middle
    const y = (v) => top + (min === max ? 0.5 : 1 - (v - min) / (max - min)) * (height - top - bottom);
    chart.append(svg('line', { x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, class: 'axis' }),
      svg('line', { x1: left, y1: top, x2: left, y2: height - bottom, class: 'axis' }));
    for (const v of min === max ? [min] : [min, (min + max) / 2, max]) {
      chart.append(svg('line', { x1: left, y1: y(v), x2: width - right, y2: y(v), class: 'grid' }),
        svg('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'y' }, perUsd(v)));
    }
    const step = Math.max(1, Math.ceil(64 / ((width - left - right) / (span / DAY / 30.4))));
    const month = new Date(start);
    month.setUTCDate(1);
    for (month.setUTCMonth(month.getUTCMonth() + 1); month.getTime() <= start + span; month.setUTCMonth(month.getUTCMonth() + step)) {
      const date = month.toISOString().slice(0, 10);
      chart.append(svg('line', { x1: x(date), y1: height - bottom, x2: x(date), y2: height - bottom + 4, class: 'axis' }),
        svg('text', { x: x(date), y: height - 8, 'text-anchor': 'middle', class: 'x' }, date.slice(0, 7)));
    }
    chart.append(svg('polyline', { class: 'series', fill: 'none',
      points: rows.map((r) => `${x(r.asOf).toFixed(1)},${y(Number(r.perUsd)).toFixed(1)}`).join(' ') }));
    // each date as a dot while they are few enough to tell apart, and always the latest
    for (const r of rows.length <= 40 ? rows : rows.slice(-1)) {
      chart.append(svg('circle', { cx: x(r.asOf).toFixed(1), cy: y(Number(r.perUsd)).toFixed(1), r: 2.5, class: 'dot' }));
    }
    chart.setAttribute('aria-label', `${pair}: ${rows.length} official dates from ${rows[0].asOf} to `
      + `${rows[rows.length - 1].asOf}, from ${perUsd(min)} to ${perUsd(max)}`);
    return chart;
  }

  async function year() {
    const series = await json('/api/v1/timeseries');
    const figures = series.symbols.map((currency) => {
      const rows = series.rows.filter((r) => r.currency === currency);
      const pair = `USD/${currency}`;
      const figure = document.createElement('figure');
      figure.dataset.currency = currency;
      const caption = document.createElement('figcaption');
      const csv = document.createElement('a');
      csv.href = `/api/v1/timeseries?symbols=${currency}&from=${series.from}&to=${series.to}&format=csv`;
      csv.download = `${currency.toLowerCase()}-per-usd-${series.from}-${series.to}.csv`;
      csv.textContent = 'CSV';
      caption.append(`${pair}, ${series.from} to ${series.to} `, csv);
      figure.append(caption);
      return [figure, rows];
    });
    document.getElementById('charts').replaceChildren(...figures.map(([figure]) => figure));
    for (const [figure, rows] of figures) {
      figure.append(rows.length ? yearChart(`USD/${figure.dataset.currency}`, rows, series.from, series.to,
        Math.floor(figure.clientWidth))
        : Object.assign(document.createElement('p'), { textContent: 'No official rate in this year.' }));
    }
  }

  async function sources() {
    const body = document.querySelector('#sources tbody');
    const data = await json('/api/v1/sources');
    body.replaceChildren(...data.map((s) => {
      const tr = document.createElement('tr');
      const state = !s.enabled ? 'disabled' : s.lastError ? 'failing: ' + s.lastError : 'ok';
      tr.append(cell(s.name), cell(s.currencies.join(', ')), cell(s.lastSuccessAt || 'never'),
        cell(state + (s.circuit === 'open' ? ' (circuit open)' : '')));
      return tr;
    }));
  }

  function refresh() {
    rates().catch((e) => { document.querySelector('#rates tbody').textContent = 'Rates unavailable: ' + e.message; });
    sources().catch(() => { document.querySelector('#sources tbody').textContent = 'Sources unavailable'; });
    year().catch((e) => { document.getElementById('charts').textContent = 'Series unavailable: ' + e.message; });
  }
  refresh();
  setInterval(refresh, 60000);
})();
