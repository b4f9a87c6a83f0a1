import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  createPlan,
  DeploymentPlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { parseSpecText } from '../engine/loadSpec';
import { renderDeploymentGuide } from '.';
import { mermaidText } from './markdown';
import { EXAMPLES_DIR, EXAMPLE_NAMES } from '../__fixtures__/examples';
import {
  planOf as fixturePlanOf,
  PROTOCOLS_SPEC,
  spec,
  svc,
} from '../skills/kubernetes/__fixtures__/plans';
import { cloudKubernetesIntegrator } from '../skills/cloud';

const EXAMPLES = EXAMPLES_DIR;

function examplePlan(name: string): DeploymentPlan {
  const text = readFileSync(
    path.join(EXAMPLES, name, 'architecture.yaml'),
    'utf8',
  );
  return createPlan(parseSpecText(text, name));
}

function render(plan: DeploymentPlan, files: string[] = []) {
  const docs = renderDeploymentGuide(plan, { files });
  const byPath = Object.fromEntries(docs.map(d => [d.path, d.content]));
  return {
    paths: docs.map(d => d.path),
    deployment: byPath['docs/DEPLOYMENT.md'],
    architecture: byPath['docs/ARCHITECTURE.md'],
    troubleshooting: byPath['docs/TROUBLESHOOTING.md'],
  };
}

/** The paths the cloud skill writes for a plan (its prerequisites). */
function cloudPaths(plan: DeploymentPlan): string[] {
  const output = cloudKubernetesIntegrator.run({ plan, outputs: {} });
  return [...output.files, ...output.manifests].map(f => f.path);
}

/** The lines of the fenced blocks of a language. */
function blocks(markdown: string, language: string): string[][] {
  const out: string[][] = [];
  let current: string[] | undefined;
  for (const line of markdown.split('\n')) {
    if (current === undefined && line === `\`\`\`${language}`) {
      current = [];
    } else if (current !== undefined && /^`{3,}$/.test(line)) {
      out.push(current);
      current = undefined;
    } else if (current !== undefined) {
      current.push(line);
    }
  }
  expect(current).toBeUndefined();
  return out;
}

/** The text of one `## N. Title` section of DEPLOYMENT.md. */
function section(markdown: string, title: string): string {
  const start = markdown.search(new RegExp(`^## \\d+\\. ${title}$`, 'm'));
  expect(start).toBeGreaterThanOrEqual(0);
  const rest = markdown.slice(start + 3);
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

const QUOTED = '"(?:[^"`<>&%\\\\]|#[a-z0-9]+;|<br/>)*"';
const SHAPES = [
  `\\[${QUOTED}\\]`,
  `\\[\\(${QUOTED}\\)\\]`,
  `\\[\\[${QUOTED}\\]\\]`,
  `\\(\\[${QUOTED}\\]\\)`,
  `\\{\\{${QUOTED}\\}\\}`,
  `\\{${QUOTED}\\}`,
  `\\(\\(${QUOTED}\\)\\)`,
  `\\(${QUOTED}\\)`,
];
const NODE = new RegExp(`^\\s*[a-z][a-z0-9_]*(?:${SHAPES.join('|')})$`);
const EDGE = new RegExp(
  `^\\s*[a-z][a-z0-9_]* (?:-->|-\\.->)(?:\\|${QUOTED}\\|)? [a-z][a-z0-9_]*$`,
);
const SUBGRAPH = new RegExp(`^\\s*subgraph [a-z][a-z0-9_]*\\[${QUOTED}\\]$`);

/**
 * A structural check of the Mermaid we emit: every line is a header, a
 * node with a quoted, escaped label, an edge, or a subgraph; subgraphs are
 * balanced. Raw text from the spec cannot pass it.
 */
function expectSafeMermaid(lines: string[]): void {
  expect(lines[0]).toMatch(/^flowchart (LR|TD)$/);
  let depth = 0;
  for (const line of lines.slice(1)) {
    if (/^\s*end$/.test(line)) {
      depth -= 1;
      expect(depth).toBeGreaterThanOrEqual(0);
      continue;
    }
    if (SUBGRAPH.test(line)) {
      depth += 1;
      continue;
    }
    if (!NODE.test(line) && !EDGE.test(line)) {
      throw new Error(`unexpected Mermaid line: ${line}`);
    }
  }
  expect(depth).toBe(0);
}

/** Every table has the same number of cells (unescaped `|`) per row. */
function expectTablesWellFormed(markdown: string): void {
  let columns: number | undefined;
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (/^`{3,}/.test(line)) inFence = !inFence;
    if (inFence || !line.startsWith('|')) {
      columns = undefined;
      continue;
    }
    const cells = line.replace(/\\\|/g, '').split('|').length;
    if (columns === undefined) columns = cells;
    else expect({ line, cells }).toEqual({ line, cells: columns });
  }
}

/** Service name → Mermaid id, read from the node labels. */
function serviceNodes(lines: string[]): Map<string, string> {
  const nodes = new Map<string, string>();
  for (const line of lines) {
    const match = /^\s*(svc_\d+)[[({]+"([^"<]+)<br\/>/.exec(line);
    if (match) {
      expect(nodes.has(match[2])).toBe(false);
      nodes.set(match[2], match[1]);
    }
  }
  return nodes;
}

describe('renderDeploymentGuide', () => {
  const shop = examplePlan('shop-eks-t2');
  const marketplace = examplePlan('marketplace-gke-t3');

  it('returns the three documents', () => {
    expect(render(shop).paths).toEqual([
      'docs/DEPLOYMENT.md',
      'docs/ARCHITECTURE.md',
      'docs/TROUBLESHOOTING.md',
    ]);
  });

  describe('DEPLOYMENT.md', () => {
    it('uses Helm 4 flags; a chart with Rollouts waits the legacy way and applies client-side', () => {
      for (const name of EXAMPLE_NAMES) {
        const dir = path.join(EXAMPLES_DIR, name, 'package');
        const md = readFileSync(
          path.join(dir, 'docs', 'DEPLOYMENT.md'),
          'utf8',
        );
        const helmLines = md
          .split('\n')
          // the package's own release (the add-ons are other charts)
          .filter(l =>
            /^helm (upgrade --install \S+ helm\/|rollback )/.test(l),
          );
        if (helmLines.length === 0) continue;
        const chart = readdirSync(path.join(dir, 'helm'))[0];
        const templates = path.join(dir, 'helm', chart, 'values.yaml');
        const rollouts = /^ {4}kind: Rollout$/m.test(
          readFileSync(templates, 'utf8'),
        );
        for (const line of helmLines) {
          expect({ name, line, atomic: line.includes('--atomic') }).toEqual({
            name,
            line,
            atomic: false,
          });
          expect({
            name,
            line,
            legacy: line.includes('--wait=legacy'),
          }).toEqual({ name, line, legacy: rollouts });
          // an upgrade's server-side apply would conflict with the Rollouts
          // controller on the Services' selectors
          const upgrade = line.startsWith('helm upgrade');
          expect({
            name,
            line,
            clientSide: upgrade && line.includes('--server-side=false'),
          }).toEqual({ name, line, clientSide: upgrade && rollouts });
        }
      }
    });

    it('deploys every environment with helm upgrade --install and its values file', () => {
      const { deployment } = render(shop);
      expect(shop.packaging).toBe('helm');
      for (const env of ['dev', 'staging', 'prod']) {
        expect(deployment).toContain(
          `helm upgrade --install shop helm/shop -n shop -f helm/shop/values-${env}.yaml --server-side=false --rollback-on-failure --wait=legacy --timeout 15m`,
        );
      }
      const helmLines = deployment
        .split('\n')
        .filter(l => l.startsWith('helm upgrade --install shop '));
      expect(helmLines).toHaveLength(3);
      // the release never creates (or owns) the namespace: namespace/<env> does
      expect(deployment).not.toMatch(/-n shop --create-namespace/);
      // environments in order, each under its own heading
      const order = ['dev', 'staging', 'prod'].map(env =>
        deployment.indexOf(`-f helm/shop/values-${env}.yaml --wait`),
      );
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      expect(deployment).toContain('helm rollback shop <revision> -n shop');
      expect(deployment).toContain('helm test shop -n shop');
    });

    it('has Argo Rollouts commands for the Rollout services only', () => {
      const { deployment } = render(marketplace);
      const rollouts = marketplace.services
        .filter(s => s.objectKind === 'Rollout')
        .map(s => s.name);
      expect(rollouts).toEqual([
        'gateway',
        'catalog',
        'checkout',
        'recommendations',
      ]);
      const mentioned = new Set(
        [
          ...deployment.matchAll(
            /kubectl argo rollouts (?:get rollout|status|promote|abort|undo|retry rollout) ([a-z0-9-]+)/g,
          ),
        ].map(m => m[1]),
      );
      expect([...mentioned].sort()).toEqual([...rollouts].sort());
      for (const name of rollouts) {
        expect(deployment).toContain(
          `kubectl argo rollouts get rollout ${name} -n marketplace --watch`,
        );
        expect(deployment).toContain(
          `kubectl argo rollouts abort ${name} -n marketplace`,
        );
      }
      // native workloads use kubectl rollout, never the plugin
      expect(deployment).toContain(
        'kubectl rollout status deployment/cart -n marketplace',
      );
      expect(deployment).toContain(
        'kubectl rollout status statefulset/search -n marketplace',
      );
      expect(deployment).not.toMatch(/kubectl rollout \w+ deployment\/gateway/);
      expect(render(shop).deployment).not.toMatch(
        /argo rollouts \S+ (rollout )?(storefront|orders|postgres)\b/,
      );
    });

    it('walks the canary phases 5% → 25% → 50% → 100% for canary services only', () => {
      const { deployment } = render(marketplace);
      const progressive = section(
        deployment,
        'Progressive delivery: migration phases',
      );
      const canaries = [
        ...progressive.matchAll(/^#### ([a-z0-9-]+): canary/gm),
      ].map(m => m[1]);
      expect(canaries).toEqual(['gateway']);
      const gateway = progressive.slice(
        progressive.indexOf('#### gateway: canary'),
        progressive.indexOf('#### catalog'),
      );
      const rows = gateway
        .split('\n')
        .filter(l => /^\| \d /.test(l))
        .map(l => l.split(' | ').slice(1, 3));
      expect(rows).toEqual([
        ['5%', 'pause 5m'],
        ['25%', 'pause 5m'],
        ['50%', 'pause 5m'],
        ['100%', 'end'],
      ]);
      expect(gateway).toContain('gateway-success-rate');
      expect(gateway).toContain('the Istio VirtualService `gateway`');
      expect(gateway).toContain(
        'kubectl argo rollouts promote gateway -n marketplace',
      );
      expect(progressive).toContain('#### catalog: blue-green');
      expect(progressive).toContain('#### recommendations: A/B test');
      // shop: api is a blue-green Rollout, nothing is a canary
      const shopProgressive = section(
        render(shop).deployment,
        'Progressive delivery: migration phases',
      );
      expect(shopProgressive).toContain('#### api: blue-green');
      expect(shopProgressive).not.toContain(': canary');
    });

    it('lists tools, add-ons and steps conditionally on the plan', () => {
      const shopDoc = render(shop).deployment;
      expect(shopDoc).toContain('| kubectl | 1.30+');
      expect(shopDoc).toContain('| Helm | 4.1+');
      expect(shopDoc).toContain('kubectl argo rollouts plugin');
      expect(shopDoc).toContain('aws eks update-kubeconfig --region eu-west-1');
      expect(shopDoc).toContain('ClusterSecretStore `shop-secrets`');
      expect(shopDoc).toContain('`shop/api/DATABASE_URL`');
      expect(shopDoc).toContain('aws-load-balancer-controller');
      expect(shopDoc).toContain('kubectl get storageclass gp3');
      expect(shopDoc).not.toContain('istioctl');
      expect(shopDoc).not.toContain('mesh/');
      expect(shopDoc).not.toContain('gitops/');
      expect(shopDoc).not.toContain('sam deploy');

      const marketDoc = render(marketplace).deployment;
      expect(marketDoc).toContain('istioctl install');
      expect(marketDoc).toContain('istioctl analyze -n marketplace');
      expect(marketDoc).toContain('kubectl apply --server-side -k mesh/prod');
      expect(marketDoc).toContain(
        'kubectl apply -f gitops/argocd/staging.yaml',
      );
      expect(marketDoc).toContain('gcloud container clusters get-credentials');
      expect(marketDoc).not.toContain('aws eks');
    });

    it('refers to the ClusterSecretStore of the package, or shows one to create when the package has none', () => {
      // the install order reads the cloud prerequisites the package holds
      const shopDoc = render(shop, cloudPaths(shop)).deployment;
      const addOn = section(shopDoc, 'Install the cluster add-ons');
      expect(addOn).not.toContain('cluster-secret-store.yaml');
      expect(addOn).toContain('cloud/eks/<env>/secret-store.yaml');
      // the store's ServiceAccount lives in the namespace: applied after it
      const deploy = section(shopDoc, 'Deploy, environment by environment');
      const dev = deploy.slice(deploy.indexOf('### dev'));
      expect(dev.indexOf('-k namespace/dev')).toBeLessThan(
        dev.indexOf('-k cloud/eks/dev'),
      );
      expect(
        dev.indexOf('kubectl get clustersecretstore shop-secrets'),
      ).toBeGreaterThan(dev.indexOf('-k cloud/eks/dev'));
      // no sample store that contradicts the package's (other identity)
      expect(section(shopDoc, 'Prerequisites')).not.toContain(
        'kind: ClusterSecretStore',
      );
      const agnostic = render(
        examplePlan('batch-platform-agnostic'),
      ).deployment;
      expect(section(agnostic, 'Prerequisites')).toContain(
        'kind: ClusterSecretStore',
      );
      expect(agnostic).not.toContain('cluster-secret-store.yaml');
    });

    it('follows the package files: cloud overlays and GitOps layouts', () => {
      const { deployment } = render(marketplace, [
        'cloud/gke/staging/kustomization.yaml',
        'cloud/gke/prod/kustomization.yaml',
        'gitops/argocd/prod/kustomization.yaml',
        'gitops/argocd/staging.yaml',
      ]);
      const deploy = section(deployment, 'Deploy, environment by environment');
      expect(deploy).toContain('kubectl apply --server-side -k cloud/gke/prod');
      expect(deploy.indexOf('-k cloud/gke/prod')).toBeGreaterThan(
        deploy.indexOf('### prod'),
      );
      expect(deployment).toContain('kubectl apply -k gitops/argocd/prod');
      expect(deployment).toContain(
        'kubectl apply -f gitops/argocd/staging.yaml',
      );
    });

    it('uses kubectl apply -k for rendered manifests', () => {
      // mesh: 'auto' is the spec default (the fixture's is 'none')
      const plan = fixturePlanOf(
        spec(
          { environments: ['prod'], mesh: 'auto' },
          [svc('web', 'service')],
          'solo',
        ),
      );
      expect(plan.packaging).toBe('manifests');
      const { deployment } = render(plan);
      expect(deployment).toContain(
        'kubectl apply --server-side -k kubernetes/prod',
      );
      expect(deployment).not.toContain('helm upgrade --install solo');
      expect(deployment).not.toContain('helm/solo');
    });

    it('deploys serverless functions with sam deploy', () => {
      const plan = examplePlan('events-serverless-aws');
      const { deployment, troubleshooting } = render(plan);
      expect(deployment).toContain('sam build');
      expect(deployment).toContain(
        'sam deploy --guided --stack-name media-pipeline-prod --config-env prod',
      );
      expect(deployment).toContain('npx osls deploy --stage prod');
      expect(deployment).toContain('| AWS SAM CLI |');
      expect(deployment).not.toContain('helm upgrade');
      expect(deployment).not.toContain('kubectl apply');
      expect(troubleshooting).toContain(
        'aws logs tail /aws/lambda/media-pipeline-prod/digest --since 1h',
      );
    });

    it('covers both runtimes of a hybrid plan', () => {
      const plan = examplePlan('hybrid-aks');
      const { deployment } = render(plan);
      expect(deployment).toContain('helm upgrade --install claims helm/claims');
      expect(deployment).toContain(
        'serverless/azure/deploy.sh <resource-group>',
      );
      expect(deployment).toContain('az aks get-credentials');
    });
  });

  describe('ARCHITECTURE.md', () => {
    it.each([
      'shop-eks-t2',
      'marketplace-gke-t3',
      'hybrid-aks',
      'events-serverless-aws',
    ])('%s: one Mermaid node per service and one edge per dependsOn', name => {
      const plan = examplePlan(name);
      const [diagram] = blocks(render(plan).architecture, 'mermaid');
      expectSafeMermaid(diagram);
      const nodes = serviceNodes(diagram);
      expect([...nodes.keys()].sort()).toEqual(
        plan.services.map(s => s.name).sort(),
      );
      const expected = plan.services
        .flatMap(s =>
          s.service.dependsOn.map(
            d => `${nodes.get(s.name)} --> ${nodes.get(d)}`,
          ),
        )
        .sort();
      const edges = diagram
        .map(l => l.trim())
        .filter(l => /^svc_\d+ --> svc_\d+$/.test(l))
        .sort();
      expect(edges).toEqual(expected);
    });

    it('records the decisions with their rule ids and the services', () => {
      const { architecture } = render(marketplace);
      for (const decision of marketplace.decisions) {
        expect(architecture).toContain(`| \`${decision.ruleId}\` |`);
      }
      expect(architecture).toContain(
        '| `gateway` | service | kubernetes | Rollout | canary 5→25→50→100% via istio | 3–20 |',
      );
      expect(architecture).toContain('## Tier T3 features');
      expect(architecture).toContain('ingress --> svc_0');
    });

    it('keeps a hostile title, description and question out of the syntax', () => {
      const plan = examplePlan('shop-eks-t2');
      const hostile =
        'Shop "v2" `beta` <b>#1</b> %% end ] | x\nclick svc_0 "javascript:alert(1)"';
      plan.architecture.metadata.title = hostile;
      plan.architecture.metadata.description = 'a | b ``` c';
      plan.questions.push({
        id: 'Q-X',
        question: 'Pipes | and `ticks`?',
        assumption: 'yes | no',
      });
      const docs = render(plan);
      const diagrams = blocks(docs.architecture, 'mermaid');
      expect(diagrams).toHaveLength(1);
      expectSafeMermaid(diagrams[0]);
      const label = diagrams[0].find(l => l.includes('subgraph ns['))!;
      expect(label).toContain(mermaidText('Shop "v2" `beta`'));
      expect(label).not.toMatch(/Shop "v2/);
      expect(diagrams[0].some(l => /^\s*click\b/.test(l))).toBe(false);
      for (const doc of [
        docs.deployment,
        docs.architecture,
        docs.troubleshooting,
      ]) {
        expectTablesWellFormed(doc);
        // fences stay balanced
        expect(doc.match(/^`{3,}/gm)!.length % 2).toBe(0);
        expect(doc.split('\n')[0]).not.toContain('\n');
      }
      expect(docs.architecture.split('\n')[0]).toBe(
        '# Architecture: Shop "v2" \\`beta\\` \\<b\\>\\#1\\</b\\> %% end \\] \\| x click svc\\_0 "javascript:alert(1)"',
      );
    });
  });

  describe('TROUBLESHOOTING.md', () => {
    it('has the decision tree as Mermaid and as text', () => {
      const { troubleshooting } = render(shop);
      const [tree] = blocks(troubleshooting, 'mermaid');
      expectSafeMermaid(tree);
      for (const branch of [
        'Pending',
        'ImagePullBackOff / ErrImagePull',
        'CrashLoopBackOff',
        'ContainerCreating (stuck)',
        'Running, READY 0/1',
      ]) {
        expect(tree.some(l => l.includes(`|"${mermaidText(branch)}"|`))).toBe(
          true,
        );
        expect(troubleshooting).toContain(`**${branch}** →`);
      }
    });

    it('fills the issue table with the namespace, services and their kinds', () => {
      const { troubleshooting } = render(shop);
      expect(troubleshooting).toContain(
        'kubectl logs deployment/storefront -n shop -c storefront --previous',
      );
      expect(troubleshooting).toContain(
        'kubectl describe pvc data-postgres-0 -n shop',
      );
      expect(troubleshooting).toContain(
        'kubectl describe externalsecret api-secrets -n shop',
      );
      expect(troubleshooting).toContain(
        'kubectl argo rollouts get rollout api -n shop',
      );
      // api is a Rollout: never addressed as a Deployment
      expect(troubleshooting).not.toMatch(/deploy(ment)?\/api\b/);
      // every kubectl command targets this package's namespace (or a cluster scope)
      const namespaced = [...troubleshooting.matchAll(/`(kubectl [^`]*)`/g)]
        .map(m => m[1])
        .filter(command => / -n /.test(command));
      expect(namespaced.length).toBeGreaterThan(20);
      for (const command of namespaced) {
        expect(command).toMatch(/ -n (shop|kube-system)\b/);
      }
      expectTablesWellFormed(troubleshooting);
    });

    it('adds mesh rows for Istio (503 UF/URX, STRICT mTLS) and serverless rows', () => {
      const { troubleshooting } = render(marketplace);
      expect(troubleshooting).toContain('## Service mesh (istio)');
      expect(troubleshooting).toContain('`UF`');
      expect(troubleshooting).toContain('`URX`');
      expect(troubleshooting).toContain('PeerAuthentication STRICT');
      expect(troubleshooting).toContain(
        'istioctl proxy-config endpoints deploy/cart -n marketplace',
      );
      expect(render(shop).troubleshooting).not.toContain('Service mesh');
      const serverless = render(examplePlan('events-serverless-aws'));
      expect(serverless.troubleshooting).toContain('## Serverless functions');
      expect(serverless.troubleshooting).not.toContain('## Decision tree');
    });
  });

  it('is deterministic and renders every example', () => {
    for (const name of EXAMPLE_NAMES) {
      const first = renderDeploymentGuide(examplePlan(name), { files: [] });
      expect(renderDeploymentGuide(examplePlan(name), { files: [] })).toEqual(
        first,
      );
      for (const doc of first) {
        expectTablesWellFormed(doc.content);
        for (const diagram of blocks(doc.content, 'mermaid')) {
          expectSafeMermaid(diagram);
        }
        expect(doc.content.endsWith('\n')).toBe(true);
      }
    }
  });
});

describe('commands name files of the package', () => {
  // Every `-f <file>` / `-k <dir>` a reader copies from the committed
  // guides (and the package READMEs) must exist in that package.
  const PACKAGE_DOCS = [
    'docs/DEPLOYMENT.md',
    'docs/TROUBLESHOOTING.md',
    'README.md',
    'gitops/argocd/README.md',
    'gitops/flux/README.md',
    'kustomize/README.md',
    'serverless/README.md',
  ];

  // The examples and the portal's own package (deploy/)
  it.each([...EXAMPLE_NAMES, '../deploy'])('%s', name => {
    const root = path.join(EXAMPLES, name, 'package');
    const exists = (relative: string) => existsSync(path.join(root, relative));
    const missing: string[] = [];
    let checked = 0;
    for (const doc of PACKAGE_DOCS) {
      if (!exists(doc)) continue;
      const markdown = readFileSync(path.join(root, doc), 'utf8');
      for (const block of blocks(markdown, 'sh')) {
        for (const line of block) {
          if (line.trimStart().startsWith('#')) continue;
          const command = line.split('#')[0];
          if (!/^(kubectl|helm)\b/.test(command.trim())) continue;
          for (const [, flag, target] of command.matchAll(
            /\s(-f|-k)\s+([^\s]+)/g,
          )) {
            // placeholders, URLs and stdin; no exemption for a file the
            // reader would have to write (`cluster-secret-store.yaml` once
            // hid that the package has its own store)
            if (/^(https?:|-$|\/)|</.test(target)) continue;
            checked++;
            const ok =
              flag === '-k'
                ? exists(`${target}/kustomization.yaml`)
                : exists(target);
            if (!ok) missing.push(`${doc}: ${command.trim()}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
    // (the cloud serverless examples deploy with sam / gcloud, not kubectl)
    expect(checked > 0 || name.startsWith('events-serverless-')).toBe(true);
  });
});

describe('ports in the guide', () => {
  it('names each dependency by its Service port: 80 for HTTP, the own port for gRPC and TCP', () => {
    const istio = render(fixturePlanOf(PROTOCOLS_SPEC({ mesh: 'istio' })));
    expect(istio.troubleshooting).toContain('waits until `rpc:9090` answers');
    expect(istio.troubleshooting).toContain(
      '`web` gets UNAVAILABLE (HTTP 503) calling `rpc`',
    );
    expect(istio.troubleshooting).toContain(
      '--cluster "outbound\\|9090\\|\\|rpc.shop.svc.cluster.local"',
    );
    const marketplace = render(examplePlan('marketplace-gke-t3'));
    expect(marketplace.troubleshooting).toContain(
      '`cart` has its connections to `sessions` reset',
    );
    expect(marketplace.troubleshooting).toContain(
      '--cluster "outbound\\|6379\\|\\|sessions.marketplace.svc.cluster.local"',
    );
    const shop = render(examplePlan('shop-eks-t2'));
    expect(shop.troubleshooting).toContain('waits until `api:80` answers');
    const portal = render(examplePlan('../deploy'));
    expect(portal.troubleshooting).toContain(
      'waits until `postgres:5432` answers',
    );
  });

  it('TCP Rollouts are watched, not analysed', () => {
    const { deployment } = render(fixturePlanOf(PROTOCOLS_SPEC()));
    expect(deployment).toContain(
      'no automatic analysis (tcp: no HTTP success rate): a person watches',
    );
    expect(deployment).toContain(
      'the preview pods are ready (no success-rate analysis: tcp: no HTTP success rate)',
    );
  });
});
