export { Recommendations } from './Recommendations';
