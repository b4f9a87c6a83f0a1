export { cloudNativePlugin as default } from './plugin';
