export { diagnosePods } from './diagnose';
export type { Diagnosis, DiagnosisCategory, DiagnoseExtra } from './diagnose';
