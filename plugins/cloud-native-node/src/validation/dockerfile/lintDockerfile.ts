import {
  explainSecretLiteral,
  Finding,
  Tier,
} from '@internal/backstage-plugin-cloud-native-common';
import {
  DockerfileParser,
  Dockerfile,
  From,
  Instruction,
  JSONInstruction,
  ModifiableInstruction,
  PropertyInstruction,
} from 'dockerfile-ast';
import { aptInstalls, programOf, splitCommands } from './shell';

export type DockerfileSeverity = 'error' | 'warning' | 'info';

/**
 * A Dockerfile rule, hadolint-compatible where hadolint has the check.
 */
export interface DockerfileRule {
  /** hadolint id (`DL3006`) or our own (`secret-in-env-arg`) */
  id: string;
  description: string;
  /** `hadolint:DL3006`, ... */
  anchors: string[];
  severity: Readonly<Record<Tier, DockerfileSeverity>>;
  check(ctx: DockerfileContext): DockerfileViolation[];
}

export interface DockerfileViolation {
  instruction: Instruction;
  message: string;
  /** Replaces the rule's severity for this violation (not an override's) */
  severity?: DockerfileSeverity;
}

/** One build stage: a FROM and the instructions up to the next FROM. */
export interface Stage {
  index: number;
  from: From;
  /** `AS <name>`, lower case */
  name?: string;
  instructions: Instruction[];
  /** The stage this one builds on (`FROM build AS test`) */
  parent?: Stage;
}

export interface DockerfileContext {
  dockerfile: Dockerfile;
  stages: Stage[];
  /** The last stage: what the image is */
  final?: Stage;
  text: string;
}

export interface LintDockerfileOptions {
  tier: Tier;
  /** By rule id (`DL3008` or `dockerfile/DL3008`): a severity, or `off` */
  severityOverrides?: Record<string, DockerfileSeverity | 'off'>;
}

// ---------------------------------------------------------------------------
// Helpers

function splitStages(dockerfile: Dockerfile): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction instanceof From) {
      const name = instruction.getBuildStage()?.toLowerCase() ?? undefined;
      const base = instruction.getImage()?.toLowerCase();
      stages.push({
        index: stages.length,
        from: instruction,
        name,
        instructions: [],
        parent: stages.find(s => s.name !== undefined && s.name === base),
      });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return stages;
}

/** The stage and the stages it builds on, nearest first. */
function lineage(stage: Stage): Stage[] {
  const out: Stage[] = [];
  for (let s: Stage | undefined = stage; s; s = s.parent) {
    if (out.includes(s)) break;
    out.push(s);
  }
  return out;
}

/** Instructions of a stage's lineage, in build order. */
function effectiveInstructions(stage: Stage): Instruction[] {
  return lineage(stage)
    .reverse()
    .flatMap(s => s.instructions);
}

function keyword(instruction: Instruction): string {
  return instruction.getKeyword().toUpperCase();
}

function content(instruction: Instruction): string {
  return instruction.getArgumentsContent() ?? '';
}

/** Shell form (not `["exec", "form"]`) */
function isShellForm(instruction: Instruction): boolean {
  return !content(instruction).trim().startsWith('[');
}

/** Replaces `$VAR`/`${VAR}` with the global ARG defaults. */
function resolveArgs(dockerfile: Dockerfile, value: string): string {
  const args = new Map<string, string>();
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty();
    const argValue = property?.getValue();
    if (property && argValue !== null && argValue !== undefined) {
      args.set(property.getName(), argValue);
    }
  }
  return value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced: string, fallback: string | undefined, bare: string) =>
      args.get(braced ?? bare) ?? fallback ?? match,
  );
}

/** Image reference parts (tag after the last `:` following the last `/`). */
function imageParts(image: string): { tag?: string; digest?: string } {
  const [withoutDigest, digest] = image.split('@', 2);
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return {
    tag: colon > slash ? withoutDigest.slice(colon + 1) : undefined,
    digest,
  };
}

/** Base images that are not registries' images. */
function baseImage(ctx: DockerfileContext, stage: Stage): string | undefined {
  const image = stage.from.getImage();
  if (!image) return undefined;
  const lower = image.toLowerCase();
  if (lower === 'scratch') return undefined;
  if (ctx.stages.some(s => s.index < stage.index && s.name === lower)) {
    return undefined;
  }
  const resolved = resolveArgs(ctx.dockerfile, image);
  return resolved.includes('$') ? undefined : resolved;
}

/** Runs `check` on every stage built on a registry image, with it parsed. */
function perBaseImage(
  ctx: DockerfileContext,
  check: (
    stage: Stage,
    image: string,
    parts: ReturnType<typeof imageParts>,
  ) => DockerfileViolation[],
): DockerfileViolation[] {
  return ctx.stages.flatMap(stage => {
    const image = baseImage(ctx, stage);
    return image ? check(stage, image, imageParts(image)) : [];
  });
}

/** The user part of the last USER of the stage (or what it builds on). */
function lastUser(
  stage: Stage,
): { instruction: Instruction; user: string } | undefined {
  const users = effectiveInstructions(stage).filter(i => keyword(i) === 'USER');
  const last = users[users.length - 1];
  if (!last) return undefined;
  return { instruction: last, user: content(last).trim().split(':')[0] };
}

function hasFlagValue(
  instruction: Instruction,
  name: string,
  pattern: RegExp,
): boolean {
  return (
    instruction instanceof ModifiableInstruction &&
    instruction
      .getFlags()
      .some(f => f.getName() === name && pattern.test(f.getValue() ?? ''))
  );
}

/** Packages of an apt install (words that are not options). */
function aptPackages(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (['-o', '-t', '-c', '--option', '--target-release'].includes(arg)) {
      i++;
    } else if (!arg.startsWith('-')) {
      out.push(arg);
    }
  }
  return out;
}

function isAbsolutePath(path: string): boolean {
  return (
    path.startsWith('/') ||
    path.startsWith('$') ||
    /^[A-Za-z]:[\\/]/.test(path) ||
    path.startsWith('"/') ||
    path.startsWith("'/")
  );
}

/** COPY/ADD sources and destination, shell or JSON form. */
function copyArguments(instruction: Instruction): string[] {
  const text = content(instruction).trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // fall through to the shell form
    }
  }
  return instruction.getArguments().map(a => a.getValue());
}

const HARDENING: Record<Tier, DockerfileSeverity> = {
  T1: 'warning',
  T2: 'error',
  T3: 'error',
};
/** The same severity on every tier. */
const onEveryTier = (
  severity: DockerfileSeverity,
): Record<Tier, DockerfileSeverity> => ({
  T1: severity,
  T2: severity,
  T3: severity,
});
const WARNING = onEveryTier('warning');
const INFO = onEveryTier('info');
const LEAK = onEveryTier('error');

function runs(
  ctx: DockerfileContext,
): Array<{ run: Instruction; stage: Stage }> {
  return ctx.stages.flatMap(stage =>
    stage.instructions
      .filter(i => keyword(i) === 'RUN')
      .map(run => ({ run, stage })),
  );
}

/** Is the stage (or a stage built on it) the final image? */
function shipsInFinal(ctx: DockerfileContext, stage: Stage): boolean {
  return ctx.final ? lineage(ctx.final).includes(stage) : false;
}

// ---------------------------------------------------------------------------
// Rules

/**
 * The Dockerfile rules. Severities: hadolint's level at T2/T3; at T1 its
 * errors are warnings. Exceptions: DL3002 (root) is an error from T2 like the
 * Kubernetes security rules; credentials in ENV/ARG are errors at every tier;
 * DL3008 is a warning for the final stage and info for build-only stages
 * (packages of a build stage do not ship).
 */
export const dockerfileRules: DockerfileRule[] = [
  {
    id: 'DL3006',
    description: 'Base images name an explicit tag (or digest).',
    anchors: ['hadolint:DL3006'],
    severity: WARNING,
    check: ctx =>
      perBaseImage(ctx, (stage, image, { tag, digest }) => {
        return tag || digest
          ? []
          : [
              {
                instruction: stage.from,
                message: `FROM ${image} has no tag: it builds on whatever latest is today; pin a version (and ideally a digest)`,
              },
            ];
      }),
  },
  {
    id: 'DL3007',
    description: 'Base images are not tagged latest.',
    anchors: ['hadolint:DL3007'],
    severity: WARNING,
    check: ctx =>
      perBaseImage(ctx, (stage, image, { tag, digest }) => {
        return tag === 'latest' && !digest
          ? [
              {
                instruction: stage.from,
                message: `FROM ${image}: latest changes under the build; pin a version`,
              },
            ]
          : [];
      }),
  },
  {
    id: 'DL3002',
    description:
      'The final stage switches to a non-root USER (and does not end as root).',
    anchors: ['hadolint:DL3002', 'kube-linter:run-as-non-root'],
    severity: HARDENING,
    check: ctx => {
      if (!ctx.final) return [];
      const last = lastUser(ctx.final);
      if (!last) {
        return [
          {
            instruction: ctx.final.from,
            message:
              'the final stage sets no USER: the container runs as the base image user, often root; add USER <uid>',
          },
        ];
      }
      return last.user === 'root' || last.user === '0'
        ? [
            {
              instruction: last.instruction,
              message: 'the last USER is root: switch to a non-root UID',
            },
          ]
        : [];
    },
  },
  {
    id: 'user-numeric',
    description:
      'The final USER is numeric (Kubernetes runAsNonRoot cannot verify a user name and refuses to start the container).',
    anchors: [
      'hadolint:DL3002',
      'kube-score:container-security-context-user-group-id',
    ],
    severity: WARNING,
    check: ctx => {
      if (!ctx.final) return [];
      const last = lastUser(ctx.final);
      if (
        !last ||
        last.user === 'root' ||
        /^\d+$/.test(last.user) ||
        last.user.includes('$')
      ) {
        return [];
      }
      return [
        {
          instruction: last.instruction,
          message: `USER ${last.user} is a name: with runAsNonRoot the kubelet cannot verify it and refuses to start the container; use the numeric UID`,
        },
      ];
    },
  },
  {
    id: 'DL3020',
    description:
      'ADD is used only for URLs and archives; COPY for local files.',
    anchors: ['hadolint:DL3020'],
    severity: HARDENING,
    check: ctx =>
      ctx.stages.flatMap(stage =>
        stage.instructions
          .filter(i => keyword(i) === 'ADD')
          .flatMap(add => {
            const sources = copyArguments(add).slice(0, -1);
            const local = sources.filter(
              s =>
                !/^(https?|git|ssh):\/\//i.test(s) &&
                !/^git@/.test(s) &&
                !/\.(tar|tar\.(gz|bz2|xz|zst)|tgz|tbz2?|txz)$/i.test(s),
            );
            return local.length > 0
              ? [
                  {
                    instruction: add,
                    message: `ADD ${local.join(
                      ' ',
                    )}: use COPY for local files (ADD also extracts archives and fetches URLs)`,
                  },
                ]
              : [];
          }),
      ),
  },
  {
    id: 'DL3008',
    description:
      'apt-get install pins package versions (warning for the final image, info for build-only stages).',
    anchors: ['hadolint:DL3008'],
    severity: WARNING,
    check: ctx =>
      runs(ctx).flatMap(({ run, stage }) => {
        const unpinned = aptInstalls(content(run))
          .flatMap(aptPackages)
          .filter(
            p => !p.includes('=') && !p.includes('$') && !p.endsWith('.deb'),
          );
        if (unpinned.length === 0) return [];
        const ships = shipsInFinal(ctx, stage);
        return [
          {
            instruction: run,
            severity: ships ? undefined : 'info',
            message: `apt-get install ${unpinned.join(' ')} without versions (${
              ships
                ? 'the image changes with every Debian point release'
                : 'a build-only stage, so nothing ships, but builds are not reproducible'
            }); pin package=version, or pin the base image by digest`,
          },
        ];
      }),
  },
  {
    id: 'DL3009',
    description:
      'apt lists are deleted in the RUN that installs packages (final image only).',
    anchors: ['hadolint:DL3009'],
    severity: INFO,
    check: ctx =>
      runs(ctx)
        .filter(({ stage }) => shipsInFinal(ctx, stage))
        .flatMap(({ run }) => {
          const text = content(run);
          if (
            aptInstalls(text).length === 0 ||
            /rm\s+-[a-zA-Z]*\s+\/var\/lib\/apt\/lists/.test(text) ||
            hasFlagValue(run, 'mount', /target=\/var\/lib\/apt/)
          ) {
            return [];
          }
          return [
            {
              instruction: run,
              message:
                'apt lists stay in the layer: end the RUN with && rm -rf /var/lib/apt/lists/* (or use a cache mount)',
            },
          ];
        }),
  },
  {
    id: 'DL3015',
    description: 'apt-get install uses --no-install-recommends.',
    anchors: ['hadolint:DL3015'],
    severity: INFO,
    check: ctx =>
      runs(ctx).flatMap(({ run }) =>
        aptInstalls(content(run))
          .filter(
            args =>
              !args.includes('--no-install-recommends') &&
              !args.some(a => /Install-Recommends=(false|0)/i.test(a)),
          )
          .map(() => ({
            instruction: run,
            message:
              'apt-get install without --no-install-recommends pulls in recommended packages the image does not need',
          })),
      ),
  },
  {
    id: 'DL4006',
    description:
      'RUN with a pipe sets -o pipefail (SHELL ["/bin/bash", "-o", "pipefail", "-c"]), so a failing command before the pipe fails the build.',
    anchors: ['hadolint:DL4006'],
    severity: WARNING,
    check: ctx =>
      ctx.stages.flatMap(stage => {
        const out: DockerfileViolation[] = [];
        let pipefail = false;
        let posix = true;
        for (const instruction of effectiveInstructions(stage)) {
          if (keyword(instruction) === 'SHELL') {
            const shell = content(instruction);
            pipefail = /pipefail/.test(shell);
            posix = !/pwsh|powershell|\bcmd(\.exe)?\b/i.test(shell);
          }
          if (
            keyword(instruction) !== 'RUN' ||
            !stage.instructions.includes(instruction) ||
            !isShellForm(instruction) ||
            pipefail ||
            !posix
          ) {
            continue;
          }
          const text = content(instruction);
          if (/set\s+-[a-z]*o\s+pipefail|set\s+-o\s+pipefail/.test(text)) {
            continue;
          }
          if (splitCommands(text).some(c => c.pipedIntoNext)) {
            out.push({
              instruction,
              message:
                'RUN pipes commands without pipefail: a failure before the | is ignored; add SHELL ["/bin/bash", "-o", "pipefail", "-c"] (or set -o pipefail)',
            });
          }
        }
        return out;
      }),
  },
  {
    id: 'DL3025',
    description:
      'CMD and ENTRYPOINT use the JSON (exec) form, so the process gets signals.',
    anchors: ['hadolint:DL3025'],
    severity: WARNING,
    check: ctx =>
      ctx.stages.flatMap(stage =>
        stage.instructions
          .filter(
            i =>
              (keyword(i) === 'CMD' || keyword(i) === 'ENTRYPOINT') &&
              content(i).trim() !== '' &&
              (!(i instanceof JSONInstruction) ||
                i.getJSONStrings().length === 0),
          )
          .map(i => ({
            instruction: i,
            message: `${keyword(
              i,
            )} in shell form runs under /bin/sh -c: the process does not receive SIGTERM; use ["executable", "arg"]`,
          })),
      ),
  },
  {
    id: 'DL3000',
    description: 'WORKDIR is an absolute path.',
    anchors: ['hadolint:DL3000'],
    severity: HARDENING,
    check: ctx =>
      ctx.stages.flatMap(stage =>
        stage.instructions
          .filter(
            i => keyword(i) === 'WORKDIR' && !isAbsolutePath(content(i).trim()),
          )
          .map(i => ({
            instruction: i,
            message: `WORKDIR ${content(
              i,
            ).trim()} is relative: it depends on the previous WORKDIR; use an absolute path`,
          })),
      ),
  },
  {
    id: 'DL3003',
    description: 'RUN does not cd: use WORKDIR.',
    anchors: ['hadolint:DL3003'],
    severity: WARNING,
    check: ctx =>
      runs(ctx)
        .filter(({ run }) =>
          splitCommands(content(run)).some(c => programOf(c).program === 'cd'),
        )
        .map(({ run }) => ({
          instruction: run,
          message:
            'cd in RUN only lasts for that RUN and hides where files go: use WORKDIR',
        })),
  },
  {
    id: 'DL3004',
    description: 'RUN does not use sudo (the build runs as root until USER).',
    anchors: ['hadolint:DL3004'],
    severity: HARDENING,
    check: ctx =>
      runs(ctx)
        .filter(({ run }) =>
          splitCommands(content(run)).some(c => c.words.includes('sudo')),
        )
        .map(({ run }) => ({
          instruction: run,
          message:
            'sudo in RUN: the build already runs as root before USER, and sudo in the image is an escalation path; remove it',
        })),
  },
  {
    id: 'DL4000',
    description:
      'No MAINTAINER (deprecated): use LABEL org.opencontainers.image.authors.',
    anchors: ['hadolint:DL4000'],
    severity: HARDENING,
    check: ctx =>
      ctx.dockerfile
        .getInstructions()
        .filter(i => keyword(i) === 'MAINTAINER')
        .map(i => ({
          instruction: i,
          message:
            'MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors="..."',
        })),
  },
  {
    id: 'DL3059',
    description: 'Consecutive RUN instructions are merged (one layer).',
    anchors: ['hadolint:DL3059'],
    severity: INFO,
    check: ctx =>
      ctx.stages.flatMap(stage => {
        const out: DockerfileViolation[] = [];
        stage.instructions.forEach((instruction, i) => {
          const previous = stage.instructions[i - 1];
          if (
            i > 0 &&
            keyword(instruction) === 'RUN' &&
            keyword(previous) === 'RUN' &&
            !(instruction as ModifiableInstruction).getFlags().length &&
            !(previous as ModifiableInstruction).getFlags().length
          ) {
            out.push({
              instruction,
              message:
                'consecutive RUN instructions: join them with && to save a layer (unless the split is for caching)',
            });
          }
        });
        return out;
      }),
  },
  {
    id: 'DL3045',
    description:
      'COPY to a relative destination happens after a WORKDIR is set.',
    anchors: ['hadolint:DL3045'],
    severity: WARNING,
    check: ctx =>
      ctx.stages.flatMap(stage => {
        const out: DockerfileViolation[] = [];
        let workdir = lineage(stage)
          .slice(1)
          .some(s => s.instructions.some(i => keyword(i) === 'WORKDIR'));
        for (const instruction of stage.instructions) {
          if (keyword(instruction) === 'WORKDIR') workdir = true;
          if (keyword(instruction) !== 'COPY' || workdir) continue;
          const args = copyArguments(instruction);
          const dest = args[args.length - 1];
          if (dest !== undefined && !isAbsolutePath(dest)) {
            out.push({
              instruction,
              message: `COPY to the relative ${dest} without a WORKDIR: the destination depends on the base image; set WORKDIR first or use an absolute path`,
            });
          }
        }
        return out;
      }),
  },
  {
    id: 'secret-in-env-arg',
    description:
      'ENV and ARG carry no credential: build args and ENV are stored in the image (docker history); use RUN --mount=type=secret and runtime secrets.',
    anchors: ['buildkit:SecretsUsedInArgOrEnv', 'kube-linter:env-var-secret'],
    severity: LEAK,
    check: ctx => {
      const out: DockerfileViolation[] = [];
      for (const instruction of ctx.dockerfile.getInstructions()) {
        const kw = keyword(instruction);
        if (
          (kw !== 'ENV' && kw !== 'ARG') ||
          !(instruction instanceof PropertyInstruction)
        ) {
          continue;
        }
        for (const property of instruction.getProperties()) {
          const name = property.getName();
          const value = property.getValue();
          const literal =
            value !== null && !/^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(value);
          const why = literal
            ? explainSecretLiteral(name, value ?? '')
            : undefined;
          if (why) {
            out.push({
              instruction,
              message: `${kw} ${name}: ${why}, and it is stored in the image; pass secrets with RUN --mount=type=secret at build time and Kubernetes secrets at run time`,
            });
          } else if (explainSecretLiteral(name, 'literal') !== undefined) {
            out.push({
              instruction,
              severity: 'warning',
              message: `${kw} ${name} names a secret: ${
                kw === 'ARG'
                  ? 'build arguments are recorded in the image history'
                  : 'ENV values are stored in the image config'
              }; use RUN --mount=type=secret (build) or a Kubernetes secret (run time)`,
            });
          }
        }
      }
      return out;
    },
  },
  {
    id: 'missing-healthcheck',
    description:
      'The final stage has a HEALTHCHECK, or a comment says why not (distroless images have no shell; Kubernetes probes replace it). Info only: Kubernetes ignores HEALTHCHECK.',
    anchors: ['hadolint:DL3057'],
    severity: INFO,
    check: ctx => {
      if (!ctx.final) return [];
      const has = effectiveInstructions(ctx.final).some(
        i => keyword(i) === 'HEALTHCHECK',
      );
      const explained = ctx.dockerfile
        .getComments()
        .some(c => /healthcheck/i.test(c.getContent()));
      return has || explained
        ? []
        : [
            {
              instruction: ctx.final.from,
              message:
                'no HEALTHCHECK in the final stage (docker run and Compose cannot tell a hung container; Kubernetes uses its probes): add one, or a comment saying why not',
            },
          ];
    },
  },
  {
    id: 'multi-stage',
    description:
      'The build is multi-stage: compilers and build tools stay out of the image.',
    anchors: ['docker-docs:multi-stage-builds'],
    severity: INFO,
    check: ctx =>
      ctx.stages.length === 1
        ? [
            {
              instruction: ctx.stages[0].from,
              message:
                'single-stage build: build tools and sources ship in the image; build in one stage and COPY --from it into a slim runtime stage',
            },
          ]
        : [],
  },
];

/**
 * Lints one Dockerfile (hadolint-equivalent checks on `dockerfile-ast`).
 */
export function lintDockerfile(
  path: string,
  text: string,
  options: LintDockerfileOptions,
): Finding[] {
  const dockerfile = DockerfileParser.parse(text);
  const stages = splitStages(dockerfile);
  const ctx: DockerfileContext = {
    dockerfile,
    stages,
    final: stages[stages.length - 1],
    text,
  };
  const overrides = options.severityOverrides ?? {};
  const findings: Array<Finding & { line: number; order: number }> = [];
  dockerfileRules.forEach((rule, order) => {
    const override = overrides[rule.id] ?? overrides[`dockerfile/${rule.id}`];
    if (override === 'off') return;
    for (const v of rule.check(ctx)) {
      const line = v.instruction.getRange().start.line + 1;
      findings.push({
        ruleId: `dockerfile/${rule.id}`,
        severity: override ?? v.severity ?? rule.severity[options.tier],
        file: path,
        objectPath: `line ${line}: ${keyword(v.instruction)}`,
        message: v.message,
        anchors: [...rule.anchors],
        line,
        order,
      });
    }
  });
  return findings
    .sort((a, b) => a.line - b.line || a.order - b.order)
    .map(({ line: _line, order: _order, ...finding }) => finding);
}
