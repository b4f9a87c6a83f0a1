export { SkillTimeline } from './SkillTimeline';
