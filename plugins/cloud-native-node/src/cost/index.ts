/**
 * Cost estimation of a deployment plan: a dated pricing snapshot with
 * sources, the estimate (lines per environment, low/high range,
 * recommendations with savings) and its plain-text table.
 */
export { estimateCost, roundCents, SHARED_COST_KEY } from './estimate';
// every type of the estimate is part of its contract
export type * from './estimate';
export { formatCostTable } from './format';
export {
  PRICING,
  PROVIDER_PRICING,
  SERVERLESS_PRICING,
  MESH_SIDECAR,
  DISCOUNTS,
  regionNote,
} from './pricing';
export type { PricePoint, NodeShape, ProviderPricing } from './pricing';
export { runsPerMonth } from './cron';
