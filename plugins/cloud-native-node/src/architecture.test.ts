import fs from 'fs';
import path from 'path';

/**
 * The engine's folders are its layers, and data flows one way: spec → plan →
 * skills → package → validation → cost → guide → report, with `core/` (the
 * contract: types, serialization, errors, version, validator contract) below
 * everything and the pipeline (`engine/`) and the CLI on top. These tests
 * read the import statements of every source file (tests and fixtures aside)
 * and fail on an import that goes up or sideways, and on any cycle.
 */

const SRC = __dirname;

/** The pipeline (engine/) may use every layer below it. */
const PIPELINE = [
  'core',
  'plan',
  'tools',
  'skills',
  'package',
  'validation',
  'cost',
  'guide',
  'report',
];

/** What each layer may import besides itself (and the common package). */
const ALLOWED: Record<string, string[]> = {
  core: [],
  plan: ['core'],
  tools: ['core'],
  skills: ['core', 'plan', 'tools'],
  package: ['core'],
  validation: ['core', 'plan', 'tools', 'package'],
  cost: ['core', 'plan'],
  guide: ['core', 'plan', 'cost'],
  report: ['core', 'plan', 'cost', 'guide', 'validation'],
  diagnose: ['core'],
  engine: PIPELINE,
  cli: [...PIPELINE, 'diagnose', 'engine'],
};

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!/^__(fixtures|testUtils)__$/.test(entry.name)) {
        sourceFiles(full, out);
      }
    } else if (
      /\.tsx?$/.test(entry.name) &&
      !/\.test\.tsx?$/.test(entry.name) &&
      entry.name !== 'setupTests.ts'
    ) {
      out.push(full);
    }
  }
  return out;
}

function resolveImport(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find(
    candidate => fs.existsSync(candidate),
  );
}

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = fs.readFileSync(file, 'utf8');
    const targets = new Set<string>();
    for (const match of text.matchAll(
      /(?:\bfrom|^import|\bimport\()\s*['"](\.\.?\/[^'"]+)['"]/gm,
    )) {
      const target = resolveImport(file, match[1]);
      if (target) targets.add(target);
    }
    graph.set(file, [...targets]);
  }
  return graph;
}

const relative = (file: string) => path.relative(SRC, file);

/** `skills/mesh/istio.ts` → layer `skills`, unit `skills/mesh`. */
function placeOf(file: string): { layer: string; unit: string } {
  const parts = relative(file).split(path.sep);
  if (parts.length === 1) return { layer: '(root)', unit: '(root)' };
  if (parts[0] === 'skills' && parts.length > 2) {
    return { layer: 'skills', unit: `skills/${parts[1]}` };
  }
  return { layer: parts[0], unit: parts[0] };
}

function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(relative(member));
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('engine architecture', () => {
  const graph = importGraph();

  it('reads the source files', () => {
    expect(graph.size).toBeGreaterThan(100);
  });

  it('has no import cycle between files', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('imports only downwards: no layer imports a higher one, no skill imports another', () => {
    const violations: string[] = [];
    for (const [file, targets] of graph) {
      const from = placeOf(file);
      if (from.layer === '(root)') continue;
      for (const target of targets) {
        const to = placeOf(target);
        if (to.unit === from.unit) continue;
        const allowed = ALLOWED[from.layer];
        if (!allowed) {
          violations.push(`${relative(file)}: layer ${from.layer} has no rule`);
        } else if (!allowed.includes(to.layer)) {
          violations.push(`${relative(file)} -> ${relative(target)}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('has a rule for every folder', () => {
    const folders = fs
      .readdirSync(SRC, { withFileTypes: true })
      .filter(entry => entry.isDirectory() && !entry.name.startsWith('__'))
      .map(entry => entry.name)
      .filter(name => name !== 'robustness');
    expect(folders.filter(name => !ALLOWED[name])).toEqual([]);
  });
});
