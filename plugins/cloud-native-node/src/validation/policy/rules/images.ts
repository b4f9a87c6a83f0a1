import { PolicyContext, PolicyRule, PolicyViolation } from '../types';
import { asString, ContainerRef, WORKLOAD_KINDS } from '../model';
import { ADVICE } from '../severity';
import { describe, perContainer, violation } from './helpers';

/** Splits `registry:5000/team/app:1.2@sha256:...` into tag and digest. */
export function parseImage(image: string): {
  repository: string;
  tag?: string;
  digest?: string;
} {
  const [withoutDigest, digest] = image.split('@', 2);
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  if (colon > slash) {
    return {
      repository: withoutDigest.slice(0, colon),
      tag: withoutDigest.slice(colon + 1),
      digest,
    };
  }
  return { repository: withoutDigest, digest };
}

/** Runs `check` on every container that names an image, with the image parsed. */
function perImage(
  ctx: PolicyContext,
  check: (
    container: ContainerRef,
    image: string,
    parsed: ReturnType<typeof parseImage>,
  ) => PolicyViolation[],
): PolicyViolation[] {
  return perContainer(ctx, c => {
    const image = asString(c.container.image);
    return image ? check(c, image, parseImage(image)) : [];
  });
}

export const imageRules: PolicyRule[] = [
  {
    id: 'image-tag-not-latest',
    category: 'images',
    description:
      'Images are not tagged latest (what runs changes without a change to the manifest, and rollbacks do nothing).',
    anchors: [
      'kube-linter:latest-tag',
      'polaris:tagNotSpecified',
      'kube-score:container-image-tag',
    ],
    appliesTo: WORKLOAD_KINDS,
    severity: ADVICE,
    check: ctx =>
      perImage(ctx, (c, image, { tag, digest }) => {
        return tag === 'latest' && !digest
          ? [
              violation(
                `${c.path}.image`,
                `${describe(c)} uses ${image}: pin a version tag or a digest`,
              ),
            ]
          : [];
      }),
  },
  {
    id: 'image-tag-required',
    category: 'images',
    description:
      'Images name a tag or a digest (an image without either means latest).',
    anchors: [
      'polaris:tagNotSpecified',
      'kube-score:container-image-tag',
      'kube-linter:latest-tag',
    ],
    appliesTo: WORKLOAD_KINDS,
    severity: ADVICE,
    check: ctx =>
      perContainer(ctx, c => {
        const image = asString(c.container.image);
        if (image === undefined || image === '') {
          return [
            violation(`${c.path}.image`, `${describe(c)} names no image`),
          ];
        }
        const { tag, digest } = parseImage(image);
        return tag || digest
          ? []
          : [
              violation(
                `${c.path}.image`,
                `${describe(
                  c,
                )} uses ${image} without a tag or digest, which means latest`,
              ),
            ];
      }),
  },
  {
    id: 'image-pull-policy',
    category: 'images',
    description:
      'imagePullPolicy fits the reference: IfNotPresent only with an immutable tag or digest (a mutable tag needs Always), never Never.',
    anchors: [
      'polaris:pullPolicyNotAlways',
      'kube-score:container-image-pull-policy',
    ],
    appliesTo: WORKLOAD_KINDS,
    severity: ADVICE,
    check: ctx =>
      perImage(ctx, (c, image, { tag, digest }) => {
        const mutable = !digest && (!tag || tag === 'latest');
        // The API server defaults to Always for :latest and untagged images.
        const policy =
          asString(c.container.imagePullPolicy) ??
          (mutable ? 'Always' : 'IfNotPresent');
        if (policy === 'Never') {
          return [
            violation(
              `${c.path}.imagePullPolicy`,
              `${describe(
                c,
              )} never pulls its image: it only starts on nodes that already have it`,
            ),
          ];
        }
        if (policy === 'IfNotPresent' && mutable) {
          return [
            violation(
              `${c.path}.imagePullPolicy`,
              `${describe(
                c,
              )} pulls the mutable ${image} only if absent: nodes run whichever version they cached; pin a tag or use Always`,
            ),
          ];
        }
        return [];
      }),
  },
];
