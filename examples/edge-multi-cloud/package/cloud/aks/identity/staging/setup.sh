#!/usr/bin/env bash
# Workload identities of edge (staging) on the AKS cluster edge-staging.
# Needs az, a cluster created with --enable-oidc-issuer --enable-workload-identity,
# and the Key Vault kv-edge-staging (RBAC authorization) holding the secrets.
# Replaces the placeholder client ids of the overlay with the real ones.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../../.." && pwd)"
RG=rg-edge-staging
CLUSTER=edge-staging
# Portable in-place substitution (GNU and BSD sed differ on -i).
replace() { local tmp; tmp="$(mktemp)"; sed "s/$1/$2/g" "$3" > "$tmp" && cat "$tmp" > "$3" && rm -f "$tmp"; }
ISSUER="$(az aks show -g "$RG" -n "$CLUSTER" --query oidcIssuerProfile.issuerUrl -o tsv)"
VAULT_ID="$(az keyvault show -g "$RG" -n kv-edge-staging --query id -o tsv)"

# api: read its own secrets
az identity create -g "$RG" -n id-edge-staging-api --output none
CLIENT_ID="$(az identity show -g "$RG" -n id-edge-staging-api --query clientId -o tsv)"
PRINCIPAL_ID="$(az identity show -g "$RG" -n id-edge-staging-api --query principalId -o tsv)"
az identity federated-credential create -g "$RG" --identity-name id-edge-staging-api --name edge-staging-edge-api --issuer "$ISSUER" --subject system:serviceaccount:edge:api --audiences api://AzureADTokenExchange --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/edge-api-UPSTREAM-TOKEN" --output none
replace 00000000-0000-0000-0000-303186bf8da1 "$CLIENT_ID" "$ROOT/kustomize/staging/overlays/aks/patches/api-service-account.yaml"

# External Secrets Operator ClusterSecretStore 'edge-secrets': sync the secrets of api
az identity create -g "$RG" -n id-edge-staging-secret-store --output none
CLIENT_ID="$(az identity show -g "$RG" -n id-edge-staging-secret-store --query clientId -o tsv)"
PRINCIPAL_ID="$(az identity show -g "$RG" -n id-edge-staging-secret-store --query principalId -o tsv)"
az identity federated-credential create -g "$RG" --identity-name id-edge-staging-secret-store --name edge-staging-edge-edge-secret-store --issuer "$ISSUER" --subject system:serviceaccount:edge:edge-secret-store --audiences api://AzureADTokenExchange --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/edge-api-UPSTREAM-TOKEN" --output none
replace 00000000-0000-0000-0000-1ad2cbf48ec1 "$CLIENT_ID" "$ROOT/cloud/aks/staging/secret-store.yaml"
