import type { IStorageClass } from 'kubernetes-models/storage.k8s.io/v1/StorageClass';
import {
  DeploymentPlan,
  ServicePlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { KubernetesObject } from '../../core/types';
import { asObject } from '../../core/serialize';
import { kubernetesServices } from '../../plan/workload';
import { MANAGED_BY_LABELS } from './context';
import { ManagedProvider } from '../../plan/names';
import { JsonPatchOperation, OverlayPatch, ResourceFile } from './types';

/**
 * Storage classes per provider.
 *
 * Each provider has classes this skill creates (`generated`) and classes the
 * managed service already installs in every cluster (`builtin`, never
 * redefined: StorageClass parameters are immutable and the provider's addon
 * manager owns them). A stateful service's `storage.class`:
 *
 * | spec class | result |
 * |-|-|
 * | one this provider generates | the StorageClass is written |
 * | one of this provider's built-ins | nothing to write (noted) |
 * | another provider's class (multi-cloud specs) | patched to this provider's equivalent (premium → premium, else balanced) |
 * | none | patched to the provider's balanced class (`gp3`, `pd-balanced`, `managed-csi`), never left to the cluster default: EKS clusters since 1.30 have none, and an explicit class keeps disks the same whatever the default is |
 * | anything else | kept: it must exist in the cluster (noted) |
 */

interface StorageCatalog {
  generated: Record<
    string,
    () => IStorageClass & { metadata: { name: string } }
  >;
  builtin: readonly string[];
  balanced: string;
  premium: string;
}

function storageClass(
  name: string,
  provisioner: string,
  parameters: Record<string, string>,
): IStorageClass & { metadata: { name: string } } {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name, labels: { ...MANAGED_BY_LABELS } },
    provisioner,
    parameters,
    reclaimPolicy: 'Delete',
    // Bind where the pod is scheduled: a zonal disk in the pod's zone.
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
  };
}

export const STORAGE_CATALOGS: Record<ManagedProvider, StorageCatalog> = {
  eks: {
    generated: {
      gp3: () =>
        storageClass('gp3', 'ebs.csi.aws.com', {
          type: 'gp3',
          encrypted: 'true',
          'csi.storage.k8s.io/fstype': 'ext4',
        }),
    },
    // gp2 (in-tree) exists on clusters created before Kubernetes 1.30.
    builtin: ['gp2'],
    balanced: 'gp3',
    premium: 'gp3',
  },
  gke: {
    generated: {
      'pd-balanced': () =>
        storageClass('pd-balanced', 'pd.csi.storage.gke.io', {
          type: 'pd-balanced',
          'csi.storage.k8s.io/fstype': 'ext4',
        }),
    },
    builtin: ['standard-rwo', 'premium-rwo', 'standard'],
    balanced: 'pd-balanced',
    premium: 'premium-rwo',
  },
  aks: {
    // AKS installs the Azure Disk CSI classes: managed-csi (StandardSSD_LRS)
    // and managed-csi-premium (Premium_LRS), both WaitForFirstConsumer with
    // volume expansion; `default` is managed-csi.
    generated: {},
    builtin: [
      'default',
      'managed',
      'managed-premium',
      'managed-csi',
      'managed-csi-premium',
      'azurefile',
      'azurefile-premium',
      'azurefile-csi',
      'azurefile-csi-premium',
    ],
    balanced: 'managed-csi',
    premium: 'managed-csi-premium',
  },
};

const PREMIUM_CLASSES = new Set([
  'premium-rwo',
  'managed-premium',
  'managed-csi-premium',
  'azurefile-premium',
  'azurefile-csi-premium',
  'io1',
  'io2',
  'pd-ssd',
]);

/** Every class name known to any provider's catalog. */
const KNOWN_CLASSES = new Set(
  Object.values(STORAGE_CATALOGS).flatMap(c => [
    ...Object.keys(c.generated),
    ...c.builtin,
    c.balanced,
    c.premium,
  ]),
);

/** The storage decision for one StatefulSet on one provider. */
export interface StorageDecision {
  service: string;
  requested?: string;
  /** The class the PVCs use after the overlay */
  effective: string;
  /** The overlay sets storageClassName */
  patch: boolean;
  /** The class is written by this skill */
  generated: boolean;
  builtin: boolean;
  note: string;
}

export function statefulServices(plan: DeploymentPlan): ServicePlan[] {
  return kubernetesServices(plan).filter(s => s.objectKind === 'StatefulSet');
}

export function decideStorage(
  provider: ManagedProvider,
  servicePlan: ServicePlan,
): StorageDecision {
  const catalog = STORAGE_CATALOGS[provider];
  const requested = servicePlan.service.storage?.class;
  const service = servicePlan.name;
  const base = { service, requested };
  if (requested === undefined) {
    // Explicit on every provider: the same package gives the same disks
    // whatever the cluster's default class is (EKS 1.30+ has none).
    return {
      ...base,
      effective: catalog.balanced,
      patch: true,
      generated: catalog.balanced in catalog.generated,
      builtin: catalog.builtin.includes(catalog.balanced),
      note: `${service}: no storage class in the spec; the ${provider} overlay sets '${catalog.balanced}'`,
    };
  }
  if (requested in catalog.generated) {
    return {
      ...base,
      effective: requested,
      patch: false,
      generated: true,
      builtin: false,
      note: `${service}: StorageClass '${requested}' written`,
    };
  }
  if (catalog.builtin.includes(requested)) {
    return {
      ...base,
      effective: requested,
      patch: false,
      generated: false,
      builtin: true,
      note: `${service}: '${requested}' is a ${provider} built-in StorageClass (not redefined)`,
    };
  }
  if (KNOWN_CLASSES.has(requested)) {
    const mapped = PREMIUM_CLASSES.has(requested)
      ? catalog.premium
      : catalog.balanced;
    return {
      ...base,
      effective: mapped,
      patch: true,
      generated: mapped in catalog.generated,
      builtin: catalog.builtin.includes(mapped),
      note: `${service}: '${requested}' is not a ${provider} class; the ${provider} overlay uses '${mapped}'`,
    };
  }
  return {
    ...base,
    effective: requested,
    patch: false,
    generated: false,
    builtin: false,
    note: `${service}: StorageClass '${requested}' is not known to this skill; it must exist in the ${provider} cluster`,
  };
}

/** The StorageClasses one provider writes for the plan (deduplicated). */
function storageClasses(
  provider: ManagedProvider,
  decisions: StorageDecision[],
): KubernetesObject[] {
  const catalog = STORAGE_CATALOGS[provider];
  const names = [
    ...new Set(decisions.filter(d => d.generated).map(d => d.effective)),
  ].sort();
  return names.map(name => asObject(catalog.generated[name]()));
}

/**
 * JSON 6902 operations setting the class of the StatefulSet's single
 * volumeClaimTemplate (`data`, written by the kubernetes skill); the `test`
 * makes the build fail loudly if that template ever moves.
 */
function storageClassOperations(
  decision: StorageDecision,
): JsonPatchOperation[] {
  if (!decision.patch) return [];
  return [
    {
      op: 'test',
      path: '/spec/volumeClaimTemplates/0/metadata/name',
      value: 'data',
    },
    {
      op: 'add',
      path: '/spec/volumeClaimTemplates/0/spec/storageClassName',
      value: decision.effective,
    },
  ];
}

/** Classes a PVC may name on this provider without this skill writing it. */
export function builtinStorageClasses(provider: ManagedProvider): string[] {
  return [...STORAGE_CATALOGS[provider].builtin];
}

/** What a provider adds to the patch of every StatefulSet (EKS: on-demand nodes). */
export interface StatefulSetExtra {
  operations: JsonPatchOperation[];
  reason: string;
}

/**
 * The storage of one provider's overlay: the StorageClasses it writes
 * (`storage.yaml`) and a patch per StatefulSet whose class it sets (or
 * that `extra` changes). The decisions' notes go to `notes`.
 */
export function storageOutput(
  plan: DeploymentPlan,
  provider: ManagedProvider,
  notes: Set<string>,
  extra?: StatefulSetExtra,
): { resources: ResourceFile[]; patches: OverlayPatch[] } {
  const resources: ResourceFile[] = [];
  const patches: OverlayPatch[] = [];
  const decisions = statefulServices(plan).map(s => decideStorage(provider, s));
  decisions.forEach(d => notes.add(d.note));
  const classes = storageClasses(provider, decisions);
  if (classes.length > 0) {
    resources.push({
      file: 'storage.yaml',
      objects: classes,
      validation: 'schema',
    });
  }
  for (const decision of decisions) {
    const operations = [
      ...storageClassOperations(decision),
      ...(extra?.operations ?? []),
    ];
    if (operations.length === 0) continue;
    patches.push({
      file: `patches/${decision.service}-statefulset.yaml`,
      content: operations,
      target: {
        group: 'apps',
        version: 'v1',
        kind: 'StatefulSet',
        name: decision.service,
        namespace: plan.namespace,
      },
      reason: [
        decision.patch ? `storage class ${decision.effective}` : undefined,
        extra?.reason,
      ]
        .filter(Boolean)
        .join('; '),
    });
  }
  return { resources, patches };
}
