/**
 * `plan`: the migration plan of a scope in detail (a dry run, changes nothing): per App Service plan the target
 * subnet (created or reused, its size and why), then each app in execution order with its strategy, routing and
 * notes; then every app left out and why.
 */
import { Command } from 'commander';
import type { DryRunView } from '../api-types.js';
import { contextOf, printJson, printLines } from '../context.js';
import { addExecutionOptions, addScopeOptions } from '../request-options.js';
import { shortName } from '../text-format.js';
import { dryRun } from './discover.js';

export function planLines(view: DryRunView): string[] {
  const { plan } = view;
  const lines = [`Plan (api-version ${plan.apiVersion}): ${plan.summary.migrate} to migrate, ${plan.summary.skip} skipped, ${plan.summary.blocked} blocked.`];
  plan.groups.forEach((group, index) => {
    lines.push('', `${index + 1}. ${shortName(group.planId)} (${group.location}, ${group.sku.name}): ${group.apps.length} app(s)`);
    for (const subnet of group.subnets) {
      lines.push(`   subnet ${subnet.action} ${subnet.name} ${subnet.addressPrefix ?? ''} in ${shortName(subnet.vnetId)}: ${subnet.reason}`);
    }
    for (const app of group.apps) {
      const routing = Object.entries(app.routing.siteProperties).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
      lines.push(`   - ${shortName(app.appId)} [${app.strategy}]${app.dependsOn.length > 0 ? ` after ${app.dependsOn.map(shortName).join(', ')}` : ''}: ${app.steps.map((s) => s.kind).join(' > ')}`);
      if (routing !== '') lines.push(`     routing ${routing}`);
      for (const note of [...app.notes, ...app.routing.warnings]) lines.push(`     note: ${note}`);
    }
  });
  if (plan.skipped.length > 0) {
    lines.push('', 'Left out:');
    for (const s of plan.skipped) lines.push(`   - ${shortName(s.appId)} ${s.outcome} (${s.reason}): ${s.message}`);
  }
  return lines;
}

export function planCommand(): Command {
  const command = new Command('plan')
    .summary('show the migration plan of a scope in detail (changes nothing)')
    .description('A dry run like discover, printing the plan itself: per App Service plan the subnet to create or reuse and why, each app in order with its steps and routing, and every app left out with the reason.');
  addExecutionOptions(addScopeOptions(command));
  return command.action(async (_options: unknown, self: Command) => {
    const view = await dryRun(self);
    const context = contextOf(self);
    if (context.json) printJson(context, view.plan);
    else printLines(context, planLines(view));
  });
}
