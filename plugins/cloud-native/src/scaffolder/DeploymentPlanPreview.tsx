import { ReactNode, useEffect, useMemo } from 'react';
import { StatusError, StatusOK } from '@backstage/core-components';
import {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  DeploymentPlan,
  SpecIssue,
} from '@internal/backstage-plugin-cloud-native-common';
import {
  formPathOf,
  PlanPreview,
  previewPlan,
  previewSummary,
} from './architecture';
import { ColumnHeads } from '../components/shared/ColumnHeads';

/** The `ui:field` name templates use. */
export const DEPLOYMENT_PLAN_PREVIEW_FIELD = 'DeploymentPlanPreview';

const Section = (props: { title: string; children: ReactNode }) => (
  <Box mt={2}>
    <Typography variant="subtitle2" component="h3" gutterBottom>
      {props.title}
    </Typography>
    {props.children}
  </Box>
);

/**
 * A plain list of two-line entries. Not MUI's List: its v4 ListItem calls
 * findDOMNode, which React's strict mode warns about.
 */
const EntryList = (props: {
  label: string;
  ordered?: boolean;
  entries: Array<{ key: string; primary: ReactNode; secondary: ReactNode }>;
}) => {
  const items = props.entries.map(entry => (
    <li key={entry.key}>
      <Typography variant="body2">{entry.primary}</Typography>
      <Typography variant="caption" color="textSecondary" component="p">
        {entry.secondary}
      </Typography>
    </li>
  ));
  return props.ordered ? (
    <ol aria-label={props.label} style={{ paddingInlineStart: 24, margin: 0 }}>
      {items}
    </ol>
  ) : (
    <ul aria-label={props.label} style={{ paddingInlineStart: 24, margin: 0 }}>
      {items}
    </ul>
  );
};

const Issues = ({ issues }: { issues: SpecIssue[] }) => (
  <Box>
    <StatusError>
      The rules cannot plan this yet: {issues.length} problem
      {issues.length === 1 ? '' : 's'} to fix in the form
    </StatusError>
    <EntryList
      label="Problems"
      entries={issues.map((issue, index) => ({
        key: `${issue.path}-${index}`,
        primary: (
          <>
            <code>{formPathOf(issue.path)}</code>: {issue.message}
          </>
        ),
        secondary: `spec field ${issue.path}`,
      }))}
    />
  </Box>
);

const Plan = ({ plan }: { plan: DeploymentPlan }) => (
  <Box>
    <StatusOK>
      The spec is valid. This is what the rules choose; the package is
      generated, validated and priced when you create it.
    </StatusOK>
    <Box mt={1} display="flex" flexWrap="wrap" style={{ gap: 8 }}>
      <Chip size="small" label={`Platform: ${plan.platform}`} />
      <Chip size="small" label={`Tier: ${plan.tier}`} />
      <Chip size="small" label={`Cloud: ${plan.cloud} (${plan.region})`} />
      <Chip
        size="small"
        label={`Environments: ${plan.environments.join(', ')}`}
      />
      <Chip size="small" label={`Packaging: ${plan.packaging}`} />
      <Chip size="small" label={`Mesh: ${plan.mesh}`} />
      <Chip size="small" label={`GitOps: ${plan.gitops}`} />
    </Box>
    <Section title="Complexity">
      <Typography variant="body2">
        {plan.complexity.level} (score {plan.complexity.score}):{' '}
        {plan.complexity.why}
      </Typography>
    </Section>
    <Section title="Skills, in the order they run">
      <EntryList
        label="Skills"
        ordered
        entries={plan.skills.map(skill => ({
          key: skill.id,
          primary: skill.id,
          secondary: `${skill.reason} (${skill.ruleIds.join(', ')})`,
        }))}
      />
    </Section>
    <Section title="Services">
      <Table size="small" aria-label="Services">
        <ColumnHeads
          columns={['Service', 'Workload', 'Runs on', 'Object', 'Strategy']}
        />
        <TableBody>
          {plan.services.map(service => (
            <TableRow key={service.name}>
              <TableCell>{service.name}</TableCell>
              <TableCell>{service.service.workload}</TableCell>
              <TableCell>{service.runtime}</TableCell>
              <TableCell>{service.objectKind}</TableCell>
              <TableCell>{service.strategy}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Section>
    {plan.questions.length > 0 && (
      <Section title="Open questions (the plan assumes an answer)">
        <EntryList
          label="Open questions"
          entries={plan.questions.map(question => ({
            key: question.id,
            primary: question.question,
            secondary: `Assumed: ${question.assumption}`,
          }))}
        />
      </Section>
    )}
  </Box>
);

/**
 * Shows a plan preview, or the problems that prevent one.
 *
 * @public
 */
export const DeploymentPlanPreviewView = ({
  preview,
}: {
  preview: PlanPreview;
}) =>
  preview.ok ? (
    <Plan plan={preview.plan} />
  ) : (
    <Issues issues={preview.issues} />
  );

/**
 * The `DeploymentPlanPreview` scaffolder field: what the rules choose
 * (platform, tier, skills, per-service strategy and object kind, questions,
 * complexity), computed in the browser from the whole form
 * (`formContext.formData`, which the scaffolder's stepper fills with every
 * page's values).
 *
 * It stores a one-line summary as its own value only so that its validator
 * runs (the scaffolder validates custom fields that have a value); the
 * template's steps never read it.
 *
 * @public
 */
export const DeploymentPlanPreview = (
  props: FieldExtensionComponentProps<string>,
) => {
  const { formContext, formData, onChange, schema } = props;
  const allFormData = formContext?.formData as
    | Record<string, unknown>
    | undefined;
  const preview = useMemo(() => previewPlan(allFormData), [allFormData]);
  const summary = previewSummary(preview);

  useEffect(() => {
    if (formData !== summary) {
      onChange(summary);
    }
  }, [formData, summary, onChange]);

  return (
    <Box>
      <Typography variant="h6" component="h2">
        {schema.title ?? 'Deployment plan'}
      </Typography>
      {schema.description && (
        <Typography variant="body2" color="textSecondary">
          {schema.description}
        </Typography>
      )}
      <Box mt={1}>
        <DeploymentPlanPreviewView preview={preview} />
      </Box>
    </Box>
  );
};

/**
 * Blocks the step while the rules cannot plan the form's architecture: the
 * orchestrate action would reject it anyway, later and with less context.
 * Recomputes from the whole form instead of trusting the stored summary.
 *
 * @public
 */
export const deploymentPlanPreviewValidation: CustomFieldValidator<string> = (
  _value,
  validation,
  context,
) => {
  const preview = previewPlan(context.formData as Record<string, unknown>);
  if (!preview.ok) {
    validation.addError(
      `The architecture is not valid yet: ${preview.issues
        .map(issue => `${formPathOf(issue.path)}: ${issue.message}`)
        .join('; ')}`,
    );
  }
};
