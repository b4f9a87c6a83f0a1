import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../runCli';
import { captureIO } from '../../../testkit/cli';
import { tmpDirPerTest } from '../__fixtures__/tmpDir';

const FIXTURES = path.resolve(__dirname, '../../diagnose/__fixtures__');

const fixture = (name: string) => path.join(FIXTURES, `${name}.json`);

/** What `kubectl get pods,events -o json` prints: one List of both kinds */
function podsAndEvents(name: string): string {
  const items = ['pods', 'events'].flatMap(
    part => JSON.parse(readFileSync(fixture(`${name}.${part}`), 'utf8')).items,
  );
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

describe('cno diagnose', () => {
  const tmp = tmpDirPerTest('cno-diagnose-');

  it('reads kubectl get pods,events -o json from standard input', async () => {
    const c = captureIO(podsAndEvents('crashloop-oomkilled'));
    const code = await runCli(['diagnose'], c.io);
    expect(c.err()).toBe('');
    expect(code).toBe(1);
    expect(c.out()).toMatch(/^pod\/\S+ \(namespace shop, Running\): memory$/m);
    expect(c.out()).toMatch(/^ {2}next: {7}kubectl /m);
    expect(c.out()).toMatch(/1 problem\(s\) found in 2 pod\(s\)\n$/);
  });

  it('reads the same list from a file, and - for standard input', async () => {
    const file = path.join(tmp(), 'state.json');
    await fs.writeFile(file, podsAndEvents('image-unauthorized'));
    const fromFile = captureIO();
    const fromStdin = captureIO(podsAndEvents('image-unauthorized'));
    expect(await runCli(['diagnose', file, '--json'], fromFile.io)).toBe(1);
    expect(await runCli(['diagnose', '-', '--json'], fromStdin.io)).toBe(1);
    expect(JSON.parse(fromFile.out())).toEqual(JSON.parse(fromStdin.out()));
    expect(JSON.parse(fromFile.out())).toMatchObject([
      { category: 'credentials', namespace: 'marketplace' },
    ]);
  });

  it.each([
    ['deployment-progress-deadline', 'deployments', 'rollout'],
    ['hpa-unknown-metrics', 'hpas', 'metrics'],
  ])(
    'routes the objects of separate files by kind (%s)',
    async (name, extra, category) => {
      const c = captureIO();
      const files = ['pods', 'events', extra].map(p => fixture(`${name}.${p}`));
      expect(await runCli(['diagnose', ...files, '--json'], c.io)).toBe(1);
      const categories = JSON.parse(c.out()).map(
        (d: { category: string }) => d.category,
      );
      expect(categories).toContain(category);
    },
  );

  it('reads a PodDisruptionBudget list alone', async () => {
    const c = captureIO();
    const code = await runCli(
      ['diagnose', fixture('pdb-blocking-drain.pdbs'), '--json'],
      c.io,
    );
    expect(code).toBe(1);
    expect(JSON.parse(c.out())).toMatchObject([{ category: 'disruption' }]);
  });

  it('exits 0 for healthy or empty input', async () => {
    const c = captureIO(JSON.stringify({ kind: 'List', items: [] }));
    expect(await runCli(['diagnose'], c.io)).toBe(0);
    expect(c.out()).toBe('0 problem(s) found in 0 pod(s)\n');
  });

  it.each([
    ['not JSON', '{"kind": "List", items', /<stdin>: not JSON/],
    ['a JSON scalar', '42', /<stdin>: item 0 is not a Kubernetes object/],
    [
      'a list item without a kind',
      JSON.stringify({ kind: 'List', items: [{ kind: 'Pod' }, {}] }),
      /<stdin>: item 1 is not a Kubernetes object/,
    ],
  ])(
    'exits 2 for %s on standard input, naming it',
    async (_, input, message) => {
      const c = captureIO(input);
      expect(await runCli(['diagnose'], c.io)).toBe(2);
      expect(c.err()).toMatch(message);
      expect(c.err()).toMatch(/kubectl get pods,events -o json/);
      expect(c.out()).toBe('');
    },
  );

  it('exits 2 for a missing file, naming it', async () => {
    const c = captureIO();
    const missing = path.join(tmp(), 'missing.json');
    expect(await runCli(['diagnose', missing], c.io)).toBe(2);
    expect(c.err()).toBe(`cno: ${missing}: cannot read: ENOENT\n`);
  });

  it('exits 2 when there is no standard input to read', async () => {
    const c = captureIO();
    expect(await runCli(['diagnose'], c.io)).toBe(2);
    expect(c.err()).toBe('cno: <stdin>: no standard input to read\n');
  });
});
