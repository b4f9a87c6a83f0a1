// Reads a package's docs/DEPLOYMENT.md the way a platform engineer follows it: the
// shell blocks of its sections, split per environment and per cluster context.
//
// A guide is markdown with numbered `## N. Title` sections, `### <env>` subsections
// and ```sh blocks. A block that switches clusters (`kubectl config use-context X`)
// starts a new segment: the commands after it run against the cluster X names.

/** The sections of a guide: title → { body, subsections: title → body }. */
export function sections(markdown) {
  const result = new Map();
  let section;
  let subsection;
  for (const line of markdown.split('\n')) {
    const h2 = /^## (?:\d+\. )?(.*)$/.exec(line);
    const h3 = /^### (.*)$/.exec(line);
    if (h2) {
      section = { body: [], subsections: new Map() };
      result.set(h2[1].trim(), section);
      subsection = undefined;
    } else if (h3 && section) {
      subsection = [];
      section.subsections.set(h3[1].trim(), subsection);
    } else if (section) {
      (subsection ?? section.body).push(line);
    }
  }
  return result;
}

/** The commands of the ```sh blocks of a text, continuation lines joined. */
export function shellCommands(lines) {
  const commands = [];
  let inBlock = false;
  let pending = '';
  for (const raw of lines) {
    if (/^```(sh|bash|shell)\s*$/.test(raw)) {
      inBlock = true;
      continue;
    }
    if (inBlock && /^```\s*$/.test(raw)) {
      inBlock = false;
      continue;
    }
    if (!inBlock) continue;
    const line = pending ? `${pending} ${raw.trim()}` : raw;
    if (/\\\s*$/.test(line)) {
      pending = line.replace(/\\\s*$/, '').trimEnd();
      continue;
    }
    pending = '';
    // a trailing comment is for the reader (`kubectl get hpa   # TARGETS ...`)
    const trimmed = line.replace(/\s+#\s.*$/, '').trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    commands.push(trimmed);
  }
  return commands;
}

const USE_CONTEXT = /^kubectl config use-context (\S+)/;

/**
 * Splits commands into segments, one per cluster: [{ context, commands }].
 * Commands before the first use-context belong to a segment without a context.
 */
export function segments(commands) {
  const result = [];
  let current;
  for (const command of commands) {
    const match = USE_CONTEXT.exec(command);
    if (match || !current) {
      current = { context: match ? match[1] : undefined, commands: [] };
      result.push(current);
    }
    if (!match) current.commands.push(command);
  }
  return result.filter(s => s.context || s.commands.length > 0);
}

function sectionNamed(all, pattern) {
  for (const [title, section] of all) if (pattern.test(title)) return section;
  return undefined;
}

/**
 * What the install test needs from a guide:
 * - environments: [{ env, deploy: segments, validate: segments }]
 * - rollback: { helm: commands, workloads: commands, rollouts: commands }
 * - kubernetes: whether the guide deploys to Kubernetes at all
 */
export function readGuide(markdown) {
  const all = sections(markdown);
  const deploy = sectionNamed(all, /^Deploy, environment by environment$/);
  const validate = sectionNamed(all, /^Validate$/);
  const rollback = sectionNamed(all, /^Rollback$/);
  const knative = sectionNamed(all, /^Deploy the serverless functions$/);
  const environments = [];
  if (deploy) {
    for (const [env, body] of deploy.subsections) {
      environments.push({
        env,
        deploy: segments(shellCommands(body)),
        validate: segments(shellCommands(validate?.subsections.get(env) ?? [])),
      });
    }
  }
  const knativeBody = knative?.subsections.get('Knative');
  if (knativeBody) {
    environments.push({
      env: 'knative',
      deploy: segments(shellCommands(knativeBody)),
      validate: segments(
        shellCommands(validate?.subsections.get('Serverless functions') ?? []),
      ),
    });
  }
  const sub = name => shellCommands(rollback?.subsections.get(name) ?? []);
  return {
    environments,
    rollback: {
      helm: sub('Helm release'),
      manifests: sub('Manifests'),
      workloads: sub('One workload'),
      rollouts: sub('Rollouts'),
    },
  };
}
