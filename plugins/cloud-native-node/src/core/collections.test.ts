import { byKey, compareStrings, prune, sortedRecord } from './collections';

describe('collections', () => {
  it('sorts in code-point order, whatever the locale', () => {
    expect(['b', 'B', 'a', 'é', 'A'].sort(compareStrings)).toEqual([
      'A',
      'B',
      'a',
      'b',
      'é',
    ]);
    expect(
      [{ n: 'web' }, { n: 'api' }].sort(byKey(x => x.n)).map(x => x.n),
    ).toEqual(['api', 'web']);
  });

  it('sorts a record by key', () => {
    expect(Object.keys(sortedRecord({ b: 1, a: 2, B: 3 }))).toEqual([
      'B',
      'a',
      'b',
    ]);
  });

  it('prunes undefined values recursively, keeping null, false and arrays', () => {
    expect(
      prune({
        a: undefined,
        b: { c: undefined, d: null, e: false },
        f: [{ g: undefined, h: 0 }],
      }),
    ).toEqual({ b: { d: null, e: false }, f: [{ h: 0 }] });
    expect(
      Object.keys(prune({ a: undefined, b: 1 }) as Record<string, unknown>),
    ).toEqual(['b']);
  });
});
