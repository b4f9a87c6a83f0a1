import { Tier } from '@internal/backstage-plugin-cloud-native-common';
import { dockerfileRules, lintDockerfile } from '.';
import { aptInstalls, splitCommands } from './shell';

/** A Dockerfile that follows every rule. */
const GOOD = `# syntax=docker/dockerfile:1
FROM golang:1.22-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
USER 65532
HEALTHCHECK CMD ["/app", "health"]
ENTRYPOINT ["/app"]
`;

/** A runtime stage on Debian, for the apt rules. */
const debian = (run: string, extra = '') => `FROM golang:1.22-bookworm AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM debian:12.7-slim
${extra}RUN ${run}
COPY --from=build /out/app /app
USER 65532
HEALTHCHECK CMD ["/app", "health"]
ENTRYPOINT ["/app"]
`;

/** The good Dockerfile with one replacement. */
const good = (from: string, to: string) => {
  expect(GOOD).toContain(from);
  return GOOD.replace(from, to);
};

const cases: Record<string, { fail: string[]; pass: string[] }> = {
  DL3006: {
    fail: [good('golang:1.22-bookworm', 'golang')],
    pass: [
      good('golang:1.22-bookworm', `golang@sha256:${'a'.repeat(64)}`),
      good(
        'FROM golang:1.22-bookworm AS build',
        'ARG GO_IMAGE=golang:1.22\nFROM ${GO_IMAGE} AS build',
      ),
      `FROM scratch\nCOPY app /app\nUSER 65532\nHEALTHCHECK NONE\nENTRYPOINT ["/app"]\n`,
    ],
  },
  DL3007: {
    fail: [good('golang:1.22-bookworm', 'golang:latest')],
    pass: [
      good('golang:1.22-bookworm', `golang:latest@sha256:${'b'.repeat(64)}`),
    ],
  },
  DL3002: {
    fail: [
      good('USER 65532', 'USER root'),
      good('USER 65532\n', ''),
      good('USER 65532', 'USER 65532\nUSER 0:0'),
    ],
    pass: [
      good('USER 65532', 'USER 10001:10001'),
      // USER inherited from the stage the final one builds on
      `FROM debian:12.7-slim AS base\nUSER 10001\n\nFROM base\nCOPY app /app\nHEALTHCHECK NONE\nENTRYPOINT ["/app"]\n`,
    ],
  },
  'user-numeric': {
    fail: [
      good('USER 65532', 'USER nonroot'),
      good('USER 65532', 'USER app:app'),
    ],
    pass: [good('USER 65532', 'USER 65532:65532')],
  },
  DL3020: {
    fail: [
      good(
        'COPY --from=build /out/app /app',
        'ADD app.tar.gz config.yaml /etc/app/',
      ),
    ],
    pass: [
      good(
        'COPY --from=build /out/app /app',
        'ADD https://example.com/app.tar.gz /tmp/\nADD vendor.tgz /opt/',
      ),
    ],
  },
  DL3008: {
    fail: [
      debian(
        'apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*',
      ),
    ],
    pass: [
      debian(
        'apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7 && rm -rf /var/lib/apt/lists/*',
      ),
    ],
  },
  DL3009: {
    fail: [
      debian(
        'apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10',
      ),
    ],
    pass: [
      debian(
        'apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10 && rm -rf /var/lib/apt/lists/*',
      ),
      // Lists left in a build-only stage do not ship.
      good(
        'RUN go mod download',
        'RUN apt-get update && apt-get install -y --no-install-recommends git=1:2.39.5-0+deb12u1 && go mod download',
      ),
    ],
  },
  DL3015: {
    fail: [
      debian(
        'apt-get update && apt-get install -y curl=7.88.1-10 && rm -rf /var/lib/apt/lists/*',
      ),
    ],
    pass: [
      debian(
        'apt-get update && apt-get -o APT::Install-Recommends=false install -y curl=7.88.1-10 && rm -rf /var/lib/apt/lists/*',
      ),
    ],
  },
  DL4006: {
    fail: [
      good(
        'RUN go mod download',
        'RUN curl -fsSL https://example.com/install.sh | sh',
      ),
    ],
    pass: [
      good(
        'RUN go mod download',
        'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://example.com/install.sh | sh',
      ),
      good('RUN go mod download', 'RUN go mod download || go mod download'),
      good('RUN go mod download', 'RUN echo "a|b" > /tmp/x'),
    ],
  },
  DL3025: {
    fail: [good('ENTRYPOINT ["/app"]', 'ENTRYPOINT /app --serve')],
    pass: [good('ENTRYPOINT ["/app"]', 'ENTRYPOINT ["/app", "--serve"]')],
  },
  DL3000: {
    fail: [good('WORKDIR /src', 'WORKDIR src')],
    pass: [good('WORKDIR /src', 'WORKDIR ${HOME}/src')],
  },
  DL3003: {
    fail: [good('RUN go mod download', 'RUN cd /src && go mod download')],
    pass: [good('RUN go mod download', 'RUN go -C /src mod download')],
  },
  DL3004: {
    fail: [good('RUN go mod download', 'RUN sudo go mod download')],
    pass: [good('RUN go mod download', 'RUN echo sudoers > /dev/null')],
  },
  DL4000: {
    fail: [good('WORKDIR /src', 'MAINTAINER team@example.com\nWORKDIR /src')],
    pass: [
      good(
        'WORKDIR /src',
        'LABEL org.opencontainers.image.authors="team@example.com"\nWORKDIR /src',
      ),
    ],
  },
  DL3059: {
    fail: [good('COPY . .\n', '')],
    pass: [
      good(
        'COPY . .\nRUN CGO_ENABLED=0',
        'COPY . .\nRUN go vet ./... && CGO_ENABLED=0',
      ),
    ],
  },
  DL3045: {
    fail: [
      good('COPY --from=build /out/app /app', 'COPY --from=build /out/app app'),
    ],
    pass: [
      good(
        'COPY --from=build /out/app /app',
        'WORKDIR /srv\nCOPY --from=build /out/app app',
      ),
      // WORKDIR inherited from the parent stage
      `FROM debian:12.7-slim AS base\nWORKDIR /srv\n\nFROM base\nCOPY app ./\nUSER 65532\nHEALTHCHECK NONE\nENTRYPOINT ["/srv/app"]\n`,
    ],
  },
  'secret-in-env-arg': {
    fail: [
      good(
        'WORKDIR /src',
        'ENV GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789\nWORKDIR /src',
      ),
      good('WORKDIR /src', 'ARG DB_PASSWORD=hunter2\nWORKDIR /src'),
      good('WORKDIR /src', 'ARG NPM_TOKEN\nWORKDIR /src'),
      good(
        'WORKDIR /src',
        'ARG NPM_TOKEN\nENV NPM_TOKEN=$NPM_TOKEN\nWORKDIR /src',
      ),
    ],
    pass: [
      good(
        'WORKDIR /src',
        'ARG VCS_REF=unknown\nENV LOG_LEVEL=info GOFLAGS=-mod=mod\nWORKDIR /src',
      ),
    ],
  },
  'missing-healthcheck': {
    fail: [good('HEALTHCHECK CMD ["/app", "health"]\n', '')],
    pass: [
      good(
        'HEALTHCHECK CMD ["/app", "health"]\n',
        '# No HEALTHCHECK: distroless has no shell; the Kubernetes probes cover health.\n',
      ),
      good('HEALTHCHECK CMD ["/app", "health"]', 'HEALTHCHECK NONE'),
    ],
  },
  'multi-stage': {
    fail: [
      `FROM node:22-bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nUSER 1000\nHEALTHCHECK CMD ["node", "health.js"]\nCMD ["node", "index.js"]\n`,
    ],
    pass: [GOOD],
  },
};

const ruleIds = (text: string, tier: Tier = 'T3') =>
  new Set(
    lintDockerfile('containers/app/Dockerfile', text, { tier }).map(
      f => f.ruleId,
    ),
  );

describe('Dockerfile rules', () => {
  it('have a failing and a passing fixture each, and anchors', () => {
    expect(Object.keys(cases).sort()).toEqual(
      dockerfileRules.map(r => r.id).sort(),
    );
    for (const rule of dockerfileRules) {
      expect(rule.anchors.length).toBeGreaterThanOrEqual(1);
    }
    expect(new Set(dockerfileRules.map(r => r.id)).size).toBe(
      dockerfileRules.length,
    );
  });

  it.each(['T1', 'T2', 'T3'] as const)(
    'find nothing in the good Dockerfile at %s',
    tier => {
      expect(
        lintDockerfile('containers/app/Dockerfile', GOOD, { tier }),
      ).toEqual([]);
    },
  );

  describe.each(Object.entries(cases))('%s', (id, { fail, pass }) => {
    it.each(fail.map((text, i) => [i, text] as const))(
      'failing fixture %i yields the rule',
      (_i, text) => {
        expect(ruleIds(text)).toContain(`dockerfile/${id}`);
      },
    );
    it.each(pass.map((text, i) => [i, text] as const))(
      'passing fixture %i does not',
      (_i, text) => {
        expect(ruleIds(text)).not.toContain(`dockerfile/${id}`);
      },
    );
  });
});

describe('lintDockerfile', () => {
  const root = good('USER 65532', 'USER root');
  const severity = (text: string, tier: Tier, id: string) =>
    lintDockerfile('containers/app/Dockerfile', text, { tier }).find(
      f => f.ruleId === `dockerfile/${id}`,
    )?.severity;

  it('shapes findings: ruleId, file, line, anchors', () => {
    expect(
      lintDockerfile('containers/app/Dockerfile', root, { tier: 'T2' }),
    ).toEqual([
      {
        ruleId: 'dockerfile/DL3002',
        severity: 'error',
        file: 'containers/app/Dockerfile',
        objectPath: 'line 11: USER',
        message: expect.stringContaining('root'),
        anchors: ['hadolint:DL3002', 'kube-linter:run-as-non-root'],
      },
    ]);
  });

  it('makes root a warning at T1 and an error from T2', () => {
    expect(severity(root, 'T1', 'DL3002')).toBe('warning');
    expect(severity(root, 'T2', 'DL3002')).toBe('error');
  });

  it('keeps credentials an error at every tier, and secret names without a value a warning', () => {
    const leak = good('WORKDIR /src', 'ARG DB_PASSWORD=hunter2\nWORKDIR /src');
    const named = good('WORKDIR /src', 'ARG NPM_TOKEN\nWORKDIR /src');
    for (const tier of ['T1', 'T2', 'T3'] as const) {
      expect(severity(leak, tier, 'secret-in-env-arg')).toBe('error');
      expect(severity(named, tier, 'secret-in-env-arg')).toBe('warning');
    }
  });

  it('makes DL3008 a warning for the final image and info for build stages', () => {
    const final = debian(
      'apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
    );
    const build = good(
      'RUN go mod download',
      'RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*',
    );
    expect(severity(final, 'T2', 'DL3008')).toBe('warning');
    expect(severity(build, 'T2', 'DL3008')).toBe('info');
  });

  it('keeps missing-healthcheck and multi-stage as info', () => {
    const single = cases['multi-stage'].fail[0].replace(/HEALTHCHECK.*\n/, '');
    for (const tier of ['T1', 'T2', 'T3'] as const) {
      expect(severity(single, tier, 'missing-healthcheck')).toBe('info');
      expect(severity(single, tier, 'multi-stage')).toBe('info');
    }
  });

  it('applies severity overrides', () => {
    const lint = (
      overrides: Record<string, 'error' | 'warning' | 'info' | 'off'>,
    ) =>
      lintDockerfile('containers/app/Dockerfile', root, {
        tier: 'T3',
        severityOverrides: overrides,
      }).map(f => f.severity);
    expect(lint({ DL3002: 'off' })).toEqual([]);
    expect(lint({ 'dockerfile/DL3002': 'warning' })).toEqual(['warning']);
  });

  it('reports findings in line order', () => {
    const text = good('WORKDIR /src', 'MAINTAINER x\nWORKDIR src');
    const lines = lintDockerfile('containers/app/Dockerfile', text, {
      tier: 'T3',
    }).map(f => Number(/line (\d+)/.exec(f.objectPath ?? '')![1]));
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(lines.length).toBeGreaterThanOrEqual(2);
  });
});

describe('robustness', () => {
  it.each([
    '',
    '# only a comment\n',
    'RUN echo no FROM\n',
    'FROM\nUSER\nCOPY\nADD\nWORKDIR\nENV\nARG\nCMD\n',
    'FROM a AS b\nFROM b AS a\nUSER 1\n',
    'FROM x:1\nRUN <<EOF\napt-get install -y curl | tee log\nEOF\n',
  ])('does not throw on %j', text => {
    expect(() =>
      lintDockerfile('containers/app/Dockerfile', text, { tier: 'T3' }),
    ).not.toThrow();
  });
});

describe('shell reader', () => {
  it('splits commands and finds pipes outside quotes', () => {
    const commands = splitCommands(`a 'x|y' && b "q \\" r" | c || d; e`);
    expect(commands.map(c => c.words[0])).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(commands.map(c => c.pipedIntoNext)).toEqual([
      false,
      true,
      false,
      false,
      false,
    ]);
    expect(commands[0].words[1]).toBe('x|y');
  });

  it('finds apt installs, options before the subcommand included', () => {
    expect(
      aptInstalls(
        'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get -y install curl',
      ),
    ).toEqual([['-y', 'curl']]);
    expect(aptInstalls('apt-cache search curl')).toEqual([]);
  });
});
