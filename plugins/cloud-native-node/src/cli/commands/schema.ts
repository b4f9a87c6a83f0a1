import {
  architectureJsonSchema,
  deploymentReportJsonSchema,
} from '@internal/backstage-plugin-cloud-native-common';
import { SpecValidationError } from '../../core/errors';
import { CommandRegistration } from '../io';

/** `cno schema [architecture|report]` */
export const registerSchema: CommandRegistration = (program, { io }) => {
  program
    .command('schema')
    .description('Print the JSON Schema of the architecture spec or the report')
    .argument('[which]', 'architecture or report', 'architecture')
    .action((which: string) => {
      if (which !== 'architecture' && which !== 'report') {
        throw new SpecValidationError([
          { path: 'which', message: 'must be architecture or report' },
        ]);
      }
      const schema =
        which === 'architecture'
          ? architectureJsonSchema()
          : deploymentReportJsonSchema();
      io.stdout(`${JSON.stringify(schema, null, 2)}\n`);
    });
};
