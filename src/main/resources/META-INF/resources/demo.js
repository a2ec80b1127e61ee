// The demo page: the widgets in the language picked, the embed snippet, a table of current rates with sparklines,
// each bank's official table, a year's chart of each pair in the currency picked, and the sources' state.
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
  const rounded = (value) => {
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
      const usd = cell(rounded(rate.perUsd), 'num');
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

  // One pair's year, drawn at the width it is shown at (so that its labels are real 12 px text on a phone too):
  // a point per official date, placed by that date, its values on the left axis (lowest, middle, highest), and
  // month starts below, as many as fit.
  function yearChart(pair, rows, from, to, width) {
    const values = rows.map((r) => Number(r.value));
    const min = Math.min(...values), max = Math.max(...values);
    const levels = min === max ? [min] : [min, (min + max) / 2, max];
    // enough digits for the three labels to differ (a cross that moved in its sixth digit), 4 at least, and room for
    // the longest
    const digits = min === max ? 4 : Math.min(12, Math.max(4, Math.ceil(Math.log10(2 * Math.abs(max) / (max - min))) + 1));
    const label = (v) => digits > 4 ? new Intl.NumberFormat('en', { maximumSignificantDigits: digits }).format(v)
      : rounded(v);
    const height = 200, right = 10, top = 10, bottom = 26;
    const left = Math.max(60, 14 + 7 * Math.max(...levels.map((v) => label(v).length)));
    const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'year', role: 'img' });
    const start = Date.parse(from), span = Date.parse(to) - start || DAY;
    const x = (date) => left + (Date.parse(date) - start) / span * (width - left - right);
    // a value that never moved is drawn across the middle
    const y = (v) => top + (min === max ? 0.5 : 1 - (v - min) / (max - min)) * (height - top - bottom);
    chart.append(svg('line', { x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, class: 'axis' }),
      svg('line', { x1: left, y1: top, x2: left, y2: height - bottom, class: 'axis' }));
    for (const v of levels) {
      chart.append(svg('line', { x1: left, y1: y(v), x2: width - right, y2: y(v), class: 'grid' }),
        svg('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'y' }, label(v)));
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
      points: rows.map((r) => `${x(r.asOf).toFixed(1)},${y(Number(r.value)).toFixed(1)}`).join(' ') }));
    // each date as a dot while they are few enough to tell apart, and always the latest
    for (const r of rows.length <= 40 ? rows : rows.slice(-1)) {
      chart.append(svg('circle', { cx: x(r.asOf).toFixed(1), cy: y(Number(r.value)).toFixed(1), r: 2.5, class: 'dot' }));
    }
    chart.setAttribute('aria-label', `${pair}: ${rows.length} official dates from ${rows[0].asOf} to `
      + `${rows[rows.length - 1].asOf}, from ${label(min)} to ${label(max)}`);
    return chart;
  }

  // In US dollars a chart shows units per dollar (USD/KZT), as the banks publish them; in another currency, each pair
  // as its bank publishes it (EUR/KZT: tenge per euro).
  async function year() {
    const base = document.getElementById('chart-base').value;
    const series = await json(`/api/v1/timeseries?base=${base}`);
    const usd = base === 'USD';
    const figures = series.symbols.map((currency) => {
      const rows = series.rows.filter((r) => r.currency === currency)
        .map((r) => ({ asOf: r.asOf, value: usd ? r.perUsd : r.rate }));
      const pair = usd ? `USD/${currency}` : `${currency}/${base}`;
      const figure = document.createElement('figure');
      figure.dataset.currency = currency;
      figure.dataset.pair = pair;
      const caption = document.createElement('figcaption');
      const csv = document.createElement('a');
      csv.href = `/api/v1/timeseries?base=${base}&symbols=${currency}&from=${series.from}&to=${series.to}&format=csv`;
      csv.download = `${pair.replace('/', '-').toLowerCase()}-${series.from}-${series.to}.csv`;
      csv.textContent = 'CSV';
      caption.append(`${pair}, ${series.from} to ${series.to} `, csv);
      figure.append(caption);
      return [figure, rows];
    });
    document.getElementById('charts').replaceChildren(...figures.map(([figure]) => figure));
    for (const [figure, rows] of figures) {
      figure.append(rows.length ? yearChart(figure.dataset.pair, rows, series.from, series.to,
        Math.floor(figure.clientWidth))
        : Object.assign(document.createElement('p'), { textContent: 'No official rate in this year.' }));
    }
  }
  document.getElementById('chart-base').addEventListener('change', () => year()
    .catch((e) => { document.getElementById('charts').textContent = 'Series unavailable: ' + e.message; }));

  // One table per bank, of its own currency: its rows as published, the crosses it lacks marked, and a row served
  // from another source (a dollar rate of the Bank of Russia's, on a date the bank has none) naming it.
  const BANKS = [['KGS', 'nbkr', 'Kyrgyzstan, NBKR'], ['KZT', 'nbk', 'Kazakhstan, NBK'],
    ['UZS', 'cbu', 'Uzbekistan, CBU'], ['TJS', 'nbt', 'Tajikistan, NBT'], ['TMT', 'cbt', 'Turkmenistan, CBT'],
    ['RUB', 'cbr', 'Russia, Bank of Russia']];
  async function tables() {
    const answers = await Promise.all(BANKS.map(([base]) => json(`/api/v1/rates?base=${base}`)));
    document.getElementById('tables').replaceChildren(...answers.map((data, i) => {
      const [, bank, name] = BANKS[i];
      const figure = document.createElement('figure');
      figure.dataset.base = data.base;
      const dates = data.rates.filter((r) => r.source === bank).map((r) => r.asOf).sort();
      const caption = document.createElement('figcaption');
      caption.textContent = `${name}: ${data.base} per unit` + (dates.length ? `, ${dates[dates.length - 1]}` : '');
      const table = document.createElement('table');
      table.className = 'official';
      table.append(...data.rates.map((rate) => {
        const tr = document.createElement('tr');
        tr.dataset.pair = rate.pair;
        const change = rate.changePercent === null ? null : Number(rate.changePercent);
        const value = cell(String(rate.rate), 'num');
        value.title = `${rate.asOf}, ${rate.cross ? 'cross of ' + rate.sources.join(' and ') : rate.source}`;
        tr.append(cell(rate.pair + (rate.cross ? ' (cross)' : rate.source !== bank ? ` (${rate.source})` : '')), value,
          cell(change === null ? '—' : (change > 0 ? '▲ +' : change < 0 ? '▼ ' : '= ') + change + '%',
            (change === null || change === 0 ? 'flat' : change > 0 ? 'up' : 'down') + ' num'));
        if (rate.cross) tr.className = 'cross';
        if (rate.stale) value.classList.add('stale');
        return tr;
      }));
      const scroll = document.createElement('div');
      scroll.className = 'scroll';
      scroll.append(table);
      figure.append(caption, scroll);
      return figure;
    }));
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
    tables().catch((e) => { document.getElementById('tables').textContent = 'Tables unavailable: ' + e.message; });
  }
  refresh();
  setInterval(refresh, 60000);
})();
