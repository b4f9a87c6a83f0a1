import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  entityWithReport,
  loadExampleReport,
} from '../../__testUtils__/fixtures';
import { createPackageFileResolver } from '../../lib/fileLinks';
import { DeploymentGuide } from './DeploymentGuide';

describe('DeploymentGuide', () => {
  const resolveFile = createPackageFileResolver(entityWithReport());

  it('renders prerequisites, steps, validation and rollback of a real guide', async () => {
    const report = loadExampleReport('marketplace-gke-t3');
    renderInTestApp(
      <DeploymentGuide report={report} resolveFile={resolveFile} />,
    );

    expect(
      await screen.findByRole('heading', { name: 'Prerequisites' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'External Secrets Operator with a ClusterSecretStore named marketplace-secrets',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Steps' })).toBeInTheDocument();
    // Commands render as code, prose stays prose
    const step = screen.getByText(
      /^kubectl apply --server-side -k kubernetes\/prod\s+# prod$/,
    );
    expect(step.tagName).toBe('CODE');
    expect(
      screen.getByText(
        'Build, scan and push the images: see containers/BUILD.md',
      ).tagName,
    ).toBe('LI');
    expect(
      screen.getByText(
        'docker with buildx, push access to the image registry, trivy',
      ).tagName,
    ).toBe('LI');
    expect(
      screen.getByRole('heading', { name: 'Validation' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Rollback' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'kubectl rollout undo daemonset/log-agent -n marketplace',
      ).tagName,
    ).toBe('CODE');
  });

  it('links the package documents to the repository', async () => {
    const report = loadExampleReport('marketplace-gke-t3');
    renderInTestApp(
      <DeploymentGuide report={report} resolveFile={resolveFile} />,
    );

    const docs = await screen.findByRole('list', { name: 'Package documents' });
    expect(
      within(docs).getByRole('link', { name: /^docs\/DEPLOYMENT\.md/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/marketplace/tree/main/deployment/docs/DEPLOYMENT.md',
    );
    expect(within(docs).getAllByRole('link')).toHaveLength(3);
  });

  it('points at the documents when the report lists no guide steps', async () => {
    const report = loadExampleReport('events-serverless-aws');
    renderInTestApp(
      <DeploymentGuide report={report} resolveFile={resolveFile} />,
    );

    expect(
      await screen.findByText(/The report lists no guide steps/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('heading', { name: 'Steps' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /^docs\/DEPLOYMENT\.md/ }),
    ).toBeInTheDocument();
  });
});
