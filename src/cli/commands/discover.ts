/**
 * `discover`: the inventory of a scope, the newcomer's first step. A dry run (POST /api/migrations with dryRun:
 * true): the service reads the apps, plans, VNets and VPN gateways live from ARM and plans every app, changing
 * nothing. This prints every app found with what the plan would do with it, and the gateways they use.
 */
import { Command } from 'commander';
import type { DryRunView } from '../api-types.js';
import { contextOf, printJson, printLines } from '../context.js';
import { addExecutionOptions, addScopeOptions, buildRequest, type RequestFlags } from '../request-options.js';
import { plural, shortName, table } from '../text-format.js';

export async function dryRun(command: Command): Promise<DryRunView> {
  const body = buildRequest(command.opts<RequestFlags>(), true);
  return contextOf(command).api.post<DryRunView>('/migrations', body);
}

export function inventoryLines(view: DryRunView): string[] {
  const { discovered, plan } = view;
  const rows: string[][] = [
    ...plan.groups.flatMap((g) => g.apps.map((a) => [shortName(a.appId), shortName(g.planId), g.location, 'migrate', a.strategy])),
    ...plan.skipped.map((s) => [shortName(s.appId), shortName(s.planId), '-', s.outcome, s.reason]),
  ].sort((a, b) => (a[1] ?? '').localeCompare(b[1] ?? '') || (a[0] ?? '').localeCompare(b[0] ?? ''));
  const gateways = discovered.gateways.map((g) => [shortName(g.id), g.location, g.sku.name, g.pointToSite ? 'point-to-site' : 'no point-to-site', shortName(g.vnetId)]);
  return [
    `Discovered in ${plural(view.scope.subscriptionIds.length, 'subscription')}: ${plural(discovered.apps, 'app')} on ${plural(discovered.plans, 'App Service plan')}, ` +
      `${plural(discovered.virtualNetworks, 'virtual network')}, ${plural(discovered.gateways.length, 'VPN gateway')} (${discovered.stats.armReads} ARM reads, ${(discovered.stats.durationInMs / 1000).toFixed(1)} s).`,
    `Plan: ${plan.summary.migrate} to migrate in ${plural(plan.groups.length, 'plan group')}, ${plan.summary.skip} skipped, ${plan.summary.blocked} blocked.`,
    '',
    ...table(['APP', 'PLAN', 'LOCATION', 'DECISION', 'STRATEGY/REASON'], rows),
    ...(gateways.length === 0 ? [] : ['', ...table(['GATEWAY', 'LOCATION', 'SKU', 'P2S', 'VNET'], gateways)]),
  ];
}

export function discoverCommand(): Command {
  const command = new Command('discover')
    .summary('list the apps of a scope and what the plan would do with each (changes nothing)')
    .description(
      'Reads the scope live from ARM through the service (a dry run: POST /api/migrations with dryRun: true) and prints every app found ' +
        'with its App Service plan and decision (migrate, skip or blocked, with the reason), and the VPN gateways in use. Changes nothing.',
    )
    .addHelpText('after', '\nExample:\n  vnet-migrator discover -s 6f1c2a8e-4b3d-4e5f-9a10-000000000001,6f1c2a8e-4b3d-4e5f-9a10-000000000002');
  addExecutionOptions(addScopeOptions(command));
  return command.action(async (_options: unknown, self: Command) => {
    const view = await dryRun(self);
    const context = contextOf(self);
    if (context.json) printJson(context, view);
    else printLines(context, [...inventoryLines(view), '', 'Next: `plan` with the same options shows subnets and steps; `start` runs it.']);
  });
}
