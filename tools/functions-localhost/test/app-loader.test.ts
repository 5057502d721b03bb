import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultAppDir, loadFunctionApp, readHostJson, resolveEntryFiles } from '../src/app-loader.js';
import { LocalHostError } from '../src/errors.js';
import { startLocalHost } from '../src/host.js';

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'app-loader-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function refusal(appDir: string): Promise<LocalHostError> {
  const error: unknown = await loadFunctionApp(appDir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LocalHostError);
  return error as LocalHostError;
}

describe('app loader', () => {
  it('captures every registration of the fixture app, resolving its package.json main glob', async () => {
    const app = await loadFunctionApp(fixture('http-app'));
    expect(app.entryFiles.map((f) => f.split('/').pop())).toEqual(['bodies.js', 'failures-and-auth.js', 'routes.js']);
    expect(app.functions.map((f) => f.name)).toEqual(expect.arrayContaining(['hello', 'echo', 'boom', 'secret', 'plain']));
    expect(app.functions.every((f) => f.kind === 'http')).toBe(true);
    expect(app.usesDurable).toBe(false);
    expect(app.hostJson.routePrefix).toBe('api');
  });

  it('loads the same app twice in one process, registering again each time', async () => {
    const first = await loadFunctionApp(fixture('http-app'));
    const second = await loadFunctionApp(fixture('http-app'));
    expect(second.functions.map((f) => f.name).sort()).toEqual(first.functions.map((f) => f.name).sort());
  });

  it('refuses an app that registers nothing', async () => {
    const error = await refusal(fixture('empty-app'));
    expect(error.code).toBe('NoFunctionsRegistered');
    expect(error.message).toContain('registered no functions');
  });

  it('refuses durable entities, naming the function and binding', async () => {
    const error = await refusal(fixture('entity-app'));
    expect(error.code).toBe('UnsupportedBinding');
    expect(error.message).toMatch(/Function 'counter', binding '[^']+' \(entityTrigger\): durable entities are not supported by the local host/);
  });

  it('refuses an unsupported trigger type', async () => {
    const error = await refusal(fixture('queue-trigger-app'));
    expect(error.code).toBe('UnsupportedBinding');
    expect(error.message).toContain("Function 'workItems'");
    expect(error.message).toContain("trigger type 'queueTrigger' is not supported");
  });

  it('refuses an unsupported output binding on a supported trigger', async () => {
    const error = await refusal(fixture('unsupported-output-app'));
    expect(error.code).toBe('UnsupportedBinding');
    expect(error.message).toMatch(/Function 'enqueue', binding '[^']+' \(queue, direction out\) is not supported/);
  });

  it('lists every unsupported trigger and binding of the app in one refusal', async () => {
    const error = await refusal(fixture('several-unsupported-app'));
    expect(error.code).toBe('UnsupportedBinding');
    expect(error.message).toContain('The app uses 4 bindings the local host does not support');
    expect(error.message).toMatch(/Function 'enqueue', binding '[^']+' \(blob, direction in\)/);
    expect(error.message).toMatch(/Function 'enqueue', binding '[^']+' \(queue, direction out\)/);
    expect(error.message).toContain("Function 'workItems', binding");
    expect(error.message).toContain("trigger type 'queueTrigger' is not supported");
    expect(error.message).toMatch(/Function 'counter', binding '[^']+' \(entityTrigger\): durable entities are not supported/);
    expect(error.message).not.toContain("Function 'ping'");
  });

  it('refuses to start the host for a refused app, before listening', async () => {
    await expect(startLocalHost({ appDir: fixture('entity-app'), settingsDir: false, port: 0, logger: () => {} })).rejects.toMatchObject({ code: 'UnsupportedBinding' });
  });

  it('refuses to start the host when a route template or a timer schedule is invalid', async () => {
    const app = join(scratch, 'bad-route');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ type: 'module', main: 'index.js' }));
    writeFileSync(join(app, 'index.js'), "import { app } from '@azure/functions';\napp.http('broken', { route: 'things/{id:nosuch}', handler: () => ({}) });\n");
    await expect(startLocalHost({ appDir: app, settingsDir: false, port: 0, logger: () => {} })).rejects.toMatchObject({
      code: 'InvalidRegistration',
      message: expect.stringContaining("unknown route constraint 'nosuch'") as unknown,
    });
    const timerApp = join(scratch, 'bad-schedule');
    mkdirSync(timerApp);
    writeFileSync(join(timerApp, 'package.json'), JSON.stringify({ type: 'module', main: 'index.js' }));
    writeFileSync(join(timerApp, 'index.js'), "import { app } from '@azure/functions';\napp.timer('tick', { schedule: '*/5 * * * *', handler: () => {} });\n");
    await expect(startLocalHost({ appDir: timerApp, settingsDir: false, port: 0, logger: () => {} })).rejects.toMatchObject({
      code: 'InvalidRegistration',
      message: expect.stringContaining("Timer 'tick'") as unknown,
    });
  });

  it('reports an app folder without package.json, and a main that matches nothing', () => {
    const bare = join(scratch, 'bare');
    mkdirSync(bare);
    expect(() => resolveEntryFiles(bare)).toThrow(/No package.json/);
    writeFileSync(join(bare, 'package.json'), JSON.stringify({ main: 'dist/functions/*.js' }));
    expect(() => resolveEntryFiles(bare)).toThrow(/matches no file\. Build the app first/);
  });

  it('resolves ** globs and ignores non-matching files', () => {
    const app = join(scratch, 'globbed');
    mkdirSync(join(app, 'out', 'a', 'b'), { recursive: true });
    for (const file of ['out/top.js', 'out/a/one.js', 'out/a/b/two.js', 'out/a/b/two.js.map', 'out/a/readme.md']) writeFileSync(join(app, file), '');
    writeFileSync(join(app, 'package.json'), JSON.stringify({ main: 'out/**/*.js' }));
    expect(resolveEntryFiles(app).map((f) => f.slice(app.length + 1))).toEqual(['out/a/b/two.js', 'out/a/one.js', 'out/top.js']);
  });

  it('reports an import failure with the file name', async () => {
    const app = join(scratch, 'broken');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ type: 'module', main: 'index.js' }));
    writeFileSync(join(app, 'index.js'), "throw new Error('cannot initialise');\n");
    const error = await refusal(app);
    expect(error.code).toBe('AppImportFailed');
    expect(error.message).toContain('index.js');
    expect(error.message).toContain('cannot initialise');
  });

  it('reads routePrefix from host.json, including an empty one, and defaults to api', () => {
    const app = join(scratch, 'prefix');
    mkdirSync(app);
    expect(readHostJson(app).routePrefix).toBe('api');
    writeFileSync(join(app, 'host.json'), JSON.stringify({ extensions: { http: { routePrefix: '' }, durableTask: { hubName: 'Hub1' } } }));
    expect(readHostJson(app)).toMatchObject({ routePrefix: '', hubName: 'Hub1' });
  });

  it('defaults to the app in the current folder, as func start does', () => {
    expect(defaultAppDir()).toBe(process.cwd());
  });
});
