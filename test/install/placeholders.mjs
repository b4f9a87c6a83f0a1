// The one table that maps a guide's placeholders to the test cluster, and the
// commands a guide may contain that cannot run against it (each with its reason).
// docs/testing.md prints both tables; keep them in sync.

/** Placeholder (a regular expression on `<...>`) → its value in the install test. */
export const PLACEHOLDERS = [
  // every cluster context of a guide is one fresh test cluster (see run.mjs)
  [/^<[a-z0-9-]*cluster-context>$/, () => 'cno-test'],
  [/^<[a-z0-9-]*-context>$/, () => 'cno-test'],
  [/^<cluster>$/, () => 'cno-test'],
  // Helm: the revision to roll back to is the one before the upgrade
  [/^<revision>$/, ctx => String(ctx.previousRevision ?? 1)],
  [/^<previous-revision>$/, ctx => String(ctx.previousRevision ?? 1)],
];

/**
 * Commands that need something this machine does not have. Each entry: a test on
 * the command and the reason printed when it is skipped. Anything else a guide
 * says must run as written.
 */
export const NOT_RUNNABLE = [
  [
    /^curl .*https?:\/\/(?!127\.0\.0\.1|localhost)/,
    'a public endpoint: no load balancer, ingress controller or DNS here',
  ],
  [/^(aws|gcloud|az) /, 'a cloud CLI: no cloud account here'],
  [/^flux /, 'the Flux CLI and controllers do not run here'],
  [/^argocd /, 'the Argo CD CLI and controllers do not run here'],
  [/^linkerd /, 'the Linkerd CLI and control plane do not run here'],
  [/^istioctl /, 'istioctl and the Istio control plane do not run here'],
  [
    /^kubectl top /,
    'metrics-server needs kubelets to scrape (nodes are simulated)',
  ],
  [
    /^kubectl (logs|exec|port-forward) /,
    'no kubelet: containers do not run (nodes are simulated by kwok)',
  ],
];

/** The command with its placeholders replaced, or an error naming the unknown one. */
export function substitute(command, ctx) {
  const unknown = [];
  const result = command.replace(/<[a-z][a-z0-9-]*>/g, placeholder => {
    for (const [pattern, value] of PLACEHOLDERS) {
      if (pattern.test(placeholder)) return value(ctx);
    }
    unknown.push(placeholder);
    return placeholder;
  });
  return { command: result, unknown };
}

/** The reason a command cannot run here, or undefined. */
export function notRunnable(command) {
  for (const [pattern, reason] of NOT_RUNNABLE) {
    if (pattern.test(command)) return reason;
  }
  return undefined;
}
