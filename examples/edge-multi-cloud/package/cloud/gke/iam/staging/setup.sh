#!/usr/bin/env bash
# Workload Identity of edge (staging) on the GKE cluster edge-staging.
# Needs gcloud, the secrets created in Secret Manager, and a cluster with
# Workload Identity (Autopilot always; Standard: --workload-pool=example-project.svc.id.goog).
set -euo pipefail
PROJECT=example-project

# api: read its own secrets
gcloud iam service-accounts create edge-staging-api --project "$PROJECT" --display-name 'edge/api (staging)'
gcloud iam service-accounts add-iam-policy-binding edge-staging-api@example-project.iam.gserviceaccount.com --project "$PROJECT" --role roles/iam.workloadIdentityUser --member 'serviceAccount:example-project.svc.id.goog[edge/api]'
gcloud secrets add-iam-policy-binding edge-api-UPSTREAM_TOKEN --project "$PROJECT" --role roles/secretmanager.secretAccessor --member serviceAccount:edge-staging-api@example-project.iam.gserviceaccount.com

# External Secrets Operator ClusterSecretStore 'edge-secrets': sync the secrets of api
gcloud iam service-accounts create edge-staging-secret-store --project "$PROJECT" --display-name 'edge/edge-secret-store (staging)'
gcloud iam service-accounts add-iam-policy-binding edge-staging-secret-store@example-project.iam.gserviceaccount.com --project "$PROJECT" --role roles/iam.workloadIdentityUser --member 'serviceAccount:example-project.svc.id.goog[edge/edge-secret-store]'
gcloud secrets add-iam-policy-binding edge-api-UPSTREAM_TOKEN --project "$PROJECT" --role roles/secretmanager.secretAccessor --member serviceAccount:edge-staging-secret-store@example-project.iam.gserviceaccount.com
