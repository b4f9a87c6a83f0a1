/**
 * A dated pricing snapshot: every figure the cost estimate uses, with the
 * public pricing page it comes from. List prices, on demand, USD, Linux, no
 * free tier, credit, discount or tax applied (free tiers are noted where
 * they exist, never subtracted).
 *
 * Prices change: refresh the snapshot (figures and `asOf`) together, and
 * rerun the hand-computed tests in `estimate.test.ts`, which restate the
 * figures they rely on.
 */

import { ClusterProvider } from '@internal/backstage-plugin-cloud-native-common';

/** One figure and where it comes from. */
export interface PricePoint {
  /** USD per `unit` */
  price: number;
  unit: string;
  /** URL of the public pricing page */
  source: string;
  note?: string;
}

/** A node shape: the representative instance every Kubernetes workload is packed on. */
export interface NodeShape {
  instanceType: string;
  vcpu: number;
  memoryGiB: number;
  architecture: 'x86_64' | 'arm64';
  hourly: PricePoint;
}

/**
 * A size of the representative node's instance family: `factor` times its
 * vCPU, memory and hourly price (list prices scale linearly with size within
 * these families: m6i, m7g, m6g, e2-standard, Dsv5, Dpsv5).
 */
export interface NodeSize {
  factor: number;
  node: NodeShape;
  /** Arm64 nodes of the same size, when the family has them */
  armNodes?: [NodeShape, NodeShape];
}

/** Everything priced for one kind of cluster. */
export interface ProviderPricing {
  provider: ClusterProvider;
  /** Display name: EKS, GKE, AKS, generic Kubernetes */
  label: string;
  /** The region the figures are for */
  pricedRegion: string;
  controlPlane: PricePoint;
  /** AKS only: the Free tier (no uptime SLA), used at T1 */
  controlPlaneFreeTier?: PricePoint;
  node: NodeShape;
  /** Arm64 nodes of the same size: [cheaper bound, dearer bound], when cheaper than `node` */
  armNodes?: [NodeShape, NodeShape];
  /**
   * The sizes of the family, smallest first (the first is `node`): a cluster
   * whose DaemonSets or largest pod do not fit `node` is priced on the
   * smallest size that fits (see `estimate.ts`).
   */
  nodeSizes: NodeSize[];
  disk: {
    name: string;
    perGiBMonth: PricePoint;
    /** Managed disks billed by tier: sizes a volume is rounded up to */
    tierSizesGiB?: number[];
  };
  loadBalancer: {
    name: string;
    hourly: PricePoint;
    /** AWS ALB: per Load Balancer Capacity Unit hour */
    perLcuHour?: PricePoint;
    /** Azure Standard LB: per GB processed */
    perGBProcessed?: PricePoint;
  };
  nat: {
    name: string;
    /** Per gateway-hour (AWS, Azure) */
    hourly?: PricePoint;
    /** Cloud NAT: per VM-hour for the VMs using the gateway, capped */
    perNodeHour?: PricePoint & { capHourly: number };
    perGBProcessed: PricePoint;
  };
  /** Internet egress, first paid tier */
  egressPerGB: PricePoint;
}

const AWS_EC2 = 'https://aws.amazon.com/ec2/pricing/on-demand/';
const GCE_VM = 'https://cloud.google.com/compute/vm-instance-pricing';
const AZURE_VM =
  'https://azure.microsoft.com/en-us/pricing/details/virtual-machines/linux/';

/** `base` scaled `factor` times: vCPU, memory and the hourly list price. */
export function scaleNode(
  base: NodeShape,
  factor: number,
  instanceType: string,
): NodeShape {
  if (factor === 1 && instanceType === base.instanceType) return base;
  const vcpu = base.vcpu * factor;
  const memoryGiB = base.memoryGiB * factor;
  return {
    instanceType,
    vcpu,
    memoryGiB,
    architecture: base.architecture,
    hourly: {
      ...base.hourly,
      price: Number((base.hourly.price * factor).toPrecision(12)),
      note: `${instanceType}, ${vcpu} vCPU, ${memoryGiB} GiB: ${factor} × the ${base.instanceType} list price (prices scale linearly with size within the family)`,
    },
  };
}

/**
 * The representative node every cloud's workloads are packed on: 2 vCPU and
 * 8 GiB on each of them, billed per node-hour.
 */
function representativeNode(
  instanceType: string,
  architecture: NodeShape['architecture'],
  hourly: Omit<PricePoint, 'unit'>,
): NodeShape {
  return {
    instanceType,
    vcpu: 2,
    memoryGiB: 8,
    architecture,
    hourly: {
      price: hourly.price,
      unit: 'node-hour',
      source: hourly.source,
      note: hourly.note,
    },
  };
}

/**
 * The sizes of a family: [factor, x86 instance type, arm64 instance types?].
 * The arm64 types are [cheaper bound, dearer bound], or one type when the
 * family has a single arm64 size (both bounds are then that type).
 */
function family(
  base: NodeShape,
  arm: [NodeShape, NodeShape] | undefined,
  sizes: Array<[number, string, (string | [string, string])?]>,
): NodeSize[] {
  return sizes.map(([factor, instanceType, armTypes]) => {
    const [cheaper, dearer] =
      typeof armTypes === 'string' ? [armTypes, armTypes] : armTypes ?? [];
    return {
      factor,
      node: scaleNode(base, factor, instanceType),
      ...(arm && cheaper && dearer
        ? {
            armNodes: [
              scaleNode(arm[0], factor, cheaper),
              scaleNode(arm[1], factor, dearer),
            ] as [NodeShape, NodeShape],
          }
        : {}),
    };
  });
}

const AWS_BASE: Omit<ProviderPricing, 'nodeSizes'> = {
  provider: 'eks',
  label: 'EKS',
  pricedRegion: 'us-east-1',
  controlPlane: {
    price: 0.1,
    unit: 'cluster-hour',
    source: 'https://aws.amazon.com/eks/pricing/',
    note: 'Kubernetes versions in standard support; extended support is $0.60 per cluster-hour',
  },
  node: representativeNode('m6i.large', 'x86_64', {
    price: 0.096,
    source: AWS_EC2,
    note: 'm6i.large, 2 vCPU, 8 GiB, Linux on demand, us-east-1',
  }),
  armNodes: [
    representativeNode('m7g.large', 'arm64', {
      price: 0.0816,
      source: AWS_EC2,
      note: 'm7g.large (Graviton3), 2 vCPU, 8 GiB, us-east-1',
    }),
    representativeNode('m6g.large', 'arm64', {
      price: 0.077,
      source: AWS_EC2,
      note: 'm6g.large (Graviton2), 2 vCPU, 8 GiB, us-east-1',
    }),
  ],
  disk: {
    name: 'EBS gp3',
    perGiBMonth: {
      price: 0.08,
      unit: 'GB-month',
      source: 'https://aws.amazon.com/ebs/pricing/',
      note: 'gp3 storage, us-east-1; baseline 3,000 IOPS and 125 MB/s included',
    },
  },
  loadBalancer: {
    name: 'ALB',
    hourly: {
      price: 0.0225,
      unit: 'ALB-hour',
      source: 'https://aws.amazon.com/elasticloadbalancing/pricing/',
      note: 'Application Load Balancer, us-east-1',
    },
    perLcuHour: {
      price: 0.008,
      unit: 'LCU-hour',
      source: 'https://aws.amazon.com/elasticloadbalancing/pricing/',
      note: 'one LCU = 25 new connections/s, 3,000 active connections/min, 1 GB/h processed (EC2 targets) or 1,000 rule evaluations/s; the largest dimension is billed',
    },
  },
  nat: {
    name: 'NAT gateway',
    hourly: {
      price: 0.045,
      unit: 'NAT-hour',
      source: 'https://aws.amazon.com/vpc/pricing/',
      note: 'NAT gateway, us-east-1',
    },
    perGBProcessed: {
      price: 0.045,
      unit: 'GB',
      source: 'https://aws.amazon.com/vpc/pricing/',
      note: 'NAT gateway data processing, us-east-1',
    },
  },
  egressPerGB: {
    price: 0.09,
    unit: 'GB',
    source: AWS_EC2,
    note: 'Data Transfer OUT to the internet, first paid tier (up to 10 TB/month); the 100 GB/month free allowance is not applied',
  },
};

const AWS: ProviderPricing = {
  ...AWS_BASE,
  // m6i: large to 32xlarge; arm64 m7g / m6g up to 16xlarge
  nodeSizes: family(AWS_BASE.node, AWS_BASE.armNodes, [
    [1, 'm6i.large', ['m7g.large', 'm6g.large']],
    [2, 'm6i.xlarge', ['m7g.xlarge', 'm6g.xlarge']],
    [4, 'm6i.2xlarge', ['m7g.2xlarge', 'm6g.2xlarge']],
    [8, 'm6i.4xlarge', ['m7g.4xlarge', 'm6g.4xlarge']],
    [16, 'm6i.8xlarge', ['m7g.8xlarge', 'm6g.8xlarge']],
    [24, 'm6i.12xlarge', ['m7g.12xlarge', 'm6g.12xlarge']],
    [32, 'm6i.16xlarge', ['m7g.16xlarge', 'm6g.16xlarge']],
    [48, 'm6i.24xlarge'],
    [64, 'm6i.32xlarge'],
  ]),
};

const GCP_BASE: Omit<ProviderPricing, 'nodeSizes'> = {
  provider: 'gke',
  label: 'GKE',
  pricedRegion: 'us-central1',
  controlPlane: {
    price: 0.1,
    unit: 'cluster-hour',
    source: 'https://cloud.google.com/kubernetes-engine/pricing',
    note: 'cluster management fee (Standard and Autopilot); the free tier credit ($74.40/month per billing account, one zonal or Autopilot cluster) is not applied',
  },
  node: representativeNode('e2-standard-2', 'x86_64', {
    price: 0.067,
    source: GCE_VM,
    note: 'e2-standard-2, 2 vCPU, 8 GiB, on demand, us-central1 ($0.067006)',
  }),
  // Arm64 (t2a-standard-2, c4a-standard-2) costs more per hour than
  // e2-standard-2, so no Graviton-style saving is offered on GKE.
  disk: {
    name: 'pd-balanced',
    perGiBMonth: {
      price: 0.1,
      unit: 'GB-month',
      source: 'https://cloud.google.com/compute/disks-image-pricing',
      note: 'balanced persistent disk, us-central1',
    },
  },
  loadBalancer: {
    name: 'Cloud Load Balancing forwarding rule',
    hourly: {
      price: 0.025,
      unit: 'rule-hour',
      source: 'https://cloud.google.com/vpc/network-pricing#lb',
      note: 'first 5 forwarding rules per project and region; inbound data processed ($0.008/GB) is not priced: the usage model has no inbound volume',
    },
  },
  nat: {
    name: 'Cloud NAT',
    perNodeHour: {
      price: 0.0014,
      unit: 'VM-hour',
      capHourly: 0.044,
      source: 'https://cloud.google.com/nat/pricing',
      note: '$0.0014 per VM using the gateway per hour, capped at $0.044/h (32 VMs); NAT IP addresses ($0.005/h each) not priced',
    },
    perGBProcessed: {
      price: 0.045,
      unit: 'GB',
      source: 'https://cloud.google.com/nat/pricing',
      note: 'data processed, inbound and outbound, all regions',
    },
  },
  egressPerGB: {
    price: 0.12,
    unit: 'GB',
    source: 'https://cloud.google.com/vpc/network-pricing#internet_egress',
    note: 'Premium Tier internet egress, 0-1 TiB/month, worldwide destinations (excluding China and Australia), ~$0.12/GiB',
  },
};

const GCP: ProviderPricing = {
  ...GCP_BASE,
  nodeSizes: family(GCP_BASE.node, undefined, [
    [1, 'e2-standard-2'],
    [2, 'e2-standard-4'],
    [4, 'e2-standard-8'],
    [8, 'e2-standard-16'],
    [16, 'e2-standard-32'],
  ]),
};

const AZURE_DISK_TIERS = [
  4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767,
];

/** Premium SSD P10: $19.71 per month for a 128 GiB disk. */
export const AZURE_P10 = { sizeGiB: 128, monthly: 19.71 };

/** Azure's only arm64 shape of the representative size. */
const AZURE_ARM_NODE = representativeNode('Standard_D2ps_v5', 'arm64', {
  price: 0.077,
  source: AZURE_VM,
  note: 'D2ps v5 (Ampere Altra), 2 vCPU, 8 GiB, Linux pay as you go, East US',
});

const AZURE_BASE: Omit<ProviderPricing, 'nodeSizes'> = {
  provider: 'aks',
  label: 'AKS',
  pricedRegion: 'eastus',
  controlPlane: {
    price: 0.1,
    unit: 'cluster-hour',
    source:
      'https://azure.microsoft.com/en-us/pricing/details/kubernetes-service/',
    note: 'Standard tier (uptime SLA), used from T2',
  },
  controlPlaneFreeTier: {
    price: 0,
    unit: 'cluster-hour',
    source:
      'https://azure.microsoft.com/en-us/pricing/details/kubernetes-service/',
    note: 'Free tier (no uptime SLA), used at T1',
  },
  node: representativeNode('Standard_D2s_v5', 'x86_64', {
    price: 0.096,
    source: AZURE_VM,
    note: 'D2s v5, 2 vCPU, 8 GiB, Linux pay as you go, East US',
  }),
  // Dpsv5 has one arm64 size per Dsv5 size: both bounds are the same node
  armNodes: [AZURE_ARM_NODE, AZURE_ARM_NODE],
  disk: {
    name: 'Premium SSD',
    perGiBMonth: {
      price: AZURE_P10.monthly / AZURE_P10.sizeGiB,
      unit: 'GiB-month',
      source:
        'https://azure.microsoft.com/en-us/pricing/details/managed-disks/',
      note: 'derived from P10 ($19.71/month for 128 GiB) = $0.15398/GiB-month; managed disks are billed by tier size, so a volume is rounded up to the next tier (4, 8, 16, 32, 64, 128, 256, ... GiB); smaller tiers cost slightly more per GiB than this derived rate',
    },
    tierSizesGiB: AZURE_DISK_TIERS,
  },
  loadBalancer: {
    name: 'Standard Load Balancer',
    hourly: {
      price: 0.025,
      unit: 'LB-hour',
      source:
        'https://azure.microsoft.com/en-us/pricing/details/load-balancer/',
      note: 'Standard Load Balancer, first 5 rules ($0.01 per additional rule-hour)',
    },
    perGBProcessed: {
      price: 0.005,
      unit: 'GB',
      source:
        'https://azure.microsoft.com/en-us/pricing/details/load-balancer/',
      note: 'data processed (inbound and outbound)',
    },
  },
  nat: {
    name: 'NAT Gateway',
    hourly: {
      price: 0.045,
      unit: 'NAT-hour',
      source:
        'https://azure.microsoft.com/en-us/pricing/details/azure-nat-gateway/',
      note: 'Standard NAT Gateway resource hour; its public IP is billed separately and not priced',
    },
    perGBProcessed: {
      price: 0.045,
      unit: 'GB',
      source:
        'https://azure.microsoft.com/en-us/pricing/details/azure-nat-gateway/',
    },
  },
  egressPerGB: {
    price: 0.087,
    unit: 'GB',
    source: 'https://azure.microsoft.com/en-us/pricing/details/bandwidth/',
    note: 'internet egress (Microsoft premium global network) from North America, 100 GB-10 TB/month tier; the first 100 GB free is not applied',
  },
};

const AZURE: ProviderPricing = {
  ...AZURE_BASE,
  // Dsv5: D2s to D96s; arm64 Dpsv5 up to D64ps
  nodeSizes: family(AZURE_BASE.node, AZURE_BASE.armNodes, [
    [1, 'Standard_D2s_v5', 'Standard_D2ps_v5'],
    [2, 'Standard_D4s_v5', 'Standard_D4ps_v5'],
    [4, 'Standard_D8s_v5', 'Standard_D8ps_v5'],
    [8, 'Standard_D16s_v5', 'Standard_D16ps_v5'],
    [16, 'Standard_D32s_v5', 'Standard_D32ps_v5'],
    [24, 'Standard_D48s_v5', 'Standard_D48ps_v5'],
    [32, 'Standard_D64s_v5', 'Standard_D64ps_v5'],
    [48, 'Standard_D96s_v5'],
  ]),
};

/** A generic 2 vCPU / 8 GiB node, priced at the AWS figure. */
const GENERIC_NODE: NodeShape = {
  ...AWS.node,
  instanceType: 'generic 2 vCPU/8 GiB',
  hourly: {
    ...AWS.node.hourly,
    note: 'a generic 2 vCPU / 8 GiB node priced at the AWS m6i.large figure (us-east-1)',
  },
};

/** Any conformant cluster: priced at the AWS figures, as a stand-in. */
const GENERIC: ProviderPricing = {
  ...AWS,
  provider: 'generic',
  label: 'generic Kubernetes',
  controlPlane: {
    ...AWS.controlPlane,
    note: 'a managed control plane at the common $0.10 per cluster-hour (EKS, GKE, AKS Standard); self-managed control planes cost node time instead',
  },
  node: GENERIC_NODE,
  armNodes: undefined,
  loadBalancer: {
    ...AWS.loadBalancer,
    name: 'load balancer (ALB figures)',
  },
  // The m6i sizes, priced the same way
  nodeSizes: family(
    GENERIC_NODE,
    undefined,
    AWS.nodeSizes.map(({ factor, node }): [number, string] => [
      factor,
      `generic ${node.vcpu} vCPU/${node.memoryGiB} GiB`,
    ]),
  ),
};

export const PROVIDER_PRICING: Record<ClusterProvider, ProviderPricing> = {
  eks: AWS,
  gke: GCP,
  aks: AZURE,
  generic: GENERIC,
};

/** Serverless platforms. */
export const SERVERLESS_PRICING = {
  lambda: {
    pricedRegion: 'us-east-1',
    requests: {
      price: 0.2,
      unit: 'million requests',
      source: 'https://aws.amazon.com/lambda/pricing/',
    } as PricePoint,
    gbSecondX86: {
      price: 0.0000166667,
      unit: 'GB-second',
      source: 'https://aws.amazon.com/lambda/pricing/',
      note: 'x86_64, first 6 billion GB-s/month, billed per 1 ms',
    } as PricePoint,
    gbSecondArm64: {
      price: 0.0000133334,
      unit: 'GB-second',
      source: 'https://aws.amazon.com/lambda/pricing/',
      note: 'arm64 (Graviton2), first 7.5 billion GB-s/month, billed per 1 ms',
    } as PricePoint,
    freeTier:
      'Lambda free tier: 1 million requests and 400,000 GB-s per month, noted but not applied',
  },
  apiGatewayHttp: {
    price: 1.0,
    unit: 'million requests',
    source: 'https://aws.amazon.com/api-gateway/pricing/',
    note: 'HTTP API, first 300 million requests/month, us-east-1 (the SAM template fronts HTTP functions with an HttpApi)',
  } as PricePoint,
  azureFunctionsFlex: {
    pricedRegion: 'eastus',
    gbSecond: {
      price: 0.000026,
      unit: 'GB-second',
      source: 'https://azure.microsoft.com/en-us/pricing/details/functions/',
      note: 'Flex Consumption, on demand execution time, billed on the instance memory size (512, 2048 or 4096 MB); minimum billable activity period 1,000 ms, then rounded up to 100 ms',
    } as PricePoint,
    executions: {
      price: 0.4,
      unit: 'million executions',
      source: 'https://azure.microsoft.com/en-us/pricing/details/functions/',
      note: 'Flex Consumption, on demand executions',
    } as PricePoint,
    freeTier:
      'Flex Consumption on demand free grant (100,000 GB-s and 250,000 executions per month per subscription), noted but not applied',
  },
  /** The legacy Consumption plan: reference only (the package deploys Flex Consumption). */
  azureFunctionsConsumption: {
    gbSecond: {
      price: 0.000016,
      unit: 'GB-second',
      source: 'https://azure.microsoft.com/en-us/pricing/details/functions/',
      note: 'Consumption plan; memory rounded up to 128 MB, minimum 100 ms; free grant 400,000 GB-s/month not applied',
    } as PricePoint,
    executions: {
      price: 0.2,
      unit: 'million executions',
      source: 'https://azure.microsoft.com/en-us/pricing/details/functions/',
      note: 'Consumption plan; free grant 1 million executions/month not applied',
    } as PricePoint,
  },
  cloudRun: {
    pricedRegion: 'us-central1 (Tier 1)',
    vcpuSecond: {
      price: 0.000024,
      unit: 'vCPU-second',
      source: 'https://cloud.google.com/run/pricing',
      note: 'Tier 1 regions, request-based billing (CPU allocated only during requests), rounded up to 100 ms',
    } as PricePoint,
    gibSecond: {
      price: 0.0000025,
      unit: 'GiB-second',
      source: 'https://cloud.google.com/run/pricing',
      note: 'Tier 1 regions, request-based billing',
    } as PricePoint,
    requests: {
      price: 0.4,
      unit: 'million requests',
      source: 'https://cloud.google.com/run/pricing',
      note: 'request-based billing',
    } as PricePoint,
    freeTier:
      'Cloud Run free tier (180,000 vCPU-s, 360,000 GiB-s, 2 million requests per month) noted but not applied',
  },
  /** Cloud Functions (2nd gen): billed at Cloud Run rates, with the CPU the memory setting gives. */
  cloudFunctionsGen2: {
    vcpuSecond: {
      price: 0.000024,
      unit: 'vCPU-second',
      source: 'https://cloud.google.com/functions/pricing',
      note: 'Cloud Functions (2nd gen) are billed at Cloud Run rates: Tier 1 regions, CPU allocated during invocations, rounded up to 100 ms',
    } as PricePoint,
    gibSecond: {
      price: 0.0000025,
      unit: 'GiB-second',
      source: 'https://cloud.google.com/functions/pricing',
      note: 'Cloud Run rates, Tier 1 regions',
    } as PricePoint,
    invocations: {
      price: 0.4,
      unit: 'million invocations',
      source: 'https://cloud.google.com/functions/pricing',
      note: 'Cloud Run request rate; free tier not applied',
    } as PricePoint,
    /**
     * The vCPU a function gets for its memory when no CPU is set, as
     * [memory MB up to, vCPU] (https://cloud.google.com/functions/docs/configuring/memory).
     */
    cpuByMemoryMB: [
      [128, 0.083],
      [256, 0.167],
      [512, 0.333],
      [1024, 0.583],
      [2048, 1],
      [8192, 2],
      [16384, 4],
      [32768, 8],
    ] as ReadonlyArray<readonly [number, number]>,
  },
} as const;

/** Sidecar proxy requests added to every pod of a meshed namespace. */
export const MESH_SIDECAR: Record<
  'istio' | 'linkerd',
  { cpuMillicores: number; memoryMiB: number; source: string; note: string }
> = {
  istio: {
    cpuMillicores: 100,
    memoryMiB: 128,
    source:
      'https://github.com/istio/istio/blob/master/manifests/charts/istio-control/istio-discovery/values.yaml',
    note: 'Istio default proxy requests (global.proxy.resources.requests: cpu 100m, memory 128Mi)',
  },
  linkerd: {
    cpuMillicores: 10,
    memoryMiB: 32,
    source: 'https://linkerd.io/2-edge/reference/proxy-configuration/',
    note: 'Linkerd sets no proxy requests by default; 10m / 32Mi is a planning figure in line with the Rust proxy footprint reported in Linkerd benchmarks (https://linkerd.io/2021/05/27/linkerd-vs-istio-benchmarks-2021/)',
  },
};

/** Discount ranges used by the recommendations. */
export const DISCOUNTS = {
  spot: {
    low: 0.6,
    high: 0.9,
    source: 'https://aws.amazon.com/ec2/spot/pricing/',
    note: 'Spot (AWS), Spot VMs (GCP, https://cloud.google.com/spot-vms/pricing), Azure Spot (https://azure.microsoft.com/en-us/pricing/spot-advisor/): 60-91% below on demand, reclaimable at short notice',
  },
  commit1y: {
    low: 0.3,
    high: 0.4,
    source: 'https://aws.amazon.com/savingsplans/compute-pricing/',
    note: 'one-year Savings Plans / committed use discounts (GCP 37% for general purpose, https://cloud.google.com/compute/docs/instances/signing-up-committed-use-discounts) / Azure reservations',
  },
  commit3y: {
    low: 0.55,
    high: 0.72,
    source: 'https://aws.amazon.com/savingsplans/compute-pricing/',
    note: 'three-year Savings Plans (up to 72%) / committed use discounts (55%) / Azure reservations (up to 72%, https://azure.microsoft.com/en-us/pricing/reserved-vm-instances/)',
  },
} as const;

/** The snapshot as a whole. */
export const PRICING = {
  asOf: '2026-11-01',
  currency: 'USD' as const,
  hoursPerMonth: 730,
  providers: PROVIDER_PRICING,
  serverless: SERVERLESS_PRICING,
  mesh: MESH_SIDECAR,
  discounts: DISCOUNTS,
};

/** The region the figures of a cloud are for. */
const PRICED_REGION: Record<string, string> = {
  eks: 'us-east-1',
  gke: 'us-central1',
  aks: 'eastus',
  generic: 'us-east-1',
};

/**
 * Says which region's prices are used for `region`, or undefined when the
 * region is the priced one.
 */
export function regionNote(
  provider:
    | ClusterProvider
    | 'lambda'
    | 'azure-functions'
    | 'cloud-run'
    | 'cloud-functions',
  region: string,
): string | undefined {
  let key: string = provider;
  if (provider === 'lambda') key = 'eks';
  else if (provider === 'azure-functions') key = 'aks';
  else if (provider === 'cloud-run' || provider === 'cloud-functions') {
    key = 'gke';
  }
  const priced = PRICED_REGION[key];
  if (provider === 'generic') {
    return `platform-agnostic: a generic 2 vCPU / 8 GiB node and every other figure are priced at the AWS ${priced} list prices`;
  }
  if (region === priced) return undefined;
  return `region ${region} is priced at the ${priced} list prices (the snapshot holds one region per cloud); prices in other regions typically differ by 0-20%`;
}
