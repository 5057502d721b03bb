/**
 * The dashboard page as the server sends it: everything rendered (so the first paint needs no script, and with
 * scripts off a plain refresh every 10 s keeps it current), then /api/dashboard/assets/client.js takes over and
 * updates it in place.
 */
import type { AppView, HistoryEntryView, MigrationView } from '../cli/api-types.js';
import { esc } from './html.js';
import { MIGRATION_PART_IDS, pageHref, renderApp, renderMigration, renderMigrationList, type MigrationList, type ViewState } from './views.js';

export const ASSET_BASE = '/api/dashboard/assets';
export const REFRESH_SECONDS = 10;

export interface DashboardData {
  readonly list: MigrationList | null;
  readonly migration: MigrationView | null;
  readonly apps: readonly AppView[];
  readonly history: readonly HistoryEntryView[] | null;
  /**
   * False when the migration has more apps than the server reads for a first paint: the app-based parts are then
   * left to the script (or, with scripts off, to the same page with `all=1`).
   */
  readonly appsLoaded: boolean;
}

/** Migrations with more apps than this are painted first without their apps (reading 1,000 takes ~0.5 s). */
export const SERVER_RENDERED_APPS = 300;
const APP_PARTS = new Set(['failures', 'histogram', 'groups', 'table']);

function deferred(data: DashboardData, id: string, state: ViewState, key: string | null): string {
  if (id !== 'table') return '';
  const all = `${pageHref(state, {}, key)}&all=1`;
  return `<p class="note" data-deferred>Loading the ${esc(data.migration?.summary.total ?? 0)} apps…<noscript> Scripts are off: <a href="${esc(all)}">show every app</a> (slower to load).</noscript></p>`;
}

export function pageHead(title: string, refresh: boolean): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><link rel="icon" href="data:,"><title>${esc(title)}</title>
<link rel="stylesheet" href="${ASSET_BASE}/dashboard.css">
${refresh ? `<noscript><meta http-equiv="refresh" content="${REFRESH_SECONDS}"></noscript>` : ''}`;
}

export function renderDashboardPage(data: DashboardData, state: ViewState, key: string | null): string {
  const parts = data.migration === null ? null : renderMigration(data.migration, data.apps, state, key);
  const selected = state.migration ?? data.migration?.id ?? null;
  const viewState = { ...state, migration: selected };
  const app = state.app === null ? '' : renderApp(data.apps.find((a) => a.appId.toLowerCase() === state.app?.toLowerCase()), state.app, data.history, viewState, key);
  const sections =
    parts === null
      ? `<p class="note">${selected === null ? 'No migration to show yet. Start one with POST /api/migrations (or the CLI), or run a readiness report below.' : `Migration ${esc(selected)} was not found.`}</p>`
      : MIGRATION_PART_IDS.map((id) => `<section id="part-${id}"${id === 'filters' ? ' aria-label="Filter the apps"' : ''}>${data.appsLoaded || !APP_PARTS.has(id) ? parts[id] : deferred(data, id, viewState, key)}</section>`).join('\n');
  return `${pageHead('App Service VNet migrations', true)}
<script type="module" src="${ASSET_BASE}/client.js"></script></head>
<body data-updates="0" data-migration="${esc(selected)}">
<a class="skip" href="#main">Skip to content</a>
<header><h1>App Service VNet migrations</h1><p id="live" class="meta" role="status" aria-live="polite"><noscript>Scripts are off: this page reloads every ${REFRESH_SECONDS} s, and pause, resume and cancel need scripts.</noscript></p></header>
<div class="layout">
<nav id="migrations" aria-label="Migrations"><h2>Migrations</h2><div id="migration-list">${renderMigrationList(data.list, viewState, key)}</div>
<h2>Readiness report</h2>
<form class="filters" method="get" action="/api/report" id="report-form">
<label>Subscription ids <input name="subscriptionIds" required size="40" autocomplete="off" placeholder="comma-separated GUIDs"></label>
<label>Resource groups <input name="resourceGroups" size="20" autocomplete="off" placeholder="optional, comma-separated"></label>
<label>Max parallel <input name="maxParallel" type="number" min="1" max="100" value="4"></label>
${key === null ? '' : `<input type="hidden" name="code" value="${esc(key)}">`}<button type="submit">Dry run and report</button></form>
</nav>
<main id="main" tabindex="-1">
<section id="app-view" tabindex="-1" aria-label="The selected app"${state.app === null ? ' hidden' : ''}>${app}</section>
<div id="migration-view">${sections}</div>
</main></div>
</body></html>`;
}
