/**
 * The dashboard in the browser: reads the API every second with the page's function key in the x-functions-key
 * header (never in a URL it builds for the API), re-renders only the parts whose HTML changed (so focus and
 * scrolling stay), navigates within the page without reloading, and asks before pause, resume or cancel. When the
 * API keeps failing it falls back to reloading the page (the server renders it whole).
 *
 * Compiled by the project's tsc without the DOM library: the few browser interfaces it uses are declared below.
 * Every update sets body[data-updates] and body[data-last-update-ms] and dispatches `dashboard:updated`.
 */
import type { AppView, HistoryEntryView, MigrationView } from '../cli/api-types.js';
import { MIGRATION_PART_IDS, pageHref, readViewState, renderApp, renderMigration, renderMigrationList, type MigrationList, type ViewState } from './views.js';

interface Element {
  innerHTML: string;
  hidden: boolean;
  textContent: string | null;
  readonly dataset: Record<string, string | undefined>;
  readonly tagName: string;
  value: string;
  disabled: boolean;
  closest(selector: string): Element | null;
  querySelector(selector: string): Element | null;
  getAttribute(name: string): string | null;
  focus(): void;
  addEventListener(type: string, listener: (event: BrowserEvent) => void): void;
}
interface BrowserEvent {
  readonly target: Element | null;
  readonly key?: string;
  preventDefault(): void;
}
interface BrowserGlobals {
  readonly document: {
    readonly body: Element;
    readonly activeElement: Element | null;
    getElementById(id: string): Element | null;
    querySelector(selector: string): Element | null;
    addEventListener(type: string, listener: (event: BrowserEvent) => void): void;
  };
  readonly location: { readonly search: string; readonly href: string; reload(): void };
  readonly history: { pushState(data: unknown, title: string, url: string): void };
  confirm(message: string): boolean;
  addEventListener(type: string, listener: (event: BrowserEvent) => void): void;
  dispatchEvent(event: unknown): boolean;
  readonly CustomEvent: new (type: string, init: { detail: unknown }) => unknown;
}

const browser = globalThis as unknown as BrowserGlobals;
const doc = browser.document;
const POLL_MS = 1000;
const FAILURES_BEFORE_RELOAD = 3;
const APP_PARTS: ReadonlySet<string> = new Set(['failures', 'histogram', 'groups', 'table']);

/** The page's own key, from its own URL: sent as a header on API calls, kept in links to this page only. */
const key = new URLSearchParams(browser.location.search).get('code');
let state: ViewState = readViewState(new URLSearchParams(browser.location.search));

let list: MigrationList | null = null;
let listAvailable = true;
let migration: MigrationView | null = null;
let apps: AppView[] = [];
let appsFor: string | null = null;
let appsVersion = '';
let history: HistoryEntryView[] | null = null;
let historyFor: string | null = null;
let failures = 0;
let updates = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function api<T>(path: string, init: { method?: string } = {}): Promise<T> {
  const response = await fetch(`/api${path}`, { method: init.method ?? 'GET', headers: key === null ? {} : { 'x-functions-key': key } });
  const text = await response.text();
  if (!response.ok) {
    let detail = text;
    try {
      const problem = JSON.parse(text) as { detail?: string; title?: string };
      detail = problem.detail ?? problem.title ?? text;
    } catch {
      // not problem+json: keep the text
    }
    throw new ApiError(response.status, detail === '' ? `HTTP ${response.status}` : detail);
  }
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

async function allApps(id: string): Promise<AppView[]> {
  const found: AppView[] = [];
  let token: string | null = null;
  do {
    const query: string = token === null ? '' : `&continuationToken=${encodeURIComponent(token)}`;
    const page: { value: AppView[]; continuationToken: string | null } = await api(`/migrations/${encodeURIComponent(id)}/apps?top=1000${query}`);
    found.push(...page.value);
    token = page.continuationToken;
  } while (token !== null);
  return found;
}

/** The list and the migration (its summary carries the counts); answers whether its apps need reading again. */
async function loadMigration(): Promise<boolean> {
  if (listAvailable) {
    try {
      list = await api<MigrationList>(`/migrations?top=20${state.list === null ? '' : `&status=${encodeURIComponent(state.list)}`}`);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      listAvailable = false;
      list = null;
    }
  }
  const id = state.migration ?? list?.value[0]?.id ?? doc.body.dataset['migration'] ?? null;
  if (id === null || id === '') {
    migration = null;
    apps = [];
    return false;
  }
  const next = await api<MigrationView>(`/migrations/${encodeURIComponent(id)}`);
  if (migration?.id !== next.id) apps = [];
  migration = next;
  return appsFor !== id || appVersion(next) !== appsVersion;
}

const appVersion = (m: MigrationView): string => `${m.lastUpdatedTime}|${JSON.stringify(m.summary)}|${m.status}`;

/** Every app of the migration, and the selected app's audit trail. */
async function loadDetails(readApps: boolean): Promise<void> {
  if (migration === null) return;
  if (readApps) {
    const version = appVersion(migration);
    apps = await allApps(migration.id);
    appsFor = migration.id;
    appsVersion = version;
  }
  if (state.app === null) {
    history = null;
    historyFor = null;
  } else if (historyFor !== state.app || migration.status === 'Running') {
    try {
      history = (await api<{ value: HistoryEntryView[] }>(`/apps/${encodeURIComponent(state.app)}/history?top=200`)).value;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      history = null;
    }
    historyFor = state.app;
  }
}

function setHtml(id: string, html: string): void {
  const element = doc.getElementById(id);
  if (element === null || element.innerHTML === html) return;
  const focused = doc.activeElement?.dataset['focusKey'];
  element.innerHTML = html;
  if (focused !== undefined) element.querySelector(`[data-focus-key="${CSS_ESCAPE(focused)}"]`)?.focus();
}

const CSS_ESCAPE = (value: string): string => value.replace(/["\\]/g, '\\$&');

function render(): void {
  const selected = state.migration ?? migration?.id ?? null;
  const view = { ...state, migration: selected };
  // Without the list endpoint (404), the list the server rendered stays as it is.
  if (listAvailable) setHtml('migration-list', renderMigrationList(list, view, key));
  const container = doc.getElementById('migration-view');
  if (migration === null) {
    if (container !== null) container.innerHTML = '<p class="note">No migration to show yet.</p>';
  } else {
    const parts = renderMigration(migration, apps, view, key);
    if (container !== null && doc.getElementById('part-head') === null) {
      container.innerHTML = MIGRATION_PART_IDS.map((id) => `<section id="part-${id}"></section>`).join('');
    }
    // The filter form is replaced only when the migration changes, so typing in it is never interrupted.
    const appsRead = appsFor === migration.id;
    for (const id of MIGRATION_PART_IDS) {
      // Parts made of the apps wait until they are read (the server may have left them to this script).
      if (!appsRead && APP_PARTS.has(id)) continue;
      if (id !== 'filters' || doc.body.dataset['migration'] !== migration.id) setHtml(`part-${id}`, parts[id]);
    }
    doc.body.dataset['migration'] = migration.id;
  }
  const appView = doc.getElementById('app-view');
  if (appView !== null) {
    appView.hidden = state.app === null;
    if (state.app !== null) {
      const appId = state.app;
      setHtml('app-view', renderApp(apps.find((a) => a.appId.toLowerCase() === appId.toLowerCase()), appId, history, view, key));
    }
  }
}

function say(text: string): void {
  const live = doc.getElementById('live');
  if (live !== null) live.textContent = text;
}

/**
 * One update: the counts first (one small read), then every app and the audit trail when they changed.
 * body[data-last-update-ms] is the time until the counts were shown, body[data-last-full-update-ms] until all was.
 */
async function update(): Promise<void> {
  const started = performance.now();
  try {
    const readApps = await loadMigration();
    render();
    const countsMs = Math.round(performance.now() - started);
    await loadDetails(readApps);
    if (readApps || state.app !== null) render();
    failures = 0;
    updates += 1;
    const ms = Math.round(performance.now() - started);
    doc.body.dataset['lastUpdateMs'] = String(countsMs);
    doc.body.dataset['lastFullUpdateMs'] = String(ms);
    doc.body.dataset['updates'] = String(updates);
    say(`Live · updated ${new Date().toLocaleTimeString()}`);
    browser.dispatchEvent(new browser.CustomEvent('dashboard:updated', { detail: { updates, countsMs, ms } }));
  } catch (error) {
    failures += 1;
    const message = error instanceof Error ? error.message : String(error);
    if (failures >= FAILURES_BEFORE_RELOAD) {
      say(`Live updates stopped (${message}); reloading the page in 10 s.`);
      timer = setTimeout(() => browser.location.reload(), 10_000);
      return;
    }
    say(`Update failed (${message}); retrying.`);
  }
  timer = setTimeout(() => void update(), POLL_MS);
}

function navigate(href: string): void {
  browser.history.pushState(null, '', href);
  const previous = state;
  state = readViewState(new URLSearchParams(href.startsWith('?') ? href : new URL(href, browser.location.href).search));
  render();
  if (state.migration !== previous.migration || state.app !== previous.app || state.list !== previous.list) refreshNow();
  if (state.app !== previous.app) doc.getElementById(state.app === null ? 'main' : 'app-view')?.focus();
}

function refreshNow(): void {
  if (timer !== undefined) clearTimeout(timer);
  void update();
}

function formState(form: Element): string {
  const field = (name: string): string => form.querySelector(`[name="${name}"]`)?.value ?? '';
  if (form.dataset['form'] === 'list') return pageHref(state, { list: field('list') === '' ? null : field('list'), migration: null, app: null, page: 1 }, key);
  return pageHref(state, { status: field('status') === '' ? null : field('status'), q: field('q'), page: 1 }, key);
}

async function control(action: string): Promise<void> {
  if (migration === null) return;
  const words: Record<string, string> = {
    pause: 'Pause it? Apps in flight finish; no new app starts until you resume.',
    resume: 'Resume it? New apps start moving again.',
    cancel: 'Cancel it? Apps in flight finish; every app not started stays untouched. This cannot be undone.',
  };
  if (!browser.confirm(`Migration ${migration.id}: ${words[action] ?? action}`)) return;
  try {
    await api(`/migrations/${encodeURIComponent(migration.id)}/${action}`, { method: 'POST' });
    say(`${action[0]?.toUpperCase() ?? ''}${action.slice(1)} requested.`);
    doc.body.dataset['lastAction'] = action;
  } catch (error) {
    const text =
      error instanceof ApiError && error.status === 404
        ? `This service does not offer ${action} over HTTP yet.`
        : error instanceof ApiError && error.status === 409
          ? `Not now: ${error.message}`
          : `${action} failed: ${error instanceof Error ? error.message : String(error)}`;
    say(text);
  }
  refreshNow();
}

async function moreMigrations(): Promise<void> {
  if (list === null || list.continuationToken === null) return;
  const page = await api<MigrationList>(`/migrations?top=20&continuationToken=${encodeURIComponent(list.continuationToken)}${state.list === null ? '' : `&status=${encodeURIComponent(state.list)}`}`);
  list = { value: [...list.value, ...page.value], continuationToken: page.continuationToken };
  render();
}

doc.addEventListener('click', (event) => {
  const link = event.target?.closest('a[data-nav]');
  if (link !== null && link !== undefined) {
    event.preventDefault();
    navigate(link.getAttribute('href') ?? '?');
    return;
  }
  const button = event.target?.closest('button[data-action]');
  const action = button?.dataset['action'];
  if (button === null || button === undefined || action === undefined || button.disabled) return;
  if (action === 'more-migrations') void moreMigrations();
  else void control(action);
});

doc.addEventListener('submit', (event) => {
  const form = event.target;
  if (form === null || form.dataset['form'] === undefined) return;
  event.preventDefault();
  navigate(formState(form));
});

let typing: ReturnType<typeof setTimeout> | undefined;
doc.addEventListener('input', (event) => {
  const form = event.target?.closest('form[data-form="apps"]');
  if (form === null || form === undefined) return;
  if (typing !== undefined) clearTimeout(typing);
  typing = setTimeout(() => {
    browser.history.pushState(null, '', formState(form));
    state = readViewState(new URLSearchParams(formState(form)));
    render();
  }, 150);
});

browser.addEventListener('popstate', () => {
  state = readViewState(new URLSearchParams(browser.location.search));
  refreshNow();
});

doc.body.dataset['script'] = 'ready';
say('Live · starting');
void update();
