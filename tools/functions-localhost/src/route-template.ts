import { LocalHostError } from './errors.js';

/**
 * ASP.NET Core route templates as Azure Functions v4 uses them for HTTP triggers: literal segments (matched
 * case-insensitively), `{name}`, `{name?}`, `{name=default}`, `{name:constraint}` (chainable, with arguments:
 * `{id:int:min(1)}`), catch-alls `{*rest}` / `{**rest}`, and complex segments such as `{file}.{ext}`.
 * A route is compiled once into a regular expression plus per-parameter constraint checks.
 */

export interface CompiledRoute {
  readonly template: string;
  /** Returns the route values when the path matches (values decoded), else undefined. */
  match(path: string): Record<string, string> | undefined;
  /** Sort key: more specific routes first, as ASP.NET orders them (literal < constrained < plain < catch-all). */
  readonly precedence: readonly number[];
}

interface ParameterSpec {
  readonly name: string;
  readonly optional: boolean;
  readonly catchAll: boolean;
  readonly defaultValue: string | undefined;
  readonly constraints: readonly ((value: string) => boolean)[];
}

type SegmentPart = { readonly kind: 'literal'; readonly text: string } | { readonly kind: 'parameter'; readonly spec: ParameterSpec };

const INT32 = { min: -2147483648n, max: 2147483647n };
const INT64 = { min: -9223372036854775808n, max: 9223372036854775807n };
const GUID = /^(?:\{)?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}(?:\})?$/i;

function integerWithin(range: { min: bigint; max: bigint }) {
  return (value: string) => {
    if (!/^[+-]?\d+$/.test(value)) return false;
    const n = BigInt(value);
    return n >= range.min && n <= range.max;
  };
}

const isNumber = (value: string) => /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim());

function numberArgs(template: string, name: string, args: string[], count: number[]): number[] {
  const numbers = args.map((a) => Number(a.trim()));
  if (!count.includes(args.length) || numbers.some((n) => !Number.isFinite(n))) {
    throw invalid(template, `constraint '${name}' expects ${count.join(' or ')} numeric argument(s), got '${args.join(',')}'`);
  }
  return numbers;
}

function constraintFor(template: string, text: string): (value: string) => boolean {
  const call = /^([A-Za-z]+)(?:\((.*)\))?$/s.exec(text);
  if (!call) throw invalid(template, `constraint '${text}' is not of the form name or name(arguments)`);
  const name = call[1]!.toLowerCase();
  const rawArgs = call[2];
  const args = rawArgs === undefined ? [] : name === 'regex' ? [rawArgs] : rawArgs.split(',');
  switch (name) {
    case 'int':
      return integerWithin(INT32);
    case 'long':
      return integerWithin(INT64);
    case 'bool':
      return (v) => /^(true|false)$/i.test(v);
    case 'guid':
      return (v) => GUID.test(v);
    case 'alpha':
      return (v) => /^[a-z]+$/i.test(v);
    case 'decimal':
    case 'double':
    case 'float':
      return isNumber;
    case 'datetime':
      return (v) => !Number.isNaN(Date.parse(v));
    case 'min': {
      const [min] = numberArgs(template, name, args, [1]);
      return (v) => integerWithin(INT64)(v) && Number(v) >= min!;
    }
    case 'max': {
      const [max] = numberArgs(template, name, args, [1]);
      return (v) => integerWithin(INT64)(v) && Number(v) <= max!;
    }
    case 'range': {
      const [min, max] = numberArgs(template, name, args, [2]);
      return (v) => integerWithin(INT64)(v) && Number(v) >= min! && Number(v) <= max!;
    }
    case 'minlength': {
      const [min] = numberArgs(template, name, args, [1]);
      return (v) => v.length >= min!;
    }
    case 'maxlength': {
      const [max] = numberArgs(template, name, args, [1]);
      return (v) => v.length <= max!;
    }
    case 'length': {
      const bounds = numberArgs(template, name, args, [1, 2]);
      const [min, max] = bounds.length === 1 ? [bounds[0]!, bounds[0]!] : [bounds[0]!, bounds[1]!];
      return (v) => v.length >= min && v.length <= max;
    }
    case 'regex': {
      let pattern: RegExp;
      try {
        pattern = new RegExp(args[0]!, 'i');
      } catch (error) {
        throw invalid(template, `regex constraint '${args[0]}' is not a valid regular expression (${(error as Error).message})`);
      }
      return (v) => pattern.test(v);
    }
    case 'required':
      return (v) => v.length > 0;
    default:
      throw invalid(template, `unknown route constraint '${name}' (supported: int, long, bool, guid, alpha, decimal, double, float, datetime, min, max, range, minlength, maxlength, length, regex, required)`);
  }
}

function invalid(template: string, reason: string): LocalHostError {
  return new LocalHostError('InvalidRegistration', `Route template '${template}' is invalid: ${reason}.`);
}

/** Splits `name:c1:c2(args)=default?` respecting parentheses (regex arguments may contain ':'). */
function parseParameter(template: string, body: string): ParameterSpec {
  let text = body.trim();
  let catchAll = false;
  if (text.startsWith('**')) {
    catchAll = true;
    text = text.slice(2);
  } else if (text.startsWith('*')) {
    catchAll = true;
    text = text.slice(1);
  }
  const pieces: string[] = [];
  let depth = 0;
  let current = '';
  let defaultValue: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth === 0 && ch === ':') {
      pieces.push(current);
      current = '';
      continue;
    }
    if (depth === 0 && ch === '=') {
      defaultValue = text.slice(i + 1);
      break;
    }
    current += ch;
  }
  pieces.push(current);
  let optional = false;
  const last = pieces.length - 1;
  if (defaultValue === undefined && pieces[last]!.endsWith('?')) {
    optional = true;
    pieces[last] = pieces[last]!.slice(0, -1);
  }
  if (defaultValue !== undefined && defaultValue.endsWith('?')) throw invalid(template, `parameter '${pieces[0]}' cannot have both a default value and '?'`);
  const name = pieces[0]!.trim();
  if (!name || /[{}/?*=]/.test(name)) throw invalid(template, `parameter name '${name}' is empty or contains one of { } / ? * =`);
  const constraints = pieces.slice(1).map((c) => constraintFor(template, c.trim()));
  return { name, optional: optional || defaultValue !== undefined, catchAll, defaultValue, constraints };
}

function parseSegment(template: string, segment: string): SegmentPart[] {
  const parts: SegmentPart[] = [];
  let literal = '';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i]!;
    if (ch === '{') {
      if (segment[i + 1] === '{') {
        literal += '{';
        i++;
        continue;
      }
      // Find the matching close brace; '}}' inside a parameter (a regex quantifier) is an escaped '}'.
      let j = i + 1;
      let body = '';
      for (; j < segment.length; j++) {
        if (segment[j] === '{' && segment[j + 1] === '{') {
          body += '{';
          j++;
          continue;
        }
        if (segment[j] === '}') {
          if (segment[j + 1] === '}') {
            body += '}';
            j++;
            continue;
          }
          break;
        }
        body += segment[j];
      }
      if (j >= segment.length) throw invalid(template, `unclosed '{' in segment '${segment}'`);
      if (literal) parts.push({ kind: 'literal', text: literal });
      literal = '';
      parts.push({ kind: 'parameter', spec: parseParameter(template, body) });
      i = j;
    } else if (ch === '}') {
      if (segment[i + 1] === '}') {
        literal += '}';
        i++;
        continue;
      }
      throw invalid(template, `unmatched '}' in segment '${segment}'`);
    } else {
      literal += ch;
    }
  }
  if (literal) parts.push({ kind: 'literal', text: literal });
  return parts;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compileRoute(template: string): CompiledRoute {
  const trimmed = template.replace(/^[~]?\/+/, '').replace(/\/+$/, '');
  const segments = trimmed === '' ? [] : trimmed.split('/');
  const parameters: ParameterSpec[] = [];
  const precedence: number[] = [];
  let source = '^';
  segments.forEach((segment, index) => {
    if (segment === '') throw invalid(template, 'it contains an empty segment (//)');
    const parts = parseSegment(template, segment);
    const params = parts.filter((p): p is Extract<SegmentPart, { kind: 'parameter' }> => p.kind === 'parameter');
    for (const p of params) {
      if (parameters.some((q) => q.name.toLowerCase() === p.spec.name.toLowerCase())) throw invalid(template, `parameter '${p.spec.name}' appears twice`);
      if (p.spec.catchAll && index !== segments.length - 1) throw invalid(template, `catch-all parameter '${p.spec.name}' must be the last segment`);
      parameters.push(p.spec);
    }
    const only = parts.length === 1 && parts[0]!.kind === 'parameter' ? parts[0]!.spec : undefined;
    if (only?.catchAll) {
      source += `(?:/(.*))?`;
      precedence.push(5);
    } else if (only) {
      source += only.optional ? `(?:/([^/]+))?` : `/([^/]+)`;
      precedence.push(only.constraints.length > 0 ? 3 : 4);
    } else {
      if (params.some((p) => p.spec.catchAll)) throw invalid(template, `a catch-all parameter must be a whole segment`);
      source += '/';
      for (const part of parts) {
        // Greedy, so earlier parameters take the longest match: ASP.NET matches complex segments right to left.
        source += part.kind === 'literal' ? escapeRegExp(part.text) : part.spec.optional ? '([^/]*)' : '([^/]+)';
      }
      precedence.push(params.length === 0 ? 1 : 2);
    }
  });
  source += '/?$';
  const pattern = new RegExp(source, 'i');

  return {
    template,
    precedence,
    match(path: string) {
      const found = pattern.exec(path === '' ? '/' : path);
      if (!found) return undefined;
      const values: Record<string, string> = {};
      for (let i = 0; i < parameters.length; i++) {
        const spec = parameters[i]!;
        const raw = found[i + 1];
        if (raw === undefined || raw === '') {
          if (spec.defaultValue !== undefined) values[spec.name] = spec.defaultValue;
          else if (!spec.optional && !spec.catchAll) return undefined;
          continue;
        }
        let value: string;
        try {
          value = spec.catchAll ? raw.split('/').map(decodeURIComponent).join('/') : decodeURIComponent(raw);
        } catch {
          return undefined;
        }
        if (!spec.constraints.every((check) => check(value))) return undefined;
        values[spec.name] = value;
      }
      return values;
    },
  };
}

/** Orders compiled routes most specific first; ties keep registration order (Array.prototype.sort is stable). */
export function compareRoutePrecedence(a: CompiledRoute, b: CompiledRoute): number {
  const length = Math.max(a.precedence.length, b.precedence.length);
  for (let i = 0; i < length; i++) {
    // A missing segment sorts after a literal but before parameters: '/a' is more specific than '/a/{x?}'.
    const left = a.precedence[i] ?? 2.5;
    const right = b.precedence[i] ?? 2.5;
    if (left !== right) return left - right;
  }
  return 0;
}
