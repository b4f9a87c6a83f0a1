export { EntityCloudNativeCard } from './EntityCloudNativeCard';
export type { EntityCloudNativeCardProps } from './EntityCloudNativeCard';
