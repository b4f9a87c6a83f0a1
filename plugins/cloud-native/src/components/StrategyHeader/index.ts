export { StrategyHeader } from './StrategyHeader';
