/*
 * Hostile env values through the real Helm: the chart renders them
 * verbatim (no template evaluation of `{{ }}`, no YAML re-interpretation).
 * Skipped when no helm binary can be located.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSpecObject } from '../engine/loadSpec';
import { orchestrate } from '../engine/orchestrate';
import { locateTool, runTool } from '../tools';
import { yamlDocuments } from '../../testkit/robustness';

jest.setTimeout(120_000);

const HOSTILE_ENV: Record<string, string> = {
  TEMPLATE: '{{ .Values.services }}',
  FAIL: '{{- fail "injected" }}',
  TPL_INCLUDE: '{{ include "cno.name" . }}',
  SHELL: '$(id) `id` ${HOME}',
  QUOTES: `it's "quoted"`,
  YAML_MAP: 'key: value # not a comment',
  ANCHOR: '&anchor *alias',
  FLOW: '[a, b] {c: d}',
  BOOL_11: 'yes',
  OCTAL: '0777',
  NULLISH: '~',
  EMPTY: '',
  DOC_MARKERS: '--- ...',
  LEADING_SPACE: '  padded  ',
  TAG: '!!binary aGVsbG8=',
  UNICODE: 'é 日本 🚀',
};

describe('helm template renders hostile env values verbatim', () => {
  it('every environment, every value', async () => {
    const helm = await locateTool('helm');
    if (!helm) {
      // eslint-disable-next-line no-console
      console.warn('helm not found: skipping the Helm rendering check');
      return;
    }
    const architecture = parseSpecObject({
      apiVersion: 'cloud-native.backstage.io/v1alpha1',
      kind: 'Architecture',
      metadata: { name: 'inject', description: '{{ fail "chart" }}: # &x' },
      spec: {
        type: 'microservices',
        cloud: 'aws',
        tier: 'T2',
        environments: ['dev', 'prod'],
        requirements: ['security'],
        services: [
          {
            name: 'web',
            workload: 'service',
            language: 'node',
            env: HOSTILE_ENV,
          },
        ],
      },
    });
    const pkg = await orchestrate(architecture, { tools: false });
    expect(pkg.plan.packaging).toBe('helm');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cno-helm-inject-'));
    try {
      for (const file of pkg.files) {
        const target = path.join(dir, file.path);
        await fs.mkdir(path.dirname(target), { recursive: true });
        await fs.writeFile(target, file.content);
      }
      const chart = `helm/${pkg.plan.name}`;
      for (const environment of pkg.plan.environments) {
        const result = await runTool(
          helm.path,
          [
            'template',
            pkg.plan.name,
            chart,
            '--namespace',
            pkg.plan.namespace,
            '-f',
            `${chart}/values-${environment}.yaml`,
          ],
          { cwd: dir, timeoutMs: 60_000 },
        );
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const configMaps = yamlDocuments(result.stdout).filter(
          o => o?.kind === 'ConfigMap' && o.metadata?.name === 'web-config',
        );
        expect(configMaps).toHaveLength(1);
        expect(configMaps[0].data).toEqual(HOSTILE_ENV);
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
