/*! rate-ticker widget, no dependencies: <rate-ticker src symbols base mode digits locale theme background speed
 *  static poll attribution>. docs/widget.md says what each does. */
(() => {
  'use strict';
  if (customElements.get('rate-ticker')) return;

  // The origin the script came from is the default service: the embed needs no configuration.
  const SCRIPT_ORIGIN = (() => {
    try { return new URL(document.currentScript.src).origin; } catch (e) { return location.origin; }
  })();
  // Every word the widget shows or says, one string per language in the order of KEYS; {0} and {1} are filled in.
  // The source and review of each term: docs/translations.md. Bank names: the banks' own (NBKR's, NBK's, CBU's,
  // NBT's and CBT's sites in each of their languages) where they give one.
  const KEYS = ('rates loading up down flat none gap official gapTitle staleTitle stale offline sources abbr nbkr nbk cbu ' +
    'nbt cbt cbr manual bundled simulated').split(' ');
  const WORDS = {
    en: 'Exchange rates|loading|up|down|unchanged|no earlier rate|no change within a week|official rate of {0}, {1}|previous rate of {0}|received {0}|stale|offline, rates may be old|Sources|NBKR,NBK,CBU,NBT,CBT,CBR|National Bank of the Kyrgyz Republic|National Bank of Kazakhstan|Central Bank of Uzbekistan|National Bank of Tajikistan|Central Bank of Turkmenistan|Bank of Russia, cross rate|operator|bundled|SIMULATED',
    ru: 'Курсы валют|загрузка|рост|снижение|без изменений|нет предыдущего курса|нет изменений за неделю|официальный курс на {0}, {1}|предыдущий курс на {0}|получен {0}|устарел|нет связи, курсы могут быть устаревшими|Источники|НБКР,НБК,ЦБ РУз,НБТ,ЦБТ,Банк России|Национальный банк Кыргызской Республики|Национальный Банк Казахстана|Центральный банк Узбекистана|Национальный банк Таджикистана|Центральный банк Туркменистана|Банк России, кросс-курс|оператор|из поставки|СИМУЛЯЦИЯ',
    ky: 'Валюта курстары|жүктөлүүдө|өсүш|төмөндөө|өзгөрүүсүз|мурунку курс жок|бир жумада өзгөрүү жок|{0} күнгү расмий курс, {1}|мурунку курс {0} күнгү|{0} алынган|эскирген|байланыш жок, курстар эскириши мүмкүн|Булактар|КРУБ,НБК,ЦБ РУз,НБТ,ЦБТ,Россия Банкы|Кыргыз Республикасынын Улуттук банкы|Казакстан Улуттук банкы|Өзбекстан Борбордук банкы|Тажикстан Улуттук банкы|Түркмөнстан Борбордук банкы|Россия Банкы, кросс-курс|оператор|жеткирилген|СИМУЛЯЦИЯ',
    kk: 'Валюта бағамдары|жүктелуде|өсу|төмендеу|өзгеріссіз|алдыңғы бағам жоқ|бір аптада өзгеріс жоқ|{0} күнгі ресми бағам, {1}|алдыңғы бағам {0} күнгі|{0} алынды|ескірген|байланыс жоқ, бағамдар ескірген болуы мүмкін|Дереккөздер|НБКР,ҚҰБ,ЦБ РУз,НБТ,ЦБТ,Ресей Банкі|Қырғыз Республикасының Ұлттық банкі|Қазақстан Республикасының Ұлттық Банкі|Өзбекстан Орталық банкі|Тәжікстан Ұлттық банкі|Түрікменстан Орталық банкі|Ресей Банкі, кросс-бағам|оператор|жеткізілген|СИМУЛЯЦИЯ',
    uz: 'Valyuta kurslari|yuklanmoqda|o‘sish|pasayish|o‘zgarishsiz|oldingi kurs yo‘q|bir haftada o‘zgarish yo‘q|{0} sanasidagi rasmiy kurs, {1}|oldingi kurs {0} sanasidagi|{0} olingan|eskirgan|aloqa yo‘q, kurslar eskirgan bo‘lishi mumkin|Manbalar|NBKR,NBK,MB,NBT,CBT,Rossiya Banki|Qirg‘iz Respublikasi Milliy banki|Qozog‘iston Milliy banki|O‘zbekiston Respublikasi Markaziy banki|Tojikiston Milliy banki|Turkmaniston Markaziy banki|Rossiya Banki, kross-kurs|operator|yetkazilgan|SIMULYATSIYA',
    'uz-Cyrl': 'Валюта курслари|юкланмоқда|ўсиш|пасайиш|ўзгаришсиз|олдинги курс йўқ|бир ҳафтада ўзгариш йўқ|{0} санасидаги расмий курс, {1}|олдинги курс {0} санасидаги|{0} олинган|эскирган|алоқа йўқ, курслар эскирган бўлиши мумкин|Манбалар|НБКР,НБК,МБ,НБТ,ЦБТ,Россия Банки|Қирғиз Республикаси Миллий банки|Қозоғистон Миллий банки|Ўзбекистон Республикаси Марказий банки|Тожикистон Миллий банки|Туркманистон Марказий банки|Россия Банки, кросс-курс|оператор|етказилган|СИМУЛЯЦИЯ',
    tg: 'Қурби асъор|боргирӣ|афзоиш|коҳиш|бетағйир|қурби қаблӣ нест|дар як ҳафта тағйир нест|қурби расмӣ ба {0}, {1}|қурби қаблӣ ба {0}|{0} гирифта шуд|кӯҳна|пайваст нест, қурбҳо метавонанд кӯҳна бошанд|Манбаъҳо|НБКР,НБК,ЦБ РУз,БМТ,ЦБТ,Бонки Русия|Бонки миллии Ҷумҳурии Қирғизистон|Бонки миллии Қазоқистон|Бонки марказии Ӯзбекистон|Бонки миллии Тоҷикистон|Бонки марказии Туркманистон|Бонки Русия, қурби салибӣ|оператор|дохилшуда|ШАБЕҲСОЗӢ',
    tk: 'Walýuta hümmetleri|ýüklenýär|ýokarlandy|peseldi|üýtgewsiz|öňki hümmet ýok|bir hepdede üýtgeşme ýok|{0} senesine resmi hümmet, {1}|öňki hümmet {0} senesine|{0} alyndy|köne|baglanyşyk ýok, hümmetler köne bolup biler|Çeşmeler|NBKR,NBK,CBU,NBT,TMB,Russiýa Banky|Gyrgyz Respublikasynyň Milli banky|Gazagystanyň Milli banky|Özbegistanyň Merkezi banky|Täjigistanyň Milli banky|Türkmenistanyň Merkezi banky|Russiýa Banky, kross-hümmet|operator|gowşurylan|SIMULÝASIÝA'
  };
  // Each bank's site, in the order of the abbreviations ('abbr').
  const BANKS = { nbkr: 'www.nbkr.kg', nbk: 'nationalbank.kz', cbu: 'cbu.uz', nbt: 'nbt.tj', cbt: 'www.cbt.tm', cbr: 'www.cbr.ru' };
  const dictionaries = {};
  const dictionary = (lang) => dictionaries[lang] || (dictionaries[lang] =
    Object.fromEntries(WORDS[lang].split('|').map((word, i) => [KEYS[i], word])));
  const fill = (text, ...values) => text.replace(/\{(\d)\}/g, (m, i) => values[i]);
  const STREAM_RETRY_MAX = 300000;
  // How long a silence past the stream's heartbeat means a dead connection or a proxy holding the body back.
  const SILENCE_MARGIN = 5000;

  // The host page's background and text colour by default; the palette follows the page's color-scheme (a page
  // that declares "light dark" gets the dark one when the reader asks for it), or the theme attribute's.
  const CSS = `
:host{display:block;--rt-bg:var(--rate-ticker-bg,transparent);--rt-fg:var(--rate-ticker-fg,currentColor);
 --rt-up:var(--rate-ticker-up,light-dark(#0a7d32,#4cc77a));--rt-down:var(--rate-ticker-down,light-dark(#c62828,#ff7a7a));
 --rt-flat:light-dark(#5f6368,#a0a4a8);--rt-highlight:light-dark(#fff3b0,#4a4000);--rt-gap:2em;
 font-family:var(--rate-ticker-font,inherit);contain:content}
:host([theme]){--rt-bg:var(--rate-ticker-bg,light-dark(#fff,#121212));--rt-fg:var(--rate-ticker-fg,light-dark(#1f1f1f,#eaeaea))}
:host([theme=light]){color-scheme:light}:host([theme=dark]){color-scheme:dark}:host([theme=auto]){color-scheme:light dark}
.box{display:flex;align-items:center;background:var(--rt-bg);color:var(--rt-fg);overflow:hidden}
.viewport{flex:1;overflow:hidden;outline-offset:-2px}
.track{display:flex;width:max-content;animation:scroll var(--rt-duration,30s) linear infinite}
.viewport:hover .track,.viewport:focus-within .track{animation-play-state:paused}
ul{display:flex;margin:0;padding:0 calc(var(--rt-gap)/2);list-style:none;white-space:nowrap}
li{padding:.25em calc(var(--rt-gap)/2);border-radius:.25em;transition:background-color 1s}
li+li::before{content:"•";margin-right:var(--rt-gap);color:var(--rt-flat)}
.hold{visibility:hidden}
.value{font-variant-numeric:tabular-nums;font-weight:600}
.up .change{color:var(--rt-up)}.down .change{color:var(--rt-down)}.flat .change{color:var(--rt-flat)}
.stale .pair,.stale .value,.mark{color:var(--rt-flat);font-weight:400}.mark{font-size:.85em}
.changed{background:var(--rt-highlight);transition:none}
.status{padding:0 .75em;color:var(--rt-down);font-size:.85em;white-space:nowrap}
.credit{padding:0 .75em;color:var(--rt-flat);font-size:.75em;white-space:nowrap}.credit a{color:inherit}
.status:empty,.credit:empty,:host([attribution=off]) .credit{display:none}
:host([static]) .track,:host([paused]) .track{animation:none;width:auto}
:host([static]) .copy,:host([paused]) .copy{display:none}
:host([static]) ul{flex-wrap:wrap}:host([static]) li+li::before{content:none}
@media (prefers-reduced-motion:reduce){.track{animation:none;width:auto}.copy{display:none}ul{flex-wrap:wrap}}
@keyframes scroll{from{transform:translateX(0)}to{transform:translateX(-50%)}}`;
  const SHEET = typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype &&
    'adoptedStyleSheets' in ShadowRoot.prototype ? new CSSStyleSheet() : null;
  if (SHEET) SHEET.replaceSync(CSS);

  class RateTicker extends HTMLElement {
    static get observedAttributes() {
      return ['src', 'symbols', 'base', 'mode', 'digits', 'locale', 'theme', 'background', 'speed', 'static', 'poll'];
    }

    constructor() {
      super();
      // The service's default until its first ping says the interval.
      this.heartbeatMs = 15000;
      const root = this.attachShadow({ mode: 'open' });
      // A constructed style sheet is not inline style, so pages with a strict Content-Security-Policy can embed this.
      if (SHEET) root.adoptedStyleSheets = [SHEET];
      root.innerHTML = (SHEET ? '' : `<style>${CSS}</style>`) + `<div class="box" part="box"><div class="viewport" part="viewport" ` +
        `tabindex="0" role="region"><div class="track"><ul class="items" part="items"></ul>` +
        `<ul class="items copy" part="items" aria-hidden="true"></ul></div></div>` +
        `<span class="status" part="status" role="status"></span><span class="credit" part="credit"></span></div>`;
      this.box = root.querySelector('.box');
      this.viewport = root.querySelector('.viewport');
      this.track = root.querySelector('.track');
      this.lists = root.querySelectorAll('ul');
      this.statusEl = root.querySelector('.status');
      this.credit = root.querySelector('.credit');
      // A page left for the back-forward cache closes its stream (a held connection would count against the
      // browser's six per host) and starts afresh when it is shown again.
      this.onPage = (e) => e.type === 'pagehide' ? this.stop() : (e.type === 'online' || e.persisted) && this.restart();
    }

    connectedCallback() {
      for (const type of ['online', 'pagehide', 'pageshow']) window.addEventListener(type, this.onPage);
      this.started = true;
      this.restart();
    }

    disconnectedCallback() {
      for (const type of ['online', 'pagehide', 'pageshow']) window.removeEventListener(type, this.onPage);
      this.started = false;
      this.stop();
    }

    // Called for every attribute as the element is upgraded, before connectedCallback: only a later change restarts.
    attributeChangedCallback(name, old, value) {
      if (this.started && old !== value) this.restart();
    }

    get base() { return (this.getAttribute('src') || SCRIPT_ORIGIN).replace(/\/+$/, ''); }
    get query() {
      const q = ['symbols', 'base'].filter((n) => (this.getAttribute(n) || '').trim())
        .map((n) => n + '=' + encodeURIComponent(this.getAttribute(n).trim())).join('&');
      return q ? '?' + q : '';
    }
    // Against another base the pairs are X/BASE already: per-usd is for the dollar base.
    get perUsd() { return this.getAttribute('mode') === 'per-usd' && /^usd$/i.test(this.getAttribute('base') || 'usd'); }
    get digits() { const d = parseInt(this.getAttribute('digits'), 10); return d >= 1 && d <= 21 ? d : 4; }
    get locale() { return this.getAttribute('locale') || document.documentElement.lang || undefined; }
    // The language of the words: the locale's, if the widget has it (uz is Latin unless Cyrl is named), else English.
    get lang() {
      const tag = (this.locale || 'en').toLowerCase();
      const language = /^uz-(\w+-)?cyrl/.test(tag) ? 'uz-Cyrl' : tag.split('-')[0];
      return WORDS[language] ? language : 'en';
    }
    get speed() { const s = parseFloat(this.getAttribute('speed')); return s > 0 ? s : 40; }
    get pollMs() { const p = parseFloat(this.getAttribute('poll')); return (p > 0 ? p : 60) * 1000; }

    restart() {
      this.stop();
      this.rates = new Map();
      this.order = [];
      this.etag = null;
      this.sequence = 0;
      this.streamFailures = 0;
      this.streaming = false;
      this.words = dictionary(this.lang);
      this.box.style.background = this.getAttribute('background') || '';
      this.render();
      // The JSON at once, beside the stream: the first to answer paints, whatever the stream does.
      this.poll();
      this.openStream();
      this.loadNames();
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
        this.applyRate(JSON.parse(e.data));
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

    // The stream delivered: it works, whatever failed before.
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
        const response = await fetch(this.base + '/api/v1/rates' + this.query,
          { headers, cache: 'no-store', signal: AbortSignal.timeout?.(10000) });
        if (response.status === 304) { this.setOffline(false); return; }
        if (!response.ok) throw new Error('HTTP ' + response.status);
        this.setOffline(false);
        if (this.applySnapshot(await response.json())) this.etag = response.headers.get('ETag');
      } catch (e) {
        if (!this.streaming) this.setOffline(true);
      }
    }

    // The currencies' names in the widget's language, from the service; until they come (or if they never do), codes.
    async loadNames() {
      const lang = this.lang;
      this.names = {};
      try {
        const response = await fetch(this.base + '/api/v1/currencies?lang=' + lang);
        if (!response.ok) return;
        const names = {};
        for (const currency of await response.json()) names[currency.code] = currency.name;
        if (lang !== this.lang) return;
        this.names = names;
        this.render();
      } catch (e) {
        // the codes say it too
      }
    }

    setOffline(offline) {
      this.toggleAttribute('offline', offline);
      this.statusEl.textContent = offline ? this.words.offline : '';
    }

    // Whether it is applied: an answer older than what is shown (a cache, a replica behind) is left aside, so the
    // display never goes back; a snapshot's newer events follow it.
    applySnapshot(data) {
      if (data.sequence < this.sequence) return false;
      this.sequence = data.sequence;
      const changed = [];
      this.order = data.rates.map((r) => r.currency);
      const fresh = new Map();
      for (const rate of data.rates) {
        const old = this.rates.get(rate.currency);
        if (old && old.rate !== rate.rate) changed.push(rate.currency);
        fresh.set(rate.currency, rate);
      }
      this.rates = fresh;
      this.render(changed);
      return true;
    }

    applyRate(rate) {
      const old = this.rates.get(rate.currency);
      this.rates.set(rate.currency, rate);
      if (!this.order.includes(rate.currency)) this.order.push(rate.currency);
      this.render(!old || old.rate !== rate.rate ? [rate.currency] : []);
    }

    intl(type, options, value) {
      try {
        return new Intl[type](this.locale, options).format(value);
      } catch (e) {
        return new Intl[type](undefined, options).format(value);
      }
    }

    format(value) {
      const magnitude = value === 0 ? 1 : Math.floor(Math.log10(Math.abs(value))) + 1;
      // Significant digits, but never fewer than the integer part has: UZS per USD stays 12,142, not 12,140.
      return this.intl('NumberFormat', magnitude >= this.digits ? { maximumFractionDigits: 0 }
        : { maximumSignificantDigits: this.digits }, value);
    }

    date(iso, time) {
      return this.intl('DateTimeFormat', time ? { dateStyle: 'medium', timeStyle: 'short' }
        : { dateStyle: 'medium', timeZone: 'UTC' }, new Date(iso));
    }

    view(rate) {
      const w = this.words;
      const pair = this.perUsd ? 'USD/' + rate.currency : rate.pair;
      const value = this.perUsd ? Number(rate.perUsd) : Number(rate.rate);
      // A change from a publication more than a week earlier (a bank back after a pause) is no day's move: a dash.
      const gap = rate.previousAsOf ? (Date.parse(rate.asOf) - Date.parse(rate.previousAsOf)) / 86400000 : null;
      const distant = gap !== null && gap > 7;
      let change = rate.changePercent == null || distant ? null : Number(rate.changePercent);
      // changePercent is the move of X/USD; USD/X moves the other way: 1 / (1 + c) - 1.
      if (change !== null && this.perUsd) change = (1 / (1 + change / 100) - 1) * 100;
      const rounded = change === null ? null : Math.round(change * 100) / 100;
      const direction = rounded === null || rounded === 0 ? 'flat' : rounded > 0 ? 'up' : 'down';
      const pct = (sign) => this.intl('NumberFormat', { style: 'percent', maximumFractionDigits: 2, signDisplay: sign },
        rounded / 100);
      const text = rounded === null ? '—' : { up: '▲ ', down: '▼ ', flat: '= ' }[direction] + pct('exceptZero');
      const words = rounded === null ? (distant ? w.gap : w.none) : w[direction] + (direction === 'flat' ? '' : ' ' + pct('never'));
      const name = this.names[rate.currency] ? this.names[rate.currency] + ' (' + pair + ')' : pair;
      const shown = this.format(value);
      const title = `${name} ${shown} — ${fill(w.official, this.date(rate.asOf), w[rate.source] || rate.source)}` +
        (distant ? '; ' + fill(w.gapTitle, this.date(rate.previousAsOf)) : '') +
        (rate.stale ? '; ' + w.stale + ', ' + fill(w.staleTitle, this.date(rate.fetchedAt, true)) : '');
      const spoken = `${name}: ${shown}, ${words}${rate.stale ? ', ' + w.stale : ''}`;
      return { pair, value: shown, text, direction, title, spoken };
    }

    render(changed = []) {
      const w = this.words || dictionary('en');
      const items = this.order.filter((c) => this.rates.has(c)).map((c) => [c, this.view(this.rates.get(c))]);
      for (const list of this.lists) {
        list.replaceChildren(...items.map(([currency, v]) => {
          const rate = this.rates.get(currency);
          const li = document.createElement('li');
          li.part = 'item';
          li.className = `item ${v.direction}` + (rate.stale ? ' stale' : '') + (changed.includes(currency) ? ' changed' : '');
          li.dataset.currency = currency;
          li.title = v.title;
          li.innerHTML = '<span class="pair" part="pair"></span> <span class="value" part="value"></span> ' +
            '<span class="change" part="change"></span>';
          li.children[0].textContent = v.pair;
          li.children[1].textContent = v.value;
          li.children[2].textContent = v.text;
          if (rate.stale) li.children[1].after(' ', Object.assign(document.createElement('span'), { className: 'mark', textContent: `(${w.stale})` }));
          return li;
        }));
        // Until the rates come, a line of the same height: nothing moves when they do.
        if (!items.length) list.innerHTML = '<li class="hold">&nbsp;</li>';
      }
      this.viewport.setAttribute('aria-label', w.rates + (items.length ? '. ' + items.map(([, v]) => v.spoken).join('; ')
        : ': ' + w.loading));
      this.renderCredit(w);
      if (changed.length) setTimeout(() => this.shadowRoot.querySelectorAll('.changed')
        .forEach((li) => li.classList.remove('changed')), 1500);
      // A constant speed whatever the content: the animation covers one copy's width.
      const width = this.lists[0].getBoundingClientRect().width;
      if (width > 0) this.track.style.setProperty('--rt-duration', (width / this.speed).toFixed(2) + 's');
      // Nothing to scroll when everything fits: show it still.
      const fits = width > 0 && width <= this.viewport.getBoundingClientRect().width;
      this.toggleAttribute('paused', fits);
    }

    // The banks whose rates are shown, each linking to its site, as NBT's terms ask.
    renderCredit(w) {
      const abbr = w.abbr.split(',');
      const shown = new Set([...this.rates.values()].flatMap((r) => r.sources || [r.source]));
      this.credit.setAttribute('aria-label', w.sources);
      const links = Object.keys(BANKS).map((bank, i) => shown.has(bank) && Object.assign(document.createElement('a'),
        { href: 'https://' + BANKS[bank], target: '_blank', rel: 'noopener', textContent: abbr[i], title: w[bank] }));
      this.credit.replaceChildren(...links.filter(Boolean).flatMap((a, i) => i ? [' · ', a] : [a]));
    }
  }

  customElements.define('rate-ticker', RateTicker);
})();
