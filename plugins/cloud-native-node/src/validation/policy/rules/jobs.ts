import { KubernetesObject } from '../../../core/types';
import { PolicyRule } from '../types';
import { asString, at, JOB_KINDS } from '../model';
import { ADVICE, BROKEN } from '../severity';
import { violation } from './helpers';

/** Where the Job spec is: the Job's own, or the CronJob's jobTemplate. */
function jobSpecPath(object: KubernetesObject): string {
  return object.kind === 'CronJob' ? 'spec.jobTemplate.spec' : 'spec';
}

function requireJobField(field: string, why: string): PolicyRule['check'] {
  return ctx => {
    const path = `${jobSpecPath(ctx.object)}.${field}`;
    return at(ctx.object, path) === undefined
      ? [violation(path, `${field} is not set: ${why}`)]
      : [];
  };
}

function requireCronJobField(field: string, why: string): PolicyRule['check'] {
  return ctx =>
    at(ctx.object, `spec.${field}`) === undefined
      ? [violation(`spec.${field}`, `${field} is not set: ${why}`)]
      : [];
}

export const jobRules: PolicyRule[] = [
  {
    id: 'job-backoff-limit',
    category: 'jobs',
    description:
      'Jobs set backoffLimit (or backoffLimitPerIndex for Indexed Jobs) explicitly: how many failed Pods before the Job fails.',
    anchors: ['k8s-docs:job-pod-backoff-failure-policy'],
    appliesTo: JOB_KINDS,
    severity: ADVICE,
    check: ctx => {
      const spec = `${jobSpecPath(ctx.object)}`;
      // Indexed Jobs may limit retries per index instead.
      if (at(ctx.object, `${spec}.backoffLimitPerIndex`) !== undefined) {
        return [];
      }
      return requireJobField(
        'backoffLimit',
        'the default of 6 retries with exponential back-off can keep a failing Job running for an hour',
      )(ctx);
    },
  },
  {
    id: 'job-active-deadline',
    category: 'jobs',
    description: 'Jobs set activeDeadlineSeconds, so a hung run is stopped.',
    anchors: ['k8s-docs:job-termination-and-cleanup'],
    appliesTo: JOB_KINDS,
    severity: ADVICE,
    check: requireJobField(
      'activeDeadlineSeconds',
      'a hung run holds its resources (and, for a CronJob with concurrencyPolicy Forbid, blocks the next runs) forever',
    ),
  },
  {
    id: 'job-ttl-after-finished',
    category: 'jobs',
    description:
      'Standalone Jobs set ttlSecondsAfterFinished, so finished Jobs and their Pods are cleaned up (CronJobs use history limits).',
    anchors: ['kube-linter:job-ttl-seconds-after-finished'],
    appliesTo: ['Job'],
    severity: ADVICE,
    check: requireJobField(
      'ttlSecondsAfterFinished',
      'finished Jobs and their Pods stay in the cluster until deleted by hand',
    ),
  },
  {
    id: 'job-restart-policy',
    category: 'jobs',
    description:
      'Job Pods use restartPolicy OnFailure or Never (the API server rejects Always, which is also the default).',
    anchors: ['kube-score:cronjob-restartpolicy', 'k8s-docs:pod-template'],
    appliesTo: JOB_KINDS,
    severity: BROKEN,
    check: ctx => {
      const path = `${jobSpecPath(ctx.object)}.template.spec.restartPolicy`;
      const policy = asString(at(ctx.object, path));
      if (policy === 'OnFailure' || policy === 'Never') return [];
      return [
        violation(
          path,
          policy === undefined
            ? 'restartPolicy is not set and defaults to Always, which a Job does not accept: set Never or OnFailure'
            : `restartPolicy ${policy} is not allowed for Jobs: use Never or OnFailure`,
        ),
      ];
    },
  },
  {
    id: 'cronjob-concurrency-policy',
    category: 'jobs',
    description:
      'CronJobs set concurrencyPolicy Forbid or Replace (the default Allow piles up overlapping runs).',
    anchors: ['k8s-docs:cronjob-concurrency-policy'],
    appliesTo: ['CronJob'],
    severity: ADVICE,
    check: ctx => {
      const policy = asString(at(ctx.object, 'spec.concurrencyPolicy'));
      if (policy === 'Forbid' || policy === 'Replace') return [];
      return [
        violation(
          'spec.concurrencyPolicy',
          `concurrencyPolicy is ${
            policy ?? 'not set (Allow)'
          }: a slow run overlaps the next one; use Forbid (or Replace)`,
        ),
      ];
    },
  },
  {
    id: 'cronjob-starting-deadline',
    category: 'jobs',
    description:
      'CronJobs set startingDeadlineSeconds (missed runs are skipped, not started late in a burst, and more than 100 misses do not stop the schedule).',
    anchors: ['kube-score:cronjob-has-deadline'],
    appliesTo: ['CronJob'],
    severity: ADVICE,
    check: requireCronJobField(
      'startingDeadlineSeconds',
      'after controller downtime missed runs start late, and after 100 misses the CronJob stops scheduling',
    ),
  },
  {
    id: 'cronjob-history-limits',
    category: 'jobs',
    description:
      'CronJobs set successfulJobsHistoryLimit and failedJobsHistoryLimit explicitly.',
    anchors: ['k8s-docs:cronjob-jobs-history-limits'],
    appliesTo: ['CronJob'],
    severity: ADVICE,
    check: ctx => [
      ...requireCronJobField(
        'successfulJobsHistoryLimit',
        'how many finished runs are kept is left to the default (3)',
      )(ctx),
      ...requireCronJobField(
        'failedJobsHistoryLimit',
        'how many failed runs are kept for debugging is left to the default (1)',
      )(ctx),
    ],
  },
];
