/**
 * The first of several tasks to finish, including one that finished while the orchestration waited on something
 * else. durable-functions' Task.any only notices completions that happen after it is yielded: a task that completed
 * during an earlier single-task wait (an activity the orchestration called meanwhile) never makes a new Task.any
 * complete, so its result would be lost and the orchestration could wait forever for a task long done
 * (TaskOrchestrationExecutor: a compound task starts Running and is resolved only by a child's later completion).
 *
 * Deterministic: a task's state at each point of the orchestrator's code follows from the history events replayed
 * before that point, the same in every replay.
 */
import type { OrchestrationContext, Task } from 'durable-functions';

export function* firstFinished(context: OrchestrationContext, tasks: readonly Task[]): Generator<Task, Task, unknown> {
  const done = tasks.find((task) => task.isCompleted || task.isFaulted);
  if (done !== undefined) return done;
  return (yield context.df.Task.any([...tasks])) as Task;
}
