/*
 * P1: generate + validate a 12-service hybrid T3 spec in process vs what a
 * user does without the engine.
 *
 *   engine   orchestrate(spec, { tools: true }): every skill, strict schema
 *            validation, policy rules, Dockerfile lint, IAM and secret scans,
 *            plus the real tools the engine runs itself (helm lint --strict
 *            and helm template per environment, kubectl kustomize per folder)
 *   helm     per service: helm create <svc>, helm template <svc>, helm lint
 *            (the real binary, spawned through runTool, in a temp dir)
 *   inproc   orchestrate(spec, { tools: false }), for context: the engine
 *            without the external tools
 *   helmonly orchestrate(spec, { tools: true }) with no kubectl, for context:
 *            the engine with its helm checks only
 *
 * The variants alternate (rotating order) for BENCH_REPS repetitions (default
 * 5) after one warm-up each; medians are reported.
 *
 * Run: node -r @backstage/cli/config/nodeTransform.cjs bench/p1-generate-vs-helm.ts
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseSpecText } from '../plugins/cloud-native-node/src/engine/loadSpec';
import {
  DeploymentPackage,
  orchestrate,
} from '../plugins/cloud-native-node/src/engine/orchestrate';
import { locateTool, runTool } from '../plugins/cloud-native-node/src/tools';
import { parseManifests } from '../plugins/cloud-native-node/src/validation';
import { policyRules } from '../plugins/cloud-native-node/src/validation/policy';
import { ruleSeverity } from '../plugins/cloud-native-node/src/validation/policy/evaluate';
import { alternate, envInt, goal, median, ms, printMachine } from './lib';

const SPEC = path.join(__dirname, 'specs', 'hybrid-12.yaml');
const REPS = envInt('BENCH_REPS', 5);
/** helm lint's rule groups: Chart.yaml, values, templates, dependencies, CRDs */
const HELM_LINT_RULE_GROUPS = 5;
/** A kubectl that does not exist: the engine skips its kustomize checks */
const NO_KUBECTL = path.join(os.tmpdir(), 'cno-bench-no-kubectl');

interface HelmRun {
  invocations: number;
  objectsRendered: number;
  failures: string[];
}

async function helmByHand(
  helmPath: string,
  services: string[],
): Promise<HelmRun> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cno-bench-helm-'));
  const run: HelmRun = { invocations: 0, objectsRendered: 0, failures: [] };
  try {
    for (const name of services) {
      for (const args of [
        ['create', name],
        ['template', name, `./${name}`],
        ['lint', `./${name}`],
      ]) {
        const result = await runTool(helmPath, args, {
          cwd: dir,
          timeoutMs: 60_000,
        });
        run.invocations++;
        if (result.code !== 0) {
          run.failures.push(`helm ${args.join(' ')}: ${result.stderr.trim()}`);
        }
        if (args[0] === 'template') {
          run.objectsRendered += parseAllDocuments(result.stdout).filter(
            d => d.toJS() !== null,
          ).length;
        }
      }
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  return run;
}

/** What the engine checked: objects, rule evaluations, files, tool runs. */
function engineChecks(pkg: DeploymentPackage) {
  const { manifests } = parseManifests(pkg.plan, pkg.files);
  const objects = manifests.reduce((n, m) => n + m.objects.length, 0);
  const active = policyRules.filter(
    rule => ruleSeverity(rule, { tier: pkg.plan.tier }) !== 'off',
  );
  let ruleEvaluations = 0;
  for (const manifest of manifests) {
    if (!manifest.path.startsWith('kubernetes/')) continue;
    for (const object of manifest.objects) {
      ruleEvaluations += active.filter(r =>
        r.appliesTo.includes(object.kind),
      ).length;
    }
  }
  const report = pkg.report as unknown as {
    tool_checks?: Array<{ check: string; status: string }>;
  };
  const toolChecks = report.tool_checks ?? [];
  return {
    files: pkg.files.length,
    objects,
    activeRules: active.length,
    ruleEvaluations,
    dockerfiles: pkg.files.filter(f =>
      /^containers\/[^/]+\/Dockerfile$/.test(f.path),
    ).length,
    toolChecks: toolChecks.length,
    toolChecksPassed: toolChecks.filter(t => t.status === 'pass').length,
    helmChecks: toolChecks.filter(t => t.check.startsWith('helm ')).length,
    errors: pkg.findings.filter(f => f.severity === 'error').length,
    warnings: pkg.findings.filter(f => f.severity === 'warning').length,
  };
}

async function main() {
  printMachine(
    'P1: generate + validate (12-service hybrid T3) vs helm by hand',
  );
  const architecture = parseSpecText(await fs.readFile(SPEC, 'utf8'), SPEC);
  const diagnostics: string[] = [];
  const helm = await locateTool('helm', { diagnostics });
  if (!helm) {
    console.log(`helm not found (${diagnostics.join('; ')}): cannot run P1`);
    process.exitCode = 1;
    return;
  }
  const kubectl = await locateTool('kubectl');
  console.log(
    `helm:    ${helm.version} (${helm.source}: ${helm.path})\nkubectl: ${
      kubectl ? `${kubectl.version} (${kubectl.source})` : 'not found'
    }`,
  );
  const services = architecture.spec.services.map(s => s.name);
  const kubernetesServices = services.length;
  console.log(
    `spec:    ${path.relative(process.cwd(), SPEC)}: ${
      services.length
    } services, ${architecture.spec.environments.join('/')}, mesh ${
      architecture.spec.mesh
    }, ${architecture.spec.cloud}, ${architecture.spec.tier}`,
  );
  console.log(
    `reps:    ${REPS} per variant, alternating, after 1 warm-up each\n`,
  );

  // Warm-up: loads the schema models, JIT, the file cache of the binaries
  const warm = await orchestrate(architecture, { tools: true });
  await orchestrate(architecture, { tools: false });
  await orchestrate(architecture, { tools: true, kubectlPath: NO_KUBECTL });
  const warmHelm = await helmByHand(helm.path, services);
  if (warmHelm.failures.length > 0) {
    console.log(`helm by hand failed: ${warmHelm.failures.join('\n')}`);
  }
  const checks = engineChecks(warm);

  const results = await alternate(
    REPS,
    {
      engine: () => orchestrate(architecture, { tools: true }),
      helm: () => helmByHand(helm.path, services),
      inproc: () => orchestrate(architecture, { tools: false }),
      // the engine with its helm checks but no kubectl kustomize
      helmonly: () =>
        orchestrate(architecture, { tools: true, kubectlPath: NO_KUBECTL }),
    },
    (name, rep, duration) =>
      console.log(`  rep ${rep + 1} ${name.padEnd(6)} ${ms(duration)}`),
  );

  const engine = median(results.engine.durations);
  const byHand = median(results.helm.durations);
  const inproc = median(results.inproc.durations);
  const helmOnly = median(results.helmonly.durations);
  const helmRun = results.helm.last!;
  const ratio = byHand / engine;

  console.log('\nmedians');
  console.log(
    `  engine (generate + validate + helm/kubectl checks): ${ms(engine)}`,
  );
  console.log(
    `  helm by hand (create + template + lint x ${
      services.length
    }):        ${ms(byHand)}`,
  );
  console.log(
    `  engine without external tools (context):            ${ms(inproc)}`,
  );
  console.log(
    `  engine with helm checks, no kubectl (context):      ${ms(helmOnly)}`,
  );
  console.log(
    `  ratio helm-by-hand / engine: ${ratio.toFixed(2)}x   (goal >= 5x: ${goal(
      ratio >= 5,
    )})`,
  );
  console.log(
    `  ratio helm-by-hand / engine without tools: ${(byHand / inproc).toFixed(
      2,
    )}x`,
  );
  console.log(
    `  ratio helm-by-hand / engine with helm checks only: ${(
      byHand / helmOnly
    ).toFixed(2)}x`,
  );
  const toolTime = engine - inproc;
  console.log(
    `  external tool checks in the engine run ~ engine - in-process = ${ms(
      toolTime,
    )} for ${
      checks.toolChecks
    } checks (run concurrently; a kustomization built inside an outer one that passes needs no process of its own; version probes cached per process); helm by hand: ~${ms(
      byHand / helmRun.invocations,
    )} per helm call, one after the other`,
  );

  console.log('\nwhat each side checked (per run)');
  console.log(
    `  engine: ${checks.files} files generated; ${
      checks.objects
    } objects strictly schema-validated; ${
      checks.ruleEvaluations
    } policy rule evaluations (${checks.activeRules} active rules at ${
      architecture.spec.tier
    }) on kubernetes/ objects; ${
      checks.dockerfiles
    } Dockerfiles linted; IAM + secret scans; ${
      checks.toolChecks
    } external tool checks (${checks.helmChecks} helm, ${
      checks.toolChecks - checks.helmChecks
    } kubectl kustomize; ${checks.toolChecksPassed} passed); result ${
      checks.errors
    } error(s), ${checks.warnings} warning(s)`,
  );
  console.log(
    `  helm:   ${helmRun.invocations} helm invocations; ${
      helmRun.objectsRendered
    } objects rendered (not validated against schemas); helm lint: ${HELM_LINT_RULE_GROUPS} rule groups x ${kubernetesServices} starter charts = ${
      HELM_LINT_RULE_GROUPS * kubernetesServices
    }; ${helmRun.failures.length} failure(s)`,
  );
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
