// The sage-kernel web dashboard: a job list and a job page (plan graph laid out with dagre, live per-operator
// rates, backpressure colouring, checkpoints, errors and the control buttons). It reads the REST API of the
// server that serves it, once a second, and sends the token as `Authorization: Bearer` once it was given.
'use strict';

(function () {
  const POLL_MS = 1000;
  const TOKEN_KEY = 'sage-kernel-token';
  const SVG = 'http://www.w3.org/2000/svg';
  const app = document.getElementById('app');
  const healthLabel = document.getElementById('server-health');

  let token = sessionStorage.getItem(TOKEN_KEY);
  let tokenPrompt;
  let view;

  // ---- API ------------------------------------------------------------------------------------------------

  /** Asks for the token once (shared by every request waiting for it). */
  function askToken() {
    if (tokenPrompt !== undefined) return tokenPrompt;
    const dialog = document.getElementById('token-dialog');
    const input = document.getElementById('token-input');
    tokenPrompt = new Promise((resolve) => {
      document.getElementById('token-form').addEventListener(
        'submit',
        () => {
          token = input.value;
          sessionStorage.setItem(TOKEN_KEY, token);
          tokenPrompt = undefined;
          resolve();
        },
        { once: true },
      );
    });
    input.value = '';
    dialog.showModal();
    return tokenPrompt;
  }

  /** Calls the REST API; asks for the token on 401 and tries again. Resolves with { status, body }. */
  async function api(method, path) {
    for (;;) {
      const headers = {};
      if (token) headers.Authorization = `Bearer ${token}`;
      const response = await fetch(path, { method, headers, cache: 'no-store' });
      if (response.status === 401) {
        await askToken();
        continue;
      }
      let body;
      try {
        body = await response.json();
      } catch {
        body = {};
      }
      return { status: response.status, body };
    }
  }

  // ---- DOM helpers ----------------------------------------------------------------------------------------

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') el.textContent = String(v);
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) if (c !== undefined && c !== null) el.append(c);
    return el;
  }

  function s(tag, attrs) {
    const el = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
    return el;
  }

  function formatCount(n) {
    if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
    if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
    if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
    return String(Math.round(n));
  }

  function formatRate(r) {
    if (r === undefined) return '–';
    return `${r >= 100 ? Math.round(r) : r.toFixed(1)}/s`;
  }

  function formatDuration(ms) {
    const sec = Math.floor(ms / 1000);
    if (sec < 60) return `${sec}s`;
    if (sec < 3600) return `${Math.floor(sec / 60)}m ${sec % 60}s`;
    return `${Math.floor(sec / 3600)}h ${Math.floor((sec % 3600) / 60)}m`;
  }

  function formatBytes(b) {
    if (b >= 1048576) return `${(b / 1048576).toFixed(1)} MiB`;
    if (b >= 1024) return `${(b / 1024).toFixed(1)} KiB`;
    return `${b} B`;
  }

  /** Fill colour for a backpressure ratio: green (free) through amber to red (always pressed). */
  function pressureColour(ratio) {
    const r = Math.max(0, Math.min(1, ratio || 0));
    const hue = 130 - 130 * r;
    return `hsl(${hue.toFixed(0)}, 65%, ${(88 - 18 * r).toFixed(0)}%)`;
  }

  function setText(el, text) {
    if (el.textContent !== text) el.textContent = text;
  }

  // ---- polling --------------------------------------------------------------------------------------------

  /** Runs `tick` now and then every POLL_MS until the view changes. */
  function poll(owner, tick) {
    const run = async () => {
      if (view !== owner) return;
      try {
        await tick();
      } catch (e) {
        healthLabel.textContent = `unreachable: ${e.message}`;
      }
      if (view === owner) setTimeout(run, POLL_MS);
    };
    void run();
  }

  async function refreshHealth() {
    try {
      const response = await fetch('health', { cache: 'no-store' });
      const body = await response.json();
      const d = body.daemon_status;
      healthLabel.textContent = `${d.status} · ${d.jobs} jobs · ${d.running} running · up ${formatDuration(d.uptimeMs)}`;
    } catch {
      healthLabel.textContent = 'server unreachable';
    }
  }

  // ---- job list -------------------------------------------------------------------------------------------

  function showJobList() {
    const owner = {};
    view = owner;
    const tbody = h('tbody', { id: 'job-rows' });
    const empty = h('p', {
      class: 'empty',
      text: 'No jobs yet. Submit one with `sage job submit` or POST /jobs.',
    });
    const total = h('span', { class: 'empty' });
    app.replaceChildren(
      h(
        'section',
        { class: 'panel' },
        h('div', { class: 'job-head' }, h('h1', { text: 'Jobs' }), total),
        h(
          'table',
          { id: 'job-list' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { text: 'Name' }),
              h('th', { text: 'Status' }),
              h('th', { text: 'Started' }),
              h('th', { text: 'Job id' }),
            ),
          ),
          tbody,
        ),
        empty,
      ),
    );
    poll(owner, async () => {
      await refreshHealth();
      const { body } = await api('GET', 'jobs?limit=1000');
      if (view !== owner) return;
      const jobs = body.jobs || [];
      empty.hidden = jobs.length > 0;
      setText(total, `${body.total ?? 0} in all`);
      tbody.replaceChildren(
        ...jobs
          .slice()
          .reverse()
          .map((job) =>
            h(
              'tr',
              { 'data-job': job.uuid },
              h('td', {}, h('a', { href: `#/jobs/${encodeURIComponent(job.uuid)}`, text: job.name })),
              h('td', {}, h('span', { class: 'badge', 'data-status': job.status, text: job.status })),
              h('td', { text: new Date(job.startTime).toLocaleString() }),
              h('td', { class: 'mono', text: job.uuid }),
            ),
          ),
      );
    });
  }

  // ---- job page -------------------------------------------------------------------------------------------

  function showJob(uuid) {
    const owner = {};
    view = owner;
    const path = `jobs/${encodeURIComponent(uuid)}`;
    const title = h('h1', { id: 'job-name', text: '…' });
    const badge = h('span', { id: 'job-status', class: 'badge', text: '…' });
    const message = h('div', { id: 'action-message', class: 'message' });
    const buttons = {};
    for (const action of ['pause', 'continue', 'stop', 'savepoint']) {
      buttons[action] = h('button', {
        type: 'button',
        'data-action': action,
        text: action[0].toUpperCase() + action.slice(1),
        onclick: () => void act(action),
      });
    }
    const cards = {};
    const cardEls = [
      ['uptime', 'Uptime'],
      ['in-rate', 'Records in / s'],
      ['out-rate', 'Records out / s'],
      ['errors', 'Errors'],
      ['queued', 'Queued'],
      ['checkpoints', 'Checkpoints'],
      ['restarts', 'Restarts'],
    ].map(([key, label]) => {
      cards[key] = h('div', { class: 'value', 'data-card': key, text: '–' });
      return h('div', { class: 'card' }, h('div', { class: 'label', text: label }), cards[key]);
    });
    const svg = s('svg', { id: 'plan-graph', role: 'img', 'aria-label': 'physical plan' });
    const operatorRows = h('tbody', { id: 'operator-rows' });
    const serviceRows = h('tbody', { id: 'service-rows' });
    const checkpointFacts = h('dl', { class: 'facts', id: 'checkpoints' });
    const errorList = h('ul', { class: 'error-list', id: 'errors' });
    app.replaceChildren(
      h(
        'section',
        { class: 'panel' },
        h(
          'div',
          { class: 'job-head' },
          h('a', { href: '#/', text: '← Jobs' }),
          title,
          badge,
          h('span', { class: 'uuid', text: uuid }),
          h('div', { class: 'actions' }, ...Object.values(buttons)),
        ),
        message,
      ),
      h('div', { class: 'cards' }, ...cardEls),
      h(
        'section',
        { class: 'panel' },
        h('h2', { text: 'Physical plan' }),
        h('div', { class: 'graph-wrap' }, svg),
        h(
          'div',
          { class: 'legend' },
          h('span', { text: 'Backpressure:' }),
          h('span', {}, swatch(0), 'free'),
          h('span', {}, swatch(0.5), 'half the time'),
          h('span', {}, swatch(1), 'always pressed'),
          h('span', { text: '×N parallel instances · edge label: partitioning' }),
        ),
      ),
      h(
        'section',
        { class: 'panel' },
        h('h2', { text: 'Operators' }),
        h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...['Operator', 'Vertex', 'Instances'].map((t) => h('th', { text: t })),
              ...['In / s', 'Out / s', 'In', 'Out', 'Filtered', 'Errors', 'Queue', 'In flight'].map((t) =>
                h('th', { class: 'num', text: t }),
              ),
              h('th', { text: 'Backpressure' }),
            ),
          ),
          operatorRows,
        ),
      ),
      h(
        'div',
        { class: 'two-cols' },
        h('section', { class: 'panel' }, h('h2', { text: 'Checkpoints' }), checkpointFacts),
        h('section', { class: 'panel' }, h('h2', { text: 'Errors' }), errorList),
      ),
      h(
        'section',
        { class: 'panel' },
        h('h2', { text: 'Services' }),
        h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { text: 'Service' }),
              ...['Calls', 'Errors', 'Timeouts', 'Pending', 'p50 ms', 'p99 ms'].map((t) =>
                h('th', { class: 'num', text: t }),
              ),
            ),
          ),
          serviceRows,
        ),
      ),
    );

    let graph;
    let previous;

    function swatch(ratio) {
      const el = h('span', { class: 'swatch' });
      el.style.background = pressureColour(ratio);
      return el;
    }

    function say(text, isError) {
      message.className = isError ? 'message error' : 'message';
      message.replaceChildren(text);
    }

    async function act(action) {
      for (const b of Object.values(buttons)) b.disabled = true;
      let answer;
      try {
        answer = await api('POST', `${path}/${action}`);
      } catch (e) {
        say(`${action} failed: ${e.message}`, true);
        return;
      }
      const { status, body } = answer;
      if (status !== 200) {
        say(`${action} failed: ${body.message || status}`, true);
      } else if (action === 'savepoint') {
        const text = JSON.stringify(body.savepoint, null, 2);
        const link = h('a', {
          href: URL.createObjectURL(new Blob([text], { type: 'application/json' })),
          download: `savepoint-${uuid}-${Date.now()}.json`,
          text: 'download it',
        });
        const line = h('span', { text: `Savepoint taken (${formatBytes(text.length)}): ` });
        line.append(link);
        say(line, false);
      } else {
        say(`${action}: job is now ${body.job_status.status}`, false);
      }
      await tick();
    }

    function updateButtons(state) {
      buttons.pause.disabled = state !== 'running';
      buttons.continue.disabled = state !== 'paused';
      buttons.stop.disabled = !(state === 'running' || state === 'paused' || state === 'initializing');
      buttons.savepoint.disabled = false;
    }

    async function tick() {
      const [job, metrics] = await Promise.all([api('GET', path), api('GET', `${path}/metrics`)]);
      if (view !== owner) return;
      if (job.status === 404) {
        app.replaceChildren(
          h(
            'section',
            { class: 'panel' },
            h('h1', { text: 'Job not found' }),
            h('p', { text: `No job ${uuid} on this server (it may have been deleted).` }),
            h('a', { href: '#/', text: '← Jobs' }),
          ),
        );
        view = undefined;
        return;
      }
      const status = job.body;
      const numbers = metrics.body;
      const now = performance.now();
      setText(title, status.name);
      setText(badge, status.status);
      badge.setAttribute('data-status', status.status);
      updateButtons(status.status);
      graph ??= buildGraph(svg, status.plan);

      // Sum the instances per operator; rates come from the server (1 s and 1 min), or from the previous poll
      // when it sends none.
      const operators = new Map();
      for (const i of numbers.instances || []) {
        let o = operators.get(i.operator);
        if (o === undefined) {
          o = {
            operator: i.operator,
            vertex: i.vertex,
            instances: 0,
            source: i.source,
            in: 0,
            out: 0,
            filtered: 0,
            errors: 0,
            queue: 0,
            inFlight: 0,
            pressure: 0,
            serverRates: typeof i.outRate1s === 'number',
            inRate1s: 0,
            outRate1s: 0,
            inRate1m: 0,
            outRate1m: 0,
            perInstance: [],
          };
          operators.set(i.operator, o);
        }
        o.instances++;
        o.perInstance.push(
          `#${i.instance}: in ${i.in}, out ${i.out}, errors ${i.errors}, queue ${i.queueLength}, ` +
            `in flight ${i.inFlight}, out/s ${formatRate(i.outRate1s)} (1 min ${formatRate(i.outRate1m)}), ` +
            `pressed ${Math.round(i.backpressureRatio * 100)}%`,
        );
        o.inFlight += i.inFlight;
        o.inRate1s += i.inRate1s ?? 0;
        o.outRate1s += i.outRate1s ?? 0;
        o.inRate1m += i.inRate1m ?? 0;
        o.outRate1m += i.outRate1m ?? 0;
        o.in += i.in;
        o.out += i.out;
        o.filtered += i.filtered;
        o.errors += i.errors;
        o.queue += i.queueLength;
        o.pressure = Math.max(o.pressure, i.backpressureRatio);
      }
      const running = status.status === 'running';
      for (const o of operators.values()) {
        const before = previous?.operators.get(o.operator);
        if (o.serverRates && (before !== undefined || o.outRate1s > 0 || o.inRate1s > 0)) {
          o.inRate = o.inRate1s;
          o.outRate = o.outRate1s;
        } else if (before !== undefined) {
          const dt = (now - previous.time) / 1000;
          o.inRate = running ? Math.max(0, (o.in - before.in) / dt) : 0;
          o.outRate = running ? Math.max(0, (o.out - before.out) / dt) : 0;
        }
      }
      previous = { time: now, operators };

      const list = [...operators.values()];
      const sources = list.filter((o) => o.source);
      const sinks = list.filter((o) => isSink(status.plan, o));
      const sum = (xs, f) =>
        xs.some((x) => f(x) === undefined) ? undefined : xs.reduce((a, x) => a + f(x), 0);
      setText(cards.uptime, formatDuration(numbers.uptimeMs ?? status.runtimeMs));
      setText(cards['in-rate'], formatRate(sum(sources, (o) => o.outRate)));
      setText(cards['out-rate'], formatRate(sum(sinks, (o) => o.inRate)));
      setText(cards.errors, formatCount(list.reduce((a, o) => a + o.errors, 0)));
      setText(cards.queued, formatCount(status.queued));
      setText(cards.checkpoints, formatCount(numbers.checkpoints?.count ?? 0));
      setText(cards.restarts, formatCount(numbers.restarts ?? 0));

      updateGraph(graph, status, operators);
      renderOperators(list);
      renderServices(numbers.services || []);
      renderCheckpoints(numbers.checkpoints || {});
      renderErrors(status, numbers, list);
    }

    function renderOperators(list) {
      operatorRows.replaceChildren(
        ...list.map((o) => {
          const bar = h('span', { class: 'bar' }, h('span'));
          bar.firstChild.style.width = `${Math.round(o.pressure * 100)}%`;
          bar.firstChild.style.background = pressureColour(o.pressure);
          return h(
            'tr',
            { 'data-operator': o.operator, title: o.perInstance.join('\n') },
            h('td', { text: o.operator }),
            h('td', { text: `#${o.vertex}` }),
            h('td', { text: `×${o.instances}` }),
            h('td', { class: 'num', 'data-field': 'in-rate', text: o.source ? '–' : formatRate(o.inRate) }),
            h('td', { class: 'num', 'data-field': 'out-rate', text: formatRate(o.outRate) }),
            h('td', { class: 'num', 'data-field': 'in', text: o.source ? '–' : formatCount(o.in) }),
            h('td', { class: 'num', 'data-field': 'out', text: formatCount(o.out) }),
            h('td', { class: 'num', text: formatCount(o.filtered) }),
            h('td', { class: 'num', 'data-field': 'errors', text: formatCount(o.errors) }),
            h('td', { class: 'num', text: formatCount(o.queue) }),
            h('td', { class: 'num', 'data-field': 'in-flight', text: formatCount(o.inFlight) }),
            h('td', {}, bar, `${Math.round(o.pressure * 100)}%`),
          );
        }),
      );
    }

    function renderServices(services) {
      if (services.length === 0) {
        serviceRows.replaceChildren(
          h('tr', {}, h('td', { class: 'empty', colspan: 7, text: 'No services.' })),
        );
        return;
      }
      serviceRows.replaceChildren(
        ...services.map((sv) =>
          h(
            'tr',
            { 'data-service': sv.service },
            h('td', { text: sv.service }),
            ...[sv.calls, sv.errors, sv.timeouts, sv.pending].map((n) =>
              h('td', { class: 'num', text: formatCount(n) }),
            ),
            h('td', { class: 'num', text: sv.latencyMs.p50.toFixed(1) }),
            h('td', { class: 'num', text: sv.latencyMs.p99.toFixed(1) }),
          ),
        ),
      );
    }

    function renderCheckpoints(c) {
      const facts = [
        ['Completed', formatCount(c.count ?? 0)],
        ['Failed', formatCount(c.failed ?? 0)],
        ['Last duration', c.count ? `${Math.round(c.lastDurationMs)} ms` : '–'],
        ['Last size', c.count ? formatBytes(c.lastSizeBytes) : '–'],
        ['Last completed', c.lastTime ? new Date(c.lastTime).toLocaleTimeString() : '–'],
      ];
      checkpointFacts.replaceChildren(
        ...facts.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })]),
      );
    }

    function renderErrors(status, numbers, list) {
      const items = [];
      if (status.error) {
        items.push(
          h(
            'li',
            {},
            h('div', { class: 'where', text: 'job failed' }),
            h('div', { class: 'text', text: status.error }),
          ),
        );
      }
      for (const e of (numbers.recentErrors || []).slice().reverse()) {
        items.push(
          h(
            'li',
            {},
            h('div', {
              class: 'where',
              text: `${new Date(e.time).toLocaleTimeString()} · ${e.operator} #${e.instance}`,
            }),
            h('div', { class: 'text', text: e.message }),
          ),
        );
      }
      for (const o of list.filter((x) => x.errors > 0)) {
        items.push(
          h(
            'li',
            {},
            h('div', { class: 'where', text: o.operator }),
            h('div', { class: 'text', text: `${o.errors} record errors` }),
          ),
        );
      }
      if (items.length === 0) items.push(h('li', { class: 'empty', text: 'No errors.' }));
      errorList.replaceChildren(...items);
    }

    poll(owner, async () => {
      await refreshHealth();
      await tick();
    });
  }

  /** True when `o` is the last operator of a vertex no other vertex reads from: where records leave the job. */
  function isSink(plan, o) {
    const vertex = plan.find((p) => p.vertex === o.vertex);
    if (vertex === undefined || vertex.operators[vertex.operators.length - 1] !== o.operator) return false;
    return !plan.some((p) => p.inputs.some((input) => input.from === o.vertex));
  }

  // ---- plan graph -----------------------------------------------------------------------------------------

  const LINE = 18;
  const CHAR = 7.2;

  /** Lays the plan out with dagre (left to right) and draws it once; `updateGraph` refreshes the numbers. */
  function buildGraph(svg, plan) {
    const g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 70, marginx: 12, marginy: 12 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const v of plan) {
      const longest = Math.max(...v.operators.map((o) => o.length + 10), 14);
      g.setNode(String(v.vertex), {
        width: longest * CHAR + 24,
        height: 30 + LINE * v.operators.length,
        vertex: v,
      });
    }
    for (const v of plan) {
      v.inputs.forEach((input, i) => {
        const label = input.partitioning;
        g.setEdge(
          String(input.from),
          String(v.vertex),
          { label, width: label.length * 6.5 + 8, height: 16, labelpos: 'c' },
          `${input.from}-${v.vertex}-${i}`,
        );
      });
    }
    dagre.layout(g);
    const { width, height } = g.graph();
    svg.setAttribute('width', String(Math.ceil(width)));
    svg.setAttribute('height', String(Math.ceil(height)));
    svg.setAttribute('viewBox', `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`);
    const defs = s('defs');
    const marker = s('marker', {
      id: 'arrow',
      viewBox: '0 0 10 10',
      refX: 9,
      refY: 5,
      markerWidth: 7,
      markerHeight: 7,
      orient: 'auto-start-reverse',
    });
    marker.append(s('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#64748b' }));
    defs.append(marker);
    svg.replaceChildren(defs);
    for (const e of g.edges()) {
      const edge = g.edge(e);
      const group = s('g', { class: 'edge', 'data-from': e.v, 'data-to': e.w });
      const d = edge.points
        .map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`)
        .join(' ');
      group.append(s('path', { d, 'marker-end': 'url(#arrow)' }));
      if (edge.x !== undefined) {
        group.append(
          s('rect', { x: edge.x - edge.width / 2, y: edge.y - 8, width: edge.width, height: 16, rx: 3 }),
        );
        const text = s('text', { x: edge.x, y: edge.y + 4, 'text-anchor': 'middle' });
        text.textContent = edge.label;
        group.append(text);
      }
      svg.append(group);
    }
    const nodes = new Map();
    for (const id of g.nodes()) {
      const n = g.node(id);
      const v = n.vertex;
      const x = n.x - n.width / 2;
      const y = n.y - n.height / 2;
      const group = s('g', {
        class: 'vertex',
        'data-vertex': v.vertex,
        transform: `translate(${x.toFixed(1)},${y.toFixed(1)})`,
      });
      const box = s('rect', { class: 'box', width: n.width, height: n.height, rx: 6 });
      box.setAttribute('fill', pressureColour(0));
      const titleText = s('text', { class: 'title', x: 10, y: 18 });
      titleText.textContent = `#${v.vertex}  ×${v.parallelism}`;
      const tip = s('title');
      tip.textContent = `vertex #${v.vertex}: ${v.operators.join(' → ')} (parallelism ${v.parallelism})`;
      group.append(tip, box, titleText);
      const rates = new Map();
      v.operators.forEach((op, i) => {
        const y0 = 36 + i * LINE;
        const name = s('text', { x: 10, y: y0 });
        name.textContent = `${i > 0 ? '↳ ' : ''}${op}`;
        const rate = s('text', {
          class: 'rate',
          x: n.width - 10,
          y: y0,
          'text-anchor': 'end',
          'data-operator': op,
        });
        rate.textContent = '–';
        group.append(name, rate);
        rates.set(op, rate);
      });
      svg.append(group);
      nodes.set(v.vertex, { box, rates, vertex: v });
    }
    return { nodes };
  }

  function updateGraph(graph, status, operators) {
    for (const { box, rates, vertex } of graph.nodes.values()) {
      let pressure = 0;
      for (const op of vertex.operators) {
        const o = operators.get(op);
        if (o === undefined) continue;
        pressure = Math.max(pressure, o.pressure);
        setText(rates.get(op), formatRate(o.source ? o.outRate : o.inRate));
      }
      box.setAttribute('fill', status.status === 'paused' ? '#e5e7eb' : pressureColour(pressure));
      box.setAttribute('data-pressure', pressure.toFixed(2));
    }
  }

  // ---- routing --------------------------------------------------------------------------------------------

  function route() {
    const match = /^#\/jobs\/([^/]+)$/.exec(location.hash);
    if (match) showJob(decodeURIComponent(match[1]));
    else showJobList();
  }

  // The token dialog stays until a token is given: requests wait for it.
  document.getElementById('token-dialog').addEventListener('cancel', (e) => e.preventDefault());
  window.addEventListener('hashchange', route);
  route();
})();
