/*! rate-ticker widget: <rate-ticker> live exchange-rate line. No dependencies.
 *  <script src="https://rates.example/widget/rate-ticker.js" defer></script> <rate-ticker></rate-ticker>
 *  Attributes: src symbols mode(rate|per-usd) digits locale theme(light|dark|auto) speed static poll */
(() => {
  'use strict';
  if (customElements.get('rate-ticker')) return;

  // The origin the script came from is the default service: the embed needs no configuration.
  const SCRIPT_ORIGIN = (() => {
    try { return new URL(document.currentScript.src).origin; } catch (e) { return location.origin; }
  })();
  const BANKS = {
    nbkr: 'National Bank of the Kyrgyz Republic', nbk: 'National Bank of Kazakhstan',
    cbu: 'Central Bank of Uzbekistan', nbt: 'National Bank of Tajikistan', cbt: 'Central Bank of Turkmenistan',
    cbr: 'Bank of Russia (cross rate)', manual: 'entered by the operator', bundled: 'bundled last-known rate',
    simulated: 'SIMULATED, not an official rate'
  };
  const STREAM_RETRY_MAX = 300000;
  // How long a silence past the stream's heartbeat means a dead connection or a proxy holding the body back.
  const SILENCE_MARGIN = 5000;

  const CSS = `
:host{display:block;--rt-bg:#fff;--rt-fg:#1f1f1f;--rt-up:#0a7d32;--rt-down:#c62828;--rt-flat:#5f6368;
 --rt-highlight:#fff3b0;--rt-font:inherit;--rt-gap:2em;font-family:var(--rt-font);contain:content}
:host([theme=dark]){--rt-bg:#121212;--rt-fg:#eaeaea;--rt-up:#4cc77a;--rt-down:#ff7a7a;--rt-flat:#a0a4a8;--rt-highlight:#4a4000}
@media (prefers-color-scheme:dark){:host(:not([theme])),:host([theme=auto]){--rt-bg:#121212;--rt-fg:#eaeaea;
 --rt-up:#4cc77a;--rt-down:#ff7a7a;--rt-flat:#a0a4a8;--rt-highlight:#4a4000}}
.box{display:flex;align-items:center;background:var(--rt-bg);color:var(--rt-fg);overflow:hidden}
.viewport{flex:1;overflow:hidden;outline-offset:-2px}
.track{display:flex;width:max-content;animation:scroll var(--rt-duration,30s) linear infinite}
.viewport:hover .track,.viewport:focus-within .track,.viewport:focus .track{animation-play-state:paused}
ul{display:flex;margin:0;padding:0 calc(var(--rt-gap)/2);list-style:none;white-space:nowrap}
li{padding:.25em calc(var(--rt-gap)/2);border-radius:.25em;transition:background-color 1s}
li+li::before{content:"•";margin-right:var(--rt-gap);color:var(--rt-flat)}
.value{font-variant-numeric:tabular-nums;font-weight:600}
.up .change{color:var(--rt-up)}.down .change{color:var(--rt-down)}.flat .change{color:var(--rt-flat)}
.stale .pair,.stale .value{color:var(--rt-flat);font-weight:400}.stale .value::after{content:" (stale)";font-size:.85em}
.changed{background:var(--rt-highlight);transition:none}
.status{padding:0 .75em;color:var(--rt-down);font-size:.85em;white-space:nowrap}.status:empty{display:none}
:host([static]) .track,:host([paused]) .track{animation:none;width:auto}
:host([static]) .copy,:host([paused]) .copy{display:none}
:host([static]) ul{flex-wrap:wrap;white-space:normal}:host([static]) li+li::before{content:none}
@media (prefers-reduced-motion:reduce){.track{animation:none;width:auto}.copy{display:none}ul{flex-wrap:wrap}}
@keyframes scroll{from{transform:translateX(0)}to{transform:translateX(-50%)}}`;
  const SHEET = typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype &&
    'adoptedStyleSheets' in ShadowRoot.prototype ? new CSSStyleSheet() : null;
  if (SHEET) SHEET.replaceSync(CSS);

  class RateTicker extends HTMLElement {
    static get observedAttributes() {
      return ['src', 'symbols', 'mode', 'digits', 'locale', 'theme', 'speed', 'static', 'poll'];
    }

    constructor() {
      super();
      this.rates = new Map();
      this.order = [];
      this.etag = null;
      this.sequence = 0;
      this.streamFailures = 0;
      // The service's default until its first ping says the interval.
      this.heartbeatMs = 15000;
      const root = this.attachShadow({ mode: 'open' });
      // A constructed style sheet is not inline style, so pages with a strict Content-Security-Policy can embed this.
      if (SHEET) root.adoptedStyleSheets = [SHEET];
      root.innerHTML = (SHEET ? '' : `<style>${CSS}</style>`) + `<div class="box" part="box"><div class="viewport" part="viewport" ` +
        `tabindex="0" role="region"><div class="track"><ul class="items" part="items"></ul>` +
        `<ul class="items copy" part="items" aria-hidden="true"></ul></div></div>` +
        `<span class="status" part="status" role="status"></span></div>`;
      this.viewport = root.querySelector('.viewport');
      this.track = root.querySelector('.track');
      this.lists = root.querySelectorAll('ul');
      this.statusEl = root.querySelector('.status');
      this.onOnline = () => this.restart();
    }

    connectedCallback() {
      window.addEventListener('online', this.onOnline);
      this.started = true;
      this.restart();
    }

    disconnectedCallback() {
      window.removeEventListener('online', this.onOnline);
      this.started = false;
      this.stop();
    }

    // Called for every attribute as the element is upgraded, before connectedCallback: only a later change restarts.
    attributeChangedCallback(name, old, value) {
      if (this.started && old !== value) this.restart();
    }

    get base() { return (this.getAttribute('src') || SCRIPT_ORIGIN).replace(/\/+$/, ''); }
    get query() {
      const symbols = (this.getAttribute('symbols') || '').trim();
      return symbols ? '?symbols=' + encodeURIComponent(symbols) : '';
    }
    get perUsd() { return this.getAttribute('mode') === 'per-usd'; }
    get digits() { const d = parseInt(this.getAttribute('digits'), 10); return d >= 1 && d <= 21 ? d : 4; }
    get locale() { return this.getAttribute('locale') || document.documentElement.lang || undefined; }
    get speed() { const s = parseFloat(this.getAttribute('speed')); return s > 0 ? s : 40; }
    get pollMs() { const p = parseFloat(this.getAttribute('poll')); return (p > 0 ? p : 60) * 1000; }

    restart() {
      this.stop();
      this.rates.clear();
      this.etag = null;
      this.sequence = 0;
      this.streamFailures = 0;
      this.streaming = false;
      this.render();
      // The JSON at once, beside the stream: the first to answer paints, whatever the stream does.
      this.poll();
      this.openStream();
    }

    stop() {
      if (this.stream) this.stream.close();
      this.stream = null;
      clearTimeout(this.retryTimer);
      clearTimeout(this.watchdog);
      clearInterval(this.pollTimer);
      this.pollTimer = null;
      this.pollEvery = null;
    }

    openStream() {
      if (typeof EventSource === 'undefined') { this.schedulePoll(this.pollMs, true); return; }
      // Reopened by the widget, the stream resumes after what is shown, as the browser's own reconnection does.
      const query = this.query + (this.sequence > 0 ? (this.query ? '&' : '?') + 'lastEventId=' + this.sequence : '');
      const stream = new EventSource(this.base + '/api/v1/stream' + query);
      this.stream = stream;
      this.watch();
      stream.addEventListener('snapshot', (e) => {
        this.heard();
        this.applySnapshot(JSON.parse(e.data));
      });
      stream.addEventListener('rate', (e) => {
        this.heard();
        // an event without an id (a rate turned stale by time) keeps the last id: max() leaves it as it is
        this.sequence = Math.max(this.sequence, Number(e.lastEventId) || 0);
        this.applyRate(JSON.parse(e.data), true);
      });
      stream.addEventListener('ping', (e) => {
        const seconds = Number(JSON.parse(e.data).heartbeat);
        if (seconds > 0) this.heartbeatMs = seconds * 1000;
        this.heard();
      });
      stream.onerror = () => {
        // The browser reconnects by itself (with Last-Event-ID) while the state is CONNECTING; a stream it gave up
        // on, or one failing again and again, the widget closes, polls meanwhile and reopens later.
        this.streamFailures++;
        this.streaming = false;
        if (stream.readyState === EventSource.CLOSED || this.streamFailures >= 3) this.dropStream();
      };
    }

    /** The stream delivered: it works, whatever failed before. */
    heard() {
      this.watch();
      if (this.streaming) return;
      this.streaming = true;
      this.streamFailures = 0;
      this.setOffline(false);
      // A slow recheck of the JSON, in case a proxy drops an event.
      this.schedulePoll(this.pollMs * 10, false);
    }

    watch() {
      clearTimeout(this.watchdog);
      this.watchdog = setTimeout(() => {
        this.streamFailures++;
        this.dropStream();
      }, this.heartbeatMs + SILENCE_MARGIN);
    }

    dropStream() {
      clearTimeout(this.watchdog);
      if (this.stream) this.stream.close();
      this.stream = null;
      this.streaming = false;
      this.schedulePoll(this.pollMs, true);
      // Jittered, so that the many pages that lost the service at once do not all come back at once.
      const delay = Math.min(STREAM_RETRY_MAX, 1000 * 2 ** Math.min(this.streamFailures, 9)) * (0.5 + Math.random() / 2);
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.openStream(), delay);
    }

    schedulePoll(ms, now) {
      if (this.pollTimer && this.pollEvery === ms) return;
      clearInterval(this.pollTimer);
      this.pollEvery = ms;
      if (now) this.poll();
      this.pollTimer = setInterval(() => this.poll(), ms);
    }

    async poll() {
      try {
        const headers = this.etag ? { 'If-None-Match': this.etag } : {};
        // A proxy that holds the request is a failure too, not a wait without end.
        const signal = typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(10000) : undefined;
        const response = await fetch(this.base + '/api/v1/rates' + this.query, { headers, cache: 'no-store', signal });
        if (response.status === 304) { this.setOffline(false); return; }
        if (!response.ok) throw new Error('HTTP ' + response.status);
        const data = await response.json();
        this.setOffline(false);
        // An answer older than what is shown (a cache, a replica behind) is left aside: the display never goes back.
        if (data.sequence < this.sequence) return;
        this.etag = response.headers.get('ETag');
        this.applySnapshot(data);
      } catch (e) {
        if (!this.streaming) this.setOffline(true);
      }
    }

    setOffline(offline) {
      this.toggleAttribute('offline', offline);
      this.statusEl.textContent = offline ? 'offline: rates may be out of date' : '';
    }

    applySnapshot(data) {
      // an older snapshot (a replica behind) is left aside: the events that follow it bring what is newer
      if (data.sequence < this.sequence) return;
      this.sequence = data.sequence;
      const changed = [];
      this.order = data.rates.map((r) => r.currency);
      const fresh = new Map();
      for (const rate of data.rates) {
        const old = this.rates.get(rate.currency);
        if (old && old.perUsd !== rate.perUsd) changed.push(rate.currency);
        fresh.set(rate.currency, rate);
      }
      this.rates = fresh;
      this.render(changed);
    }

    applyRate(rate, highlight) {
      const old = this.rates.get(rate.currency);
      this.rates.set(rate.currency, rate);
      if (!this.order.includes(rate.currency)) this.order.push(rate.currency);
      this.render(highlight && (!old || old.perUsd !== rate.perUsd) ? [rate.currency] : []);
    }

    format(value) {
      const magnitude = value === 0 ? 1 : Math.floor(Math.log10(Math.abs(value))) + 1;
      // Significant digits, but never fewer than the integer part has: UZS per USD stays 12,142, not 12,140.
      const options = magnitude >= this.digits ? { maximumFractionDigits: 0 } : { maximumSignificantDigits: this.digits };
      try {
        return new Intl.NumberFormat(this.locale, options).format(value);
      } catch (e) {
        return new Intl.NumberFormat(undefined, options).format(value);
      }
    }

    view(rate) {
      const pair = this.perUsd ? 'USD/' + rate.currency : rate.pair;
      const value = this.perUsd ? Number(rate.perUsd) : Number(rate.rate);
      // A change from a publication more than a week earlier (a bank back after a pause) is no day's move: a dash.
      const gap = rate.previousAsOf ? (Date.parse(rate.asOf) - Date.parse(rate.previousAsOf)) / 86400000 : null;
      const distant = gap !== null && gap > 7;
      let change = rate.changePercent === null || rate.changePercent === undefined || distant ? null : Number(rate.changePercent);
      // changePercent is the move of X/USD; USD/X moves the other way: 1 / (1 + c) - 1.
      if (change !== null && this.perUsd) change = (1 / (1 + change / 100) - 1) * 100;
      const rounded = change === null ? null : Math.round(change * 100) / 100;
      const direction = rounded === null || rounded === 0 ? 'flat' : rounded > 0 ? 'up' : 'down';
      const pct = new Intl.NumberFormat(this.locale, { maximumFractionDigits: 2, signDisplay: 'exceptZero' });
      const text = rounded === null ? '—' : { up: '▲ ', down: '▼ ', flat: '= ' }[direction] + pct.format(rounded) + '%';
      const words = rounded === null ? (distant ? 'no change within a week' : 'no earlier rate')
        : direction === 'flat' ? 'unchanged' : (direction === 'up' ? 'up ' : 'down ') + Math.abs(rounded) + ' percent';
      const bank = BANKS[rate.source] || rate.source;
      const title = `${pair} ${value} — official rate of ${rate.asOf}, ${bank}` +
        (distant ? `; change not shown: the previous rate is of ${rate.previousAsOf}, more than 7 days before ${rate.asOf}` : '') +
        (rate.stale ? `; stale: last received ${rate.fetchedAt}` : '');
      const spoken = `${pair.replace('/', ' to ')}: ${this.format(value)}, ${words}${rate.stale ? ', stale' : ''}`;
      return { pair, value: this.format(value), text, direction, title, spoken };
    }

    render(changed = []) {
      const items = this.order.filter((c) => this.rates.has(c)).map((c) => [c, this.view(this.rates.get(c))]);
      for (const list of this.lists) {
        list.replaceChildren(...items.map(([currency, v]) => {
          const li = document.createElement('li');
          li.part = 'item';
          li.className = `item ${v.direction}` + (this.rates.get(currency).stale ? ' stale' : '') +
            (changed.includes(currency) ? ' changed' : '');
          li.dataset.currency = currency;
          li.title = v.title;
          li.innerHTML = '<span class="pair" part="pair"></span> <span class="value" part="value"></span> ' +
            '<span class="change" part="change"></span>';
          li.children[0].textContent = v.pair;
          li.children[1].textContent = v.value;
          li.children[2].textContent = v.text;
          return li;
        }));
      }
      this.viewport.setAttribute('aria-label', items.length
        ? 'Exchange rates. ' + items.map(([, v]) => v.spoken).join('; ') : 'Exchange rates: loading');
      if (changed.length) setTimeout(() => this.shadowRoot.querySelectorAll('.changed')
        .forEach((li) => li.classList.remove('changed')), 1500);
      // A constant speed whatever the content: the animation covers one copy's width.
      const width = this.lists[0].getBoundingClientRect().width;
      if (width > 0) this.track.style.setProperty('--rt-duration', (width / this.speed).toFixed(2) + 's');
      // Nothing to scroll when everything fits: show it still.
      const fits = width > 0 && width <= this.viewport.getBoundingClientRect().width;
      this.toggleAttribute('paused', fits);
    }
  }

  customElements.define('rate-ticker', RateTicker);
})();
