export { DeploymentGuide } from './DeploymentGuide';
