import { promises as fs } from 'node:fs';
import { Diagnosis, diagnosePods } from '../../diagnose';
import {
  CliInputError,
  CliIO,
  CommandRegistration,
  EXIT_OK,
  EXIT_VALIDATION_FAILED,
} from '../io';

type KubeObject = Record<string, unknown> & { kind: string };

/** The kinds `diagnosePods` reads, by the argument that takes them */
const KINDS: Record<string, keyof DiagnoseInput> = {
  Pod: 'pods',
  Event: 'events',
  Deployment: 'deployments',
  Rollout: 'deployments',
  HorizontalPodAutoscaler: 'hpas',
  PodDisruptionBudget: 'pdbs',
};

interface DiagnoseInput {
  pods: KubeObject[];
  events: KubeObject[];
  deployments: KubeObject[];
  hpas: KubeObject[];
  pdbs: KubeObject[];
}

function isKubeObject(value: unknown): value is KubeObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { kind?: unknown }).kind === 'string'
  );
}

/**
 * The objects of one kubectl JSON document: a `List` (`kubectl get
 * pods,events -o json`), an array of objects, or one object. Unlike
 * `diagnosePods`, which skips what it cannot read, a document that is not
 * kubectl output is an error: the user passed the wrong file.
 */
function kubectlObjects(text: string, source: string): KubeObject[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new CliInputError(
      source,
      `not JSON (${
        (error as Error).message
      }); expected the output of kubectl get pods,events -o json`,
    );
  }
  const items =
    isKubeObject(document) && Array.isArray(document.items)
      ? document.items
      : document;
  const objects = Array.isArray(items) ? items : [items];
  const bad = objects.findIndex(item => !isKubeObject(item));
  if (bad >= 0) {
    throw new CliInputError(
      source,
      `item ${bad} is not a Kubernetes object (no kind); expected the output of kubectl get pods,events -o json`,
    );
  }
  return objects as KubeObject[];
}

/** Sorts the objects of every document by the argument that reads them. */
function diagnoseInput(objects: KubeObject[]): DiagnoseInput {
  const input: DiagnoseInput = {
    pods: [],
    events: [],
    deployments: [],
    hpas: [],
    pdbs: [],
  };
  for (const object of objects) {
    const key = KINDS[object.kind];
    if (key) input[key].push(object);
  }
  return input;
}

async function readDocument(file: string, io: CliIO): Promise<string> {
  if (file === '-') {
    if (!io.stdin) {
      throw new CliInputError('<stdin>', 'no standard input to read');
    }
    return io.stdin();
  }
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new CliInputError(
      file,
      `cannot read: ${
        (error as NodeJS.ErrnoException).code ?? (error as Error).message
      }`,
    );
  }
}

function formatDiagnosis(d: Diagnosis): string {
  const subject = d.pod ? `pod/${d.pod}` : d.object ?? '<unknown>';
  return [
    `${subject} (namespace ${d.namespace}, ${d.phase}): ${d.category}`,
    `  reason:     ${d.reason}`,
    ...(d.evidence.length > 0
      ? ['  evidence:', ...d.evidence.map(e => `    - ${e}`)]
      : []),
    `  resolution: ${d.resolution}`,
    `  next:       ${d.nextCommand}`,
    '',
  ].join('\n');
}

/**
 * `cno diagnose [file...]`: classifies unhealthy pods (and stuck rollouts,
 * HPAs without metrics, PDBs that block drains) from kubectl's JSON, read
 * from the files or from standard input. Exit 1 when it found a problem,
 * like `validate` when it found an error.
 */
export const registerDiagnose: CommandRegistration = (
  program,
  { io, setExitCode },
) => {
  program
    .command('diagnose')
    .description(
      'Diagnose unhealthy pods from kubectl JSON (kubectl get pods,events -o json)',
    )
    .argument(
      '[file...]',
      'kubectl JSON output (pods, events, deployments, hpa, pdb); - or none reads standard input',
    )
    .option('--json', 'print the diagnoses as JSON')
    .action(async (files: string[], opts: { json?: boolean }) => {
      const sources = files.length > 0 ? files : ['-'];
      const objects: KubeObject[] = [];
      for (const source of sources) {
        const text = await readDocument(source, io);
        objects.push(
          ...kubectlObjects(text, source === '-' ? '<stdin>' : source),
        );
      }
      const { pods, events, ...extra } = diagnoseInput(objects);
      const diagnoses = diagnosePods(pods, events, extra);
      if (opts.json) {
        io.stdout(`${JSON.stringify(diagnoses, null, 2)}\n`);
      } else {
        io.stdout(diagnoses.map(formatDiagnosis).join('\n'));
        io.stdout(
          `${diagnoses.length} problem(s) found in ${pods.length} pod(s)\n`,
        );
      }
      setExitCode(diagnoses.length === 0 ? EXIT_OK : EXIT_VALIDATION_FAILED);
    });
};
