import { explainSecretLiteral } from '@internal/backstage-plugin-cloud-native-common';
import { PolicyContext, PolicyRule, PolicyViolation } from '../types';
import {
  asArray,
  asObj,
  asString,
  ContainerRef,
  at,
  isObj,
  nameOf,
  sameNamespace,
  WORKLOAD_KINDS,
} from '../model';
import { ADVICE, HARDENING, LEAK } from '../severity';
import { describe, forWorkload, perContainer, violation } from './helpers';

/** Does the name alone announce a secret (`DB_PASSWORD`, `API_KEY`...)? */
function namesSecret(name: string): boolean {
  return explainSecretLiteral(name, 'literal') !== undefined;
}

/** Names of the Secrets the package creates (directly or through operators). */
function providedSecrets(ctx: PolicyContext): Set<string> {
  const names = new Set<string>();
  for (const { object } of ctx.index.ofKind(
    'Secret',
    'ExternalSecret',
    'SealedSecret',
    'SecretProviderClass',
    'Certificate',
  )) {
    if (!sameNamespace(object, ctx.object)) continue;
    switch (object.kind) {
      case 'ExternalSecret':
        names.add(asString(at(object, 'spec.target.name')) ?? nameOf(object));
        break;
      case 'SealedSecret':
        names.add(
          asString(at(object, 'spec.template.metadata.name')) ?? nameOf(object),
        );
        break;
      case 'SecretProviderClass':
        for (const entry of asArray(at(object, 'spec.secretObjects'))) {
          const name = asString(asObj(entry).secretName);
          if (name) names.add(name);
        }
        break;
      case 'Certificate':
        names.add(asString(at(object, 'spec.secretName')) ?? nameOf(object));
        break;
      default:
        names.add(nameOf(object));
    }
  }
  return names;
}

/** Runs `check` on every environment variable of every container. */
function perEnvVar(
  ctx: PolicyContext,
  check: (
    container: ContainerRef,
    env: Record<string, unknown>,
    name: string,
    index: number,
  ) => PolicyViolation[],
): PolicyViolation[] {
  return perContainer(ctx, c =>
    asArray(c.container.env).flatMap((entry, i) => {
      const env = asObj(entry);
      return check(c, env, asString(env.name) ?? '', i);
    }),
  );
}

export const secretRules: PolicyRule[] = [
  {
    id: 'env-literal-secret',
    category: 'secrets',
    description:
      'No environment variable holds a literal credential (a secret-named variable with a value, or a value shaped like a key or token); read it with secretKeyRef or envFrom.secretRef.',
    anchors: ['kube-linter:env-var-secret', 'polaris:sensitiveContainerEnvVar'],
    appliesTo: WORKLOAD_KINDS,
    severity: LEAK,
    check: ctx =>
      perEnvVar(ctx, (c, env, name, i) => {
        const value = env.value;
        if (typeof value !== 'string') return [];
        const why = explainSecretLiteral(name, value);
        return why
          ? [
              violation(
                `${c.path}.env[${i}].value`,
                `${describe(
                  c,
                )}: ${why}; store it in the secret manager and read it with valueFrom.secretKeyRef or envFrom.secretRef`,
              ),
            ]
          : [];
      }),
  },
  {
    id: 'env-secret-from-configmap',
    category: 'secrets',
    description:
      'Environment variables named like credentials come from Secrets, not ConfigMaps (configMapKeyRef).',
    anchors: [
      'kube-linter:configmap-with-credentials',
      'kube-linter:env-var-secret',
    ],
    appliesTo: WORKLOAD_KINDS,
    severity: HARDENING,
    check: ctx =>
      perEnvVar(ctx, (c, env, name, i) => {
        if (
          !isObj(asObj(env.valueFrom).configMapKeyRef) ||
          !namesSecret(name)
        ) {
          return [];
        }
        return [
          violation(
            `${c.path}.env[${i}].valueFrom.configMapKeyRef`,
            `${describe(
              c,
            )}: ${name} names a secret but is read from a ConfigMap (readable by anyone who can read config); use secretKeyRef`,
          ),
        ];
      }),
  },
  {
    id: 'configmap-credentials',
    category: 'secrets',
    description:
      'ConfigMaps hold no credential (a secret-named key with a value, or a value shaped like a key or token).',
    anchors: ['kube-linter:configmap-with-credentials'],
    appliesTo: ['ConfigMap'],
    severity: LEAK,
    check: ctx =>
      Object.entries(asObj(at(ctx.object, 'data'))).flatMap(([key, value]) => {
        if (typeof value !== 'string') return [];
        const why = explainSecretLiteral(key, value);
        return why
          ? [
              violation(
                `data.${key}`,
                `${why}: move it to the secret manager (ExternalSecret) and read it with secretKeyRef`,
              ),
            ]
          : [];
      }),
  },
  {
    id: 'no-secret-literals',
    category: 'secrets',
    description:
      'The package contains no Secret with data: secret values come from the secret manager (ExternalSecret, SealedSecret, CSI driver), never from Git.',
    anchors: [
      'owasp-kubernetes-top-ten:K08-secrets-management',
      'kube-linter:env-var-secret',
    ],
    appliesTo: ['Secret'],
    severity: LEAK,
    check: ctx => {
      const out: PolicyViolation[] = [];
      for (const field of ['data', 'stringData']) {
        const keys = Object.keys(asObj(at(ctx.object, field)));
        if (keys.length > 0) {
          out.push(
            violation(
              field,
              `the Secret carries ${keys.length} value(s) (${keys.join(
                ', ',
              )}) in the package${
                field === 'data' ? ' (base64 is not encryption)' : ''
              }: use an ExternalSecret or SealedSecret`,
            ),
          );
        }
      }
      return out;
    },
  },
  {
    id: 'secret-reference-resolves',
    category: 'secrets',
    description:
      'Secrets that Pods read (secretKeyRef, envFrom.secretRef, secret volumes) are created by the package (Secret, ExternalSecret, SealedSecret, CSI SecretProviderClass, cert-manager Certificate), unless optional.',
    anchors: ['k8s-docs:secret-using-as-environment-variables'],
    appliesTo: WORKLOAD_KINDS,
    severity: ADVICE,
    check: forWorkload((w, ctx) => {
      const provided = providedSecrets(ctx);
      const out: PolicyViolation[] = [];
      const want = (name: unknown, optional: unknown, path: string) => {
        if (typeof name !== 'string' || optional === true) return;
        if (!provided.has(name)) {
          out.push(
            violation(
              path,
              `the Secret "${name}" is not created by the package (no Secret or ExternalSecret of that name): the Pod does not start until someone creates it`,
            ),
          );
        }
      };
      for (const c of w.containers) {
        asArray(c.container.env).forEach((entry, i) => {
          const ref = asObj(asObj(asObj(entry).valueFrom).secretKeyRef);
          want(
            ref.name,
            ref.optional,
            `${c.path}.env[${i}].valueFrom.secretKeyRef`,
          );
        });
        asArray(c.container.envFrom).forEach((entry, i) => {
          const ref = asObj(asObj(entry).secretRef);
          want(ref.name, ref.optional, `${c.path}.envFrom[${i}].secretRef`);
        });
      }
      asArray(w.pod.volumes).forEach((entry, i) => {
        const secret = asObj(asObj(entry).secret);
        want(
          secret.secretName,
          secret.optional,
          `${w.podPath}.volumes[${i}].secret`,
        );
      });
      return out;
    }),
  },
];
