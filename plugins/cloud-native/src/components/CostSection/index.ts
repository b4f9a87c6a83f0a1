export { CostSection } from './CostSection';
