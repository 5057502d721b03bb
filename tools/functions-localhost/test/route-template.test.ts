import { describe, expect, it } from 'vitest';
import { compareRoutePrecedence, compileRoute } from '../src/route-template.js';

describe('route templates', () => {
  it('matches literals case-insensitively and ignores a trailing slash', () => {
    const route = compileRoute('api/Orders/list');
    expect(route.match('/api/orders/LIST')).toEqual({});
    expect(route.match('/api/orders/list/')).toEqual({});
    expect(route.match('/api/orders')).toBeUndefined();
  });

  it('applies numeric constraints with their ranges', () => {
    const int = compileRoute('api/{id:int}');
    expect(int.match('/api/-2147483648')).toEqual({ id: '-2147483648' });
    expect(int.match('/api/2147483648')).toBeUndefined();
    const long = compileRoute('api/{id:long}');
    expect(long.match('/api/2147483648')).toEqual({ id: '2147483648' });
    const ranged = compileRoute('api/{n:int:range(1,10)}');
    expect(ranged.match('/api/10')).toEqual({ n: '10' });
    expect(ranged.match('/api/11')).toBeUndefined();
    expect(compileRoute('api/{n:min(5)}').match('/api/4')).toBeUndefined();
    expect(compileRoute('api/{x:double}').match('/api/1.5e3')).toEqual({ x: '1.5e3' });
  });

  it('applies string constraints: alpha, length, regex (with colons and escaped braces)', () => {
    expect(compileRoute('{s:alpha}').match('/abc')).toEqual({ s: 'abc' });
    expect(compileRoute('{s:alpha}').match('/ab1')).toBeUndefined();
    expect(compileRoute('{s:length(2,3)}').match('/abcd')).toBeUndefined();
    expect(compileRoute('{s:minlength(2)}').match('/a')).toBeUndefined();
    const time = compileRoute('at/{t:regex(^\\d{{2}}:\\d{{2}}$)}');
    expect(time.match('/at/12:30')).toEqual({ t: '12:30' });
    expect(time.match('/at/1230')).toBeUndefined();
  });

  it('supports defaults, complex segments and catch-alls', () => {
    expect(compileRoute('page/{n=1}').match('/page')).toEqual({ n: '1' });
    expect(compileRoute('page/{n=1}').match('/page/7')).toEqual({ n: '7' });
    expect(compileRoute('files/{name}.{ext}').match('/files/report.final.pdf')).toEqual({ name: 'report.final', ext: 'pdf' });
    expect(compileRoute('x/{**rest}').match('/x/a%2Fb/c')).toEqual({ rest: 'a/b/c' });
  });

  it('refuses malformed templates with the reason', () => {
    expect(() => compileRoute('a/{id:nosuch}')).toThrow(/unknown route constraint 'nosuch'/);
    expect(() => compileRoute('a/{id')).toThrow(/unclosed/);
    expect(() => compileRoute('{*rest}/more')).toThrow(/must be the last segment/);
    expect(() => compileRoute('{id}/{ID}')).toThrow(/appears twice/);
    expect(() => compileRoute('a//b')).toThrow(/empty segment/);
  });

  it('orders literal before constrained before plain before catch-all', () => {
    const routes = ['{*all}', '{id}', '{id:int}', 'fixed'].map(compileRoute).sort(compareRoutePrecedence);
    expect(routes.map((r) => r.template)).toEqual(['fixed', '{id:int}', '{id}', '{*all}']);
  });
});

describe('route templates (properties)', () => {
  it('{id:int} matches exactly the decimal Int32 values', async () => {
    const fc = await import('fast-check');
    const route = compileRoute('n/{id:int}');
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }), (n) => {
        const inRange = n >= -(2n ** 31n) && n < 2n ** 31n;
        expect(route.match(`/n/${n}`) !== undefined).toBe(inRange);
      }),
    );
  });

  it('a plain parameter round-trips any non-empty segment value through percent-encoding', async () => {
    const fc = await import('fast-check');
    const route = compileRoute('items/{name}/details');
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: 'grapheme' }), (value) => {
        expect(route.match(`/items/${encodeURIComponent(value)}/details`)).toEqual({ name: value });
      }),
    );
  });
});
