import { ImageContext } from './context';
import { LanguageProfile } from './languages';

/** Kept out of every build context. */
const COMMON: Array<[string, string[]]> = [
  ['Version control and CI', ['.git', '.github', '.gitignore']],
  ['Editors and OS files', ['.idea', '.vscode', '**/.DS_Store']],
  [
    'Secrets: never in an image layer (use build secrets or runtime secrets)',
    [
      '**/.env',
      '**/.env.*',
      '!**/.env.example',
      '**/*.env',
      'secrets',
      '**/*.pem',
      '**/*.key',
      '**/*.p12',
      '**/*.pfx',
      '**/id_rsa*',
      '**/id_ed25519*',
      '**/.aws',
      '**/.ssh',
      '**/*.tfstate*',
      '**/kubeconfig*',
    ],
  ],
  [
    'Container and deployment files (not part of the app)',
    ['Dockerfile*', '**/docker-compose*.y*ml', '**/compose.y*ml'],
  ],
  ['Logs', ['**/*.log']],
];

/**
 * The ignore file of one image. It is written as `Dockerfile.dockerignore`
 * next to the Dockerfile: BuildKit reads `<Dockerfile>.dockerignore` from the
 * Dockerfile's folder, while a plain `.dockerignore` is only read from the
 * root of the build context (`services/<name>`), where this package does not
 * write.
 */
export function renderDockerignore(
  profile: LanguageProfile,
  ctx: ImageContext,
): string {
  const sections: Array<[string, string[]]> = [
    ...COMMON,
    [
      `${ctx.language}: dependencies and build output are made in the image`,
      profile.ignore,
    ],
  ];
  return `${[
    `# ${ctx.name} (${ctx.language}): kept out of the build context ${ctx.context}.`,
    `# BuildKit reads ${ctx.dockerfile}.dockerignore for builds with -f ${ctx.dockerfile}.`,
    ...sections.flatMap(([title, patterns]) => ['', `# ${title}`, ...patterns]),
  ].join('\n')}\n`;
}
