#!/usr/bin/env bash
# Workload Identity of marketplace (staging) on the GKE cluster marketplace-staging.
# Needs gcloud, the secrets created in Secret Manager, and a cluster with
# Workload Identity (Autopilot always; Standard: --workload-pool=acme.svc.id.goog).
set -euo pipefail
PROJECT=acme

# checkout: read its own secrets
gcloud iam service-accounts create marketplace-staging-checkout --project "$PROJECT" --display-name 'marketplace/checkout (staging)'
gcloud iam service-accounts add-iam-policy-binding marketplace-staging-checkout@acme.iam.gserviceaccount.com --project "$PROJECT" --role roles/iam.workloadIdentityUser --member 'serviceAccount:acme.svc.id.goog[marketplace/checkout]'
gcloud secrets add-iam-policy-binding marketplace-checkout-PAYMENT_API_KEY --project "$PROJECT" --role roles/secretmanager.secretAccessor --member serviceAccount:marketplace-staging-checkout@acme.iam.gserviceaccount.com

# External Secrets Operator ClusterSecretStore 'marketplace-secrets': sync the secrets of checkout
gcloud iam service-accounts create marketplace-staging-sec-7be2fb --project "$PROJECT" --display-name 'marketplace/marketplace-secret-store (staging)'
gcloud iam service-accounts add-iam-policy-binding marketplace-staging-sec-7be2fb@acme.iam.gserviceaccount.com --project "$PROJECT" --role roles/iam.workloadIdentityUser --member 'serviceAccount:acme.svc.id.goog[marketplace/marketplace-secret-store]'
gcloud secrets add-iam-policy-binding marketplace-checkout-PAYMENT_API_KEY --project "$PROJECT" --role roles/secretmanager.secretAccessor --member serviceAccount:marketplace-staging-sec-7be2fb@acme.iam.gserviceaccount.com
