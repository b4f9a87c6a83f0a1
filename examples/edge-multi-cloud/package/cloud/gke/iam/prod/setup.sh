#!/usr/bin/env bash
# Workload Identity of edge (prod) on the GKE cluster edge-prod.
# Needs gcloud, the secrets created in Secret Manager, and a cluster with
# Workload Identity (Autopilot always; Standard: --workload-pool=example-project.svc.id.goog).
set -euo pipefail
PROJECT=example-project

# api: read its own secrets
gcloud iam service-accounts create edge-prod-api --project "$PROJECT" --display-name 'edge/api (prod)'
gcloud iam service-accounts add-iam-policy-binding edge-prod-api@example-project.iam.gserviceaccount.com --project "$PROJECT" --role roles/iam.workloadIdentityUser --member 'serviceAccount:example-project.svc.id.goog[edge/api]'
gcloud secrets add-iam-policy-binding edge-api-UPSTREAM_TOKEN --project "$PROJECT" --role roles/secretmanager.secretAccessor --member serviceAccount:edge-prod-api@example-project.iam.gserviceaccount.com

# External Secrets Operator ClusterSecretStore 'edge-secrets': sync the secrets of api
gcloud iam service-accounts create edge-prod-secret-store --project "$PROJECT" --display-name 'edge/edge-secret-store (prod)'
gcloud iam service-accounts add-iam-policy-binding edge-prod-secret-store@example-project.iam.gserviceaccount.com --project "$PROJECT" --role roles/iam.workloadIdentityUser --member 'serviceAccount:example-project.svc.id.goog[edge/edge-secret-store]'
gcloud secrets add-iam-policy-binding edge-api-UPSTREAM_TOKEN --project "$PROJECT" --role roles/secretmanager.secretAccessor --member serviceAccount:edge-prod-secret-store@example-project.iam.gserviceaccount.com
