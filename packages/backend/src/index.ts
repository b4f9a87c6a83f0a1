/*
 * The portal's backend: the Backstage plugins the Cloud-Native Deployment
 * Orchestrator needs (catalog, scaffolder, auth, permissions) plus the
 * product's own backend plugin and scaffolder module.
 */
import { createBackend } from '@backstage/backend-defaults';
import { catalogModuleLocalFileLocations } from './modules/catalogLocalFileLocations';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Scaffolder, with GitHub publishing for production golden paths
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));

// Auth: the guest provider for local use (see app-config.yaml)
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// Catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(catalogModuleLocalFileLocations);

// Permissions: allow-all locally; replace the policy module in production
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

// User settings (synced across devices), with signals for live updates
backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// The Cloud-Native Deployment Orchestrator

backend.add(import('@internal/backstage-plugin-cloud-native-backend'));
backend.add(
  import('@internal/backstage-plugin-scaffolder-backend-module-cloud-native'),
);
backend.start();
