/**
 * A tiny line-based Dockerfile reader and the rules the tests hold every
 * generated Dockerfile to. Test-only: there is no Dockerfile parser
 * dependency, and the rules are simple enough to state directly.
 */

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  image: string;
  alias?: string;
  instructions: Instruction[];
}

/** Joins `\` continuations, drops comments and blank lines. */
export function parseDockerfile(text: string): Instruction[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!current && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1).trim()} `;
    } else {
      logical.push(current + line);
      current = '';
    }
  }
  if (current) logical.push(current.trim());
  return logical.map(line => {
    const space = line.indexOf(' ');
    return space < 0
      ? { keyword: line.toUpperCase(), args: '' }
      : {
          keyword: line.slice(0, space).toUpperCase(),
          args: line.slice(space + 1).trim(),
        };
  });
}

export function stages(text: string): Stage[] {
  const result: Stage[] = [];
  for (const instruction of parseDockerfile(text)) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.args
        .split(/\s+/)
        .filter(word => !word.startsWith('--'));
      result.push({
        image: words[0],
        alias: /^as$/i.test(words[1] ?? '') ? words[2] : undefined,
        instructions: [],
      });
    } else if (result.length > 0) {
      result[result.length - 1].instructions.push(instruction);
    }
  }
  return result;
}

/**
 * True for `name:tag` (tag after the last `/`, not `latest`) with a version
 * in the tag or the name (`static-debian12:nonroot`), or for a digest.
 */
export function isPinned(image: string): boolean {
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return true;
  const colon = image.lastIndexOf(':');
  const slash = image.lastIndexOf('/');
  if (colon <= slash) return false;
  const tag = image.slice(colon + 1);
  return tag !== 'latest' && /\d/.test(image.slice(slash + 1));
}

export function isExecForm(args: string): boolean {
  try {
    const parsed = JSON.parse(args);
    return (
      Array.isArray(parsed) &&
      parsed.length > 0 &&
      parsed.every(item => typeof item === 'string')
    );
  } catch {
    return false;
  }
}

export function finalStage(text: string): Stage {
  const all = stages(text);
  return all[all.length - 1];
}

/** Problems with a Dockerfile; empty when it keeps every rule. */
export function lintDockerfile(text: string): string[] {
  const problems: string[] = [];
  const all = stages(text);
  if (all.length < 2) problems.push(`needs >= 2 FROM, has ${all.length}`);
  const aliases = new Set<string>();
  for (const stage of all) {
    if (!aliases.has(stage.image) && !isPinned(stage.image)) {
      problems.push(`FROM ${stage.image} is not pinned to a version tag`);
    }
    let pipefail = false;
    for (const { keyword, args } of stage.instructions) {
      if (keyword === 'ADD') problems.push(`ADD ${args}: use COPY`);
      if (keyword === 'SHELL' && args.includes('pipefail')) pipefail = true;
      if (keyword === 'COPY') {
        const from = /--from=(\S+)/.exec(args)?.[1];
        if (from && !aliases.has(from) && !isPinned(from)) {
          problems.push(`COPY --from=${from} is neither a stage nor pinned`);
        }
      }
      if (keyword === 'RUN') {
        if (/(^|[^|])\|($|[^|])/.test(args) && !pipefail) {
          problems.push(`RUN with a pipe before SHELL pipefail: ${args}`);
        }
        if (/apt-get (-\S+ )*install/.test(args)) {
          if (!args.includes('--no-install-recommends')) {
            problems.push(`apt-get install without --no-install-recommends`);
          }
          if (!args.includes('rm -rf /var/lib/apt/lists/*')) {
            problems.push('apt lists not removed in the same RUN');
          }
        }
        if (args.includes('apt-get update') && !args.includes('install')) {
          problems.push('apt-get update alone in a RUN');
        }
      }
      if (
        (keyword === 'CMD' || keyword === 'ENTRYPOINT') &&
        !isExecForm(args)
      ) {
        problems.push(`${keyword} is not exec form: ${args}`);
      }
      if (keyword === 'HEALTHCHECK' && args !== 'NONE') {
        const cmd = /\bCMD\s+(.*)$/.exec(args)?.[1] ?? '';
        if (!isExecForm(cmd)) {
          problems.push(`HEALTHCHECK is not exec form: ${args}`);
        }
      }
    }
    if (stage.alias) aliases.add(stage.alias);
  }
  const last = all[all.length - 1];
  if (last) {
    const users = last.instructions.filter(i => i.keyword === 'USER');
    const user = users[users.length - 1]?.args;
    if (!user || !/^\d+(:\d+)?$/.test(user) || /^0(:|$)/.test(user)) {
      problems.push(`final stage USER is not a numeric non-root id: ${user}`);
    }
    if (
      !last.instructions.some(
        i => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT',
      )
    ) {
      problems.push('final stage has no CMD or ENTRYPOINT');
    }
  }
  return problems;
}
