import {
  ClusterProvider,
  DeploymentPlan,
} from '@internal/backstage-plugin-cloud-native-common';
import {
  AB_HEADER,
  CANARY_WEIGHTS,
  analysisTemplateName,
  ROLLBACK_WINDOW_REVISIONS,
  CANARY_PAUSE,
  PROMETHEUS_ADDRESS,
} from '../plan/rollout';
import {
  CLUSTER_LABEL,
  Facts,
  filesUnder,
  hostOf,
  kustomizeDirs,
  RolloutFacts,
  stackName,
  statusCommand,
  rollbackCommands,
} from './facts';
import { FLUX_NAMESPACE } from '../plan/gitops';
import { ClusterInstall } from '../plan/install';
import { ServerlessPlatforms } from '../plan/serverless';
import { manifestDirectory } from '../plan/names';
import { block, code, table, text } from './markdown';

/**
 * docs/DEPLOYMENT.md: prerequisites, ordered steps with exact commands,
 * validation, progressive delivery phases and rollback, for this package.
 */

interface Section {
  title: string;
  body: string[];
}

const ARGO_ROLLOUTS_INSTALL =
  'https://github.com/argoproj/argo-rollouts/releases/latest/download/install.yaml';

function valuesFile(facts: Facts, env: string): string {
  return `${facts.chart}/values-${env}.yaml`;
}

/**
 * The exact Helm command of one environment. No `--create-namespace`: the
 * namespace exists by then (namespace/<env>, with its labels), and the
 * release must not own it.
 */
/**
 * How Helm waits for the release. Helm 4 (the guide's Helm: Helm 3's security
 * fixes ended on 2026-11-11) waits by default with kstatus ("watcher"), which
 * cannot read an Argo Rollout's status (its observedGeneration is a string and
 * its conditions are not Ready/Available: helm/helm#32615): a chart with
 * Rollouts would wait until the timeout and then roll back. Such a chart waits
 * the `legacy` way (Pods, PVCs, Services, Deployments, StatefulSets, DaemonSets;
 * custom resources count as ready) and the Rollouts are followed with
 * `kubectl argo rollouts status` (Validate).
 */
export function helmWait(facts: Facts): string {
  return facts.rollouts.length > 0 ? '--wait=legacy' : '--wait';
}

/**
 * How Helm 4 applies the release. By default it installs with server-side
 * apply, and an upgrade then conflicts with the Argo Rollouts controller,
 * which owns the selectors of the Services a Rollout switches (it adds
 * `rollouts-pod-template-hash`; a Service's selector is one atomic field):
 * "conflict with rollouts-controller ... .spec.selector", and the upgrade
 * fails. A chart with Rollouts is applied client-side (Helm's three-way
 * merge, as Helm 3 did), which leaves fields the chart did not change to
 * their controllers. `--force-conflicts` would be worse: it resets the
 * selectors, so an active Service briefly selects the preview pods too.
 */
export function helmApply(facts: Facts): string {
  return facts.rollouts.length > 0 ? ' --server-side=false' : '';
}

export function helmCommand(facts: Facts, env: string): string {
  return `helm upgrade --install ${facts.release} ${facts.chart} -n ${
    facts.ns
  } -f ${valuesFile(facts, env)}${helmApply(
    facts,
  )} --rollback-on-failure ${helmWait(facts)} --timeout 15m`;
}

function kubeContext(env: string): string {
  return `kubectl config use-context <${env}-cluster-context>`;
}

// --------------------------------------------------------------------------
// Prerequisites

/** The CLI of each mesh and GitOps controller: [tool, version, what for]. */
const CONTROLLER_CLIS: Partial<
  Record<DeploymentPlan['mesh'] | DeploymentPlan['gitops'], string[]>
> = {
  istio: [
    'istioctl',
    'same minor version as the Istio control plane (1.22+)',
    'installing Istio, `istioctl analyze`, proxy diagnostics',
  ],
  linkerd: [
    'linkerd CLI',
    'same version as the Linkerd control plane (2.15+)',
    'installing Linkerd, `linkerd check --proxy`',
  ],
  argocd: [
    'argocd CLI (optional)',
    'same version as the Argo CD server (2.10+)',
    'syncing and inspecting the Applications of gitops/argocd',
  ],
  flux: [
    'flux CLI',
    '2.3+',
    'installing Flux and inspecting the objects of gitops/flux',
  ],
};

/** The tool row of the plan's mesh or GitOps choice; none for `none`. */
function controllerCli(
  choice: DeploymentPlan['mesh'] | DeploymentPlan['gitops'],
): string[][] {
  const row = CONTROLLER_CLIS[choice];
  return row ? [row] : [];
}

/**
 * The CLI of each cloud, needed for its clusters, its functions or both (the
 * row says which), and the tools its functions deploy with.
 */
const CLOUD_TOOLS: ReadonlyArray<{
  provider: ClusterProvider;
  functions: keyof ServerlessPlatforms;
  cli: string;
  version: string;
  clusterUse: string;
  functionsUse: string;
  functionTools: string[][];
}> = [
  {
    provider: 'eks',
    functions: 'aws',
    cli: 'AWS CLI',
    version: 'v2',
    clusterUse: 'EKS credentials and add-ons',
    functionsUse: 'Lambda and CloudFormation checks',
    functionTools: [
      [
        'AWS SAM CLI',
        '1.100+',
        `${code('sam build')} / ${code(
          'sam deploy',
        )} of serverless/aws/template.yaml`,
      ],
      [
        'osls (Serverless Framework v3 fork)',
        'through npx, Node.js 20+',
        `alternative: ${code(
          'npx osls deploy',
        )} of serverless/aws/serverless.yml`,
      ],
    ],
  },
  {
    provider: 'gke',
    functions: 'gcp',
    cli: 'gcloud CLI',
    version: 'current, with gke-gcloud-auth-plugin',
    clusterUse: 'GKE credentials',
    functionsUse: `${code(
      'gcloud run services replace',
    )}, Cloud Functions, IAM`,
    functionTools: [],
  },
  {
    provider: 'aks',
    functions: 'azure',
    cli: 'Azure CLI',
    version: '2.60+',
    clusterUse: 'AKS credentials and add-ons',
    functionsUse: 'the ARM deployment of serverless/azure',
    functionTools: [
      [
        'Azure Functions Core Tools (`func`)',
        'v4',
        `${code(
          'func azure functionapp publish',
        )} (run by serverless/azure/deploy.sh)`,
      ],
    ],
  },
];

function tools(facts: Facts): string[][] {
  const { plan } = facts;
  const rows: string[][] = [];
  const providers = new Set(plan.clusterProviders);
  if (plan.services.some(s => s.buildsImage)) {
    rows.push(
      [
        'Docker with Buildx',
        'Engine 24+ (containerd image store for multi-platform scans)',
        'building the images (containers/BUILD.md)',
      ],
      ['Trivy', '0.50+', 'scanning images and Dockerfiles before pushing'],
    );
  }
  if (facts.kube.length > 0) {
    rows.push(
      [
        'kubectl',
        '1.30+ (within one minor version of the clusters)',
        'server-side apply, built-in kustomize (`-k`), validation',
      ],
      [
        'Helm',
        '4.1+ (Helm 3 has had no security fixes since 2026-11-11)',
        plan.packaging === 'helm'
          ? `the chart ${code(facts.chart)} and the cluster add-ons`
          : 'the cluster add-ons',
      ],
    );
  }
  if (facts.rollouts.length > 0) {
    rows.push([
      'kubectl argo rollouts plugin',
      'same version as the Argo Rollouts controller (1.7+)',
      `watching, promoting and aborting ${facts.rollouts
        .map(r => code(r.service.name))
        .join(', ')}`,
    ]);
  }
  rows.push(...controllerCli(plan.mesh));
  const serverless = facts.serverless.length > 0;
  const t = facts.serverlessTargets;
  for (const cloud of CLOUD_TOOLS) {
    const cluster = providers.has(cloud.provider);
    const functions = serverless && t[cloud.functions];
    if (!cluster && !functions) continue;
    rows.push([
      cloud.cli,
      cloud.version,
      [cluster ? cloud.clusterUse : '', functions ? cloud.functionsUse : '']
        .filter(Boolean)
        .join('; '),
    ]);
    if (functions) rows.push(...cloud.functionTools);
  }
  if (serverless && t.knative) {
    rows.push([
      'Knative Serving and Eventing',
      '1.15+ in the target cluster (kn CLI optional)',
      'the Knative Services of serverless/knative',
    ]);
  }
  rows.push(...controllerCli(plan.gitops));
  if (facts.publicServices.length > 0 || serverless) {
    rows.push(['curl', 'any', 'smoke tests of the public endpoints']);
  }
  return rows;
}

function clusterAccess(facts: Facts): string[] {
  const { plan } = facts;
  const lines: string[] = [];
  // multi-cloud: one region field cannot name a region of every provider,
  // and each environment has a cluster per provider
  const multi = plan.clusterProviders.length > 1;
  const regionFor = (cloud: string) =>
    plan.cloud === cloud ? plan.region : '<region>';
  for (const provider of plan.clusterProviders) {
    const context = multi
      ? `<env>-${provider}-cluster-context`
      : '<env>-cluster-context';
    switch (provider) {
      case 'eks':
        lines.push(
          `aws eks update-kubeconfig --region ${regionFor(
            'aws',
          )} --name <cluster> --alias ${context}`,
        );
        break;
      case 'gke':
        lines.push(
          `gcloud container clusters get-credentials <cluster> --region ${regionFor(
            'gcp',
          )} --project <project-id>`,
          `kubectl config rename-context "$(kubectl config current-context)" ${context}`,
        );
        break;
      case 'aks':
        lines.push(
          `az aks get-credentials --resource-group <resource-group> --name <cluster> --context ${context}`,
        );
        break;
      default:
        lines.push(
          'kubectl config get-contexts   # one context per environment',
        );
        break;
    }
  }
  return lines;
}

function clusterSecretStore(facts: Facts): string[] {
  const { plan } = facts;
  const name = `${plan.name}-secrets`;
  const head = [
    'apiVersion: external-secrets.io/v1',
    'kind: ClusterSecretStore',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  provider:',
  ];
  const auth = [
    '          serviceAccountRef:',
    '            name: external-secrets',
    '            namespace: external-secrets',
  ];
  switch (plan.cloud) {
    case 'aws':
      return [
        ...head,
        '    aws:',
        '      service: SecretsManager',
        `      region: ${plan.region}`,
        '      auth:',
        '        jwt:',
        ...auth,
      ];
    case 'gcp':
      return [
        ...head,
        '    gcpsm:',
        '      projectID: <project-id>',
        '      # Workload Identity of the external-secrets service account',
      ];
    case 'azure':
      return [
        ...head,
        '    azurekv:',
        '      vaultUrl: https://<key-vault-name>.vault.azure.net',
        '      authType: WorkloadIdentity',
        '      serviceAccountRef:',
        '        name: external-secrets',
        '        namespace: external-secrets',
      ];
    default:
      return [
        ...head,
        '    vault:',
        '      server: https://<vault-address>',
        '      path: secret',
        '      version: v2',
        '      auth:',
        '        kubernetes:',
        '          mountPath: kubernetes',
        `          role: ${plan.name}`,
      ];
  }
}

function prerequisites(facts: Facts): Section {
  const { plan } = facts;
  const body: string[] = [
    '### Tools',
    '',
    ...table(['Tool', 'Version', 'Needed for'], tools(facts)),
    '',
  ];
  if (facts.kube.length > 0) {
    body.push(
      '### Cluster access',
      '',
      `One cluster per environment (${plan.environments
        .map(code)
        .join(', ')}), on ${plan.clusterProviders
        .map(p => CLUSTER_LABEL[p] ?? p)
        .join(', ')}. Every environment uses the namespace ${code(
        facts.ns,
      )}, so environments must not share a cluster. Create one kubeconfig context per environment; the commands below switch with ${code(
        'kubectl config use-context <env>-cluster-context',
      )}.`,
      '',
      ...block('sh', clusterAccess(facts)),
      '',
    );
  }
  if (facts.externalSecrets) {
    const rows = facts.kube
      .filter(s => s.service.secrets.length > 0)
      .flatMap(s =>
        [...s.service.secrets]
          .sort()
          .map(secret => [
            code(s.name),
            code(`${s.name}-secrets`),
            code(secret),
            code(`${plan.name}/${s.name}/${secret}`),
          ]),
      );
    const inPackage = facts.secretStoreFiles.length > 0;
    body.push(
      '### Secrets',
      '',
      `Secret values are never in this package. The External Secrets Operator (0.17+, API ${code(
        'external-secrets.io/v1',
      )}) copies them from your secret manager through the ClusterSecretStore ${code(
        `${plan.name}-secrets`,
      )}, ${
        inPackage
          ? `which this package defines for every cluster (${facts.secretStoreFiles
              .map(code)
              .join(
                ', ',
              )}, with the cloud identity it uses) and the deploy step of each environment applies before the release`
          : 'which the platform team provides in every cluster'
      } (each environment reads its own backend). Create these entries in the backend before the first deployment:`,
      '',
      ...table(['Service', 'Kubernetes Secret', 'Key', 'Remote key'], rows),
      '',
    );
    if (!inPackage) {
      body.push(
        `A ClusterSecretStore for ${text(
          plan.cloud,
        )} (adapt the authentication to your cluster):`,
        '',
        ...block('yaml', clusterSecretStore(facts)),
        '',
      );
    }
  }
  if (plan.questions.length > 0) {
    body.push(
      '### Open questions',
      '',
      'The plan assumed an answer to these; confirm them before production:',
      '',
      ...plan.questions.map(
        q =>
          `- ${code(q.id)}: ${text(q.question)} Assumed: ${text(
            q.assumption,
          )}.`,
      ),
      '',
    );
  }
  return { title: 'Prerequisites', body };
}

// --------------------------------------------------------------------------
// Images

function images(facts: Facts): Section | undefined {
  const built = facts.plan.services.filter(s => s.buildsImage);
  if (built.length === 0) return undefined;
  const body = [
    `Build, scan and push every image before deploying; ${code(
      'containers/BUILD.md',
    )} has the exact commands and what each Dockerfile assumes (sources in ${code(
      'services/<service>/',
    )}). Scan before you push: Trivy fails on HIGH or CRITICAL findings.`,
    '',
  ];
  const lines: string[] = [
    'trivy config --severity HIGH,CRITICAL --exit-code 1 containers',
  ];
  for (const service of built) {
    if (service.runtime === 'serverless') continue;
    lines.push(
      '',
      `# ${service.name}`,
      `docker buildx build --platform linux/amd64,linux/arm64 -t ${service.image} -f containers/${service.name}/Dockerfile services/${service.name}`,
      `trivy image --severity HIGH,CRITICAL --exit-code 1 ${service.image}`,
      `docker push ${service.image}`,
    );
  }
  body.push(...block('sh', lines), '');
  const functionImages = built.filter(s => s.runtime === 'serverless');
  if (functionImages.length > 0) {
    body.push(
      `Function images (${functionImages
        .map(s => code(s.name))
        .join(
          ', ',
        )}) are single-platform images for the function runtime; build them as ${code(
        'serverless/README.md',
      )} describes (for AWS Lambda: ${code(
        'docker buildx build --platform linux/arm64 --provenance=false',
      )}).`,
      '',
    );
  }
  body.push(
    'Deploy by immutable tag (or digest); never re-push a tag that is already deployed: the rollback steps below rely on the previous tag still existing.',
    '',
  );
  return { title: 'Build, scan and push the images', body };
}

// --------------------------------------------------------------------------
// Cluster add-ons

interface AddOn {
  name: string;
  why: string;
  commands: string[];
}

/** What the workloads themselves need: the metrics API of the HPAs, CSI storage. */
function workloadAddOns(facts: Facts): AddOn[] {
  const providers = new Set(facts.plan.clusterProviders);
  const out: AddOn[] = [];
  if (facts.autoscaled.length > 0) {
    const builtIn = !providers.has('eks') && !providers.has('generic');
    out.push({
      name: 'metrics-server',
      why: `the HorizontalPodAutoscalers of ${facts.autoscaled
        .map(s => code(s.name))
        .join(', ')} read CPU and memory from the metrics API`,
      commands: builtIn
        ? [
            '# built in on GKE and AKS: check that the metrics API answers',
            'kubectl get apiservice v1beta1.metrics.k8s.io',
          ]
        : [
            'helm upgrade --install metrics-server metrics-server --repo https://kubernetes-sigs.github.io/metrics-server/ -n kube-system --wait',
            'kubectl get apiservice v1beta1.metrics.k8s.io   # AVAILABLE True',
          ],
    });
  }
  const stateful = facts.kube.filter(s => s.objectKind === 'StatefulSet');
  if (stateful.length > 0) {
    const classes = [
      ...new Set(stateful.map(s => s.service.storage?.class).filter(Boolean)),
    ] as string[];
    const commands: string[] = [];
    if (providers.has('eks')) {
      commands.push(
        'aws eks create-addon --cluster-name <cluster> --addon-name aws-ebs-csi-driver --service-account-role-arn <ebs-csi-role-arn>',
      );
    }
    commands.push(
      classes.length > 0
        ? `kubectl get storageclass ${classes.join(' ')}`
        : 'kubectl get storageclass   # one must be marked (default)',
    );
    out.push({
      name: 'CSI driver and StorageClass',
      why: `the volumes of ${stateful.map(s => code(s.name)).join(', ')}${
        classes.length > 0
          ? ` (StorageClass ${classes.map(code).join(', ')})`
          : ' (default StorageClass)'
      }`,
      commands,
    });
  }
  return out;
}

/** The ingress controller of the public services. */
function ingressAddOns(facts: Facts): AddOn[] {
  const { plan } = facts;
  const out: AddOn[] = [];
  if (facts.publicServices.length > 0) {
    const why = `the Ingresses of ${facts.publicServices
      .map(s => code(s.name))
      .join(', ')}`;
    switch (plan.ingress) {
      case 'alb':
        out.push({
          name: 'AWS Load Balancer Controller',
          why,
          commands: [
            'helm upgrade --install aws-load-balancer-controller aws-load-balancer-controller --repo https://aws.github.io/eks-charts -n kube-system --set clusterName=<cluster> --set serviceAccount.name=aws-load-balancer-controller --wait',
          ],
        });
        break;
      case 'gke':
        out.push({
          name: 'GKE Ingress',
          why,
          commands: [
            '# built in (HttpLoadBalancing add-on, enabled by default)',
            `gcloud container clusters describe <cluster> --region ${plan.region} --format="value(addonsConfig.httpLoadBalancing)"`,
          ],
        });
        break;
      case 'application-routing':
        out.push({
          name: 'AKS application routing',
          why,
          commands: [
            'az aks approuting enable --resource-group <resource-group> --name <cluster>',
          ],
        });
        break;
      default:
        out.push({
          name: 'ingress-nginx',
          why,
          commands: [
            'helm upgrade --install ingress-nginx ingress-nginx --repo https://kubernetes.github.io/ingress-nginx -n ingress-nginx --create-namespace --wait',
          ],
        });
        break;
    }
  }
  return out;
}

/** Prometheus, the mesh and Argo Rollouts: progressive delivery and its analysis. */
function deliveryAddOns(facts: Facts): AddOn[] {
  const { plan } = facts;
  const out: AddOn[] = [];
  if (facts.rollouts.some(r => r.analysed) || plan.tierFeatures.observability) {
    out.push({
      name: 'Prometheus Operator (kube-prometheus-stack)',
      why: [
        facts.rollouts.some(r => r.analysed)
          ? `the success-rate analysis of the Rollouts queries ${code(
              PROMETHEUS_ADDRESS,
            )}`
          : '',
        plan.tierFeatures.observability
          ? 'the ServiceMonitors and alerts of the observability tier'
          : '',
      ]
        .filter(Boolean)
        .join('; '),
      commands: [
        'helm upgrade --install kube-prometheus-stack kube-prometheus-stack --repo https://prometheus-community.github.io/helm-charts -n monitoring --create-namespace --wait',
        'kubectl get svc prometheus-operated -n monitoring',
      ],
    });
  }
  if (plan.mesh === 'istio') {
    out.push({
      name: 'Istio',
      why: `mTLS, traffic policy${
        facts.rollouts.some(r => r.router === 'istio')
          ? ' and the traffic shifting of the Rollouts'
          : ''
      } (the namespace is labelled ${code('istio-injection: enabled')})`,
      commands: [
        'istioctl install --set profile=default -y',
        'kubectl rollout status deployment/istiod -n istio-system',
      ],
    });
  }
  if (plan.mesh === 'linkerd') {
    out.push({
      name: 'Linkerd',
      why: `mTLS and traffic policy (the namespace is annotated ${code(
        'linkerd.io/inject: enabled',
      )})`,
      commands: [
        'linkerd check --pre',
        'linkerd install --crds | kubectl apply -f -',
        'linkerd install | kubectl apply -f -',
        'linkerd check',
      ],
    });
  }
  if (facts.rollouts.length > 0) {
    out.push({
      name: 'Argo Rollouts',
      why: `${facts.rollouts
        .map(r => code(r.service.name))
        .join(', ')} are Rollouts (progressive delivery)`,
      commands: [
        'kubectl create namespace argo-rollouts',
        `kubectl apply -n argo-rollouts -f ${ARGO_ROLLOUTS_INSTALL}`,
        'kubectl rollout status deployment/argo-rollouts -n argo-rollouts',
        'kubectl argo rollouts version',
      ],
    });
  }
  return out;
}

/** External Secrets, event-driven autoscaling. */
function secretAndEventAddOns(facts: Facts): AddOn[] {
  const { plan } = facts;
  const providers = new Set(facts.plan.clusterProviders);
  const files = [...facts.files];
  const out: AddOn[] = [];
  if (facts.externalSecrets) {
    out.push({
      name: 'External Secrets Operator',
      why: `syncs the Secrets of ${facts.kube
        .filter(s => s.service.secrets.length > 0)
        .map(s => code(s.name))
        .join(', ')} from the ClusterSecretStore ${code(
        `${plan.name}-secrets`,
      )}`,
      commands: [
        'helm upgrade --install external-secrets external-secrets --repo https://charts.external-secrets.io -n external-secrets --create-namespace --wait',
        ...(facts.secretStoreFiles.length > 0
          ? [
              // the package's store: its ServiceAccount needs the namespace
              `# the ClusterSecretStore ${
                plan.name
              }-secrets is ${facts.secretStoreFiles.join(
                ', ',
              )}: each environment's deploy step applies it, after the namespace`,
            ]
          : [
              `# create the ClusterSecretStore ${plan.name}-secrets of the Prerequisites (adapted to your backend), then:`,
              `kubectl get clustersecretstore ${plan.name}-secrets   # READY True`,
            ]),
      ],
    });
  }
  if (
    providers.has('eks') &&
    files.some(f => f.startsWith('cloud/eks/') && /karpenter/i.test(f))
  ) {
    out.push({
      name: 'Karpenter',
      why: 'node provisioning for the NodePools of cloud/eks',
      commands: [
        'helm upgrade --install karpenter oci://public.ecr.aws/karpenter/karpenter -n kube-system --set settings.clusterName=<cluster> --wait',
      ],
    });
  }
  if (files.some(f => /keda/i.test(f) && !f.startsWith('docs/'))) {
    out.push({
      name: 'KEDA',
      why: 'event-driven autoscaling objects in this package',
      commands: [
        'helm upgrade --install keda keda --repo https://kedacore.github.io/charts -n keda --create-namespace --wait',
      ],
    });
  }
  return out;
}

/** The GitOps controller and Knative Serving. */
function gitOpsAddOns(facts: Facts): AddOn[] {
  const { plan } = facts;
  const out: AddOn[] = [];
  if (plan.gitops === 'argocd') {
    out.push({
      name: 'Argo CD',
      why: 'GitOps: the Applications of gitops/argocd',
      commands: [
        'kubectl create namespace argocd',
        'kubectl apply -n argocd --server-side -f https://raw.githubusercontent.com/argoproj/argo-cd/stable/manifests/install.yaml',
      ],
    });
  }
  if (plan.gitops === 'flux') {
    out.push({
      name: 'Flux',
      why: 'GitOps: the sources and Kustomizations of gitops/flux',
      commands: ['flux check --pre', 'flux install'],
    });
  }
  if (facts.serverless.length > 0 && facts.serverlessTargets.knative) {
    out.push({
      name: 'Knative Serving and Eventing',
      why: 'the Knative Services and Triggers of serverless/knative',
      commands: [
        '# follow https://knative.dev/docs/install/ (Serving, a networking layer, Eventing and a default Broker)',
        'kubectl get ksvc -A',
      ],
    });
  }
  return out;
}

function addOns(facts: Facts): AddOn[] {
  return [
    ...workloadAddOns(facts),
    ...ingressAddOns(facts),
    ...deliveryAddOns(facts),
    ...secretAndEventAddOns(facts),
    ...gitOpsAddOns(facts),
  ];
}

function addOnSection(facts: Facts): Section | undefined {
  const list = addOns(facts);
  if (list.length === 0) return undefined;
  const body = [
    'Once per cluster, in this order (later add-ons use earlier ones):',
    '',
    ...table(
      ['#', 'Add-on', 'Why this package needs it'],
      list.map((a, i) => [String(i + 1), text(a.name), a.why]),
    ),
    '',
  ];
  list.forEach((a, i) => {
    body.push(
      `**${i + 1}. ${text(a.name)}**`,
      '',
      ...block('sh', a.commands),
      '',
    );
  });
  return { title: 'Install the cluster add-ons', body };
}

// --------------------------------------------------------------------------
// Deploy

/** How the namespace switches on the mesh's sidecar injection. */
const MESH_INJECTION: Record<Facts['plan']['mesh'], string> = {
  none: '',
  istio: ` and the ${code('istio-injection')} label`,
  linkerd: ` and the ${code('linkerd.io/inject')} annotation`,
};

/**
 * What one cluster gets before the release, in the install order
 * (skills/install): the namespace, then the cloud prerequisites.
 */
function prerequisiteCommands(
  install: ClusterInstall,
  mesh: Facts['plan']['mesh'],
): string[] {
  const lines = [
    `# prerequisites, before the release: the namespace (with its labels)${
      install.prerequisites.length > 0
        ? ', then the cloud integration the workloads need'
        : ''
    }`,
    `kubectl apply --server-side -k ${install.namespace}`,
    ...install.prerequisites.map(
      dir => `kubectl apply --server-side -k ${dir}`,
    ),
  ];
  const store = install.cloud?.secretStore;
  if (store) {
    lines.push(`kubectl get clustersecretstore ${store.name}   # READY True`);
  }
  if (install.mesh) {
    lines.push(
      '',
      `# ${mesh}: mTLS, authorization and the routes the Rollouts use, before the workloads start`,
      `kubectl apply --server-side -k ${install.mesh}`,
    );
  }
  return lines;
}

/** The deploy commands of one environment (on one of its clusters). */
function deployCommands(
  facts: Facts,
  env: string,
  install: ClusterInstall,
  lines: string[],
): void {
  const { plan } = facts;
  const helm = plan.packaging === 'helm';
  lines.push(...prerequisiteCommands(install, plan.mesh), '');
  if (helm) {
    lines.push(
      '# preview: lint, and validate the rendered objects against the cluster',
      `helm lint ${facts.chart} -f ${valuesFile(facts, env)}`,
      `helm template ${facts.release} ${facts.chart} -n ${
        facts.ns
      } -f ${valuesFile(facts, env)} --validate > /dev/null`,
      '',
      '# deploy',
      helmCommand(facts, env),
    );
  } else {
    lines.push(
      '# preview against the live objects',
      `kubectl diff --server-side -k ${manifestDirectory(env)}`,
      '',
      '# deploy',
      `kubectl apply --server-side -k ${manifestDirectory(env)}`,
    );
  }
}

function deploySection(facts: Facts): Section | undefined {
  if (facts.kube.length === 0) return undefined;
  const { plan } = facts;
  const helm = plan.packaging === 'helm';
  const body: string[] = [
    plan.environments.length > 1
      ? `Deploy the environments in order (${plan.environments
          .map(code)
          .join(
            ' → ',
          )}) and promote to the next one only after its validation (below) passes.`
      : `One environment: ${code(plan.environments[0])}.`,
    '',
  ];
  if (helm) {
    body.push(
      `The package is deployed as the Helm release ${code(
        facts.release,
      )} of the chart ${code(
        facts.chart,
      )}, one values file per environment. ${code(
        '--rollback-on-failure',
      )} rolls a failed upgrade back automatically (Helm 3 called it ${code(
        '--atomic',
      )}).${
        facts.rollouts.length > 0
          ? ` ${code(
              '--wait=legacy',
            )}: Helm 4's default wait (kstatus) cannot read the status of an Argo Rollout and would wait until the timeout; the legacy wait covers the pods, volumes and native workloads, and ${code(
              'kubectl argo rollouts status',
            )} follows the Rollouts (Validate). ${code(
              '--server-side=false',
            )}: the Argo Rollouts controller owns the selectors of the Services it switches, and a server-side apply of the chart would conflict with it on every upgrade; Helm's three-way merge leaves them to the controller.`
          : ''
      } The rendered manifests in ${code(
        'kubernetes/<env>',
      )} describe the same objects: use one or the other for an environment, never both.`,
      '',
    );
  } else {
    body.push(
      `The package is deployed from the rendered manifests with server-side apply; ${code(
        'kubernetes/<env>/kustomization.yaml',
      )} lists every object of an environment.`,
      '',
    );
  }
  const cloud = Object.values(facts.installs).some(list =>
    list.some(install => install.prerequisites.length > 0),
  );
  body.push(
    `Every cluster gets its prerequisites first. The namespace ${code(
      facts.ns,
    )}, from ${code('namespace/<env>')}, with its Pod Security labels${
      MESH_INJECTION[plan.mesh]
    }: ${
      helm
        ? `it is not part of the release (Helm stores a release in its namespace, so the release cannot own it, and ${code(
            '--create-namespace',
          )} would create it without its labels)`
        : `${code('kubernetes/<env>')} holds the same Namespace`
    }.${
      cloud
        ? ` Then the cloud integration of ${code(
            'cloud/<provider>/<env>',
          )}, the objects the workloads use (storage classes, the secret store, node pools, monitoring): volumes bind and secrets sync as soon as the workloads start, within the release's wait.`
        : ''
    }`,
    '',
  );
  if (
    facts.rollouts.some(r => r.router === 'istio' || r.router === 'linkerd')
  ) {
    body.push(
      `The Rollouts route traffic through the mesh objects of ${code(
        'mesh/<env>',
      )}, so they are applied before the release. While a canary runs, the Argo Rollouts controller owns the route weights: deploy again once the rollout has finished (or after ${code(
        'kubectl argo rollouts abort',
      )}); re-applied mid-rollout, ${code(
        'mesh/<env>',
      )} conflicts with the controller on the weights it set.`,
      '',
    );
  }
  // multi-cloud: every environment has one cluster per provider
  const clusters = plan.clusterProviders.filter(p => p !== 'generic');
  const perCluster = clusters.length > 1;
  if (perCluster) {
    body.push(
      `Each environment runs on ${clusters.length} clusters (${clusters
        .map(p => CLUSTER_LABEL[p] ?? p)
        .join(
          ', ',
        )}): run the commands of an environment on each of its clusters, with that cluster's context and its provider's ${code(
        'cloud/<provider>/<env>',
      )} integration.`,
      '',
    );
  }
  for (const env of plan.environments) {
    const lines: string[] = [];
    for (const install of facts.installs[env]) {
      const provider = install.cloud?.provider;
      if (perCluster && provider) {
        lines.push(
          `# ${CLUSTER_LABEL[provider] ?? provider}`,
          `kubectl config use-context <${env}-${provider}-cluster-context>`,
          '',
        );
      } else {
        lines.push(kubeContext(env), '');
      }
      deployCommands(facts, env, install, lines);
      lines.push('');
    }
    lines.pop();
    body.push(`### ${text(env)}`, '', ...block('sh', lines), '');
    const kustomize = kustomizeDirs(facts.files, 'kustomize/').filter(d =>
      d.endsWith(`/${env}`),
    );
    if (kustomize.length > 0) {
      body.push(
        `Kustomize alternative for ${code(env)}: ${kustomize
          .map(d => code(`kubectl apply --server-side -k ${d}`))
          .join(', ')}.`,
        '',
      );
    }
  }
  const providers = plan.clusterProviders.filter(p => p !== 'generic');
  for (const provider of providers) {
    const listed = filesUnder(facts.files, `cloud/${provider}/`);
    if (
      listed.length > 0 &&
      kustomizeDirs(facts.files, `cloud/${provider}/`).length === 0
    ) {
      body.push(
        `${code(`cloud/${provider}/`)} holds the ${
          CLUSTER_LABEL[provider]
        } integration (${listed
          .map(code)
          .join(
            ', ',
          )}); apply it as its README says before the first deployment.`,
        '',
      );
    }
  }
  return { title: 'Deploy, environment by environment', body };
}

// --------------------------------------------------------------------------
// Serverless

/** A `### heading` of shell commands, after an optional one-paragraph intro. */
function shellSteps(
  heading: string,
  commands: string[],
  intro?: string,
): string[] {
  return [
    `### ${heading}`,
    '',
    ...(intro ? [intro, ''] : []),
    ...block('sh', commands),
    '',
  ];
}

function serverlessSection(facts: Facts): Section | undefined {
  if (facts.serverless.length === 0) return undefined;
  const { plan } = facts;
  const t = facts.serverlessTargets;
  const names = facts.serverless.map(s => code(s.name)).join(', ');
  const body: string[] = [
    `The functions ${names} run serverless; ${code(
      'serverless/README.md',
    )} describes every trigger and the IAM each function gets.`,
    '',
  ];
  if (t.aws) {
    const lines = ['cd serverless/aws', 'sam validate --lint', 'sam build'];
    for (const env of plan.environments) {
      lines.push(
        `sam deploy --guided --stack-name ${stackName(
          plan,
          env,
        )} --config-env ${env}   # first time; later: sam deploy --config-env ${env}`,
      );
    }
    body.push(
      ...shellSteps('AWS Lambda (SAM)', lines),
      'Or with the Serverless Framework v3 fork (the same application in `serverless/aws/serverless.yml`):',
      '',
      ...block('sh', [
        'cd serverless/aws',
        'npx osls print',
        ...plan.environments.map(env => `npx osls deploy --stage ${env}`),
      ]),
      '',
    );
  }
  if (t.azure) {
    body.push(
      ...shellSteps('Azure Functions', [
        `az group create --name <resource-group> --location ${plan.region}`,
        'serverless/azure/deploy.sh <resource-group>   # az deployment group create, then func azure functionapp publish <app> per function',
      ]),
    );
  }
  if (t.gcp) {
    const runFiles = filesUnder(facts.files, 'serverless/gcp/run/').filter(f =>
      f.endsWith('.yaml'),
    );
    const runs =
      runFiles.length > 0
        ? runFiles
        : facts.serverless.map(s => `serverless/gcp/run/${s.name}.yaml`);
    body.push(
      ...shellSteps(
        'Google Cloud Run / Cloud Functions',
        [
          ...runs.map(
            f => `gcloud run services replace ${f} --region=${plan.region}`,
          ),
          '# event functions: the deploy commands of serverless/gcp/functions.yaml',
          '# IAM: the commands of serverless/gcp/iam.yaml',
        ],
        'Replace `PROJECT_ID` (and `PROJECT_NUMBER`) in serverless/gcp first.',
      ),
    );
  }
  if (t.knative) {
    body.push(
      ...shellSteps('Knative', [
        'kubectl apply -f serverless/knative',
        `kubectl get ksvc -n ${facts.ns}`,
      ]),
    );
  }
  return { title: 'Deploy the serverless functions', body };
}

// --------------------------------------------------------------------------
// GitOps

function gitopsFile(facts: Facts, tool: 'argocd' | 'flux', env: string) {
  const file = `gitops/${tool}/${env}.yaml`;
  const dir = `gitops/${tool}/${env}`;
  if (facts.files.has(`${dir}/kustomization.yaml`) && !facts.files.has(file)) {
    return `kubectl apply -k ${dir}`;
  }
  return `kubectl apply -f ${file}`;
}

function gitopsSection(facts: Facts): Section | undefined {
  const { plan } = facts;
  if (plan.gitops === 'none' || facts.kube.length === 0) return undefined;
  const tool = plan.gitops;
  const lines: string[] = [];
  // multi-cloud GitOps files are `<env>-<provider>.yaml`, one per cluster
  const providers = plan.clusterProviders.filter(p => p !== 'generic');
  const clusters = (env: string) =>
    providers
      .map(provider => ({
        provider,
        file: `gitops/${tool}/${env}-${provider}.yaml`,
      }))
      .filter(c => facts.files.has(c.file));
  const multiCluster = plan.environments.some(
    env =>
      !facts.files.has(`gitops/${tool}/${env}.yaml`) &&
      clusters(env).length > 0,
  );
  if (multiCluster && tool === 'argocd') {
    // One Argo CD (the hub) manages every cluster: see gitops/argocd/README.md
    lines.push('kubectl config use-context <argocd-hub-context>');
    if (facts.files.has('gitops/argocd/project.yaml')) {
      lines.push('kubectl apply -n argocd -f gitops/argocd/project.yaml');
    }
    for (const env of plan.environments) {
      for (const { file } of clusters(env)) {
        lines.push(`kubectl apply -n argocd -f ${file}`);
      }
    }
    lines.push('');
  } else if (multiCluster) {
    // Flux runs in every cluster: the shared source, then the cluster's file
    for (const env of plan.environments) {
      for (const { provider, file } of clusters(env)) {
        lines.push(
          `kubectl config use-context <${env}-${provider}-cluster-context>`,
        );
        if (facts.files.has('gitops/flux/source.yaml')) {
          lines.push('kubectl apply -f gitops/flux/source.yaml');
        }
        lines.push(`kubectl apply -f ${file}`, '');
      }
    }
  } else {
    for (const env of plan.environments) {
      lines.push(kubeContext(env), gitopsFile(facts, tool, env), '');
    }
  }
  if (tool === 'argocd') {
    lines.push(
      'kubectl get applications.argoproj.io -n argocd -w   # SYNC STATUS Synced, HEALTH STATUS Healthy',
    );
  } else {
    // The Kustomizations and HelmReleases live in flux-system
    lines.push(
      `flux get kustomizations -n ${FLUX_NAMESPACE}`,
      `flux get helmreleases -n ${FLUX_NAMESPACE}`,
    );
  }
  const listed = filesUnder(facts.files, `gitops/${tool}/`);
  return {
    title: `GitOps alternative (${tool === 'argocd' ? 'Argo CD' : 'Flux'})`,
    body: [
      `Instead of running the deploy commands by hand, let ${
        tool === 'argocd' ? 'Argo CD' : 'Flux'
      } converge every cluster on this package from Git. Push the package to the repository the ${
        tool === 'argocd' ? 'Applications' : 'sources'
      } point at, then register each environment once:`,
      '',
      ...block(
        'sh',
        lines.filter((l, i, a) => !(l === '' && i === a.length - 1)),
      ),
      '',
      ...(listed.length > 0
        ? [`Files: ${listed.map(code).join(', ')}.`, '']
        : []),
      'With GitOps, every change (a new image tag, a rollback) is a commit: a manual `helm upgrade`, `kubectl apply` or `kubectl argo rollouts undo` is reverted at the next sync.',
      '',
    ],
  };
}

// --------------------------------------------------------------------------
// Validation

function validationSection(facts: Facts): Section {
  const { plan, ns } = facts;
  const body: string[] = [];
  if (facts.kube.length > 0) {
    for (const env of plan.environments) {
      const lines: string[] = [kubeContext(env), ''];
      if (plan.packaging === 'helm') {
        lines.push(
          `helm status ${facts.release} -n ${ns}`,
          `helm test ${facts.release} -n ${ns}`,
        );
      }
      lines.push(`kubectl get pods,svc,ingress -n ${ns}`);
      for (const service of facts.kube) {
        const command = statusCommand(facts, service);
        if (command) lines.push(command);
      }
      if (facts.autoscaled.length > 0) {
        lines.push(
          `kubectl get hpa -n ${ns}   # TARGETS must not show <unknown>`,
        );
      }
      if (facts.disruptionBudgets.length > 0) {
        lines.push(`kubectl get pdb -n ${ns}`);
      }
      if (facts.externalSecrets) {
        lines.push(
          `kubectl get externalsecrets -n ${ns}   # STATUS SecretSynced`,
        );
      }
      if (plan.mesh === 'istio') {
        lines.push(`istioctl analyze -n ${ns}`, `istioctl proxy-status`);
      }
      if (plan.mesh === 'linkerd') {
        lines.push(`linkerd check --proxy -n ${ns}`);
      }
      for (const service of facts.publicServices) {
        const host = hostOf(facts, env, service.name);
        if (!host) continue;
        lines.push(
          `curl -fsS https://${host}${service.service.health?.path ?? '/'}`,
        );
      }
      body.push(`### ${text(env)}`, '', ...block('sh', lines), '');
    }
    body.push(
      `Every pod is ${code('Running')} and ${code(
        'READY',
      )} (all containers), no pod restarts, every workload reports its rollout complete. If not, ${code(
        'docs/TROUBLESHOOTING.md',
      )} walks through the causes.`,
      '',
    );
  }
  if (facts.serverless.length > 0) {
    const lines: string[] = [];
    const t = facts.serverlessTargets;
    if (t.aws) {
      for (const env of plan.environments) {
        const stack = stackName(plan, env);
        lines.push(
          `aws cloudformation describe-stacks --stack-name ${stack} --query "Stacks[0].StackStatus"`,
          `sam list stack-outputs --stack-name ${stack}`,
        );
      }
      const stack = stackName(
        plan,
        plan.environments[plan.environments.length - 1],
      );
      for (const fn of facts.serverless) {
        lines.push(`aws logs tail /aws/lambda/${stack}/${fn.name} --since 15m`);
      }
    }
    if (t.gcp) {
      lines.push(`gcloud run services list --region=${plan.region}`);
    }
    if (t.azure) {
      lines.push(
        'az functionapp list --resource-group <resource-group> --output table',
      );
    }
    if (t.knative) {
      lines.push(`kubectl get ksvc,triggers -n ${ns}`);
    }
    body.push('### Serverless functions', '', ...block('sh', lines), '');
  }
  return { title: 'Validate', body };
}

// --------------------------------------------------------------------------
// Progressive delivery

function routerText(r: RolloutFacts, facts: Facts): string {
  switch (r.router) {
    case 'istio':
      return `the Istio VirtualService ${code(r.service.name)} (route ${code(
        'primary',
      )})`;
    case 'alb':
      return `the ALB Ingress ${code(r.service.name)} (weighted target groups)`;
    case 'nginx':
      return `a canary copy of the ingress-nginx Ingress ${code(
        r.service.name,
      )}`;
    default:
      return `no traffic router${
        r.router === 'linkerd'
          ? ' (Linkerd traffic splitting is not configured)'
          : ''
      }: the weight is approximated by the ratio of canary to stable pods, so at ${
        facts.plan.tier === 'T1' ? 'few' : 'low'
      } replica counts the first step gets more than its share`;
  }
}

function canaryPhases(facts: Facts, r: RolloutFacts): string[] {
  const { ns } = facts;
  const name = r.service.name;
  const promote = `kubectl argo rollouts promote ${name} -n ${ns}`;
  const abort = `kubectl argo rollouts abort ${name} -n ${ns}`;
  const gate = r.analysed
    ? `background analysis ${code(
        analysisTemplateName(name),
      )}: success rate ≥ 99% every 1m; 2 failed measurements abort`
    : `no automatic analysis (${noAnalysisReason(r)}): a person watches`;
  const watch: Record<number, string> = {
    5: 'errors and latency of the canary pods against stable, restarts, logs of the new version',
    25: 'the same, plus resource use of the canary pods and the calls to its dependencies',
    50: 'capacity: HPA, CPU/memory, connection pools of the dependencies at half the traffic',
    100: 'stable again: the old ReplicaSet is scaled down; keep watching errors for a while',
  };
  const rows = CANARY_WEIGHTS.map((weight, i) => {
    const last = weight === 100;
    return [
      `${i + 1}`,
      `${weight}%`,
      last ? 'end' : `pause ${CANARY_PAUSE}`,
      last ? 'rollout complete' : gate,
      watch[weight],
      last ? '-' : code(promote),
      last ? code(`kubectl argo rollouts undo ${name} -n ${ns}`) : code(abort),
    ];
  });
  return [
    `#### ${text(name)}: canary ${CANARY_WEIGHTS.map(w => `${w}%`).join(
      ' → ',
    )}`,
    '',
    `Traffic is shifted by ${routerText(r, facts)}.${
      r.analysed
        ? ` The analysis reads ${code(
            PROMETHEUS_ADDRESS,
          )}; without traffic it is inconclusive and the rollout pauses for a person.`
        : ''
    } A full rollout takes at least ${
      (CANARY_WEIGHTS.length - 1) * Number.parseInt(CANARY_PAUSE, 10)
    } minutes.`,
    '',
    ...table(
      [
        'Phase',
        'Traffic to the new version',
        'Duration',
        'Gate',
        'Watch',
        'Continue early',
        'Stop',
      ],
      rows,
    ),
    '',
    ...block('sh', [
      `kubectl argo rollouts get rollout ${name} -n ${ns} --watch`,
      ...(r.analysed ? [`kubectl get analysisruns -n ${ns}`] : []),
      `${promote}          # skip the current pause`,
      `${promote} --full   # skip every remaining step (emergency only)`,
      `${abort}            # back to 100% stable, rollout Degraded`,
      `kubectl argo rollouts retry rollout ${name} -n ${ns}   # after an abort, try the same version again`,
    ]),
    '',
  ];
}

/** Why a Rollout has no success-rate analysis (plan/rollout.ts hasAnalysis). */
function noAnalysisReason(r: RolloutFacts): string {
  const { port, protocol } = r.service.service;
  if (port === undefined) return 'no port';
  if (protocol === 'tcp') return 'tcp: no HTTP success rate';
  return 'this package collects its metrics only from T3 on managed clusters';
}

function blueGreenPhases(facts: Facts, r: RolloutFacts): string[] {
  const { ns, plan } = facts;
  const name = r.service.name;
  const manual = plan.tier === 'T3';
  const rows = [
    [
      '1',
      `new pods behind ${code(`${name}-preview`)}; ${code(
        name,
      )} still serves the old version`,
      r.analysed
        ? `pre-promotion analysis ${code(analysisTemplateName(name))} on ${code(
            `${name}-preview`,
          )}: 5 measurements, 1m apart, success rate ≥ 99%`
        : `the preview pods are ready (no success-rate analysis: ${noAnalysisReason(
            r,
          )})`,
      r.analysed
        ? 'readiness of the preview pods, errors in their logs, the analysis run'
        : `readiness of the preview pods, errors in their logs, test connections through ${code(
            `${name}-preview`,
          )}`,
    ],
    [
      '2',
      manual
        ? `promotion by a person (T3: ${code('autoPromotionEnabled: false')})`
        : `automatic promotion once ${
            r.analysed ? 'the analysis passes' : 'the preview pods are ready'
          }`,
      manual ? code(`kubectl argo rollouts promote ${name} -n ${ns}`) : '-',
      `${code(name)} switches to the new pods at once (100%)`,
    ],
    [
      '3',
      'old pods kept for 30 s (scaleDownDelaySeconds), then scaled down',
      '-',
      'errors right after the switch: abort within the delay to switch back instantly',
    ],
  ];
  return [
    `#### ${text(name)}: blue-green`,
    '',
    ...table(['Phase', 'State', 'Gate', 'Watch'], rows),
    '',
    ...block('sh', [
      `kubectl argo rollouts get rollout ${name} -n ${ns} --watch`,
      ...(r.analysed ? [`kubectl get analysisruns -n ${ns}`] : []),
      `kubectl argo rollouts promote ${name} -n ${ns}`,
      `kubectl argo rollouts abort ${name} -n ${ns}   # the active Service stays on the old version`,
    ]),
    '',
  ];
}

function abPhases(facts: Facts, r: RolloutFacts): string[] {
  const { ns } = facts;
  const name = r.service.name;
  return [
    `#### ${text(name)}: A/B test`,
    '',
    ...table(
      ['Phase', 'State', 'Gate', 'Watch'],
      [
        [
          '1',
          'variant B gets pods (50% of the stable count) but no weighted traffic',
          '-',
          'the B pods become ready',
        ],
        [
          '2',
          `only requests with the header ${code(
            `${AB_HEADER.name}: ${AB_HEADER.value}`,
          )} reach B (Istio header route)`,
          `background analysis ${code(
            analysisTemplateName(name),
          )} from this step`,
          'the experiment metrics of A and B, errors of B',
        ],
        [
          '3',
          'paused without limit until a decision',
          'a person promotes B or aborts',
          code(`kubectl argo rollouts promote ${name} -n ${ns}`),
        ],
      ],
    ),
    '',
    ...block('sh', [
      `kubectl argo rollouts get rollout ${name} -n ${ns} --watch`,
      `curl -H '${AB_HEADER.name}: ${AB_HEADER.value}' https://<host>/   # reach variant B`,
      `kubectl argo rollouts promote ${name} -n ${ns}   # B wins`,
      `kubectl argo rollouts abort ${name} -n ${ns}     # A stays`,
    ]),
    '',
  ];
}

function progressiveSection(facts: Facts): Section | undefined {
  if (facts.rollouts.length === 0) return undefined;
  const { plan, ns } = facts;
  const body: string[] = [
    `These services are Argo Rollouts: ${facts.rollouts
      .map(r => `${code(r.service.name)} (${r.mode})`)
      .join(', ')}. Every other workload uses its native rolling update.`,
    '',
    `**How a release moves.** Publish the new image tag, change it in ${
      plan.packaging === 'helm'
        ? code(`${facts.chart}/values-<env>.yaml`)
        : code('kubernetes/<env>')
    }${
      plan.gitops !== 'none' ? ' and commit it' : ''
    }, and run the deploy step of the environment; Argo Rollouts then walks the phases below. The very first deployment of a Rollout goes straight to 100% (there is no old version to compare with).`,
    '',
    `**Migrating from an existing Deployment.** If ${facts.rollouts
      .map(r => code(r.service.name))
      .join(
        ', ',
      )} already ran as a Deployment, apply the Rollout first, wait until ${code(
      `kubectl argo rollouts get rollout <service> -n ${ns}`,
    )} shows ${code(
      'Healthy',
    )}, and only then delete the old Deployment, so that capacity never drops.`,
    '',
  ];
  for (const r of facts.rollouts) {
    if (r.mode === 'canary') body.push(...canaryPhases(facts, r));
    else if (r.mode === 'blue-green') body.push(...blueGreenPhases(facts, r));
    else body.push(...abPhases(facts, r));
  }
  return { title: 'Progressive delivery: migration phases', body };
}

// --------------------------------------------------------------------------
// Rollback

function rollbackSection(facts: Facts): Section {
  const { plan, ns } = facts;
  const body: string[] = [];
  if (facts.kube.length > 0) {
    if (plan.packaging === 'helm') {
      body.push(
        '### Helm release',
        '',
        ...block('sh', [
          `helm history ${facts.release} -n ${ns}`,
          `helm rollback ${facts.release} <revision> -n ${ns} ${helmWait(
            facts,
          )}`,
        ]),
        '',
      );
    } else {
      body.push(
        '### Manifests',
        '',
        ...block('sh', [
          'git checkout <previous-commit> -- kubernetes/<env>',
          'kubectl apply --server-side -k kubernetes/<env>',
        ]),
        '',
      );
    }
    const native = facts.kube.filter(s =>
      ['Deployment', 'StatefulSet', 'DaemonSet'].includes(s.objectKind),
    );
    if (native.length > 0) {
      body.push(
        '### One workload',
        '',
        ...block(
          'sh',
          native.flatMap(s => rollbackCommands(plan, s)),
        ),
        '',
      );
      if (native.some(s => s.objectKind === 'StatefulSet')) {
        body.push(
          'Undoing a StatefulSet restores the pod template, not the data: revert schema or data migrations separately.',
          '',
        );
      }
    }
    if (facts.rollouts.length > 0) {
      body.push(
        '### Rollouts',
        '',
        `Abort first (traffic goes back to the stable version at once), then undo to make the previous revision the desired one. A rollback to one of the last ${ROLLBACK_WINDOW_REVISIONS} revisions (this undo, or ${code(
          'helm rollback',
        )}) is fast-tracked (${code(
          'rollbackWindow',
        )}): the previous version comes back without the steps and the analysis it has already passed.`,
        '',
        ...block(
          'sh',
          facts.rollouts.flatMap(r => rollbackCommands(plan, r.service)),
        ),
        '',
      );
    }
    const batch = facts.kube.filter(
      s => s.objectKind === 'Job' || s.objectKind === 'CronJob',
    );
    if (batch.length > 0) {
      body.push(
        '### Jobs and CronJobs',
        '',
        ...block(
          'sh',
          batch.flatMap(s =>
            rollbackCommands(plan, s).map(command =>
              s.objectKind === 'Job'
                ? `${command}   # stops this release's Job; the rollback runs the previous release's Job again`
                : command,
            ),
          ),
        ),
        '',
      );
    }
    body.push(
      `A manual rollback is temporary when ${
        plan.gitops !== 'none' ? 'GitOps syncs' : 'the next deployment runs'
      }: also revert the change in Git${
        plan.packaging === 'helm' ? ' (the values file)' : ''
      }.`,
      '',
    );
  }
  if (facts.serverless.length > 0) {
    const t = facts.serverlessTargets;
    const lines: string[] = [];
    if (t.aws) {
      lines.push(
        '# AWS: redeploy the previous revision of the template',
        'git checkout <previous-commit> -- serverless/aws',
        'cd serverless/aws && sam build && sam deploy --config-env <env>',
        '# with versions published behind an alias (AutoPublishAlias), shift the alias back instead:',
        'aws lambda update-alias --function-name <function> --name live --function-version <previous-version>',
      );
    }
    if (t.gcp) {
      lines.push(
        `gcloud run services update-traffic <function> --to-revisions=<previous-revision>=100 --region=${plan.region}`,
      );
    }
    if (t.azure) {
      lines.push(
        'git checkout <previous-commit> -- serverless/azure && serverless/azure/deploy.sh <resource-group>',
      );
    }
    if (t.knative) {
      lines.push(
        'git checkout <previous-commit> -- serverless/knative && kubectl apply -f serverless/knative',
      );
    }
    body.push('### Serverless functions', '', ...block('sh', lines), '');
  }
  return { title: 'Rollback', body };
}

// --------------------------------------------------------------------------

function overview(facts: Facts): string[] {
  const { plan } = facts;
  const rows: string[][] = [
    ['Namespace', code(facts.ns)],
    ['Environments', plan.environments.map(code).join(', ')],
    ['Platform', `${plan.platform} on ${plan.cloud} (${code(plan.region)})`],
    ['Tier', plan.tier],
  ];
  if (facts.kube.length > 0) {
    rows.push(
      [
        'Packaging',
        plan.packaging === 'helm'
          ? `Helm chart ${code(facts.chart)}, release ${code(facts.release)}`
          : 'rendered manifests (`kubernetes/<env>`)',
      ],
      [
        'Clusters',
        plan.clusterProviders.map(p => CLUSTER_LABEL[p] ?? p).join(', '),
      ],
      ['Service mesh', plan.mesh],
      ['GitOps', plan.gitops],
    );
  }
  rows.push([
    'Services',
    plan.services
      .map(
        s =>
          `${code(s.name)} (${
            s.runtime === 'serverless' ? 'function' : s.objectKind
          })`,
      )
      .join(', '),
  ]);
  return table(['', 'This package'], rows);
}

export function renderDeployment(facts: Facts): string {
  const sections = [
    prerequisites(facts),
    images(facts),
    addOnSection(facts),
    deploySection(facts),
    serverlessSection(facts),
    gitopsSection(facts),
    validationSection(facts),
    progressiveSection(facts),
    rollbackSection(facts),
  ].filter((s): s is Section => s !== undefined && s.body.length > 0);
  const lines = [
    `# Deployment guide: ${text(facts.title)}`,
    '',
    `How to deploy the package ${code(
      facts.plan.name,
    )} generated by the Cloud-Native Deployment Orchestrator. Every command uses this package's names; replace only the placeholders in angle brackets (cluster, project, resource group).`,
    '',
    ...overview(facts),
    '',
    '## Contents',
    '',
    ...sections.map((s, i) => `${i + 1}. ${s.title}`),
    '',
  ];
  sections.forEach((section, i) => {
    lines.push(`## ${i + 1}. ${section.title}`, '', ...section.body);
  });
  while (lines[lines.length - 1] === '') lines.pop();
  return `${lines.join('\n')}\n`;
}
