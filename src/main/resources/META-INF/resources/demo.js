// The demo page: the widgets in the language picked, the embed snippet, a table of current rates with sparklines,
// and the sources' state.
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
  }
  refresh();
  setInterval(refresh, 60000);
})();
