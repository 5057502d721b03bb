/**
 * What can be checked of infra/ without a Bicep compiler (none installs here: it is a downloaded binary): every
 * .bicep file parses with the tree-sitter Bicep grammar (WASM, from the npm registry); every resource type and
 * api-version is one of those kept in infra/api-versions.json; the files and modules they load exist; azd's
 * parameter file names only real parameters and covers the required ones; the templates stay small. Not checked:
 * types of properties, names a resource type accepts, whether ARM accepts the deployment (README, Deploy to Azure).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Language, Parser, type Node } from 'web-tree-sitter';
import { REPO_ROOT } from '../e2e/engine-harness.js';
import { readMigratorRole } from './migrator-role.js';

const INFRA = path.join(REPO_ROOT, 'infra');
const GRAMMAR = path.join(REPO_ROOT, 'node_modules/tree-sitter-bicep/tree-sitter-bicep.wasm');
/** Small enough to review in one sitting. */
const MAX_LINES = 250;

const bicepFiles = readdirSync(INFRA, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.bicep'))
  .map((f) => path.join(INFRA, f))
  .sort();
const apiVersions = JSON.parse(readFileSync(path.join(INFRA, 'api-versions.json'), 'utf8')) as Record<string, string>;

let parser: Parser;

function parse(text: string): Node {
  const tree = parser.parse(text);
  if (tree === null) throw new Error('the parser returned no tree');
  return tree.rootNode;
}

/** Syntax errors as `line:column text`, from ERROR and MISSING nodes. */
function syntaxErrors(root: Node): string[] {
  const found: string[] = [];
  const walk = (node: Node): void => {
    if (node.type === 'ERROR' || node.isMissing) found.push(`${node.startPosition.row + 1}:${node.startPosition.column + 1} ${node.isMissing ? `missing ${node.type}` : node.text.slice(0, 60)}`);
    for (const child of node.children) if (child !== null) walk(child);
  };
  walk(root);
  return found;
}

function declarations(root: Node, type: string): Node[] {
  return root.namedChildren.filter((n): n is Node => n !== null && n.type === type);
}

/** The string literal a declaration names (a resource's 'Type@version', a module's path), without quotes. */
function declaredString(node: Node): string {
  const literal = node.namedChildren.find((c) => c?.type === 'string');
  return literal?.text.slice(1, -1) ?? '';
}

const calls = (root: Node, name: string): string[] => {
  const found: string[] = [];
  const walk = (node: Node): void => {
    if (node.type === 'call_expression' && node.namedChildren[0]?.text === name) {
      const literal = node.namedChildren[1]?.namedChildren.find((c) => c?.type === 'string');
      if (literal !== undefined && literal !== null) found.push(literal.text.slice(1, -1));
    }
    for (const child of node.namedChildren) if (child !== null) walk(child);
  };
  walk(root);
  return found;
};

describe('infra/*.bicep', () => {
  beforeAll(async () => {
    await Parser.init();
    parser = new Parser();
    parser.setLanguage(await Language.load(GRAMMAR));
  });

  it('finds the templates', () => {
    expect(bicepFiles.map((f) => path.relative(INFRA, f))).toEqual(expect.arrayContaining(['main.bicep', 'modules/app.bicep']));
  });

  it('the grammar reports a broken template (the check is not vacuous)', () => {
    expect(syntaxErrors(parse("resource sa 'Microsoft.Storage/storageAccounts@2023-05-01' = {\n  name: \n"))).not.toEqual([]);
    expect(syntaxErrors(parse("param a string = 'x'\nvar b = [for i in range(0, 2): i\n"))).not.toEqual([]);
  });

  it.each(bicepFiles.map((f) => [path.relative(INFRA, f), f]))('%s parses without a syntax error and stays small', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    expect(syntaxErrors(parse(text))).toEqual([]);
    expect(text.split('\n').length).toBeLessThanOrEqual(MAX_LINES);
  });

  it('declares only resource types and api-versions kept in infra/api-versions.json, and every one listed is used', () => {
    const used = new Set<string>();
    for (const file of bicepFiles) {
      for (const resource of declarations(parse(readFileSync(file, 'utf8')), 'resource_declaration')) {
        const [type = '', version = ''] = declaredString(resource).split('@');
        expect(apiVersions[type], `${path.relative(INFRA, file)}: ${type} is not in infra/api-versions.json`).toBe(version);
        used.add(type);
      }
    }
    expect([...used].sort()).toEqual(Object.keys(apiVersions).filter((k) => !k.startsWith('$')).sort());
  });

  it('loads files and modules that exist, and main.bicep loads the role the tests prove', () => {
    for (const file of bicepFiles) {
      const root = parse(readFileSync(file, 'utf8'));
      for (const target of [...declarations(root, 'module_declaration').map(declaredString), ...calls(root, 'loadJsonContent'), ...calls(root, 'loadTextContent')]) {
        expect(existsSync(path.resolve(path.dirname(file), target)), `${path.relative(INFRA, file)} loads ${target}`).toBe(true);
      }
    }
    expect(calls(parse(readFileSync(path.join(INFRA, 'main.bicep'), 'utf8')), 'loadJsonContent')).toEqual(['roles/migrator-role.json']);
  });

  it("azd's main.parameters.json names only parameters of main.bicep and gives every required one", () => {
    const root = parse(readFileSync(path.join(INFRA, 'main.bicep'), 'utf8'));
    const params = declarations(root, 'parameter_declaration').map((p) => ({ name: p.namedChildren[0]?.text ?? '', required: p.namedChildren.length <= 2 }));
    const given = Object.keys((JSON.parse(readFileSync(path.join(INFRA, 'main.parameters.json'), 'utf8')) as { parameters: object }).parameters);
    expect(given.filter((g) => !params.some((p) => p.name === g))).toEqual([]);
    expect(params.filter((p) => p.required).map((p) => p.name).filter((n) => !given.includes(n))).toEqual([]);
  });

  it("the README's Deploy to Azure section names every parameter of main.bicep and every action of both roles", () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('\n## Deploy to Azure\n');
    expect(start).toBeGreaterThan(0);
    const next = readme.indexOf('\n## ', start + 5);
    const section = readme.slice(start, next < 0 ? undefined : next);
    const root = parse(readFileSync(path.join(INFRA, 'main.bicep'), 'utf8'));
    const params = declarations(root, 'parameter_declaration').map((p) => p.namedChildren[0]?.text ?? '');
    expect(params.length).toBeGreaterThan(10);
    expect(params.filter((p) => !section.includes(`| \`${p}\` |`))).toEqual([]);
    const role = readMigratorRole();
    const actions = [...role.actions, ...role.crossRegion.actions].map((a) => a.action);
    expect(actions.filter((a) => !section.includes(`\`${a}\``))).toEqual([]);
  });
});
