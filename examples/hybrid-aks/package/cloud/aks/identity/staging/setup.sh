#!/usr/bin/env bash
# Workload identities of claims (staging) on the AKS cluster claims-staging.
# Needs az, a cluster created with --enable-oidc-issuer --enable-workload-identity,
# and the Key Vault kv-claims-staging (RBAC authorization) holding the secrets.
# Replaces the placeholder client ids of the overlay with the real ones.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../../.." && pwd)"
RG=rg-claims-staging
CLUSTER=claims-staging
# Portable in-place substitution (GNU and BSD sed differ on -i).
replace() { local tmp; tmp="$(mktemp)"; sed "s/$1/$2/g" "$3" > "$tmp" && cat "$tmp" > "$3" && rm -f "$tmp"; }
ISSUER="$(az aks show -g "$RG" -n "$CLUSTER" --query oidcIssuerProfile.issuerUrl -o tsv)"
VAULT_ID="$(az keyvault show -g "$RG" -n kv-claims-staging --query id -o tsv)"

# claims-api: read its own secrets
az identity create -g "$RG" -n id-claims-staging-claims-api --output none
CLIENT_ID="$(az identity show -g "$RG" -n id-claims-staging-claims-api --query clientId -o tsv)"
PRINCIPAL_ID="$(az identity show -g "$RG" -n id-claims-staging-claims-api --query principalId -o tsv)"
az identity federated-credential create -g "$RG" --identity-name id-claims-staging-claims-api --name claims-staging-claims-claims-api --issuer "$ISSUER" --subject system:serviceaccount:claims:claims-api --audiences api://AzureADTokenExchange --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/claims-claims-api-CONNECTION-STRING" --output none
replace 00000000-0000-0000-0000-fc0501d52b09 "$CLIENT_ID" "$ROOT/kustomize/staging/overlays/aks/patches/claims-api-service-account.yaml"

# claims-db: read its own secrets
az identity create -g "$RG" -n id-claims-staging-claims-db --output none
CLIENT_ID="$(az identity show -g "$RG" -n id-claims-staging-claims-db --query clientId -o tsv)"
PRINCIPAL_ID="$(az identity show -g "$RG" -n id-claims-staging-claims-db --query principalId -o tsv)"
az identity federated-credential create -g "$RG" --identity-name id-claims-staging-claims-db --name claims-staging-claims-claims-db --issuer "$ISSUER" --subject system:serviceaccount:claims:claims-db --audiences api://AzureADTokenExchange --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/claims-claims-db-POSTGRES-PASSWORD" --output none
replace 00000000-0000-0000-0000-e28d6a0f3987 "$CLIENT_ID" "$ROOT/kustomize/staging/overlays/aks/patches/claims-db-service-account.yaml"

# External Secrets Operator ClusterSecretStore 'claims-secrets': sync the secrets of claims-api, claims-db
az identity create -g "$RG" -n id-claims-staging-secret-store --output none
CLIENT_ID="$(az identity show -g "$RG" -n id-claims-staging-secret-store --query clientId -o tsv)"
PRINCIPAL_ID="$(az identity show -g "$RG" -n id-claims-staging-secret-store --query principalId -o tsv)"
az identity federated-credential create -g "$RG" --identity-name id-claims-staging-secret-store --name claims-staging-claims-claims-secret-store --issuer "$ISSUER" --subject system:serviceaccount:claims:claims-secret-store --audiences api://AzureADTokenExchange --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/claims-claims-api-CONNECTION-STRING" --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/claims-claims-db-POSTGRES-PASSWORD" --output none
replace 00000000-0000-0000-0000-7950e4f16055 "$CLIENT_ID" "$ROOT/cloud/aks/staging/secret-store.yaml"
