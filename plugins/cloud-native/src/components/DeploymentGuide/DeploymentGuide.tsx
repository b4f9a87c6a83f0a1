import { InfoCard, Link, MarkdownContent } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { CloudNativeReport } from '../../api/types';
import { PackageFileLocation } from '../../lib/fileLinks';
import { guideToMarkdown, isGuideEmpty } from '../../lib/guide';

/** The package's own documents, worth a link next to the short guide. */
const PACKAGE_DOCS = [
  'docs/DEPLOYMENT.md',
  'docs/TROUBLESHOOTING.md',
  'docs/ARCHITECTURE.md',
];

/**
 * The short guide of the report (prerequisites, steps, validation,
 * rollback), with links to the package's full documents.
 */
export function DeploymentGuide(props: {
  report: CloudNativeReport;
  resolveFile: (file: string) => PackageFileLocation;
}) {
  const { report, resolveFile } = props;
  const guide = report.deployment_guide;
  const packaged = new Set(report.deployment_package.files.map(f => f.path));
  const docs = PACKAGE_DOCS.filter(doc => packaged.has(doc)).map(resolveFile);

  return (
    <InfoCard title="Deployment guide">
      {isGuideEmpty(guide) ? (
        <Typography variant="body2" paragraph>
          The report lists no guide steps; the package's documents below hold
          the full guide.
        </Typography>
      ) : (
        <MarkdownContent content={guideToMarkdown(guide)} />
      )}
      {docs.length > 0 && (
        <Box mt={2}>
          <Typography variant="subtitle2" component="h3">
            Package documents
          </Typography>
          <ul aria-label="Package documents">
            {docs.map(doc => (
              <li key={doc.file}>
                {doc.href ? (
                  <Link to={doc.href}>{doc.file}</Link>
                ) : (
                  <code title={doc.path}>{doc.path}</code>
                )}
              </li>
            ))}
          </ul>
        </Box>
      )}
    </InfoCard>
  );
}
