import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import path from 'node:path';

// A minimal backend with mocked auth and an in-memory catalog holding the
// example package of the repository, for working on this plugin alone:
//   yarn workspace @internal/backstage-plugin-cloud-native-backend start
//   curl http://localhost:7007/api/cloud-native/entities/default/component/guestbook/report
//   curl http://localhost:7007/api/cloud-native/entities/default/component/guestbook/history
//   curl -X POST http://localhost:7007/api/cloud-native/entities/default/component/guestbook/revalidate
const example = path.resolve(__dirname, '../../../examples/web-app-t1');

const backend = createBackend();
backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(
  catalogServiceMock.factory({
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'guestbook',
          namespace: 'default',
          annotations: {
            'backstage.io/managed-by-location': `file:${example}/catalog-info.yaml`,
            'cloud-native.backstage.io/report':
              './package/deployment-report.yaml',
          },
        },
        spec: { type: 'service', lifecycle: 'experimental', owner: 'guests' },
      },
    ],
  }),
);
backend.add(import('../src'));
backend.start();
