export { PackageFiles } from './PackageFiles';
