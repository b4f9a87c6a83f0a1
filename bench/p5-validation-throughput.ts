/*
 * P5: strict schema validation throughput on one core:
 * `createKubernetesSchemaValidator().validate` over the objects the engine
 * generates for the 500-service spec of P2 (those the validation pipeline
 * sends to this validator: not Linkerd objects, not kinds of the extra
 * validators), passed over repeatedly for BENCH_P5_SECONDS (default 10)
 * after one warm-up pass. Reports objects/s per pass (median) and overall.
 *
 * Node runs the validator on one thread: one core, whatever the machine.
 *
 * Run: node -r @backstage/cli/config/nodeTransform.cjs bench/p5-validation-throughput.ts
 */
import { parseSpecObject } from '../plugins/cloud-native-node/src/engine/loadSpec';
import { orchestrate } from '../plugins/cloud-native-node/src/engine/orchestrate';
import { KubernetesObject } from '../plugins/cloud-native-node/src/engine/types';
import {
  isLinkerdObject,
  validateLinkerdObject,
} from '../plugins/cloud-native-node/src/skills/mesh';
import { parseManifests } from '../plugins/cloud-native-node/src/validation';
import { extraObjectValidators } from '../plugins/cloud-native-node/src/validation/extraValidators';
import { createKubernetesSchemaValidator } from '../plugins/cloud-native-node/src/validation/schema';
import { envInt, goal, median, ms, printMachine } from './lib';
import { scaleSpec } from './scaleSpec';

const SERVICES = envInt('BENCH_P5_SERVICES', 500);
const SECONDS = envInt('BENCH_P5_SECONDS', 10);

async function main() {
  printMachine(
    `P5: strict schema validation throughput (${SERVICES}-service package)`,
  );
  const pkg = await orchestrate(parseSpecObject(scaleSpec(SERVICES)), {
    tools: false,
    validate: false,
  });
  // The objects as the pipeline sees them: parsed back from the YAML files
  const { manifests } = parseManifests(pkg.plan, pkg.files);
  const all = manifests.flatMap(m => m.objects);
  const objects: KubernetesObject[] = all.filter(
    o => !isLinkerdObject(o) && !extraObjectValidators.some(v => v.handles(o)),
  );
  const kinds = new Map<string, number>();
  for (const o of objects) {
    const key = `${o.apiVersion}/${o.kind}`;
    kinds.set(key, (kinds.get(key) ?? 0) + 1);
  }
  console.log(
    `objects: ${objects.length} of ${all.length} generated (${
      kinds.size
    } kinds: ${[...kinds]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}${kinds.size > 8 ? ', ...' : ''})`,
  );

  const created = performance.now();
  const validator = await createKubernetesSchemaValidator();
  console.log(`validator created in ${ms(performance.now() - created)}`);

  // Warm-up pass (JIT, the per-kind caches of the CRD layer)
  let findings = 0;
  const warm = performance.now();
  for (const object of objects) findings += validator.validate(object).length;
  console.log(
    `warm-up pass: ${ms(performance.now() - warm)}, ${findings} finding(s)`,
  );

  const measure = (
    label: string,
    list: KubernetesObject[],
    check: (o: KubernetesObject) => unknown,
  ) => {
    const perPass: number[] = [];
    let total = 0;
    const started = performance.now();
    while (performance.now() - started < SECONDS * 1000) {
      const passStart = performance.now();
      for (const object of list) check(object);
      const seconds = (performance.now() - passStart) / 1000;
      perPass.push(list.length / seconds);
      total += list.length;
    }
    const overall = total / ((performance.now() - started) / 1000);
    const rate = median(perPass);
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log(
      `\n${label}: ${list.length} objects, ${perPass.length} passes in ${SECONDS} s`,
    );
    console.log(
      `  median ${fmt(rate)} objects/s per pass (min ${fmt(
        Math.min(...perPass),
      )}, max ${fmt(Math.max(...perPass))}); overall ${fmt(overall)} objects/s`,
    );
    return rate;
  };

  const rate = measure(
    'createKubernetesSchemaValidator().validate',
    objects,
    o => validator.validate(o),
  );
  console.log(`  goal >= 20,000 objects/s: ${goal(rate >= 20_000)}`);
  // For context: every generated object, routed like the pipeline does
  // (Linkerd objects to their own strict models)
  measure('whole schema layer (Kubernetes + Linkerd validators)', all, o =>
    isLinkerdObject(o) ? validateLinkerdObject(o) : validator.validate(o),
  );
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
