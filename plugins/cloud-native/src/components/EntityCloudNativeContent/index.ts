export { EntityCloudNativeContent } from './EntityCloudNativeContent';
