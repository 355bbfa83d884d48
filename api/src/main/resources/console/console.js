// Breakglass console: plain JS against the operator API. The bearer token lives in this tab's
// sessionStorage and goes only into the Authorization header: never into a URL or the page.
'use strict';

(() => {
  const TOKEN_KEY = 'breakglass.token';
  const REFRESH_MS = 3000;
  const PHASES = ['PLAN', 'NOTIFY', 'BACKUP', 'GATE_PROCEED', 'CREATE_VERSION', 'DISTRIBUTE', 'PROMOTE',
    'REENCRYPT', 'VERIFY_DATA', 'SMOKE_TEST', 'METRIC_WATCH', 'GATE_REVOKE', 'REVOKE', 'CLOSE'];
  const DECIDERS = ['approver', 'admin'];
  const PROOF_TTL_SECONDS = 600;

  const $ = (id) => document.getElementById(id);
  let me = null;
  let shown = null; // the rotation status on screen, for the gate buttons

  /** An element with text children (never HTML: everything from the API is data). */
  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const child of children) {
      node.append(child instanceof Node ? child : String(child ?? ''));
    }
    return node;
  }

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(method, path, body) {
    const headers = { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN_KEY), Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, {
      method, headers, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = null;
    try {
      data = await response.json();
    } catch (ignored) {
      data = null;
    }
    if (!response.ok) {
      throw new ApiError(response.status, (data && data.message) || ('the API answered ' + response.status));
    }
    return data;
  }

  /** Instants come as epoch seconds (or ISO text); shown in UTC to the second. */
  function time(at) {
    if (at === null || at === undefined) return '';
    const date = typeof at === 'number' ? new Date(at * 1000) : new Date(at);
    return isNaN(date) ? String(at) : date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  }

  /** Durations come as seconds (or ISO-8601 text such as PT1M5S). */
  function duration(value) {
    if (value === null || value === undefined) return null;
    let seconds = value;
    if (typeof value === 'string') {
      const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(value);
      if (!m) return value;
      seconds = (+m[1] || 0) * 3600 + (+m[2] || 0) * 60 + (+m[3] || 0);
    }
    seconds = Math.max(0, Math.round(seconds));
    return seconds >= 60 ? Math.floor(seconds / 60) + 'm' + String(seconds % 60).padStart(2, '0') + 's' : seconds + 's';
  }

  function show(section) {
    for (const id of ['sign-in', 'list', 'rotation']) $(id).hidden = id !== section;
  }

  function fail(error) {
    if (error instanceof ApiError && error.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      me = null;
      signIn('The API did not accept the token: ' + error.message);
      return;
    }
    $('error').textContent = error.message;
  }

  function signIn(message) {
    $('who').textContent = '';
    $('sign-out').hidden = true;
    $('error').textContent = message || '';
    show('sign-in');
    $('token').focus();
  }

  async function route() {
    if (!sessionStorage.getItem(TOKEN_KEY)) {
      signIn();
      return;
    }
    try {
      if (!me) {
        me = await api('GET', '/api/me');
        $('who').textContent = me.name + ' (' + me.roles.slice().sort().join(', ') + ')';
        $('sign-out').hidden = false;
      }
      const match = /^#\/rotations\/([a-z0-9-]+)$/.exec(location.hash);
      if (match) {
        await rotation(match[1]);
      } else {
        await list();
      }
      $('error').textContent = '';
    } catch (error) {
      fail(error);
    }
  }

  async function list() {
    const rows = await api('GET', '/api/rotations');
    const body = $('rotations');
    body.replaceChildren(...rows.map((r) => {
      const link = el('a', null, r.rotationId);
      link.href = '#/rotations/' + encodeURIComponent(r.rotationId);
      return el('tr', null, el('td', null, link), el('td', null, r.kind), el('td', 'state-' + r.state, r.state),
        el('td', null, r.initiator), el('td', null, (r.secrets || []).join(', ')),
        el('td', null, time(r.startedAt)), el('td', null, time(r.endedAt)));
    }));
    $('no-rotations').hidden = rows.length > 0;
    show('list');
  }

  async function rotation(id) {
    const detail = await api('GET', '/api/rotations/' + encodeURIComponent(id));
    const status = detail.status;
    const record = detail.record || {};
    const source = status || record;
    shown = status;
    $('rotation-title').textContent = 'Rotation ' + id;
    const state = (status && status.state) || record.state;
    const failure = (status && status.failure) || record.failure;
    const facts = [['state', state], ['phase', status ? status.phase : ''], ['kind', source.kind],
      ['initiator', source.initiator], ['reason', record.reason], ['secrets', (source.secrets || []).join(', ')],
      ['started', time(record.startedAt)], ['ended', time(record.endedAt)]];
    if (failure) facts.push(['failure', failure]);
    $('summary').replaceChildren(...facts.flatMap(([name, value]) =>
      [el('dt', null, name), el('dd', name === 'state' ? 'state-' + value : null, value ?? '')]));
    if (!status) {
      $('summary').append(el('dt', null, 'live status'), el('dd', null, 'Temporal no longer knows this rotation; stored record shown'));
    }
    gate(status);
    approvals(status ? status.gates : []);
    waiting(status);
    progress(status ? status.progress : []);
    const timeline = status && status.timeline.length ? status.timeline : detail.storedTimeline;
    phases(timeline);
    compensations(status ? status.compensations : []);
    refusals(status ? status.refusals : []);
    $('timeline').replaceChildren(...timeline.map((e) => el('tr', null, el('td', null, e.seq), el('td', null, e.phase),
      el('td', null, e.outcome), el('td', null, e.actor), el('td', null, time(e.startedAt)),
      el('td', null, time(e.endedAt)), el('td', null, e.detail))));
    show('rotation');
  }

  /** Why the caller may not take {@code verdict} at {@code open}, when the status already tells; else null. */
  function refusal(verdict, status, open) {
    if (!me.roles.some((r) => DECIDERS.includes(r))) {
      return 'your roles (' + me.roles.join(', ') + ') do not allow gate decisions: approver or admin needed';
    }
    if (verdict === 'approve' && me.name === status.initiator) {
      return 'two-person rule: you started this rotation and may not approve it';
    }
    if (verdict === 'approve' && open.approvals.some((a) => a.approver === me.name)) {
      return 'you already approved this gate; the next approval must come from someone else';
    }
    return null;
  }

  function gate(status) {
    const open = status && status.pendingGate;
    $('gate').hidden = !open;
    if (!open) return;
    $('gate-title').textContent = 'Gate ' + open.gate + ': ' + open.approvals.length + '/' + open.required
      + ' approvals, times out ' + time(open.deadline);
    $('gate-approvals').replaceChildren(...open.approvals.map(approval));
    // A failed pre-flight: the proceed gate counts only approvals that override it.
    const failed = open.gate === 'PROCEED' && status.preflight && status.preflight.state === 'FAILED';
    $('override-row').hidden = !failed;
    $('preflight-reason').textContent = failed ? status.preflight.reason : '';
    if (!failed) $('override-preflight').checked = false;
    for (const verdict of ['approve', 'reject']) {
      const reason = refusal(verdict, status, open);
      $(verdict).disabled = reason !== null;
      $(verdict + '-reason').textContent = reason || '';
    }
  }

  /** One approval, and whether the workflow verified who gave it (when the status tells). */
  function approval(a) {
    const item = el('li', null, 'approved by ' + a.approver + ' at ' + time(a.at) + (a.comment ? ': ' + a.comment : ''));
    const how = verification(a.verification);
    if (a.verified === true || a.verified === false) {
      item.append(' ', el('span', a.verified ? 'verified' : 'unverified',
        '(' + (a.verified ? 'verified' : 'not verified') + (how ? ': ' + how : '') + ')'));
    } else if (how) {
      item.append(' ', el('span', null, '(' + how + ')'));
    }
    return item;
  }

  function verification(how) {
    if (typeof how === 'string') return how;
    if (how && typeof how === 'object') {
      return Object.values(how).filter((v) => v !== null && typeof v !== 'object').join(', ');
    }
    return '';
  }

  /** Every gate opened so far with its approvals, so the last decisions and their proofs stay in view. */
  function approvals(gates) {
    const items = (gates || []).map((g) => {
      const item = el('li', null, 'Gate ' + g.gate + ' ' + g.state + ' (' + g.approvals.length + '/' + g.required + ')');
      if (g.approvals.length) item.append(el('ul', null, ...g.approvals.map(approval)));
      return item;
    });
    $('approvals').replaceChildren(...items);
    $('approvals-section').hidden = items.length === 0;
  }

  /**
   * The proof for {@code verdict} at gate {@code open}: the pasted one, or a statement signed here
   * with the chosen key file; null when the user gave neither (an unsigned decision).
   */
  async function proofFor(verdict, open) {
    const pasted = $('proof').value.trim();
    const file = $('key-file').files[0];
    if (pasted && file) throw new Error('paste a proof or choose a key file, not both');
    if (pasted) return pasted;
    if (!file) return null;
    const keyId = $('key-id').value.trim();
    if (!keyId) throw new Error('give the key id your public key is registered under');
    const action = open.gate + ':' + (overrides(verdict) ? 'OVERRIDE' : verdict.toUpperCase());
    return BreakglassStatement.sign(await file.text(), keyId, me.name, shown.rotationId, action, PROOF_TTL_SECONDS);
  }

  /** Whether this decision overrides the proceed gate's failed pre-flight. */
  function overrides(verdict) {
    return verdict === 'approve' && !$('override-row').hidden && $('override-preflight').checked;
  }

  async function decide(verdict) {
    const open = shown && shown.pendingGate;
    if (!open) return;
    const message = $('decision-message');
    message.className = '';
    message.textContent = 'sending…';
    const body = { comment: $('comment').value };
    if (overrides(verdict)) body.overridePreflight = true;
    try {
      const proof = await proofFor(verdict, open);
      if (proof) body.proof = proof;
    } catch (error) {
      message.className = 'refused';
      message.textContent = 'No proof: ' + error.message;
      return;
    }
    try {
      const view = await api('POST', '/api/rotations/' + encodeURIComponent(shown.rotationId) + '/gates/' + open.gate
        + '/' + verdict, body);
      message.textContent = (verdict === 'approve' ? 'Approved' : 'Rejected') + ': gate ' + view.gate + ' is '
        + view.state + ' (' + view.approvals.length + '/' + view.required + ')' + (body.proof ? ', with a proof' : '');
      $('comment').value = '';
      $('proof').value = '';
      $('key-file').value = '';
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        fail(error);
        return;
      }
      message.className = 'refused';
      message.textContent = 'Refused (' + error.status + '): ' + error.message;
      return;
    }
    await route();
  }

  function waiting(status) {
    const items = [];
    if (status) {
      for (const d of status.pendingRestarts) items.push('a confirmed restart of ' + d + ' (operator: POST …/restarts/' + d + ')');
      if (status.pendingDecision) {
        items.push('a decision (' + status.pendingDecision.allowed.join(', ') + '): ' + status.pendingDecision.reason);
        for (const [action, consequence] of Object.entries(status.pendingDecision.consequences || {})) {
          items.push(action + ' means: ' + consequence);
        }
      }
    }
    $('waiting-items').replaceChildren(...items.map((t) => el('li', null, t)));
    $('waiting').hidden = items.length === 0;
  }

  function progress(sets) {
    $('progress').replaceChildren(...sets.map((p) => {
      const bar = el('progress');
      bar.max = Math.max(p.itemsPlanned, 1);
      bar.value = Math.min(p.itemsDone, bar.max);
      const pct = p.itemsPlanned > 0 ? Math.floor(100 * Math.min(p.itemsDone, p.itemsPlanned) / p.itemsPlanned) : 100;
      const eta = duration(p.remaining);
      const text = p.itemsDone + '/' + p.itemsPlanned + ' (' + pct + '%), ' + p.itemsPerSecond + ' items/s'
        + (eta ? ', ' + eta + ' left' : '') + ', shards ' + p.shardsDone + '/' + p.shardsTotal;
      const row = el('div', 'bar', el('span', 'data-set', p.dataSet), bar, el('span', 'numbers', text));
      row.dataset.dataSet = p.dataSet;
      return row;
    }));
    $('progress-section').hidden = sets.length === 0;
  }

  /** The fourteen phases, each with its latest outcome (RUNNING while it runs). */
  function phases(timeline) {
    const latest = {};
    for (const e of timeline) latest[e.phase] = e.outcome;
    $('phases').replaceChildren(...PHASES.map((p, i) => {
      const outcome = latest[p] || 'PENDING';
      return el('li', outcome, (i + 1) + ' ' + p + ': ' + outcome);
    }));
  }

  function compensations(list) {
    $('compensations').replaceChildren(...list.map((c) => el('li', null,
      c.phase + ' — ' + c.description + ': ' + c.state + (c.error ? ' (' + c.error + ')' : ''))));
    $('compensations-section').hidden = list.length === 0;
  }

  function refusals(list) {
    $('refusals').replaceChildren(...list.map((r) => el('li', null,
      time(r.at) + ' ' + r.signal + ' from ' + r.actor + ': ' + r.reason)));
    $('refusals-section').hidden = list.length === 0;
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('sign-in-form').addEventListener('submit', (event) => {
      event.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
      $('token').value = '';
      me = null;
      route();
    });
    $('sign-out').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      me = null;
      signIn('Signed out.');
    });
    $('approve').addEventListener('click', () => decide('approve'));
    $('reject').addEventListener('click', () => decide('reject'));
    $('refresh').addEventListener('click', route);
    window.addEventListener('hashchange', () => {
      $('decision-message').textContent = '';
      route();
    });
    setInterval(() => {
      if ($('auto-refresh').checked && sessionStorage.getItem(TOKEN_KEY)) route();
    }, REFRESH_MS);
    route();
  });
})();
