import {
  Language,
  Service,
  WorkloadKind,
  languages,
} from '@internal/backstage-plugin-cloud-native-common';
import { parse } from 'yaml';
import { SkillOutput } from '../../core/types';
import { built, makePlan, prebuilt } from './__fixtures__/plan';
import {
  Stage,
  finalStage,
  isExecForm,
  isPinned,
  lintDockerfile,
  stages,
} from './__fixtures__/dockerfileLint';
import { imageRegistry } from './context';
import { imageTag } from '../../plan/names';
import { DockerfileWriter, aptInstall, hasPipe } from './dockerfile';
import { containerImageOptimizer } from './index';
import { fileOf } from '../../../testkit/skillOutput';

function run(...services: ReturnType<typeof built>[]): SkillOutput {
  return containerImageOptimizer.run({ plan: makePlan(services), outputs: {} });
}

const file = fileOf;

function dockerfileOf(
  language: Language,
  workload: WorkloadKind = 'service',
  overrides: Partial<Service> = {},
): string {
  return file(
    run(built('svc', language, workload, overrides)),
    'containers/svc/Dockerfile',
  );
}

function keywords(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter(i => i.keyword === keyword).map(i => i.args);
}

/** The final images that have a tool to probe HTTP with, and which one. */
const PROBE_TOOL: Record<Language, string | undefined> = {
  node: '/nodejs/bin/node',
  python: 'python',
  go: undefined,
  java: undefined,
  dotnet: undefined,
  rust: undefined,
  ruby: 'ruby',
  php: 'php',
  static: 'wget',
};

/** The dependency manifest each language copies before its sources. */
const MANIFEST: Record<Language, string> = {
  node: 'package.json',
  python: 'requirements.txt',
  go: 'go.mod',
  java: 'pom.xml',
  dotnet: '*.csproj',
  rust: 'Cargo.toml',
  ruby: 'Gemfile',
  php: 'composer.json',
  static: 'package.json',
};

/** What each language's ignore file must keep out of the context. */
const IGNORED: Record<Language, string[]> = {
  node: ['**/node_modules'],
  python: ['**/__pycache__', '.venv'],
  go: ['bin'],
  java: ['target'],
  dotnet: ['**/bin', '**/obj'],
  rust: ['target'],
  ruby: ['vendor/bundle', 'config/master.key'],
  php: ['vendor'],
  static: ['**/node_modules', 'dist'],
};

/** Final images without a shell: no RUN can appear in their stage. */
const SHELL_LESS: Language[] = ['node', 'go', 'java', 'dotnet', 'rust'];

describe('the Dockerfile lint used by these tests', () => {
  it('reports every broken rule of a bad Dockerfile', () => {
    const bad = [
      'FROM node',
      'ADD . /app',
      'RUN apt-get update',
      'RUN apt-get install -y curl',
      'RUN curl -s https://example.com | sh',
      'FROM node:latest',
      'COPY --from=ubuntu /x /x',
      'USER 0',
      'HEALTHCHECK CMD curl -f http://localhost/',
      'CMD node index.js',
    ].join('\n');
    const problems = lintDockerfile(bad);
    expect(problems).toEqual(
      expect.arrayContaining([
        'FROM node is not pinned to a version tag',
        'FROM node:latest is not pinned to a version tag',
        'ADD . /app: use COPY',
        'apt-get update alone in a RUN',
        'apt-get install without --no-install-recommends',
        'apt lists not removed in the same RUN',
        'RUN with a pipe before SHELL pipefail: curl -s https://example.com | sh',
        'COPY --from=ubuntu is neither a stage nor pinned',
        'final stage USER is not a numeric non-root id: 0',
        'HEALTHCHECK is not exec form: CMD curl -f http://localhost/',
        'CMD is not exec form: node index.js',
      ]),
    );
    expect(lintDockerfile('FROM alpine:3.20\nCMD ["sh"]')).toContain(
      'needs >= 2 FROM, has 1',
    );
  });

  it('joins continuation lines and skips comments', () => {
    const [build, runtime] = stages(
      '# c\nFROM a:1 AS build\nRUN x \\\n    && y\n\nFROM b:2\nUSER 1\n',
    );
    expect(build.alias).toBe('build');
    expect(build.instructions).toEqual([{ keyword: 'RUN', args: 'x && y' }]);
    expect(runtime.image).toBe('b:2');
  });
});

describe.each([...languages])('%s service', language => {
  const dockerfile = dockerfileOf(language);
  const runtime = finalStage(dockerfile);

  it('keeps every Dockerfile rule', () => {
    expect(lintDockerfile(dockerfile)).toEqual([]);
  });

  it('is multi-stage with version-tagged base images', () => {
    const all = stages(dockerfile);
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).not.toMatch(/:latest\b/);
    for (const stage of all) {
      expect(isPinned(stage.image)).toBe(true);
      expect(stage.image).toMatch(/:[\w.-]+$/);
    }
  });

  it('runs as a numeric non-root user in the final stage', () => {
    const users = keywords(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    const user = users[users.length - 1];
    expect(user).toMatch(/^[1-9]\d*$/);
  });

  it('starts in exec form and never uses ADD', () => {
    const starts = [
      ...keywords(runtime, 'CMD'),
      ...keywords(runtime, 'ENTRYPOINT'),
    ];
    expect(starts.length).toBeGreaterThan(0);
    starts.forEach(args => expect(isExecForm(args)).toBe(true));
    expect(dockerfile).not.toMatch(/^ADD /m);
  });

  it('exposes the service port', () => {
    expect(keywords(runtime, 'EXPOSE')).toEqual(['8080']);
  });

  it('has a HEALTHCHECK only where the final image can run the probe', () => {
    const tool = PROBE_TOOL[language];
    const commands: string[][] = keywords(runtime, 'HEALTHCHECK').map(args =>
      JSON.parse(args.replace(/^.*?\bCMD\s+/, '')),
    );
    expect(commands.map(command => command[0])).toEqual(tool ? [tool] : []);
    expect(
      commands.map(command =>
        command[command.length - 1].includes('http://127.0.0.1:8080/healthz'),
      ),
    ).toEqual(tool ? [true] : []);
    expect(
      /# No HEALTHCHECK: .*\n# probes on \/healthz \(port 8080\) cover health/.test(
        dockerfile,
      ),
    ).toBe(!tool);
  });

  it('copies the dependency manifest before the sources', () => {
    const build = stages(dockerfile).find(s => s.alias === 'build')!;
    const copies = keywords(build, 'COPY');
    const manifest = copies.findIndex(c =>
      c.split(' ').includes(MANIFEST[language]),
    );
    const sources = copies.findIndex(c => /^(\.|src) /.test(c));
    expect(manifest).toBeGreaterThanOrEqual(0);
    expect(sources).toBeGreaterThan(manifest);
  });

  it('labels the image with OCI annotations', () => {
    const labels = keywords(runtime, 'LABEL').join(' ');
    expect(labels).toContain('org.opencontainers.image.title="svc"');
    expect(labels).toContain('org.opencontainers.image.source="$SOURCE_URL"');
    expect(labels).toContain('org.opencontainers.image.version="1.0.0"');
  });

  it('has no RUN in a final stage without a shell', () => {
    const runs = keywords(runtime, 'RUN');
    expect(SHELL_LESS.includes(language) && runs.length > 0).toBe(false);
  });

  it('writes an ignore file tailored to the language', () => {
    const ignore = file(
      run(built('svc', language)),
      'containers/svc/Dockerfile.dockerignore',
    ).split('\n');
    for (const pattern of [
      '.git',
      '**/.env',
      '**/*.env',
      'secrets',
      '**/*.pem',
      ...IGNORED[language],
    ]) {
      expect(ignore).toContain(pattern);
    }
  });
});

describe.each([...languages])('%s worker, job and cronjob', language => {
  it.each(['worker', 'job', 'cronjob'] as const)(
    '%s: no EXPOSE, no HEALTHCHECK',
    workload => {
      const dockerfile = dockerfileOf(language, workload);
      expect(lintDockerfile(dockerfile)).toEqual([]);
      expect(dockerfile).not.toMatch(/^EXPOSE/m);
      expect(dockerfile).not.toMatch(/^HEALTHCHECK/m);
      expect(dockerfile).toContain('# No EXPOSE and no HEALTHCHECK');
    },
  );
});

describe('ports and health', () => {
  it('exposes the declared port and probes the health port', () => {
    const dockerfile = dockerfileOf('python', 'service', {
      port: 9090,
      health: { path: '/ready', port: 9091, startupSeconds: 45 },
    });
    expect(dockerfile).toMatch(/^EXPOSE 9090$/m);
    expect(dockerfile).toContain('http://127.0.0.1:9091/ready');
    expect(dockerfile).toContain('--start-period=45s');
  });

  it('has no HEALTHCHECK for a service without a health endpoint', () => {
    const dockerfile = dockerfileOf('node', 'service', { health: undefined });
    expect(dockerfile).not.toMatch(/^HEALTHCHECK/m);
    expect(dockerfile).toMatch(/^EXPOSE 8080$/m);
    expect(dockerfile).toContain(
      '# No HEALTHCHECK: the service declares no health endpoint',
    );
  });

  it('does not embed a health path with shell or quote characters', () => {
    const dockerfile = dockerfileOf('ruby', 'service', {
      health: { path: "/h'); system('id", port: 8080, startupSeconds: 0 },
    });
    expect(lintDockerfile(dockerfile)).toEqual([]);
    expect(dockerfile).not.toMatch(/^HEALTHCHECK/m);
    expect(dockerfile).not.toContain("system('id");
  });

  it('moves nginx and the static health file to the service port and path', () => {
    const dockerfile = dockerfileOf('static', 'service', {
      port: 3000,
      health: { path: '/health/live', port: 3000, startupSeconds: 0 },
    });
    expect(lintDockerfile(dockerfile)).toEqual([]);
    expect(dockerfile).toMatch(/^EXPOSE 3000$/m);
    expect(dockerfile).toContain('s/(listen[^;]*)8080;/\\13000;/');
    expect(dockerfile).toContain(
      "test -e dist/health/live || printf 'ok\\n' > dist/health/live",
    );
    expect(dockerfile).toContain('http://127.0.0.1:3000/health/live');
  });

  it('runs Apache on the service port for PHP and the CLI image for PHP workers', () => {
    const server = dockerfileOf('php', 'service', {
      port: 8081,
      health: undefined,
    });
    expect(finalStage(server).image).toBe('php:8.4-apache-bookworm');
    expect(server).toContain("sed -ri 's/^Listen 80$/Listen 8081/'");
    expect(server).toContain('<VirtualHost *:8081>');
    const worker = dockerfileOf('php', 'worker');
    expect(finalStage(worker).image).toBe('php:8.4-cli-bookworm');
    expect(worker).not.toContain('apache');
  });

  it('tells a daemon with a port to expose it', () => {
    const dockerfile = dockerfileOf('go', 'daemon', { port: 9100 });
    expect(dockerfile).toMatch(/^EXPOSE 9100$/m);
  });
});

describe('the skill output', () => {
  const services = [
    built('api', 'node'),
    built('billing', 'java'),
    built('worker', 'python', 'worker'),
    prebuilt('cache', 'redis:7.4-alpine'),
  ];
  const output = containerImageOptimizer.run({
    plan: makePlan(services),
    outputs: {},
  });

  it('has the skill id', () => {
    expect(containerImageOptimizer.id).toBe('container-image-optimizer');
  });

  it('writes files only for services that build their image, sorted by path', () => {
    const paths = output.files.map(f => f.path);
    expect(paths).toEqual([
      '.github/workflows/container-images.yaml',
      'containers/BUILD.md',
      'containers/api/Dockerfile',
      'containers/api/Dockerfile.dockerignore',
      'containers/billing/Dockerfile',
      'containers/billing/Dockerfile.dockerignore',
      'containers/worker/Dockerfile',
      'containers/worker/Dockerfile.dockerignore',
    ]);
    expect(paths.some(p => p.includes('cache'))).toBe(false);
    expect(output.manifests).toEqual([]);
  });

  it('writes nothing when every service uses a prebuilt image', () => {
    const none = containerImageOptimizer.run({
      plan: makePlan([prebuilt('cache', 'redis:7.4-alpine')]),
      outputs: {},
    });
    expect(none.files).toEqual([]);
    expect(none.manifests).toEqual([]);
    expect(none.notes).toEqual([
      'cache: prebuilt image redis:7.4-alpine, no Dockerfile',
      'no service builds its own image: no Dockerfiles, no workflow',
    ]);
  });

  it('notes one line per service', () => {
    expect(output.notes).toEqual([
      'api: node multi-stage → distroless nodejs24, non-root 65532, EXPOSE 8080, HEALTHCHECK via /nodejs/bin/node',
      'billing: java multi-stage → distroless java21, non-root 65532, EXPOSE 8080, no HEALTHCHECK (distroless java has no shell, curl or wget; Kubernetes probes cover it)',
      'worker: python multi-stage → python 3.12 slim, non-root 10001, no EXPOSE (serves no port)',
      'cache: prebuilt image redis:7.4-alpine, no Dockerfile',
    ]);
  });

  it('is deterministic and independent of the service order', () => {
    const again = containerImageOptimizer.run({
      plan: makePlan(services),
      outputs: {},
    });
    expect(again).toEqual(output);
    const reversed = containerImageOptimizer.run({
      plan: makePlan([...services].reverse()),
      outputs: {},
    });
    expect(reversed).toEqual(output);
  });

  it('fails loudly when a service that builds an image has no language', () => {
    const broken = built('x', 'go');
    broken.service = { ...broken.service, language: undefined };
    expect(() => run(broken)).toThrow(
      /'x' builds an image but has no language/,
    );
  });

  describe('the workflow', () => {
    const workflow = parse(
      file(output, '.github/workflows/container-images.yaml'),
    );
    const images = [
      'registry.example.com/shop/api:1.0.0',
      'registry.example.com/shop/billing:1.0.0',
      'registry.example.com/shop/worker:1.0.0',
    ];

    it('builds a matrix with one entry per image', () => {
      const include = workflow.jobs['build-and-scan'].strategy.matrix.include;
      expect(include).toEqual([
        {
          service: 'api',
          image: images[0],
          registry: 'registry.example.com',
          context: 'services/api',
          dockerfile: 'containers/api/Dockerfile',
        },
        expect.objectContaining({ service: 'billing', image: images[1] }),
        expect.objectContaining({ service: 'worker', image: images[2] }),
      ]);
      expect(workflow.jobs.publish.strategy.matrix.include).toEqual(include);
    });

    it('scans every built image with a pinned Trivy action', () => {
      const steps = workflow.jobs['build-and-scan'].steps;
      const build = steps.find((s: any) =>
        String(s.uses).startsWith('docker/build-push-action@'),
      );
      const scan = steps.find((s: any) =>
        String(s.uses).startsWith('aquasecurity/trivy-action@'),
      );
      expect(steps.indexOf(scan)).toBeGreaterThan(steps.indexOf(build));
      expect(build.with).toMatchObject({
        load: true,
        tags: '${{ matrix.image }}',
        file: '${{ matrix.dockerfile }}',
        context: '${{ matrix.context }}',
      });
      expect(scan.uses).toMatch(/^aquasecurity\/trivy-action@v\d+\.\d+\.\d+$/);
      expect(scan.with).toEqual({
        'image-ref': '${{ matrix.image }}',
        severity: 'CRITICAL,HIGH',
        'exit-code': '1',
        'ignore-unfixed': true,
      });
    });

    it('scans the Dockerfiles for misconfigurations', () => {
      const [, scan] = workflow.jobs['dockerfile-scan'].steps;
      expect(scan.uses).toMatch(/^aquasecurity\/trivy-action@v\d/);
      expect(scan.with).toMatchObject({
        'scan-type': 'config',
        'scan-ref': 'containers',
        'exit-code': '1',
      });
    });

    it('publishes multi-arch images only from main, after the scans', () => {
      const publish = workflow.jobs.publish;
      expect(publish.needs).toEqual(['dockerfile-scan', 'build-and-scan']);
      expect(publish.if).toContain("github.ref == 'refs/heads/main'");
      const push = publish.steps.find((s: any) =>
        String(s.uses).startsWith('docker/build-push-action@'),
      );
      expect(push.with.platforms).toBe('linux/amd64,linux/arm64');
      expect(push.with.push).toBe(true);
      // Trivy never runs where registry credentials are.
      expect(
        publish.steps.some((s: any) => String(s.uses).includes('trivy')),
      ).toBe(false);
    });

    it('pins every action to a version and keeps permissions read-only', () => {
      const uses: string[] = Object.values(workflow.jobs).flatMap((job: any) =>
        job.steps.map((s: any) => s.uses),
      );
      for (const action of uses) {
        expect(action).toMatch(/@v\d+(\.\d+)*$/);
      }
      expect(workflow.permissions).toEqual({ contents: 'read' });
    });
  });

  describe('BUILD.md', () => {
    const doc = file(output, 'containers/BUILD.md');

    it('has build, scan and push commands for every image', () => {
      for (const name of ['api', 'billing', 'worker']) {
        const image = `registry.example.com/shop/${name}:1.0.0`;
        expect(doc).toContain(
          `docker buildx build --platform linux/amd64,linux/arm64 -t ${image} -f containers/${name}/Dockerfile services/${name}`,
        );
        expect(doc).toContain(
          `trivy image --severity HIGH,CRITICAL --exit-code 1 ${image}`,
        );
        expect(doc).toContain(`docker push ${image}`);
      }
      expect(doc).not.toContain('cache');
    });

    it('has a table of the images and names the build context', () => {
      expect(doc).toContain(
        '| api | node | `registry.example.com/shop/api:1.0.0` | `node:24-bookworm-slim` | `gcr.io/distroless/nodejs24-debian12:nonroot` | 65532 | 8080 |',
      );
      expect(doc).toContain('**build context**, `services/<service>`');
    });
  });
});

describe('DockerfileWriter', () => {
  it('puts SHELL pipefail before the first RUN with a pipe in a stage', () => {
    const df = new DockerfileWriter()
      .from('debian:12-slim', { as: 'a', shell: 'bash' })
      .run(['true || false'])
      .run(['curl -fsS https://example.com | tar -x'])
      .run(['cat a | wc -l'])
      .from('debian:12-slim', { shell: 'bash' })
      .run(['echo x | cat'])
      .user(10001)
      .cmd(['true']);
    const text = df.toString();
    expect(
      text.match(/^SHELL \["\/bin\/bash", "-o", "pipefail", "-c"\]$/gm),
    ).toHaveLength(2);
    expect(text.indexOf('SHELL')).toBeLessThan(text.indexOf('| tar'));
    expect(text.indexOf('SHELL')).toBeGreaterThan(
      text.indexOf('true || false'),
    );
    expect(lintDockerfile(text)).toEqual([]);
  });

  it('refuses what cannot work', () => {
    expect(() =>
      new DockerfileWriter()
        .from('alpine:3.20', { shell: 'sh' })
        .run(['a | b']),
    ).toThrow(/pipefail/);
    expect(() =>
      new DockerfileWriter()
        .from('gcr.io/distroless/static-debian12:nonroot', { shell: 'none' })
        .run(['true']),
    ).toThrow(/no shell/);
    expect(() =>
      new DockerfileWriter().from('node', { shell: 'bash' }),
    ).toThrow(/no tag/);
    expect(() =>
      new DockerfileWriter().from('node:latest', { shell: 'bash' }),
    ).toThrow(/latest/);
    expect(() => new DockerfileWriter().user(0)).toThrow(/non-root/);
    expect(() =>
      new DockerfileWriter().from('a:1', { shell: 'bash' }).toString(),
    ).toThrow(/two stages/);
  });

  it('encodes exec form as JSON', () => {
    const text = new DockerfileWriter()
      .from('a:1', { as: 'b', shell: 'bash' })
      .from('a:1', { shell: 'bash' })
      .user(1)
      .cmd(['sh', '-c', 'echo "hi"'])
      .toString();
    expect(text).toContain('CMD ["sh", "-c", "echo \\"hi\\""]');
  });

  it('installs apt packages the one correct way', () => {
    expect(aptInstall(['unzip', 'git'])).toEqual([
      'apt-get update',
      'apt-get install -y --no-install-recommends git unzip',
      'rm -rf /var/lib/apt/lists/*',
    ]);
    expect(hasPipe('a || b')).toBe(false);
    expect(hasPipe('a | b')).toBe(true);
  });
});

describe('image references', () => {
  it.each([
    ['registry.example.com/shop/api:1.0.0', '1.0.0', 'registry.example.com'],
    ['localhost:5000/api:2', '2', 'localhost:5000'],
    ['localhost:5000/api', undefined, 'localhost:5000'],
    ['acme/api:3.1', '3.1', 'docker.io'],
    ['redis', undefined, 'docker.io'],
    [`ghcr.io/acme/api@sha256:${'a'.repeat(64)}`, undefined, 'ghcr.io'],
  ])('%s', (image, tag, registry) => {
    expect(imageTag(image)).toBe(tag);
    expect(imageRegistry(image)).toBe(registry);
  });
});
