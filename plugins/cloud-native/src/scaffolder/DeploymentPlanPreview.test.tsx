import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  DeploymentPlanPreview,
  deploymentPlanPreviewValidation,
} from './DeploymentPlanPreview';

const completeForm = {
  name: 'shop',
  owner: 'group:default/platform-team',
  architectureType: 'microservices',
  platform: 'auto',
  cloud: 'aws',
  region: 'eu-west-1',
  tier: 'T2',
  environments: ['dev', 'prod'],
  requirements: ['security', 'cost'],
  mesh: 'auto',
  gitops: 'none',
  services: [
    {
      name: 'web',
      workload: 'service',
      language: 'node',
      port: 3000,
      expose: 'public',
      dependsOn: ['api'],
    },
    {
      name: 'api',
      workload: 'service',
      language: 'java',
      port: 8080,
      dependsOn: ['db'],
    },
    {
      name: 'db',
      workload: 'stateful',
      image: 'postgres:16.4-bookworm',
      port: 5432,
      storage: { size: '20Gi' },
    },
    {
      name: 'cleanup',
      workload: 'cronjob',
      language: 'python',
      schedule: '0 3 * * *',
    },
  ],
};

function fieldProps(
  formData: Record<string, unknown>,
  value?: string,
): FieldExtensionComponentProps<string> {
  return {
    schema: { type: 'string', title: 'Deployment plan' },
    uiSchema: {},
    idSchema: { $id: 'root_planPreview' } as any,
    formData: value,
    formContext: { formData },
    onChange: jest.fn(),
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    disabled: false,
    readonly: false,
    name: 'planPreview',
    rawErrors: [],
    registry: {} as any,
  };
}

describe('DeploymentPlanPreview', () => {
  it('shows what the rules choose for a complete form', async () => {
    const props = fieldProps(completeForm);
    await renderInTestApp(<DeploymentPlanPreview {...props} />);

    expect(screen.getByText(/The spec is valid/)).toBeInTheDocument();
    expect(screen.getByText('Platform: kubernetes')).toBeInTheDocument();
    expect(screen.getByText('Tier: T2')).toBeInTheDocument();
    expect(screen.getByText('Cloud: aws (eu-west-1)')).toBeInTheDocument();

    const skills = within(screen.getByRole('list', { name: 'Skills' }))
      .getAllByRole('listitem')
      .map(item => item.firstChild?.textContent);
    expect(skills.slice(0, 2)).toEqual([
      'container-image-optimizer',
      'kubernetes-manifest-generator',
    ]);

    const services = within(screen.getByRole('table', { name: 'Services' }));
    const row = (name: string) =>
      within(services.getByText(name).closest('tr')!);
    expect(row('db').getByText('StatefulSet')).toBeInTheDocument();
    expect(row('db').getByText('rolling')).toBeInTheDocument();
    expect(row('cleanup').getByText('CronJob')).toBeInTheDocument();
    expect(row('cleanup').getByText('none')).toBeInTheDocument();
    // api is depended on by web only; db by api only: no blue-green at T2
    expect(row('web').getByText('Deployment')).toBeInTheDocument();

    expect(screen.getByText(/^(low|medium|high) \(score/)).toBeInTheDocument();
    expect(props.onChange).toHaveBeenCalledWith(
      expect.stringMatching(/^kubernetes, T2, 4 service\(s\)/),
    );
  });

  it('lists open questions with the assumption the plan makes', async () => {
    const props = fieldProps({ ...completeForm, cloud: 'platform-agnostic' });
    await renderInTestApp(<DeploymentPlanPreview {...props} />);
    const questions = within(
      screen.getByRole('list', { name: 'Open questions' }),
    );
    expect(questions.getAllByText(/^Assumed: /).length).toBeGreaterThan(0);
  });

  it('shows the problems with their form and spec paths instead of crashing', async () => {
    const props = fieldProps({
      ...completeForm,
      services: [
        { name: 'web', workload: 'service', port: 3000, dependsOn: ['api'] },
        { name: 'nightly', workload: 'cronjob', language: 'go' },
      ],
    });
    await renderInTestApp(<DeploymentPlanPreview {...props} />);

    expect(
      screen.getByText(/The rules cannot plan this yet: 3 problems/),
    ).toBeInTheDocument();
    const problems = within(screen.getByRole('list', { name: 'Problems' }));
    expect(problems.getByText('services[0].language')).toBeInTheDocument();
    expect(problems.getByText('services[0].dependsOn')).toBeInTheDocument();
    expect(problems.getByText('services[1].schedule')).toBeInTheDocument();
    expect(
      problems.getByText('spec field spec.services[1].schedule'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(props.onChange).toHaveBeenCalledWith('invalid: 3 issue(s)');
  });

  it('copes with a form that has no data yet', async () => {
    const props = fieldProps({});
    props.formContext = undefined;
    await renderInTestApp(<DeploymentPlanPreview {...props} />);
    expect(
      screen.getByText(/The rules cannot plan this yet/),
    ).toBeInTheDocument();
  });

  it('does not store the summary again when it has not changed', async () => {
    const props = fieldProps(completeForm);
    const first = await renderInTestApp(<DeploymentPlanPreview {...props} />);
    const stored = (props.onChange as jest.Mock).mock.calls[0][0];
    first.unmount();
    const again = fieldProps(completeForm, stored);
    await renderInTestApp(<DeploymentPlanPreview {...again} />);
    expect(again.onChange).not.toHaveBeenCalled();
  });
});

describe('deploymentPlanPreviewValidation', () => {
  const validate = (formData: Record<string, unknown>) => {
    const addError = jest.fn();
    deploymentPlanPreviewValidation('stored summary', { addError } as any, {
      apiHolder: { get: () => undefined },
      formData: formData as any,
      schema: {},
    });
    return addError;
  };

  it('accepts a form the rules can plan', () => {
    expect(validate(completeForm)).not.toHaveBeenCalled();
  });

  it('blocks the step with the problems when they cannot', () => {
    const addError = validate({
      ...completeForm,
      services: [{ name: 'web', workload: 'service', port: 3000 }],
    });
    expect(addError).toHaveBeenCalledWith(
      expect.stringContaining(
        'services[0].language: required unless image is set',
      ),
    );
  });
});
