/**
 * The dashboard's content as HTML text, from the API's own views: the same functions render the page on the server
 * (the first paint, and every plain refresh when scripts are off) and in the browser on every update. Pure: no DOM,
 * no I/O, no imports but type-only ones and browser-safe siblings. CSP allows no inline style, so bars are SVG with
 * attribute geometry and colours come from classes.
 */
import type { AppView, HistoryEntryView, MigrationView } from '../cli/api-types.js';
import { durationText, esc, shortName, timeText } from './html.js';
import { reasonGuide } from './reason-guide.js';

export const OUTCOMES = ['succeeded', 'inProgress', 'pending', 'rolledBack', 'failed', 'skipped'] as const;
export const MIGRATION_STATUSES = ['Pending', 'Running', 'Paused', 'Completed', 'Failed', 'Canceled'] as const;
export const SORT_KEYS = ['app', 'plan', 'outcome', 'phase', 'downtime', 'reason'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export const PAGE_SIZE = 50;

/** What the page shows, all in its own URL's query (so a refresh shows the same). */
export interface ViewState {
  readonly migration: string | null;
  readonly app: string | null;
  /** App outcome filter. */
  readonly status: string | null;
  /** Text filter over app, plan, reason and message. */
  readonly q: string;
  readonly sort: SortKey;
  readonly dir: 'asc' | 'desc';
  readonly page: number;
  /** Migration status filter of the list. */
  readonly list: string | null;
}

export interface MigrationList {
  readonly value: readonly MigrationView[];
  readonly continuationToken: string | null;
}

type Query = { get(name: string): string | null };

export function readViewState(query: Query): ViewState {
  const sort = query.get('sort');
  const page = Number(query.get('page') ?? '1');
  const text = (name: string) => {
    const value = query.get(name);
    return value === null || value === '' ? null : value;
  };
  const status = text('status');
  const list = text('list');
  return {
    migration: text('migration'),
    app: text('app'),
    status: status !== null && (OUTCOMES as readonly string[]).includes(status) ? status : null,
    q: (query.get('q') ?? '').slice(0, 200),
    sort: (SORT_KEYS as readonly string[]).includes(sort ?? '') ? (sort as SortKey) : 'app',
    dir: query.get('dir') === 'desc' ? 'desc' : 'asc',
    page: Number.isInteger(page) && page > 0 ? page : 1,
    list: list !== null && (MIGRATION_STATUSES as readonly string[]).includes(list) ? list : null,
  };
}

/**
 * A link to this page in another state. `key` is the function key the page itself was opened with: it is kept in
 * links to this page only (a refresh and scriptless navigation need it), never in links elsewhere.
 */
export function pageHref(state: ViewState, change: Partial<ViewState>, key: string | null): string {
  const next = { ...state, ...change };
  const params = new URLSearchParams();
  if (next.list !== null) params.set('list', next.list);
  if (next.migration !== null) params.set('migration', next.migration);
  if (next.app !== null) params.set('app', next.app);
  if (next.status !== null) params.set('status', next.status);
  if (next.q !== '') params.set('q', next.q);
  if (next.sort !== 'app') params.set('sort', next.sort);
  if (next.dir !== 'asc') params.set('dir', next.dir);
  if (next.page !== 1) params.set('page', String(next.page));
  if (key !== null) params.set('code', key);
  const text = params.toString();
  return text === '' ? '?' : `?${text}`;
}

const OUTCOME_WORDS: Readonly<Record<string, string>> = {
  succeeded: 'Succeeded',
  inProgress: 'In progress',
  pending: 'Pending',
  rolledBack: 'Rolled back',
  failed: 'Failed',
  skipped: 'Skipped',
};

function countOf(summary: MigrationView['summary'], outcome: string): number {
  return (summary as unknown as Record<string, number | undefined>)[outcome] ?? 0;
}

export function renderMigrationList(list: MigrationList | null, state: ViewState, key: string | null): string {
  if (list === null) {
    return '<p class="note">The migration list is not available from this service yet (GET /api/migrations answered 404). Open a migration by its id:</p>' + openByIdForm(key);
  }
  const filter = `<form class="filters" method="get" data-form="list">
<label>Status <select name="list" data-focus-key="list-filter">${['', ...MIGRATION_STATUSES].map((s) => `<option value="${s}"${(state.list ?? '') === s ? ' selected' : ''}>${s === '' ? 'any' : s}</option>`).join('')}</select></label>
${hiddenKey(key)}<button type="submit">Filter</button></form>`;
  if (list.value.length === 0) return `${filter}<p class="note">No migrations${state.list === null ? '' : ` with status ${esc(state.list)}`} yet.</p>${openByIdForm(key)}`;
  const rows = list.value
    .map((m) => {
      const selected = m.id === state.migration;
      const done = countOf(m.summary, 'succeeded') + countOf(m.summary, 'rolledBack') + countOf(m.summary, 'failed') + countOf(m.summary, 'skipped');
      const failed = countOf(m.summary, 'rolledBack') + countOf(m.summary, 'failed');
      return `<tr${selected ? ' aria-current="true"' : ''}><td><a href="${esc(pageHref(state, { migration: m.id, app: null, page: 1, status: null, q: '' }, key))}" data-nav data-focus-key="m-${esc(m.id)}">${esc(m.id.slice(0, 8))}</a></td>
<td><span class="status s-${esc(m.status)}">${esc(m.status)}</span></td><td>${esc(timeText(m.createdTime).slice(5, 16))}</td>
<td class="num">${done}/${countOf(m.summary, 'total')}</td><td class="num${failed > 0 ? ' o-failed-t' : ''}">${failed}</td></tr>`;
    })
    .join('');
  return `${filter}<table class="list"><caption class="sr">Migrations, newest first</caption><thead><tr><th scope="col">Migration</th><th scope="col">Status</th><th scope="col">Created (UTC)</th><th scope="col" class="num">Done</th><th scope="col" class="num" title="Failed or rolled back">Failed</th></tr></thead><tbody>${rows}</tbody></table>
${list.continuationToken === null ? '' : '<button type="button" data-action="more-migrations" data-focus-key="more-migrations">More migrations</button>'}`;
}

function hiddenKey(key: string | null): string {
  return key === null ? '' : `<input type="hidden" name="code" value="${esc(key)}">`;
}

function openByIdForm(key: string | null): string {
  return `<form class="filters" method="get"><label>Migration id <input name="migration" required size="36" autocomplete="off"></label>${hiddenKey(key)}<button type="submit">Open</button></form>`;
}

/** The parts of one migration's view, each replaced on its own when it changes. */
export interface MigrationParts {
  readonly head: string;
  readonly progress: string;
  readonly failures: string;
  readonly histogram: string;
  readonly groups: string;
  readonly filters: string;
  readonly table: string;
  readonly gateways: string;
}

export const MIGRATION_PART_IDS: readonly (keyof MigrationParts)[] = ['head', 'progress', 'failures', 'histogram', 'groups', 'filters', 'table', 'gateways'];

export function renderMigration(m: MigrationView, apps: readonly AppView[], state: ViewState, key: string | null): MigrationParts {
  return {
    head: renderHead(m),
    progress: renderProgress(m),
    failures: renderFailures(apps, state, key),
    histogram: renderHistogram(apps),
    groups: renderGroups(apps, state, key),
    filters: renderFilters(state, key),
    table: renderAppTable(apps, state, key),
    gateways: renderGateways(m),
  };
}

function renderHead(m: MigrationView): string {
  const can = { pause: m.status === 'Running', resume: m.status === 'Paused', cancel: ['Pending', 'Running', 'Paused'].includes(m.status) };
  const button = (action: keyof typeof can, label: string) =>
    `<button type="button" data-action="${action}" data-focus-key="action-${action}"${can[action] ? '' : ' disabled'}>${label}</button>`;
  const breaker = m.breaker as { failures?: number; threshold?: number } | null;
  return `<h2>Migration <code>${esc(m.id)}</code> <span class="status s-${esc(m.status)}" data-migration-status>${esc(m.status)}</span></h2>
<p class="meta">Created ${esc(timeText(m.createdTime))} · updated ${esc(timeText(m.lastUpdatedTime))} · up to ${esc(m.request.maxParallel)} plan groups at a time · pauses after ${esc(m.request.failureThreshold)} failures${breaker !== null && breaker.failures !== undefined ? ` · <strong>circuit breaker: ${esc(breaker.failures)} failures</strong>` : ''}</p>
${m.error === null ? '' : `<p class="problem" role="alert">${esc((m.error as { message?: string }).message ?? JSON.stringify(m.error))}</p>`}
<div class="actions" role="group" aria-label="Control the migration">${button('pause', 'Pause')}${button('resume', 'Resume')}${button('cancel', 'Cancel')}</div>`;
}

function renderProgress(m: MigrationView): string {
  const total = Math.max(countOf(m.summary, 'total'), 1);
  let x = 0;
  const bars = OUTCOMES.map((o) => {
    const width = (countOf(m.summary, o) / total) * 1000;
    const rect = width > 0 ? `<rect class="o-${o}" x="${x.toFixed(1)}" y="0" width="${width.toFixed(1)}" height="24"><title>${OUTCOME_WORDS[o]}: ${countOf(m.summary, o)}</title></rect>` : '';
    x += width;
    return rect;
  }).join('');
  const legend = OUTCOMES.map(
    (o) => `<li><span class="swatch o-${o}" aria-hidden="true"></span>${OUTCOME_WORDS[o]} <strong data-count="${o}">${countOf(m.summary, o)}</strong></li>`,
  ).join('');
  const plan = m.plan as { migrate?: number; skip?: number; blocked?: number; groups?: number } | null;
  return `<h3>Progress</h3><svg class="bar" viewBox="0 0 1000 24" preserveAspectRatio="none" role="img" aria-label="Apps by outcome">${bars}</svg>
<ul class="legend">${legend}<li>Total <strong data-count="total">${countOf(m.summary, 'total')}</strong></li></ul>
${plan === null ? '' : `<p class="meta">Plan: ${esc(plan.migrate ?? 0)} to migrate in ${esc(plan.groups ?? 0)} plan groups, ${esc(plan.skip ?? 0)} skipped, ${esc(plan.blocked ?? 0)} blocked.</p>`}`;
}

function appLink(app: AppView, state: ViewState, key: string | null, text = shortName(app.appId)): string {
  return `<a href="${esc(pageHref(state, { app: app.appId }, key))}" data-nav data-focus-key="app-${esc(app.appId)}">${esc(text)}</a>`;
}

function reasonCell(code: string | null): string {
  if (code === null) return '';
  const guide = reasonGuide(code);
  return `<code>${esc(code)}</code>${guide === undefined ? '' : `<br><span class="why">${esc(guide.meaning)}</span>`}`;
}

function renderFailures(apps: readonly AppView[], state: ViewState, key: string | null): string {
  const bad = apps.filter((a) => a.outcome === 'failed' || a.outcome === 'rolledBack' || a.needsAttention);
  if (bad.length === 0) return '<h3>Failures and rollbacks</h3><p class="note">None.</p>';
  const rows = bad
    .slice(0, 200)
    .map(
      (a) => `<tr><td>${appLink(a, state, key)}${a.needsAttention ? ' <strong class="attention">needs attention</strong>' : ''}</td><td><span class="pill o-${esc(a.outcome)}">${esc(OUTCOME_WORDS[a.outcome] ?? a.outcome)}</span></td>
<td>${reasonCell(a.reasonCode)}${reasonGuide(a.reasonCode) === undefined ? '' : `<br><span class="fix">Fix: ${esc(reasonGuide(a.reasonCode)?.fix)}</span>`}</td><td class="msg">${esc(a.message)}${a.difference.length === 0 ? '' : `<br>Differs from snapshot: ${esc(a.difference.join('; '))}`}</td></tr>`,
    )
    .join('');
  return `<h3>Failures and rollbacks <span class="count">(${bad.length})</span></h3><table><thead><tr><th scope="col">App</th><th scope="col">Outcome</th><th scope="col">Reason</th><th scope="col">App Service's message</th></tr></thead><tbody>${rows}</tbody></table>${bad.length > 200 ? `<p class="note">First 200 of ${bad.length}: filter the apps table by outcome for the rest.</p>` : ''}`;
}

/** Upper bounds (seconds) of the downtime histogram's bins; the last is open-ended. */
export const DOWNTIME_BINS = [5, 10, 20, 30, 45, 60, 90, 120, 180, 300] as const;

export function downtimeHistogram(apps: readonly AppView[]): { label: string; count: number }[] {
  const bins = [...DOWNTIME_BINS.map((upper, i) => ({ label: `${i === 0 ? 0 : DOWNTIME_BINS[i - 1]}–${upper} s`, count: 0 })), { label: `> ${DOWNTIME_BINS[DOWNTIME_BINS.length - 1]} s`, count: 0 }];
  for (const app of apps) {
    if (app.downtimeSeconds === null) continue;
    const seconds = app.downtimeSeconds;
    const index = DOWNTIME_BINS.findIndex((upper) => seconds < upper);
    const bin = bins[index === -1 ? bins.length - 1 : index];
    if (bin !== undefined) bin.count += 1;
  }
  return bins;
}

function renderHistogram(apps: readonly AppView[]): string {
  const bins = downtimeHistogram(apps);
  const measured = apps.filter((a) => a.downtimeSeconds !== null).map((a) => a.downtimeSeconds ?? 0);
  if (measured.length === 0) return '<h3>Downtime</h3><p class="note">No app has moved yet.</p>';
  const max = Math.max(...bins.map((b) => b.count), 1);
  const width = 1000 / bins.length;
  const bars = bins
    .map((b, i) => {
      const height = (b.count / max) * 135;
      return `<g><rect class="hist" x="${(i * width + 4).toFixed(1)}" y="${(160 - height).toFixed(1)}" width="${(width - 8).toFixed(1)}" height="${height.toFixed(1)}"><title>${esc(b.label)}: ${b.count} apps</title></rect>
<text x="${(i * width + width / 2).toFixed(1)}" y="${(155 - height).toFixed(1)}" text-anchor="middle">${b.count === 0 ? '' : b.count}</text><text x="${(i * width + width / 2).toFixed(1)}" y="180" text-anchor="middle">${esc(b.label)}</text></g>`;
    })
    .join('');
  const sorted = [...measured].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
  return `<h3>Downtime</h3><p class="meta">${measured.length} apps measured · median ${esc(durationText(median))} · max ${esc(durationText(sorted[sorted.length - 1]))}</p>
<svg class="histogram" viewBox="0 0 1000 190" role="img" aria-label="Apps by downtime: ${esc(bins.filter((b) => b.count > 0).map((b) => `${b.label}: ${b.count}`).join(', '))}">${bars}</svg>`;
}

function renderGroups(apps: readonly AppView[], state: ViewState, key: string | null): string {
  const groups = new Map<string, AppView[]>();
  for (const app of apps) {
    const list = groups.get(app.planId) ?? [];
    list.push(app);
    groups.set(app.planId, list);
  }
  if (groups.size === 0) return '<h3>Plan groups</h3><p class="note">No plan yet: discovery and planning run first.</p>';
  const rows = [...groups.entries()]
    .map(([planId, members]) => {
      const done = members.filter((a) => a.outcome !== 'pending' && a.outcome !== 'inProgress').length;
      const chips = members
        .map(
          (a) =>
            `<a class="chip o-${esc(a.outcome)}" href="${esc(pageHref(state, { app: a.appId }, key))}" data-nav title="${esc(`${shortName(a.appId)}: ${a.phase}, ${OUTCOME_WORDS[a.outcome] ?? a.outcome}`)}"><span class="sr">${esc(shortName(a.appId))} </span>${esc(a.phase)}</a>`,
        )
        .join('');
      return `<li><span class="plan">${esc(shortName(planId))}</span> <span class="count">${done}/${members.length}</span><div class="chips">${chips}</div></li>`;
    })
    .join('');
  return `<h3>Plan groups <span class="count">(${groups.size})</span></h3><ul class="groups">${rows}</ul>`;
}

function renderFilters(state: ViewState, key: string | null): string {
  const statusOptions = ['', ...OUTCOMES].map((o) => `<option value="${o}"${(state.status ?? '') === o ? ' selected' : ''}>${o === '' ? 'any' : OUTCOME_WORDS[o]}</option>`).join('');
  return `<form class="filters" method="get" data-form="apps" role="search">
<input type="hidden" name="migration" value="${esc(state.migration)}">
<label>Outcome <select name="status" data-focus-key="status-filter">${statusOptions}</select></label>
<label>Find <input name="q" value="${esc(state.q)}" type="search" placeholder="app, plan, reason, message" data-focus-key="q-filter" autocomplete="off"></label>
${state.sort === 'app' ? '' : `<input type="hidden" name="sort" value="${esc(state.sort)}">`}${state.dir === 'asc' ? '' : '<input type="hidden" name="dir" value="desc">'}
${hiddenKey(key)}<button type="submit">Filter</button></form>`;
}

function sortValue(app: AppView, key: SortKey): string | number {
  switch (key) {
    case 'plan':
      return shortName(app.planId).toLowerCase();
    case 'outcome':
      return OUTCOMES.indexOf(app.outcome);
    case 'phase':
      return app.phase;
    case 'downtime':
      return app.downtimeSeconds ?? -1;
    case 'reason':
      return app.reasonCode ?? '';
    case 'app':
      return shortName(app.appId).toLowerCase();
  }
}

/** Filtered and sorted apps (stable: ties keep plan order). */
export function selectApps(apps: readonly AppView[], state: ViewState): AppView[] {
  const q = state.q.trim().toLowerCase();
  const kept = apps.filter(
    (a) =>
      (state.status === null || a.outcome === state.status) &&
      (q === '' || [a.appId, a.planId, a.reasonCode ?? '', a.message ?? '', a.phase].some((field) => field.toLowerCase().includes(q))),
  );
  const sign = state.dir === 'desc' ? -1 : 1;
  return kept
    .map((app, index) => ({ app, index, value: sortValue(app, state.sort) }))
    .sort((a, b) => (a.value < b.value ? -sign : a.value > b.value ? sign : a.index - b.index))
    .map((e) => e.app);
}

function renderAppTable(apps: readonly AppView[], state: ViewState, key: string | null): string {
  const selected = selectApps(apps, state);
  const pages = Math.max(1, Math.ceil(selected.length / PAGE_SIZE));
  const page = Math.min(state.page, pages);
  const shown = selected.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const header = (sortKey: SortKey, label: string) => {
    const active = state.sort === sortKey;
    const dir = active && state.dir === 'asc' ? 'desc' : 'asc';
    return `<th scope="col"${active ? ` aria-sort="${state.dir === 'asc' ? 'ascending' : 'descending'}"` : ''}><a href="${esc(pageHref(state, { sort: sortKey, dir, page: 1 }, key))}" data-nav data-focus-key="sort-${sortKey}">${label}${active ? (state.dir === 'asc' ? ' ▲' : ' ▼') : ''}</a></th>`;
  };
  const rows = shown
    .map(
      (a) => `<tr><td>${appLink(a, state, key)}</td><td>${esc(shortName(a.planId))}</td><td><span class="pill o-${esc(a.outcome)}">${esc(OUTCOME_WORDS[a.outcome] ?? a.outcome)}</span></td><td>${esc(a.phase)}</td>
<td class="num">${esc(durationText(a.downtimeSeconds))}</td><td>${a.reasonCode === null ? '' : `<code title="${esc(reasonGuide(a.reasonCode)?.meaning ?? '')}">${esc(a.reasonCode)}</code>`}</td><td class="msg">${esc(a.message)}</td></tr>`,
    )
    .join('');
  const pager =
    pages <= 1
      ? ''
      : `<nav class="pager" aria-label="Apps pages">${page > 1 ? `<a href="${esc(pageHref(state, { page: page - 1 }, key))}" data-nav data-focus-key="page-prev">Previous</a>` : ''}
<span>Page ${page} of ${pages}</span>${page < pages ? `<a href="${esc(pageHref(state, { page: page + 1 }, key))}" data-nav data-focus-key="page-next">Next</a>` : ''}</nav>`;
  return `<p class="meta" data-apps-shown="${selected.length}">${selected.length} of ${apps.length} apps${selected.length === apps.length ? '' : ' match'}.</p>
<table class="apps"><thead><tr>${header('app', 'App')}${header('plan', 'Plan')}${header('outcome', 'Outcome')}${header('phase', 'Phase')}${header('downtime', 'Downtime')}${header('reason', 'Reason')}<th scope="col">Message</th></tr></thead><tbody>${rows}</tbody></table>${pager}`;
}

function renderGateways(m: MigrationView): string {
  const report = m.gatewayReport as {
    gateways: { gatewayId: string; vnetId: string; sku: string; appsMoved: number; appsStillUsing: string[]; unused: boolean; estimatedMonthlySavingUsd: number | null }[];
    unusedCount: number;
    estimatedMonthlySavingUsd: number;
    note: string;
  } | null;
  if (report === null) return '<h3>VPN gateways</h3><p class="note">The gateway report comes when the migration finishes.</p>';
  const rows = report.gateways
    .map(
      (g) => `<tr><td>${esc(shortName(g.gatewayId))}</td><td>${esc(shortName(g.vnetId))}</td><td>${esc(g.sku)}</td><td class="num">${g.appsMoved}</td><td class="num">${g.appsStillUsing.length}</td>
<td>${g.unused ? '<strong>unused</strong>' : 'in use'}</td><td class="num">${g.estimatedMonthlySavingUsd === null ? 'unknown SKU' : `$${g.estimatedMonthlySavingUsd}`}</td></tr>`,
    )
    .join('');
  return `<h3>VPN gateways</h3><p><strong data-figure="unusedGateways">${report.unusedCount}</strong> gateways no app here uses any more: about <strong data-figure="monthlySavingUsd">$${report.estimatedMonthlySavingUsd}</strong> a month.</p>
<table><thead><tr><th scope="col">Gateway</th><th scope="col">VNet</th><th scope="col">SKU</th><th scope="col">Apps moved</th><th scope="col">Still using</th><th scope="col">State</th><th scope="col">Monthly</th></tr></thead><tbody>${rows}</tbody></table><p class="note">${esc(report.note)}</p>`;
}

export const TIMELINE_STEPS = ['snapshot', 'routing', 'disconnect', 'connect', 'verify', 'cleanup', 'rollback'] as const;

/** Which timeline step an audit entry belongs to (its action text is the engine's). */
export function timelineStep(action: string): (typeof TIMELINE_STEPS)[number] | 'other' {
  const a = action.toLowerCase();
  if (/restore|roll ?back|compensat|reconnect|disconnect regional/.test(a)) return 'rollback';
  if (a.includes('snapshot')) return 'snapshot';
  if (a.includes('legacy')) return 'cleanup';
  if (a.includes('routing')) return 'routing';
  if (a.includes('disconnect')) return 'disconnect';
  if (a.includes('connect')) return 'connect';
  if (a.includes('verif')) return 'verify';
  return 'other';
}

export function renderApp(app: AppView | undefined, appId: string, history: readonly HistoryEntryView[] | null, state: ViewState, key: string | null): string {
  const close = `<a href="${esc(pageHref(state, { app: null }, key))}" data-nav data-focus-key="close-app">Back to the migration</a>`;
  const head = `<h2>App <code>${esc(shortName(appId))}</code></h2><p class="meta">${esc(appId)}</p>`;
  const facts =
    app === undefined
      ? '<p class="note">This app is not in the selected migration.</p>'
      : `<dl class="facts"><dt>Outcome</dt><dd><span class="pill o-${esc(app.outcome)}">${esc(OUTCOME_WORDS[app.outcome] ?? app.outcome)}</span> (phase ${esc(app.phase)})</dd>
<dt>Plan</dt><dd>${esc(shortName(app.planId))}</dd><dt>Target subnet</dt><dd>${esc(app.subnetId ?? '')}</dd><dt>Downtime</dt><dd>${esc(durationText(app.downtimeSeconds))}</dd>
${app.reasonCode === null ? '' : `<dt>Reason</dt><dd>${reasonCell(app.reasonCode)}${reasonGuide(app.reasonCode) === undefined ? '' : `<br><span class="fix">Fix: ${esc(reasonGuide(app.reasonCode)?.fix)}</span>`}</dd>`}
${app.message === null ? '' : `<dt>Message</dt><dd class="msg">${esc(app.message)}</dd>`}
${app.advice.length === 0 ? '' : `<dt>Advice</dt><dd><ul>${app.advice.map((line) => `<li>${esc(line)}</li>`).join('')}</ul></dd>`}</dl>`;
  const steps: { step: string; time: string | null; text: string; outcome: string }[] = [];
  if (app?.startedTime) steps.push({ step: 'snapshot', time: app.startedTime, text: 'Started: networking snapshot and health baseline', outcome: 'applied' });
  for (const entry of history ?? []) {
    if (state.migration !== null && entry.migrationId !== state.migration) continue;
    steps.push({ step: timelineStep(entry.action), time: entry.time, text: entry.action + (entry.message === null ? '' : `: ${entry.message}`), outcome: entry.outcome });
  }
  if (app?.finishedTime) steps.push({ step: app.outcome === 'rolledBack' ? 'rollback' : 'verify', time: app.finishedTime, text: `Finished: ${OUTCOME_WORDS[app.outcome] ?? app.outcome}`, outcome: app.outcome });
  steps.sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''));
  const timeline =
    steps.length === 0
      ? '<p class="note">Nothing has happened to this app yet.</p>'
      : `<ol class="timeline">${steps.map((s) => `<li class="t-${esc(s.step)}"><span class="step">${esc(s.step)}</span> <time>${esc(timeText(s.time))}</time> <span class="pill">${esc(s.outcome)}</span> ${esc(s.text)}</li>`).join('')}</ol>`;
  const audit =
    history === null
      ? '<p class="note">The audit trail is not available from this service yet (GET /api/apps/{id}/history answered 404).</p>'
      : history.length === 0
        ? '<p class="note">No change recorded for this app.</p>'
        : `<table><thead><tr><th scope="col">Time (UTC)</th><th scope="col">Migration</th><th scope="col">Action</th><th scope="col">Outcome</th><th scope="col">Before → after</th><th scope="col">Message</th></tr></thead><tbody>${history
            .map(
              (h) =>
                `<tr><td>${esc(timeText(h.time))}</td><td><code>${esc(h.migrationId.slice(0, 8))}</code></td><td>${esc(h.action)}</td><td>${esc(h.outcome)}</td><td class="msg">${esc(JSON.stringify(h.before ?? null))} → ${esc(JSON.stringify(h.after ?? null))}</td><td class="msg">${esc(h.message ?? '')}</td></tr>`,
            )
            .join('')}</tbody></table>`;
  return `${close}${head}${facts}<h3>Timeline</h3>${timeline}<h3>Audit trail</h3>${audit}`;
}
