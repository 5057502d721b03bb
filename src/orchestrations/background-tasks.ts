/**
 * Tasks an orchestration starts and does not wait for (webhook deliveries): they run beside its own work, their
 * results are dropped, and a failure of theirs changes nothing. durable-functions schedules a task only once the
 * orchestrator yields it, so every wait of the orchestration includes the unfinished ones (Task.any).
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import { after } from './durable-time.js';

type Step<T> = Generator<Task, T, unknown>;

export class BackgroundTasks {
  #tasks: Task[] = [];

  add(task: Task): void {
    this.#tasks.push(task);
  }

  /** The unfinished ones, to include in a Task.any of the orchestration's own. */
  pending(): Task[] {
    this.#tasks = this.#tasks.filter((t) => !t.isCompleted && !t.isFaulted);
    return this.#tasks;
  }

  /** Is `winner` of a Task.any one of these (then the orchestration just waits again)? */
  owns(winner: Task): boolean {
    return this.#tasks.includes(winner);
  }

  /** Waits for `task` while background tasks run and finish beside it. */
  *await<T>(context: OrchestrationContext, task: Task): Step<T> {
    for (;;) {
      const pending = this.pending();
      if (pending.length === 0) return (yield task) as T;
      const winner = (yield context.df.Task.any([task, ...pending])) as Task;
      if (winner === task) return (yield task) as T;
    }
  }

  /**
   * Before the orchestration returns: hands the unfinished ones to the runtime (a zero-length timer ends the wait
   * at once), so they are delivered even though no one waits for them.
   */
  *release(context: OrchestrationContext): Step<void> {
    const pending = this.pending();
    if (pending.length > 0) yield context.df.Task.any([...pending, context.df.createTimer(after(context, 0))]);
  }
}
