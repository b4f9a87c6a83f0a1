import { Language } from '@internal/backstage-plugin-cloud-native-common';
import { ImageContext } from './context';
import { DockerfileWriter, StageShell, aptInstall } from './dockerfile';

/**
 * How one language is built and run. Base images carry explicit version
 * tags: a major (and minor where the ecosystem needs it) that keeps receiving
 * security rebuilds, never `latest`. Pin digests on top with Renovate or
 * Dependabot for byte-for-byte reproducible builds.
 */
export interface LanguageProfile {
  language: Language;
  /** Image of the build stage */
  builder: string;
  /** Extra images the build copies from (besides the builder) */
  helpers: string[];
  /** Image of the final stage */
  runtime(ctx: ImageContext): string;
  /** Short name of the runtime for notes and the image table */
  runtimeLabel(ctx: ImageContext): string;
  /** What the final stage can run RUN with */
  runtimeShell: StageShell;
  /** Numeric non-root user of the final stage */
  user: number;
  /** Writes the build stage(s) */
  build(df: DockerfileWriter, ctx: ImageContext): void;
  /** Writes the final stage between its labels and its USER */
  install(df: DockerfileWriter, ctx: ImageContext): void;
  /** How the final image starts */
  start(ctx: ImageContext): { entrypoint?: string[]; cmd?: string[] };
  /**
   * A command the final image can run to probe an HTTP health URL, or why
   * it has none (then Kubernetes probes are the only health check).
   */
  probe:
    | { kind: 'command'; tool: string; command(url: string): string[] }
    | { kind: 'none'; why: string };
  /** Lines of `.dockerignore` for this language */
  ignore: string[];
  /** What the Dockerfile assumes about the source tree (for BUILD.md) */
  conventions: string;
}

const NODE_BUILDER = 'node:24-bookworm-slim';

function nodeDependencies(df: DockerfileWriter): void {
  df.workdir('/app');
  df.comment(
    'Dependency manifests first: this layer is reused until they change.',
  );
  df.copy(['package.json', 'package-lock.json'], './');
  df.run(['npm ci --no-audit --no-fund']);
  df.copy(['.'], '.');
}

/** A user with a numeric id, no login shell and no home directory. */
function addUser(df: DockerfileWriter, uid: number): void {
  df.comment(
    'A numeric non-root user without a login shell or home directory.',
  );
  df.run([
    `groupadd --gid ${uid} app`,
    `useradd --uid ${uid} --gid ${uid} --no-create-home --shell /usr/sbin/nologin app`,
  ]);
}

const node: LanguageProfile = {
  language: 'node',
  builder: NODE_BUILDER,
  helpers: [],
  runtime: () => 'gcr.io/distroless/nodejs24-debian12:nonroot',
  runtimeLabel: () => 'distroless nodejs24',
  runtimeShell: 'none',
  user: 65532,
  build(df) {
    df.comment(
      'Build stage: the full npm toolchain; dev dependencies never reach the runtime image.',
    );
    df.from(NODE_BUILDER, { as: 'build', shell: 'bash' });
    nodeDependencies(df);
    df.comment(
      'Build when the package has a build script, then drop dev dependencies.',
    );
    df.run(['npm run build --if-present', 'npm prune --omit=dev']);
  },
  install(df) {
    df.workdir('/app');
    df.env(['NODE_ENV=production']);
    df.comment(
      'Owned by root: the app user can read its code but not change it.',
    );
    df.copy(['/app'], '/app', { from: 'build' });
  },
  start: () => ({ entrypoint: ['/nodejs/bin/node'], cmd: ['index.js'] }),
  probe: {
    kind: 'command',
    tool: '/nodejs/bin/node',
    command: url => [
      '/nodejs/bin/node',
      '-e',
      `fetch('${url}').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
    ],
  },
  ignore: ['**/node_modules', 'npm-debug.log*', 'dist', 'coverage', '.npmrc'],
  conventions:
    'npm with `package-lock.json`; optional `build` script; entry file `index.js` (change `CMD`).',
};

const PYTHON = 'python:3.12-slim-bookworm';

const python: LanguageProfile = {
  language: 'python',
  builder: PYTHON,
  helpers: [],
  runtime: () => PYTHON,
  runtimeLabel: () => 'python 3.12 slim',
  runtimeShell: 'bash',
  user: 10001,
  build(df) {
    df.comment('Build stage: compilers for packages without wheels stay here.');
    df.from(PYTHON, { as: 'build', shell: 'bash' });
    df.env(['PIP_NO_CACHE_DIR=1', 'PIP_DISABLE_PIP_VERSION_CHECK=1']);
    df.run(aptInstall(['build-essential']));
    df.comment('A virtualenv: one directory to copy into the runtime stage.');
    df.run(['python -m venv /opt/venv']);
    df.env(['PATH="/opt/venv/bin:$PATH"']);
    df.workdir('/app');
    df.comment(
      'Requirements first: installed packages are cached until they change.',
    );
    df.copy(['requirements.txt'], './');
    df.run(['pip install -r requirements.txt']);
    df.copy(['.'], '.');
  },
  install(df) {
    df.env([
      'PYTHONDONTWRITEBYTECODE=1',
      'PYTHONUNBUFFERED=1',
      'PATH="/opt/venv/bin:$PATH"',
    ]);
    addUser(df, 10001);
    df.workdir('/app');
    df.copy(['/opt/venv'], '/opt/venv', { from: 'build' });
    df.copy(['/app'], '/app', { from: 'build' });
  },
  start: () => ({ cmd: ['python', '-m', 'app'] }),
  probe: {
    kind: 'command',
    tool: 'python',
    command: url => [
      'python',
      '-c',
      `import urllib.request; urllib.request.urlopen('${url}', timeout=4)`,
    ],
  },
  ignore: [
    '**/__pycache__',
    '**/*.py[cod]',
    '.venv',
    'venv',
    '.pytest_cache',
    '.mypy_cache',
    '.ruff_cache',
    '.tox',
    '.coverage',
    'htmlcov',
    '*.egg-info',
    'build',
    'dist',
  ],
  conventions:
    '`requirements.txt`; a package `app` with `__main__.py` (`python -m app`; change `CMD` for gunicorn/uvicorn).',
};

const go: LanguageProfile = {
  language: 'go',
  builder: 'golang:1.26-bookworm',
  helpers: [],
  runtime: () => 'gcr.io/distroless/static-debian12:nonroot',
  runtimeLabel: () => 'distroless static',
  runtimeShell: 'none',
  user: 65532,
  build(df) {
    df.comment(
      "Build stage: runs on the build machine's platform and cross-compiles, so\nmulti-arch builds need no emulation.",
    );
    df.from('golang:1.26-bookworm', {
      as: 'build',
      platform: '$BUILDPLATFORM',
      shell: 'bash',
    });
    df.arg('TARGETOS');
    df.arg('TARGETARCH');
    df.workdir('/src');
    df.comment(
      'Module files first: downloads are cached until go.mod/go.sum change.',
    );
    df.copy(['go.mod', 'go.sum*'], './');
    df.run(['go mod download']);
    df.copy(['.'], '.');
    df.comment(
      'No cgo: a static binary runs on distroless/static, which has no libc.',
    );
    df.run([
      'CGO_ENABLED=0 GOOS="$TARGETOS" GOARCH="$TARGETARCH" go build -trimpath -ldflags="-s -w" -o /out/app .',
    ]);
  },
  install(df) {
    df.copy(['/out/app'], '/app', { from: 'build' });
  },
  start: () => ({ entrypoint: ['/app'] }),
  probe: {
    kind: 'none',
    why: 'distroless/static has no shell, curl or wget',
  },
  ignore: ['bin', '*.test', '*.out', 'coverage.*'],
  conventions: 'Go modules; `package main` at the module root (`go build .`).',
};

const java: LanguageProfile = {
  language: 'java',
  builder: 'maven:3.9-eclipse-temurin-21',
  helpers: [],
  runtime: () => 'gcr.io/distroless/java21-debian12:nonroot',
  runtimeLabel: () => 'distroless java21',
  runtimeShell: 'none',
  user: 65532,
  build(df) {
    df.comment(
      "Build stage: a jar is platform independent, so it is built once on the\nbuild machine's platform.",
    );
    df.from('maven:3.9-eclipse-temurin-21', {
      as: 'build',
      platform: '$BUILDPLATFORM',
      shell: 'bash',
    });
    df.workdir('/src');
    df.comment('pom.xml first: dependencies are cached until it changes.');
    df.copy(['pom.xml'], './');
    df.run(['mvn -B -q dependency:go-offline']);
    df.copy(['src'], './src');
    df.comment(
      'Tests run in CI, not in the image build. One jar, under a fixed name.',
    );
    df.run([
      'mvn -B -q -DskipTests package',
      'mkdir -p /out',
      "find target -maxdepth 1 -name '*.jar' ! -name 'original-*' ! -name '*-sources.jar' ! -name '*-javadoc.jar' -exec cp {} /out/app.jar \\;",
    ]);
  },
  install(df) {
    df.workdir('/app');
    df.copy(['/out/app.jar'], '/app/app.jar', { from: 'build' });
  },
  start: () => ({
    entrypoint: [
      '/usr/bin/java',
      '-XX:MaxRAMPercentage=75.0',
      '-XX:+ExitOnOutOfMemoryError',
      '-jar',
      '/app/app.jar',
    ],
  }),
  probe: {
    kind: 'none',
    why: 'distroless java has no shell, curl or wget',
  },
  ignore: ['target', 'build', '.gradle', '.mvn/wrapper/*.jar', '*.iml'],
  conventions:
    'Maven (`pom.xml`, sources in `src/`) producing one runnable jar (Spring Boot or shaded).',
};

const dotnet: LanguageProfile = {
  language: 'dotnet',
  builder: 'mcr.microsoft.com/dotnet/sdk:10.0-noble',
  helpers: [],
  runtime: () => 'mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled',
  runtimeLabel: () => 'aspnet 10.0 chiseled',
  runtimeShell: 'none',
  user: 1654,
  build(df) {
    df.comment(
      "Build stage: restores and publishes for the target architecture from the\nbuild machine's platform (no emulation).",
    );
    df.from('mcr.microsoft.com/dotnet/sdk:10.0-noble', {
      as: 'build',
      platform: '$BUILDPLATFORM',
      shell: 'bash',
    });
    df.arg('TARGETARCH');
    df.workdir('/src');
    df.comment(
      'Project file first: the NuGet restore is cached until it changes.',
    );
    df.copy(['*.csproj'], './');
    df.run(['dotnet restore -a "$TARGETARCH"']);
    df.copy(['.'], '.');
    df.run(['dotnet publish -a "$TARGETARCH" --no-restore -c Release -o /out']);
  },
  install(df, ctx) {
    df.workdir('/app');
    if (ctx.serving) {
      df.env([`ASPNETCORE_HTTP_PORTS=${ctx.listenPort}`]);
    }
    df.copy(['/out'], '/app', { from: 'build' });
  },
  start: ctx => ({ entrypoint: ['dotnet', `${ctx.name}.dll`] }),
  probe: {
    kind: 'none',
    why: 'the chiseled image has no shell, curl or wget',
  },
  ignore: [
    '**/bin',
    '**/obj',
    '**/TestResults',
    '.vs',
    '**/*.user',
    '**/secrets.json',
  ],
  conventions:
    'one project file at the context root whose assembly is `<service>.dll` (change `ENTRYPOINT` otherwise).',
};

const rust: LanguageProfile = {
  language: 'rust',
  builder: 'rust:1.95-slim-bookworm',
  helpers: [],
  runtime: () => 'gcr.io/distroless/cc-debian12:nonroot',
  runtimeLabel: () => 'distroless cc',
  runtimeShell: 'none',
  user: 65532,
  build(df, ctx) {
    df.comment('Build stage: the Rust toolchain and headers stay here.');
    df.from('rust:1.95-slim-bookworm', { as: 'build', shell: 'bash' });
    df.comment(
      'OpenSSL headers for crates that link it; distroless/cc has the library.',
    );
    df.run(aptInstall(['libssl-dev', 'pkg-config']));
    df.workdir('/src');
    df.comment(
      'Dependencies alone first, against a stub main: cached until\nCargo.toml/Cargo.lock change.',
    );
    df.copy(['Cargo.toml', 'Cargo.lock'], './');
    df.run([
      'mkdir src',
      "echo 'fn main() {}' > src/main.rs",
      'cargo build --release --locked',
      'rm -rf src',
    ]);
    df.copy(['.'], '.');
    df.comment(
      "touch: the real main.rs must look newer than the stub's build.",
    );
    df.run([
      'touch src/main.rs',
      'cargo build --release --locked',
      'mkdir -p /out',
      `cp target/release/${ctx.name} /out/app`,
    ]);
  },
  install(df) {
    df.copy(['/out/app'], '/app', { from: 'build' });
  },
  start: () => ({ entrypoint: ['/app'] }),
  probe: {
    kind: 'none',
    why: 'distroless/cc has no shell, curl or wget',
  },
  ignore: ['target', '**/*.rs.bk'],
  conventions:
    'one binary crate at the context root whose binary is named after the service (`src/main.rs`).',
};

const RUBY = 'ruby:3.4-slim-bookworm';
const BUNDLE_ENV = ['BUNDLE_DEPLOYMENT=1', 'BUNDLE_WITHOUT=development:test'];

const ruby: LanguageProfile = {
  language: 'ruby',
  builder: RUBY,
  helpers: [],
  runtime: () => RUBY,
  runtimeLabel: () => 'ruby 3.4 slim',
  runtimeShell: 'bash',
  user: 10001,
  build(df) {
    df.comment(
      'Build stage: compilers for gems with native extensions stay here.',
    );
    df.from(RUBY, { as: 'build', shell: 'bash' });
    df.env(BUNDLE_ENV);
    df.run(aptInstall(['build-essential']));
    df.workdir('/app');
    df.comment('Gemfile first: installed gems are cached until it changes.');
    df.copy(['Gemfile', 'Gemfile.lock'], './');
    df.run(['bundle install --jobs 4']);
    df.copy(['.'], '.');
  },
  install(df) {
    df.env([...BUNDLE_ENV, 'RACK_ENV=production']);
    addUser(df, 10001);
    df.workdir('/app');
    df.copy(['/usr/local/bundle'], '/usr/local/bundle', { from: 'build' });
    df.copy(['/app'], '/app', { from: 'build' });
  },
  start: ctx => ({
    cmd: ctx.serving
      ? ['bundle', 'exec', 'puma', '--bind', `tcp://0.0.0.0:${ctx.listenPort}`]
      : ['bundle', 'exec', 'ruby', 'main.rb'],
  }),
  probe: {
    kind: 'command',
    tool: 'ruby',
    command: url => [
      'ruby',
      '-rnet/http',
      '-e',
      `exit Net::HTTP.get_response(URI('${url}')).is_a?(Net::HTTPSuccess)`,
    ],
  },
  ignore: [
    '.bundle',
    'vendor/bundle',
    'log/*',
    'tmp/*',
    'coverage',
    '**/node_modules',
    'config/master.key',
    'config/credentials/*.key',
  ],
  conventions:
    'Bundler with `Gemfile.lock`; servers run Puma (`config.ru`), workers `main.rb` (change `CMD`).',
};

const PHP_CLI = 'php:8.4-cli-bookworm';
const PHP_APACHE = 'php:8.4-apache-bookworm';

const php: LanguageProfile = {
  language: 'php',
  builder: PHP_CLI,
  helpers: ['composer:2.8'],
  runtime: ctx => (ctx.serving ? PHP_APACHE : PHP_CLI),
  runtimeLabel: ctx => (ctx.serving ? 'php 8.4 apache' : 'php 8.4 cli'),
  runtimeShell: 'bash',
  user: 33,
  build(df) {
    df.comment('The Composer binary, from its official image.');
    df.from('composer:2.8', { as: 'composer', shell: 'sh' });
    df.blank();
    df.comment('Build stage: Composer, git and unzip stay here.');
    df.from(PHP_CLI, { as: 'build', shell: 'bash' });
    df.copy(['/usr/bin/composer'], '/usr/bin/composer', { from: 'composer' });
    df.run(aptInstall(['git', 'unzip']));
    df.workdir('/app');
    df.comment(
      'composer.json/lock first: vendor/ is cached until they change.',
    );
    df.copy(['composer.json', 'composer.lock'], './');
    df.run([
      'composer install --no-dev --no-interaction --no-progress --prefer-dist --no-scripts --no-autoloader',
    ]);
    df.copy(['.'], '.');
    df.run(['composer dump-autoload --no-dev --optimize --no-interaction']);
  },
  install(df, ctx) {
    if (ctx.serving) {
      df.comment(
        `Production php.ini. Apache listens on ${ctx.listenPort} so it can run as a non-root\nuser, and serves public/ only: composer files and vendor/ stay unreachable.`,
      );
      df.env(['APACHE_DOCUMENT_ROOT=/var/www/html/public']);
      df.run([
        'mv "$PHP_INI_DIR/php.ini-production" "$PHP_INI_DIR/php.ini"',
        `sed -ri 's/^Listen 80$/Listen ${ctx.listenPort}/' /etc/apache2/ports.conf`,
        `sed -ri 's/<VirtualHost \\*:80>/<VirtualHost *:${ctx.listenPort}>/' /etc/apache2/sites-available/000-default.conf`,
        "sed -ri 's!/var/www/html!${APACHE_DOCUMENT_ROOT}!g' /etc/apache2/sites-available/*.conf",
        "sed -ri 's!/var/www/!${APACHE_DOCUMENT_ROOT}!g' /etc/apache2/apache2.conf /etc/apache2/conf-available/*.conf",
      ]);
      df.workdir('/var/www/html');
      df.copy(['/app'], '/var/www/html', { from: 'build' });
    } else {
      df.comment('Production php.ini.');
      df.run(['mv "$PHP_INI_DIR/php.ini-production" "$PHP_INI_DIR/php.ini"']);
      df.workdir('/app');
      df.copy(['/app'], '/app', { from: 'build' });
    }
  },
  start: ctx => ({
    cmd: ctx.serving ? ['apache2-foreground'] : ['php', 'main.php'],
  }),
  probe: {
    kind: 'command',
    tool: 'php',
    command: url => [
      'php',
      '-r',
      `exit(@file_get_contents('${url}') === false ? 1 : 0);`,
    ],
  },
  ignore: [
    'vendor',
    '**/node_modules',
    '.phpunit.cache',
    '.phpunit.result.cache',
    'var/cache',
    'var/log',
  ],
  conventions:
    'Composer with `composer.lock`; servers have their web root (`index.php`) in `public/`, served by Apache; workers run `main.php`.',
};

const static_: LanguageProfile = {
  language: 'static',
  builder: NODE_BUILDER,
  helpers: [],
  runtime: () => 'nginxinc/nginx-unprivileged:1.30-alpine',
  runtimeLabel: () => 'nginx-unprivileged 1.30 alpine',
  runtimeShell: 'sh',
  user: 101,
  build(df, ctx) {
    df.comment(
      "Build stage: the site is platform independent, so it is built once on the\nbuild machine's platform.",
    );
    df.from(NODE_BUILDER, {
      as: 'build',
      platform: '$BUILDPLATFORM',
      shell: 'bash',
    });
    nodeDependencies(df);
    df.run(['npm run build']);
    if (ctx.health?.safe) {
      const file = `dist${ctx.health.path}${
        ctx.health.path.endsWith('/') ? 'index.html' : ''
      }`;
      df.comment(
        `The health endpoint is a static file, unless the site already has ${ctx.health.path}.`,
      );
      df.run([
        `mkdir -p ${file.slice(0, file.lastIndexOf('/'))}`,
        `test -e ${file} || printf 'ok\\n' > ${file}`,
      ]);
    }
  },
  install(df, ctx) {
    if (ctx.serving && ctx.listenPort !== 8080) {
      df.comment(
        `nginx-unprivileged listens on 8080; move it to ${ctx.listenPort}.`,
      );
      df.run([
        `sed -i -E 's/(listen[^;]*)8080;/\\1${ctx.listenPort};/' /etc/nginx/conf.d/default.conf`,
      ]);
    }
    df.copy(['/app/dist'], '/usr/share/nginx/html', { from: 'build' });
  },
  start: () => ({ cmd: ['nginx', '-g', 'daemon off;'] }),
  probe: {
    kind: 'command',
    tool: 'wget',
    command: url => ['wget', '-q', '--spider', '-T', '4', url],
  },
  ignore: ['**/node_modules', 'dist', 'build', '.cache', 'coverage', '.npmrc'],
  conventions:
    'npm with `package-lock.json` and a `build` script that writes the site to `dist/`.',
};

/** Every language the spec allows, with how it is built. */
export const LANGUAGE_PROFILES: Record<Language, LanguageProfile> = {
  node,
  python,
  go,
  java,
  dotnet,
  rust,
  ruby,
  php,
  static: static_,
};
