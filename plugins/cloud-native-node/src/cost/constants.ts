/** The constants of the estimation method (see `method` in estimate.ts). */

/** Hours in a month: 365 × 24 / 12. */
export const HOURS_PER_MONTH = 730;

/** Share of a node's capacity left to pods after system reservations. */
export const ALLOCATABLE_FRACTION = 0.9;

/** Target utilization of the allocatable capacity (headroom for bursts, rollouts, rescheduling). */
export const TARGET_UTILIZATION = 0.7;

/**
 * DaemonSets take at most this share of a node's usable capacity; beyond it
 * (or when the largest pod does not fit next to them) the cluster is priced
 * on a larger size of the same instance family.
 */
export const MAX_DAEMONSET_SHARE = 0.5;

/** HPA-managed workloads: expected replicas = min + 30% of (max - min). */
export const HPA_EXPECTED_FRACTION = 0.3;

/** Minimum nodes per cluster by tier (T3 spreads over three zones). */
export const MIN_NODES_BY_TIER = { T1: 1, T2: 2, T3: 3 } as const;

/** Share of the usage model (egress, requests) an environment carries. */
export const PRODUCTION_USAGE_SHARE = 1;
export const NON_PRODUCTION_USAGE_SHARE = 0.1;

/** Share of an environment's egress assumed to leave through the NAT gateway (pod-initiated traffic). */
export const NAT_EGRESS_SHARE = 0.1;

/** A Job is assumed to run once a month (once per release). */
export const JOB_RUNS_PER_MONTH = 1;

/** Requests per LCU-hour of an ALB: 25 new connections per second × 3,600 s, one connection per request. */
export const REQUESTS_PER_LCU_HOUR = 25 * 3600;

/** Dev scale-to-zero: hours off per month, nights only (12 h a day) and nights plus weekends (on 12 h × 5 days a week). */
export const DEV_OFF_FRACTION_LOW = 0.5;
export const DEV_OFF_FRACTION_HIGH =
  (HOURS_PER_MONTH - (12 * 5 * 52) / 12) / HOURS_PER_MONTH;

/** Right-sizing is suggested when at least this share of the node capacity is unrequested. */
export const RIGHT_SIZING_THRESHOLD = 0.25;
