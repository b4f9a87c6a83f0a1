import { LocalCache } from './LocalCache';

describe('LocalCache', () => {
  it('forgets entries when their time is up', () => {
    const cache = new LocalCache<string>(10);
    cache.set('a', 'x', 1_000, 0);
    expect(cache.get('a', 999)).toBe('x');
    expect(cache.get('a', 1_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps at most maxEntries, dropping the oldest first', () => {
    const cache = new LocalCache<number>(2);
    cache.set('a', 1, 1_000, 0);
    cache.set('b', 2, 1_000, 0);
    cache.set('a', 3, 1_000, 0); // a is now the newest
    cache.set('c', 4, 1_000, 0);
    expect(cache.get('b', 1)).toBeUndefined();
    expect(cache.get('a', 1)).toBe(3);
    expect(cache.get('c', 1)).toBe(4);
    expect(cache.size).toBe(2);
  });

  it('ignores a time to live of 0 or less', () => {
    const cache = new LocalCache<number>(2);
    cache.set('a', 1, 0, 0);
    cache.set('b', 1, -5, 0);
    expect(cache.size).toBe(0);
  });

  it('deletes an entry only while it holds the given value', () => {
    const cache = new LocalCache<object>(2);
    const first = {};
    const second = {};
    cache.set('a', first, 1_000, 0);
    cache.set('a', second, 1_000, 0);
    cache.deleteIfSame('a', first);
    expect(cache.get('a', 1)).toBe(second);
    cache.deleteIfSame('a', second);
    expect(cache.get('a', 1)).toBeUndefined();
  });
});
