import { randomUUID } from 'node:crypto';
import { startAzurite } from '@vnet-migrator/functions-localhost/azurite.js';
import { createDurableEngine, type LocalDurableEngine } from '@vnet-migrator/functions-localhost/durable/engine.js';
import { installFunctionsCore } from '@vnet-migrator/functions-localhost/functions-core.js';

/**
 * Durable engine throughput with Azurite persistence (in memory, its own process):
 *   1. 1,000 orchestrations of 5 sequential activities, all started at once;
 *   2. one orchestration fanning out 1,000 activities.
 * Reports history events per second (events committed to Table Storage / wall time) and peak RSS of this
 * process. Targets: >= 1,000 events/s, fan-out of 1,000 in < 10 s. Results: tools/functions-localhost/docs/benchmarks-localhost.md.
 */

export interface BenchLine {
  readonly name: string;
  readonly seconds: number;
  readonly historyEvents: number;
  readonly eventsPerSecond: number;
  readonly episodes: number;
  readonly activities: number;
}

const ORCHESTRATIONS = Number(process.env.BENCH_ORCHESTRATIONS ?? 1000);
const FAN_OUT = Number(process.env.BENCH_FAN_OUT ?? 1000);

export async function run(): Promise<void> {
  const sink = installFunctionsCore();
  const df = await import('durable-functions');
  df.app.activity('benchWork', { handler: (input: unknown) => (typeof input === 'number' ? input + 1 : 0) });
  df.app.orchestration('benchSequence', function* (context) {
    let value = 0;
    for (let step = 0; step < 5; step++) value = (yield context.df.callActivity('benchWork', value)) as number;
    return value;
  });
  df.app.orchestration('benchFanOut', function* (context) {
    const n = context.df.getInput<number>();
    const results = (yield context.df.Task.all(Array.from({ length: n }, (_v, i) => context.df.callActivity('benchWork', i)))) as number[];
    return results.length;
  });

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const azurite = await startAzurite();
  const lines: BenchLine[] = [];
  try {
    const engine = createDurableEngine({ connectionString: azurite.connectionString, taskHubName: `bench${randomUUID().slice(0, 8)}` });
    for (const { metadata, handler } of sink.registrations) {
      const trigger = Object.values(metadata.bindings).find((b) => b.direction === 'in' && /Trigger$/.test(b.type));
      if (trigger?.type === 'orchestrationTrigger') engine.registerOrchestrator(metadata.name, handler);
      if (trigger?.type === 'activityTrigger') engine.registerActivity(metadata.name, handler);
    }
    await engine.start();

    lines.push(
      await measure(`${ORCHESTRATIONS} orchestrations x 5 sequential activities`, engine, async () => {
        const ids = await Promise.all(Array.from({ length: ORCHESTRATIONS }, (_v, i) => engine.startNew('benchSequence', { instanceId: `seq-${i}` })));
        await engine.waitForIdle({ timeoutInMs: 600_000 });
        const sample = await engine.getStatus(ids[ids.length - 1]!);
        if (sample?.output !== 5) throw new Error(`benchSequence produced ${JSON.stringify(sample)}`);
      }),
    );
    lines.push(
      await measure(`1 orchestration fanning out ${FAN_OUT} activities`, engine, async () => {
        const id = await engine.startNew('benchFanOut', { input: FAN_OUT });
        const status = await engine.waitForCompletion(id, { timeoutInMs: 600_000 });
        if (status.output !== FAN_OUT) throw new Error(`benchFanOut produced ${JSON.stringify(status.output)}`);
      }),
    );
    await engine.stop();
  } finally {
    clearInterval(sampler);
    await azurite.stop();
  }
  const maxRssMb = Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 1024 / 1024;
  console.log('\nlocalhost-durable (Azurite in memory, this machine)');
  console.log('| scenario | wall time (s) | history events | events/s | episodes | activities |');
  console.log('|---|---|---|---|---|---|');
  for (const line of lines) {
    console.log(`| ${line.name} | ${line.seconds.toFixed(2)} | ${line.historyEvents} | ${Math.round(line.eventsPerSecond)} | ${line.episodes} | ${line.activities} |`);
  }
  console.log(`peak RSS of the engine process: ${maxRssMb.toFixed(0)} MB`);
}

async function measure(name: string, engine: LocalDurableEngine, body: () => Promise<void>): Promise<BenchLine> {
  const events = engine.historyEventCount;
  const episodes = engine.episodeCount;
  const activities = engine.activityInvocationCount;
  const started = process.hrtime.bigint();
  await body();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const historyEvents = engine.historyEventCount - events;
  return {
    name,
    seconds,
    historyEvents,
    eventsPerSecond: historyEvents / seconds,
    episodes: engine.episodeCount - episodes,
    activities: engine.activityInvocationCount - activities,
  };
}
