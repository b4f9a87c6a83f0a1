import { Document } from 'yaml';
import { ImageContext, imageRegistry } from './context';

export const WORKFLOW_PATH = '.github/workflows/container-images.yaml';

/**
 * Pinned to a version tag. The project moved to `v`-prefixed tags after the
 * March 2026 tag compromise (GHSA-69fq-xp46-6x23); pin the commit SHA on top
 * where policy asks for it.
 */
export const TRIVY_ACTION = 'aquasecurity/trivy-action@v0.36.0';

const ACTIONS = {
  checkout: 'actions/checkout@v5',
  qemu: 'docker/setup-qemu-action@v3',
  buildx: 'docker/setup-buildx-action@v3',
  login: 'docker/login-action@v3',
  buildPush: 'docker/build-push-action@v6',
};

const RUNNER = 'ubuntu-24.04';

/** A GitHub Actions expression, `${{ ... }}`. */
function gha(expression: string): string {
  return `\${{ ${expression} }}`;
}

const checkout = {
  name: 'Check out',
  uses: ACTIONS.checkout,
  with: { 'persist-credentials': false },
};

/**
 * The workflow, as data: every image is built and scanned on pull requests
 * and pushes; pushes to main publish multi-arch images. Trivy runs only in
 * jobs that hold no registry credentials.
 */
export function workflowObject(images: ReadonlyArray<ImageContext>) {
  const matrix = {
    include: images.map(image => ({
      service: image.name,
      image: image.image,
      registry: imageRegistry(image.image),
      context: image.context,
      dockerfile: image.dockerfile,
    })),
  };
  const paths = ['services/**', 'containers/**', WORKFLOW_PATH];
  const buildArgs = [
    `VCS_REF=${gha('github.sha')}`,
    `SOURCE_URL=${gha('github.server_url')}/${gha('github.repository')}`,
  ].join('\n');
  const cache = {
    'cache-from': `type=gha,scope=${gha('matrix.service')}`,
    'cache-to': `type=gha,mode=max,scope=${gha('matrix.service')}`,
  };
  /** The settings of a job that runs once per image of the matrix. */
  const perImage = (timeoutMinutes: number) => ({
    'runs-on': RUNNER,
    'timeout-minutes': timeoutMinutes,
    strategy: { 'fail-fast': false, matrix },
  });
  /**
   * A build-push-action step of the matrix image for `platforms`;
   * `output` loads or pushes it, `more` adds the inputs of that build.
   */
  const buildStep = (
    name: string,
    platforms: string,
    output: { load?: boolean; push: boolean },
    more: Record<string, unknown>,
  ) => ({
    name,
    uses: ACTIONS.buildPush,
    with: {
      context: gha('matrix.context'),
      file: gha('matrix.dockerfile'),
      platforms,
      ...output,
      tags: gha('matrix.image'),
      'build-args': buildArgs,
      ...more,
    },
  });

  return {
    name: 'container-images',
    on: {
      pull_request: { paths },
      push: { branches: ['main'], paths },
      workflow_dispatch: {},
    },
    permissions: { contents: 'read' },
    concurrency: {
      group: `container-images-${gha('github.ref')}`,
      'cancel-in-progress': true,
    },
    jobs: {
      'dockerfile-scan': {
        name: 'Dockerfile misconfiguration scan (trivy config)',
        'runs-on': RUNNER,
        'timeout-minutes': 10,
        steps: [
          checkout,
          {
            name: 'Scan the Dockerfiles',
            uses: TRIVY_ACTION,
            with: {
              'scan-type': 'config',
              'scan-ref': 'containers',
              severity: 'CRITICAL,HIGH',
              'exit-code': '1',
            },
          },
        ],
      },
      'build-and-scan': {
        name: `Build and scan ${gha('matrix.service')}`,
        ...perImage(30),
        steps: [
          checkout,
          { name: 'Set up Buildx', uses: ACTIONS.buildx },
          buildStep(
            'Build (linux/amd64, loaded for the scan)',
            'linux/amd64',
            { load: true, push: false },
            cache,
          ),
          {
            name: `Scan ${gha('matrix.image')} for vulnerabilities`,
            uses: TRIVY_ACTION,
            with: {
              'image-ref': gha('matrix.image'),
              severity: 'CRITICAL,HIGH',
              'exit-code': '1',
              'ignore-unfixed': true,
            },
          },
        ],
      },
      publish: {
        name: `Publish ${gha('matrix.service')} (linux/amd64, linux/arm64)`,
        needs: ['dockerfile-scan', 'build-and-scan'],
        if: "github.event_name == 'push' && github.ref == 'refs/heads/main'",
        ...perImage(60),
        steps: [
          checkout,
          { name: 'Set up QEMU', uses: ACTIONS.qemu },
          { name: 'Set up Buildx', uses: ACTIONS.buildx },
          {
            name: 'Log in to the registry',
            uses: ACTIONS.login,
            with: {
              registry: gha('matrix.registry'),
              username: gha('secrets.REGISTRY_USERNAME'),
              password: gha('secrets.REGISTRY_PASSWORD'),
            },
          },
          buildStep(
            'Build and push',
            'linux/amd64,linux/arm64',
            { push: true },
            {
              provenance: 'mode=max',
              sbom: true,
              'cache-from': cache['cache-from'],
            },
          ),
        ],
      },
    },
  };
}

export function renderWorkflow(images: ReadonlyArray<ImageContext>): string {
  const doc = new Document(workflowObject(images), {
    aliasDuplicateObjects: false,
  });
  doc.commentBefore = [
    ' Generated by the container-image-optimizer skill (see containers/BUILD.md).',
    ' Pull requests and pushes: build every image and scan it with Trivy (HIGH and',
    ' CRITICAL with a fix fail the run), and scan the Dockerfiles (trivy config).',
    ' Pushes to main: publish linux/amd64 and linux/arm64 images.',
    ' Secrets: REGISTRY_USERNAME, REGISTRY_PASSWORD.',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}
