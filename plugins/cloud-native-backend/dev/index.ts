import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';

// A minimal backend with mocked auth for working on this plugin alone:
//   yarn workspace @internal/backstage-plugin-cloud-native-backend start
//   curl http://localhost:7007/api/cloud-native/health
const backend = createBackend();
backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(import('../src'));
backend.start();
