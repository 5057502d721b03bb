import { describe, expect, it } from 'vitest';
import type { AppView } from '../../src/cli/api-types.js';
import { esc } from '../../src/dashboard/html.js';
import { reasonGuide } from '../../src/dashboard/reason-guide.js';
import { renderReportCsv } from '../../src/dashboard/report-view.js';
import { downtimeHistogram, pageHref, readViewState, selectApps, timelineStep } from '../../src/dashboard/views.js';
import { buildReadinessReport } from '../../src/domain/readiness-report.js';

const app = (name: string, outcome: string, downtimeSeconds: number | null, extra: Partial<AppView> = {}): AppView =>
  ({ appId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/${name}`, planId: '/x/serverfarms/p1', phase: 'done', outcome, reasonCode: null, message: null, subnetId: null, downtimeSeconds, startedTime: null, finishedTime: null, needsAttention: false, difference: [], latencyInMs: {}, advice: [], strategy: null, ...extra }) as AppView;

describe('dashboard view state', () => {
  it('reads only known values from the query and falls back to defaults', () => {
    expect(readViewState(new URLSearchParams('status=bogus&sort=evil&dir=up&page=-3&list=Nope'))).toEqual({ migration: null, app: null, status: null, q: '', sort: 'app', dir: 'asc', page: 1, list: null });
    expect(readViewState(new URLSearchParams('status=failed&sort=downtime&dir=desc&page=2&migration=m1'))).toMatchObject({ status: 'failed', sort: 'downtime', dir: 'desc', page: 2, migration: 'm1' });
  });

  it('keeps the key in links to the page itself, last, and nothing it does not need', () => {
    const state = readViewState(new URLSearchParams('migration=m1'));
    expect(pageHref(state, { app: 'a b' }, 'k&y')).toBe('?migration=m1&app=a+b&code=k%26y');
    expect(pageHref(state, {}, null)).toBe('?migration=m1');
  });
});

describe('apps table and histogram', () => {
  const apps = [app('b', 'succeeded', 40), app('a', 'failed', null, { reasonCode: 'verify-failed', message: 'Health check answered 503' }), app('c', 'succeeded', 7)];

  it('filters by outcome and text, sorts stably in both directions', () => {
    const base = readViewState(new URLSearchParams(''));
    expect(selectApps(apps, base).map((a) => a.appId.split('/').pop())).toEqual(['a', 'b', 'c']);
    expect(selectApps(apps, { ...base, sort: 'downtime', dir: 'desc' }).map((a) => a.downtimeSeconds)).toEqual([40, 7, null]);
    expect(selectApps(apps, { ...base, status: 'succeeded' })).toHaveLength(2);
    expect(selectApps(apps, { ...base, q: '503' }).map((a) => a.reasonCode)).toEqual(['verify-failed']);
  });

  it('bins measured downtimes, the last bin open-ended', () => {
    const bins = downtimeHistogram([...apps, app('d', 'succeeded', 999)]);
    expect(bins.find((b) => b.label === '5–10 s')?.count).toBe(1);
    expect(bins.find((b) => b.label === '30–45 s')?.count).toBe(1);
    expect(bins.at(-1)).toEqual({ label: '> 300 s', count: 1 });
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(3);
  });

  it('places audit actions on the timeline', () => {
    expect(['snapshot taken', 'apply routing', 'disconnect gateway VNet v', 'connect regional subnet s', 'remove legacy routing settings', 'disconnect regional subnet', 'restore legacy routing settings'].map(timelineStep)).toEqual([
      'snapshot', 'routing', 'disconnect', 'connect', 'cleanup', 'rollback', 'rollback',
    ]);
  });
});

describe('words and escaping', () => {
  it('explains every eligibility code and any <step>-failed code', () => {
    for (const code of ['eligible', 'slot-present', 'already-regional', 'no-gateway-integration', 'unsupported-sku', 'multiple-gateway-vnets', 'cross-region-vnet', 'plan-subnet-limit', 'no-address-space']) {
      expect(reasonGuide(code)?.fix, code).toBeTruthy();
    }
    expect(reasonGuide('disconnect-failed')?.meaning).toMatch(/disconnect step failed/);
    expect(reasonGuide('unheard-of')).toBeUndefined();
  });

  it('escapes HTML and keeps CSV cells from running as formulas', () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const plan = { apiVersion: 'v', groups: [], skipped: [{ appId: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Web/sites/x', planId: 'p', outcome: 'blocked' as const, reason: 'unsupported-sku' as const, message: '=HYPERLINK("evil"), "quoted"', details: {} }], summary: { migrate: 0, skip: 0, blocked: 1 } };
    const csv = renderReportCsv(buildReadinessReport({ plan, gateways: [], appGatewayVnets: [], maxParallel: 1 }), 'apps');
    expect(csv.split('\r\n')[1]).toMatch(/,"'=HYPERLINK\(""evil""\), ""quoted"""$/);
  });
});
