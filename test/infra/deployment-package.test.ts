/**
 * What `npm run package` makes is what runs in Azure: the product's compiled code and its production dependencies,
 * nothing else (scripts/package.mjs). This builds the package from the build `npm test` just made into a temporary
 * folder outside the repository, where no node_modules above it can hide a missing dependency, and reads the zip's
 * entries (the unzipped folder beside it, which azd deploys, must hold the same files).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireFreshBuild } from '../support/compiled.js';

const repo = path.resolve(import.meta.dirname, '../..');
const rootPackage = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
  name: string;
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  workspaces: string[];
};
const work = mkdtempSync(path.join(tmpdir(), 'deployment-package-'));
const unpacked = path.join(work, 'out', 'app');
let zipBytes = 0;
const names: string[] = [];

beforeAll(() => {
  requireFreshBuild();
  const packaged = spawnSync(process.execPath, [path.join(repo, 'scripts/package.mjs'), '--out', path.join(work, 'out')], { cwd: repo, encoding: 'utf8' });
  expect(packaged.status, packaged.stderr).toBe(0);
  const zip = readFileSync(path.join(work, 'out', `${rootPackage.name}.zip`));
  zipBytes = zip.length;
  // Names only: the filter sees every entry and declines to inflate it.
  unzipSync(zip, {
    filter: (file) => {
      names.push(file.name);
      return false;
    },
  });
  names.sort();
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Names of the packages installed anywhere in the zip's node_modules (nested ones too). */
function installedPackages(): Set<string> {
  const found = new Set<string>();
  for (const name of names) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(name);
    if (match?.[1] !== undefined) found.add(match[1]);
  }
  return found;
}

describe('the deployment package', () => {
  it('holds the files of the folder azd deploys', () => {
    const folder = readdirSync(unpacked, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(unpacked, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
    expect(names).toEqual(folder.sort());
  });

  it('holds host.json, package.json, dist/ and node_modules/ only', () => {
    expect(new Set(names.map((name) => name.split('/')[0]))).toEqual(new Set(['host.json', 'package.json', 'dist', 'node_modules']));
    expect(readFileSync(path.join(unpacked, 'host.json'), 'utf8')).toBe(readFileSync(path.join(repo, 'host.json'), 'utf8'));
  });

  it("has a package.json with the product's entry point and dependencies, and no devDependencies, scripts or workspaces", () => {
    const deployed = JSON.parse(readFileSync(path.join(unpacked, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(deployed).toMatchObject({ name: rootPackage.name, type: 'module', main: rootPackage.main, dependencies: rootPackage.dependencies });
    expect(deployed).not.toHaveProperty('devDependencies');
    expect(deployed).not.toHaveProperty('scripts');
    expect(deployed).not.toHaveProperty('workspaces');
  });

  it('holds the compiled product, one .js for each source in src/, and nothing else of the repository', () => {
    const sources = readdirSync(path.join(repo, 'src'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => path.relative(repo, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
    const compiled = names.filter((name) => name.startsWith('dist/'));
    expect(compiled.sort()).toEqual(sources.map((source) => `dist/${source.replace(/\.ts$/, '.js')}`).sort());
    expect(compiled.filter((name) => name.startsWith('dist/src/functions/')).length).toBeGreaterThan(5);
  });

  it('holds no stand-in, development tooling, test, benchmark, data or devDependency', () => {
    expect(names.filter((name) => /(^|\/)(tools|test|bench|\.data|\.local)\//.test(name) && !name.startsWith('node_modules/'))).toEqual([]);
    expect(names.filter((name) => /(^|\/)(simulator|localhost)\//.test(name) && !name.startsWith('node_modules/'))).toEqual([]);
    const installed = installedPackages();
    const workspacePackages = rootPackage.workspaces.map((folder) => (JSON.parse(readFileSync(path.join(repo, folder, 'package.json'), 'utf8')) as { name: string }).name);
    // The stand-ins' own dependencies (croner, selfsigned, azurite) serve them only.
    const notDeployed = [...Object.keys(rootPackage.devDependencies), ...workspacePackages, 'croner', 'selfsigned', 'azurite'];
    expect(notDeployed.filter((name) => installed.has(name))).toEqual([]);
  });

  it('holds every production dependency, enough for the product to load with nothing else around it', () => {
    const installed = installedPackages();
    expect(Object.keys(rootPackage.dependencies).filter((name) => !installed.has(name))).toEqual([]);
    const load = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "import { readdirSync } from 'node:fs'; for (const f of readdirSync('dist/src/functions')) await import(`./dist/src/functions/${f}`); console.log('loaded');"],
      { cwd: unpacked, encoding: 'utf8' },
    );
    expect(load.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find/);
    expect(load.status).toBe(0);
    expect(load.stdout.trim().split('\n').at(-1)).toBe('loaded');
  });

  it('is the size the README gives, within 20 %', () => {
    const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
    const stated = /appservice-vnet-migrator\.zip`? \(about (\d+(?:\.\d+)?) MiB/.exec(readme)?.[1];
    expect(stated, 'README.md names the zip with "(about N MiB"').toBeDefined();
    const mib = zipBytes / 1024 / 1024;
    expect(Math.abs(mib - Number(stated)) / mib).toBeLessThan(0.2);
  });
});
