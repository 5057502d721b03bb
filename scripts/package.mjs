#!/usr/bin/env node
/**
 * The deployment package (`npm run package`, which builds first; azd runs it too, see azure.yaml): the product and
 * what it needs at run time in Azure Functions, nothing else. Layout, as the Node.js v4 worker reads it:
 *   host.json
 *   package.json     "main": "dist/src/functions/*.js", "type": "module", the product's dependencies; no scripts,
 *                    devDependencies or workspaces
 *   dist/src/**.js   the compiled product: one .js per src/**.ts (no source maps, tests, benchmarks or stand-ins;
 *                    a .js left in dist/ by a deleted source is not taken)
 *   node_modules/    the production dependency tree, copied from this install as `npm ls --omit=dev` lists it
 *                    (the versions the tests ran against; no devDependency, no workspace package), without the
 *                    source maps and type declarations Node never loads
 * Written to <out>/app/ (what azd zips and deploys) and <out>/appservice-vnet-migrator.zip (for zip deploy by hand:
 * `az functionapp deployment source config-zip --src <zip>`). <out> is .local/package unless --out <dir> is given.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outFlag = process.argv.indexOf('--out');
const out = path.resolve(outFlag >= 0 ? process.argv[outFlag + 1] ?? '' : path.join(repo, '.local/package'));
const app = path.join(out, 'app');
const rootPackage = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));
const zipFile = path.join(out, `${rootPackage.name}.zip`);

function fail(message) {
  process.stderr.write(`npm run package: ${message}\n`);
  process.exit(1);
}

/** The compiled product: dist/src/x.js for every src/x.ts, refusing a missing or older one (run `npm run build`). */
function productFiles() {
  const files = [];
  for (const entry of readdirSync(path.join(repo, 'src'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
    const source = path.join(entry.parentPath, entry.name);
    const relative = path.relative(repo, source).replace(/\.ts$/, '.js');
    const compiled = path.join(repo, 'dist', relative);
    if (!existsSync(compiled) || statSync(compiled).mtimeMs < statSync(source).mtimeMs) fail(`dist/${relative} is missing or older than its source: run \`npm run build\` first (\`npm run package\` does).`);
    files.push(relative);
  }
  return files;
}

/** Folders (relative to the repository) of every installed production dependency, nested ones included. */
function productionDependencyFolders() {
  const npm = process.env.npm_execpath;
  const [command, args] = npm?.endsWith('.js') ? [process.execPath, [npm]] : ['npm', []];
  const listed = spawnSync(command, [...args, 'ls', '--omit=dev', '--all', '--parseable', '--workspaces=false'], { cwd: repo, encoding: 'utf8', shell: false });
  if (listed.status !== 0) fail(`npm ls --omit=dev failed (is the install complete? run npm ci):\n${listed.stderr}`);
  return listed.stdout
    .split('\n')
    .map((line) => path.relative(repo, line.trim()))
    .filter((folder) => folder.startsWith('node_modules'));
}

rmSync(out, { recursive: true, force: true });
mkdirSync(app, { recursive: true });

for (const file of productFiles()) {
  mkdirSync(path.dirname(path.join(app, 'dist', file)), { recursive: true });
  cpSync(path.join(repo, 'dist', file), path.join(app, 'dist', file));
}
cpSync(path.join(repo, 'host.json'), path.join(app, 'host.json'));
const { name, version, description, type, main, engines, dependencies } = rootPackage;
writeFileSync(path.join(app, 'package.json'), `${JSON.stringify({ name, version, description, private: true, type, main, engines, dependencies }, null, 2)}\n`);
/**
 * Files Node never loads at run time: source maps (read only under --enable-source-maps, and skipped when absent)
 * and type declarations. Half of the dependencies' bytes (the Azure SDK ships a map beside every file).
 */
const NOT_LOADED = /\.(map|d\.ts|d\.mts|d\.cts)$/;

for (const folder of productionDependencyFolders()) {
  const source = path.join(repo, folder);
  // A package's own node_modules holds nested dependencies: npm ls lists the production ones separately.
  const filter = (from) => path.relative(source, from).split(path.sep)[0] !== 'node_modules' && !NOT_LOADED.test(from);
  cpSync(source, path.join(app, folder), { recursive: true, filter });
}

/** Every file under `dir`, as zip entries; a fixed date keeps the zip's bytes the same for the same inputs. */
function zipEntries(dir) {
  const entries = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    entries[path.relative(dir, file).split(path.sep).join('/')] = [readFileSync(file), { mtime: new Date('2000-01-01T00:00:00Z') }];
  }
  return entries;
}

const entries = zipEntries(app);
const zipped = zipSync(entries);
writeFileSync(zipFile, zipped);
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const unpacked = Object.values(entries).reduce((sum, [data]) => sum + data.length, 0);
process.stdout.write(`${path.relative(process.cwd(), zipFile) || zipFile}: ${mib(zipped.length)} (${Object.keys(entries).length} files, ${mib(unpacked)} unpacked); folder for azd: ${path.relative(process.cwd(), app) || app}\n`);
