/**
 * A real browser for the dashboard tests: Debian's chromium, headless, driven by playwright-core (which downloads
 * no browser; .ci/run installs chromium with apt-get when it is missing). Each page records its console errors,
 * uncaught exceptions and failed requests, and every URL it asked for, so tests can assert there were none and
 * that the function key never left the page's own address.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from './engine-harness.js';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(REPO_ROOT, 'docs/screenshots');

export interface WatchedPage {
  readonly page: Page;
  /** Console errors, page errors and requests that failed or answered 4xx/5xx (other than the ones allowed). */
  readonly problems: string[];
  readonly requested: string[];
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

export async function watchedPage(browser: Browser, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  const problems: string[] = [];
  const requested: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
  page.on('request', (request) => requested.push(request.url()));
  return { page, problems, requested };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, name);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/**
 * The page's document as a predicate run in the browser sees it (the tests compile without the DOM library). Written
 * as a function, not a string: the page's CSP forbids eval, and string predicates are evaluated.
 */
interface PageDocument {
  readonly body: { readonly dataset: Record<string, string | undefined> };
  querySelector(selector: string): { readonly textContent: string | null; readonly hidden?: boolean; readonly dataset: Record<string, string | undefined> } | null;
  querySelectorAll(selector: string): { readonly length: number };
  getElementById(id: string): { readonly hidden: boolean } | null;
}
/** Cast `globalThis` to this inside a predicate: only types are erased, so the function still runs in the page. */
export interface InPage {
  readonly document: PageDocument;
}

/** Waits for the dashboard's own next update (body[data-updates] past `after`) and answers its count. */
export async function nextUpdate(page: Page, after: number): Promise<number> {
  await page.waitForFunction((n) => Number((globalThis as unknown as InPage).document.body.dataset['updates']) > n, after, { timeout: 30_000 });
  return Number(await page.getAttribute('body', 'data-updates'));
}
