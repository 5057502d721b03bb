/**
 * The readiness report as a printable page and as CSV. Every figure the page shows carries data-figure, so a test
 * (or a script) can read the page's numbers and compare them with the API's.
 */
import type { ReadinessReport } from '../domain/readiness-report.js';
import { durationText, esc, shortName, timeText } from './html.js';
import { ASSET_BASE, pageHead } from './page.js';
import { reasonGuide } from './reason-guide.js';

export const REPORT_TABLES = ['apps', 'subnets', 'gateways', 'throttling', 'summary'] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];

export interface ReportContext {
  readonly scope: { readonly subscriptionIds: readonly string[]; readonly resourceGroups?: readonly string[] | undefined };
  readonly generatedTime: string;
  /** This page's own URL query without `format` (CSV links add theirs). */
  readonly query: string;
}

const figure = (name: string, value: string | number, label: string): string => `<li><strong data-figure="${name}">${esc(value)}</strong>${esc(label)}</li>`;

export function renderReportPage(report: ReadinessReport, context: ReportContext): string {
  const s = report.summary;
  const csvLink = (table: ReportTable, label: string) => `<a href="?${esc(withParams(context.query, { format: 'csv', table }))}" download>${label}</a>`;
  const reasons = report.byReason
    .map((r) => {
      const guide = reasonGuide(r.reason);
      const apps = r.apps.slice(0, 50).map((a) => `<li><code>${esc(shortName(a.appId))}</code> <span class="why">(plan ${esc(shortName(a.planId))})</span>${r.outcome === 'migrate' ? '' : ` ${esc(a.message)}`}</li>`).join('');
      return `<tr data-reason="${esc(r.reason)}"><td><code>${esc(r.reason)}</code></td><td>${esc(r.outcome)}</td><td class="num" data-reason-count="${esc(r.reason)}">${r.count}</td>
<td>${esc(guide?.meaning ?? '')}</td><td>${esc(guide?.fix ?? '')}</td></tr>${r.outcome === 'migrate' ? '' : `<tr><td></td><td colspan="4"><ul>${apps}</ul>${r.apps.length > 50 ? `<p class="note">and ${r.apps.length - 50} more (CSV lists all).</p>` : ''}</td></tr>`}`;
    })
    .join('');
  const subnets = report.subnets
    .map(
      (n) => `<tr data-subnet="${esc(n.subnetId)}"><td>${esc(shortName(n.vnetId))}</td><td><code>${esc(n.name)}</code></td><td>${esc(n.addressPrefix ?? '(existing)')}</td><td>${esc(n.action)}</td>
<td>${esc(shortName(n.planId))} (${n.apps} apps)</td><td><ul>${n.why.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></td></tr>`,
    )
    .join('');
  const throttle = report.makespan.perSubscription
    .map(
      (t) => `<tr><td><code>${esc(t.subscriptionId)}</code></td><td class="num">${t.apps}</td><td class="num">${t.writes}</td><td class="num">${t.deletes}</td><td class="num">${t.networkWrites}</td><td class="num">${esc(durationText(t.boundSeconds))}</td></tr>`,
    )
    .join('');
  const gateways = report.gateways.gateways
    .map(
      (g) => `<tr data-gateway="${esc(g.gatewayId)}"><td>${esc(shortName(g.gatewayId))}</td><td>${esc(shortName(g.vnetId))}</td><td>${esc(g.sku)}</td><td class="num">${g.appsMoved}</td><td class="num">${g.appsStillUsing.length}</td>
<td>${g.unused ? '<strong>becomes unused</strong>' : 'still used'}</td><td class="num">${g.estimatedMonthlySavingUsd === null ? 'unknown SKU' : `$${g.estimatedMonthlySavingUsd}`}</td></tr>`,
    )
    .join('');
  const st = report.steps;
  const perApp = report.apps.length === 0 ? 0 : (report.apps[0]?.durationSeconds ?? 0);
  return `${pageHead('Readiness report', false)}</head>
<body class="report-page"><div class="report">
<header><h1>Readiness report</h1><p class="meta">Dry run of ${esc(context.scope.subscriptionIds.join(', '))}${context.scope.resourceGroups?.length ? ` (resource groups ${esc(context.scope.resourceGroups.join(', '))})` : ''} · ${esc(timeText(context.generatedTime))} · nothing was changed</p>
<p class="links noprint">CSV: ${csvLink('apps', 'apps')} · ${csvLink('subnets', 'subnets')} · ${csvLink('gateways', 'gateways')} · ${csvLink('throttling', 'ARM throttling')} · ${csvLink('summary', 'summary')}</p></header>
<h2>Summary</h2><ul class="figures">
${figure('apps', s.apps, ' apps in scope')}${figure('migrate', s.migrate, ' will migrate')}${figure('skip', s.skip, ' skipped (nothing to do)')}${figure('blocked', s.blocked, ' blocked (need a fix)')}
${figure('groups', s.groups, ' plan groups')}${figure('subnetsToCreate', s.subnetsToCreate, ' subnets to create')}${figure('subnetsReused', s.subnetsReused, ' subnets reused')}
${figure('downtimeSecondsPerApp', s.downtimeSecondsPerApp, ' s estimated downtime per app')}${figure('makespanSeconds', Math.round(s.makespanSeconds), ` s fleet makespan (${durationText(s.makespanSeconds)})`)}
${figure('unusedGateways', s.unusedGateways, ' VPN gateways become unused')}${figure('monthlySavingUsd', s.monthlySavingUsd, ' USD a month saved (estimate)')}</ul>
<h2>Apps by reason code</h2><table><thead><tr><th scope="col">Reason</th><th scope="col">Outcome</th><th scope="col" class="num">Apps</th><th scope="col">Meaning</th><th scope="col">Fix</th></tr></thead><tbody>${reasons}</tbody></table>
<h2>Subnets</h2><p class="meta">Each plan group gets one integration subnet per VNet, delegated to Microsoft.Web/serverFarms; the size follows the plan's peak instances (docs/domain.md, sizing rule).</p>
${report.subnets.length === 0 ? '<p class="note">No subnet needed.</p>' : `<table><thead><tr><th scope="col">VNet</th><th scope="col">Subnet</th><th scope="col">Prefix</th><th scope="col">Action</th><th scope="col">For</th><th scope="col">Why this size and place</th></tr></thead><tbody>${subnets}</tbody></table>`}
<h2>Downtime and makespan</h2>
<p>Per app, estimated downtime <strong>${esc(durationText(s.downtimeSecondsPerApp))}</strong> = gateway disconnect ${st.disconnect} s + regional join ${st.regionalJoin} s + app restart ${st.restart} s. Each app holds its plan group for ${esc(durationText(perApp))} (snapshot ${st.snapshot} s, routing ${st.routing} s, verification ${st.verify} s and clean-up ${st.cleanup} s around the downtime); a new subnet adds ${st.createSubnet} s to its group. Sources: docs/readiness-report.md.</p>
<p>Fleet makespan <strong data-figure="makespanText">${esc(durationText(report.makespan.seconds))}</strong>: the larger of ${esc(durationText(report.makespan.scheduleSeconds))} for ${report.makespan.groups} plan groups, ${report.makespan.maxParallel} at a time with up to ${report.makespan.maxParallelPerPlan} apps of a plan in flight (one subnet join at a time), and ${esc(durationText(report.makespan.throttleSeconds))} for ARM's limits (writes ${report.limits.writeBurst} + ${report.limits.writesPerSecond}/s, deletes ${report.limits.deleteBurst} + ${report.limits.deletesPerSecond}/s per subscription, Microsoft.Network ${report.limits.networkOpsPerWindow} per ${report.limits.networkWindowSeconds / 60} min): bound by <strong>${report.makespan.boundBy === 'schedule' ? 'the plan groups' : 'ARM throttling'}</strong>.</p>
${throttle === '' ? '' : `<table><thead><tr><th scope="col">Subscription</th><th scope="col" class="num">Apps</th><th scope="col" class="num">Writes</th><th scope="col" class="num">Deletes</th><th scope="col" class="num">Network writes</th><th scope="col" class="num">Throttling bound</th></tr></thead><tbody>${throttle}</tbody></table>`}
<h2>VPN gateways</h2><p>${s.unusedGateways} gateways no app in scope would use after the move: about <strong>$${s.monthlySavingUsd}</strong> a month.</p>
${gateways === '' ? '<p class="note">No VPN gateway found for the gateway VNets.</p>' : `<table><thead><tr><th scope="col">Gateway</th><th scope="col">VNet</th><th scope="col">SKU</th><th scope="col" class="num">Apps moving</th><th scope="col" class="num">Still using</th><th scope="col">After</th><th scope="col" class="num">Monthly</th></tr></thead><tbody>${gateways}</tbody></table>`}
<p class="note">${esc(report.gateways.note)}</p>
<p class="note noprint"><a href="/api/dashboard${context.query.includes('code=') ? `?${esc(onlyKey(context.query))}` : ''}">Dashboard</a> · styles ${esc(ASSET_BASE)}</p>
</div></body></html>`;
}

function withParams(query: string, extra: Record<string, string>): string {
  const params = new URLSearchParams(query);
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  return params.toString();
}

function onlyKey(query: string): string {
  const code = new URLSearchParams(query).get('code');
  return code === null ? '' : new URLSearchParams({ code }).toString();
}

function csvCell(value: string | number | boolean | null | undefined): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = value === null || value === undefined ? '' : String(value);
  // A leading =, +, - or @ would be a formula in a spreadsheet: quote it as text.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csv(headers: readonly string[], rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): string {
  return [headers, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function renderReportCsv(report: ReadinessReport, table: ReportTable): string {
  switch (table) {
    case 'apps': {
      const downtime = new Map(report.apps.map((a) => [a.appId.toLowerCase(), a]));
      return csv(
        ['app_id', 'plan_id', 'outcome', 'reason', 'meaning', 'fix', 'strategy', 'estimated_downtime_seconds', 'message'],
        report.byReason.flatMap((r) =>
          r.apps.map((a) => {
            const guide = reasonGuide(r.reason);
            const estimate = downtime.get(a.appId.toLowerCase());
            return [a.appId, a.planId, r.outcome, r.reason, guide?.meaning ?? '', guide?.fix ?? '', estimate?.strategy ?? '', estimate?.downtimeSeconds ?? '', a.message];
          }),
        ),
      );
    }
    case 'subnets':
      return csv(
        ['vnet_id', 'subnet_id', 'name', 'address_prefix', 'prefix_length', 'addresses_needed', 'action', 'plan_id', 'apps', 'why'],
        report.subnets.map((n) => [n.vnetId, n.subnetId, n.name, n.addressPrefix ?? '', n.prefixLength, n.addressesNeeded, n.action, n.planId, n.apps, n.why.join(' ')]),
      );
    case 'gateways':
      return csv(
        ['gateway_id', 'vnet_id', 'sku', 'apps_moving', 'apps_still_using', 'becomes_unused', 'estimated_monthly_saving_usd'],
        report.gateways.gateways.map((g) => [g.gatewayId, g.vnetId, g.sku, g.appsMoved, g.appsStillUsing.length, g.unused, g.estimatedMonthlySavingUsd ?? '']),
      );
    case 'throttling':
      return csv(
        ['subscription_id', 'apps', 'writes', 'deletes', 'network_writes', 'write_seconds', 'delete_seconds', 'network_seconds', 'bound_seconds'],
        report.makespan.perSubscription.map((t) => [t.subscriptionId, t.apps, t.writes, t.deletes, t.networkWrites, t.writeSeconds, t.deleteSeconds, t.networkSeconds, t.boundSeconds]),
      );
    case 'summary':
      return csv(
        ['figure', 'value'],
        [
          ...Object.entries(report.summary),
          ['makespanScheduleSeconds', report.makespan.scheduleSeconds],
          ['makespanThrottleSeconds', report.makespan.throttleSeconds],
          ['makespanBoundBy', report.makespan.boundBy],
          ['maxParallel', report.makespan.maxParallel],
          ['maxParallelPerPlan', report.makespan.maxParallelPerPlan],
        ],
      );
  }
}
