import { promises as fs } from 'node:fs';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { parseAllDocuments } from 'yaml';
import { resolveInWorkspace } from './workspace';

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

async function exists(target: string): Promise<boolean> {
  return fs
    .stat(target)
    .then(() => true)
    .catch(() => false);
}

async function copyTree(from: string, to: string): Promise<number> {
  let count = 0;
  await fs.mkdir(to, { recursive: true });
  for (const entry of await fs.readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      count += await copyTree(source, target);
    } else if (entry.isFile()) {
      await fs.copyFile(source, target);
      count++;
    }
    // symbolic links are not copied: a published repository is plain files
  }
  return count;
}

/**
 * `cloud-native:publish:local`: the local, no-account publishing step of the
 * template. Copies the workspace into `<directory>/<name>` (the directory is
 * configured in `cloudNative.localPublish.directory`) and returns the `file:`
 * URL of its catalog-info.yaml for `catalog:register`. For production use
 * publish:github / publish:gitlab instead (templates/cloud-native-deployment/README.md).
 *
 * @public
 */
export function createCloudNativePublishLocalAction(options: {
  directory?: string;
  catalog?: CatalogService;
}) {
  return createTemplateAction({
    id: 'cloud-native:publish:local',
    description:
      'Publishes the workspace into a local folder the catalog can read (local development without a Git host)',
    examples: [
      {
        description:
          'Publish the generated component locally and register it in the catalog',
        example: [
          'steps:',
          '  - id: publish',
          '    action: cloud-native:publish:local',
          '    input:',
          '      name: my-service',
          '',
        ].join('\n'),
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z.string({
            description:
              'Folder name under the configured publish directory (an RFC 1123 label)',
          }),
        sourcePath: z =>
          z
            .string({
              description:
                'Workspace-relative folder to publish (default: the whole workspace)',
            })
            .optional(),
        replace: z =>
          z
            .boolean({
              description:
                'Replace an existing published folder of the same name (default: false, the step fails instead)',
            })
            .optional(),
      },
      output: {
        remoteUrl: z =>
          z.string({ description: 'file: URL of the published folder' }),
        catalogInfoUrl: z =>
          z.string({ description: 'file: URL of catalog-info.yaml' }),
        entityRef: z =>
          z.string({
            description:
              'Ref of the first entity in catalog-info.yaml, registered in the catalog',
          }),
      },
    },
    async handler(ctx) {
      const { name, sourcePath = '.', replace = false } = ctx.input;
      if (!NAME.test(name ?? '')) {
        throw new InputError(
          `name: '${name}' must be lower-case letters, digits and '-' (RFC 1123 label)`,
        );
      }
      if (!options.directory) {
        throw new InputError(
          'cloudNative.localPublish.directory is not configured; local publishing is off (use publish:github or publish:gitlab)',
        );
      }
      const source = resolveInWorkspace(
        ctx.workspacePath,
        sourcePath,
        'sourcePath',
      );
      const root = path.resolve(options.directory);
      const target = resolveSafeChildPath(root, name);
      const catalogInfo = path.join(target, 'catalog-info.yaml');
      if (!(await exists(path.join(source, 'catalog-info.yaml')))) {
        throw new InputError(
          `sourcePath: '${sourcePath}' has no catalog-info.yaml to register`,
        );
      }
      const entityRef = await firstEntityRef(
        path.join(source, 'catalog-info.yaml'),
      );
      if (ctx.isDryRun) {
        ctx.logger.info(`dry run: would publish ${sourcePath} to ${target}`);
      } else {
        if (await exists(target)) {
          if (!replace) {
            throw new InputError(
              `name: ${target} already exists; choose another name or set replace: true`,
            );
          }
          await fs.rm(target, { recursive: true, force: true });
        }
        const count = await ctx.checkpoint({
          key: `publish-local-${name}`,
          fn: async () => copyTree(source, target),
        });
        ctx.logger.info(`Published ${count} files to ${target}`);
        if (options.catalog) {
          await ctx.checkpoint({
            key: `publish-local-register-${name}`,
            fn: async () => {
              await options.catalog!.addLocation(
                { type: 'file', target: catalogInfo },
                { credentials: await ctx.getInitiatorCredentials() },
              );
            },
          });
          ctx.logger.info(`Registered ${entityRef} from ${catalogInfo}`);
        }
      }
      ctx.output('entityRef', entityRef);
      ctx.output('remoteUrl', `file://${target}`);
      ctx.output('catalogInfoUrl', `file://${catalogInfo}`);
    },
  });
}

async function firstEntityRef(file: string): Promise<string> {
  const docs = parseAllDocuments(await fs.readFile(file, 'utf8'));
  const entity = docs[0]?.toJS() as
    | { kind?: string; metadata?: { name?: string; namespace?: string } }
    | undefined;
  if (!entity?.kind || !entity.metadata?.name) {
    throw new InputError(
      'sourcePath: catalog-info.yaml does not start with an entity (kind and metadata.name)',
    );
  }
  return stringifyEntityRef({
    kind: entity.kind,
    namespace: entity.metadata.namespace,
    name: entity.metadata.name,
  });
}
