/**
 * `pause`, `resume`, `cancel`: the operator's controls over a running migration (POST /api/migrations/{id}/<action>).
 * The service answers 409 when the migration's state does not allow the action (exit 6).
 */
import { Command } from 'commander';
import type { AcceptedView } from '../api-types.js';
import { contextOf, printJson, printLines } from '../context.js';

const ACTIONS = {
  pause: 'stop starting apps; apps already moving finish (status becomes Paused)',
  resume: 'continue a paused migration (also after the failure threshold paused it)',
  cancel: 'stop for good: an app already moving finishes, apps not started stay unchanged (skipped as canceled)',
} as const;

export function controlCommand(action: keyof typeof ACTIONS): Command {
  return new Command(action)
    .summary(ACTIONS[action])
    .description(`${ACTIONS[action][0]?.toUpperCase()}${ACTIONS[action].slice(1)}. Exit 6 when the migration's state does not allow it, 5 when there is no such migration.`)
    .argument('<id>', 'migration id')
    .action(async (id: string, _options: unknown, self: Command) => {
      const context = contextOf(self);
      const accepted = await context.api.post<AcceptedView>(`/migrations/${encodeURIComponent(id)}/${action}`);
      if (context.json) printJson(context, accepted);
      else printLines(context, [`Asked migration ${accepted.id} to ${action}; \`status ${accepted.id}\` shows when it has.`]);
    });
}
