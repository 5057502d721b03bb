import { describe, expect, it } from 'vitest';
import { EventType, type HistoryEvent } from '../../src/durable/history.js';
import { historyView } from '../../src/durable/history-view.js';

/**
 * The showHistory view against a stored history covering every folding rule of the extension's HTTP API (its
 * DurableClient history conversion): activities and sub-orchestrations folded into their outcomes, a task still
 * running left as scheduled, engine bookkeeping and ids hidden, outputs and inputs only when asked.
 */
const t = (second: number) => `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z`;
const e = (type: number, second: number, fields: Record<string, unknown> = {}, eventId = -1): HistoryEvent => ({ EventType: type, EventId: eventId, IsPlayed: false, Timestamp: t(second), ...fields });

const stored: HistoryEvent[] = [
  e(EventType.OrchestratorStarted, 0),
  e(EventType.ExecutionStarted, 0, {
    Name: 'Parent',
    Input: '{"fleet":1}',
    OrchestrationInstance: { InstanceId: 'p', ExecutionId: 'x1' },
    ParentInstance: { OrchestrationInstance: { InstanceId: 'gp', ExecutionId: 'x0' }, TaskScheduleId: 4 },
  }),
  e(EventType.TaskScheduled, 0, { Name: 'Say', Input: '"Tokyo"', Leaf: 0 }, 0),
  e(EventType.SubOrchestrationInstanceCreated, 0, { Name: 'Child', InstanceId: 'x1:1', Input: '7', Leaf: 1 }, 1),
  e(EventType.TimerCreated, 0, { FireAt: t(5), Leaf: 2 }, 2),
  e(EventType.OrchestratorCompleted, 0, { NewLeaves: [{ kind: 'activity' }] }),
  e(EventType.OrchestratorStarted, 6),
  e(EventType.TaskCompleted, 6, { TaskScheduledId: 0, Name: 'Say', Result: '"Hello Tokyo"' }),
  e(EventType.SubOrchestrationInstanceFailed, 6, { TaskScheduledId: 1, Reason: 'boom', Details: 'stack', FailureDetails: { ErrorType: 'Error', ErrorMessage: 'boom', IsNonRetriable: false } }),
  e(EventType.TimerFired, 6, { TimerId: 2, FireAt: t(5) }),
  e(EventType.EventRaised, 6, { Name: 'Go', Input: '{"ok":true}', MessageId: 'event.1' }),
  e(EventType.TaskScheduled, 6, { Name: 'Slow', Input: 'null', Leaf: 3 }, 3),
  e(EventType.OrchestratorCompleted, 6),
  e(EventType.OrchestratorStarted, 9),
  e(EventType.ExecutionTerminated, 9, { Input: '"enough"' }),
  e(EventType.ExecutionCompleted, 9, { OrchestrationStatus: 'Completed', Result: '["Hello Tokyo"]' }),
];

describe('history view (showHistory)', () => {
  it('folds scheduling events into their outcomes, hides ids and outputs, shows inputs by default', () => {
    expect(historyView(stored, { showHistoryOutput: false, showInput: true })).toEqual([
      { EventType: 'ExecutionStarted', Timestamp: t(0), FunctionName: 'Parent', Input: '{"fleet":1}' },
      { EventType: 'TimerCreated', Timestamp: t(0), FireAt: t(5) },
      { EventType: 'TaskCompleted', Timestamp: t(6), FunctionName: 'Say', ScheduledTime: t(0), Input: '"Tokyo"' },
      {
        EventType: 'SubOrchestrationInstanceFailed',
        Timestamp: t(6),
        FunctionName: 'Child',
        ScheduledTime: t(0),
        Input: '7',
        Reason: 'boom',
        Details: 'stack',
        FailureDetails: { ErrorType: 'Error', ErrorMessage: 'boom', IsNonRetriable: false },
      },
      { EventType: 'TimerFired', Timestamp: t(6), FireAt: t(5) },
      { EventType: 'EventRaised', Timestamp: t(6), Name: 'Go', Input: '{"ok":true}' },
      { EventType: 'TaskScheduled', Timestamp: t(6), Name: 'Slow', Input: 'null' },
      { EventType: 'ExecutionTerminated', Timestamp: t(9), Input: '"enough"' },
      { EventType: 'ExecutionCompleted', Timestamp: t(9), OrchestrationStatus: 'Completed' },
    ]);
  });

  it('shows results as JSON with showHistoryOutput and strips every input with showInput=false', () => {
    const view = historyView(stored, { showHistoryOutput: true, showInput: false });
    expect(view.find((entry) => entry.EventType === 'TaskCompleted')).toEqual({ EventType: 'TaskCompleted', Timestamp: t(6), FunctionName: 'Say', ScheduledTime: t(0), Result: 'Hello Tokyo' });
    expect(view.find((entry) => entry.EventType === 'ExecutionCompleted')).toEqual({ EventType: 'ExecutionCompleted', Timestamp: t(9), OrchestrationStatus: 'Completed', Result: ['Hello Tokyo'] });
    expect(view.filter((entry) => 'Input' in entry)).toEqual([]);
    expect(view.map((entry) => entry.EventType)).not.toContain('OrchestratorStarted');
  });
});
