import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  entityWithReport,
  ExampleName,
  loadExampleReport,
} from '../../__testUtils__/fixtures';
import { createPackageFileResolver } from '../../lib/fileLinks';
import { PackageFiles } from './PackageFiles';

/** Renders the files of an example report, resolved against the entity's source location. */
function renderFiles(example: ExampleName, entity = entityWithReport()) {
  return renderInTestApp(
    <PackageFiles
      report={loadExampleReport(example)}
      resolveFile={createPackageFileResolver(entity)}
    />,
  );
}

describe('PackageFiles', () => {
  it('links every file to the repository, with the skill that wrote it', async () => {
    renderFiles('events-serverless-aws');

    expect(await screen.findByText('Package files (8)')).toBeInTheDocument();
    const link = screen.getByRole('link', {
      name: /^serverless\/aws\/template\.yaml/,
    });
    expect(link).toHaveAttribute(
      'href',
      'https://github.com/acme/marketplace/tree/main/deployment/serverless/aws/template.yaml',
    );
    const row = link.closest('tr')!;
    expect(row).toHaveTextContent('cloud-serverless-designer');
    const readme = screen
      .getByRole('link', { name: /^README\.md/ })
      .closest('tr')!;
    expect(readme).toHaveTextContent('engine');
  });

  it('shows local paths without links for file: locations', async () => {
    const entity = entityWithReport({
      'backstage.io/source-location': 'file:/srv/repos/media-pipeline/',
    });
    renderFiles('events-serverless-aws', entity);

    expect(
      await screen.findByText(
        '/srv/repos/media-pipeline/deployment/serverless/aws/template.yaml',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Local location: paths on the backend host, no links'),
    ).toBeInTheDocument();
    expect(screen.queryAllByRole('link')).toHaveLength(0);
  });

  it('pages and searches a large package', async () => {
    renderFiles('marketplace-gke-t3');

    expect(await screen.findByText('Package files (120)')).toBeInTheDocument();
    fireEvent.change(screen.getByPlaceholderText('Filter'), {
      target: { value: 'values-prod' },
    });
    await waitFor(() => expect(screen.getAllByRole('link')).toHaveLength(1));
    expect(
      screen.getByRole('link', {
        name: /^helm\/marketplace\/values-prod\.yaml/,
      }),
    ).toBeInTheDocument();
  });
});
