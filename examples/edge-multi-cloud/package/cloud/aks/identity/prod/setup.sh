#!/usr/bin/env bash
# Workload identities of edge (prod) on the AKS cluster edge-prod.
# Needs az, a cluster created with --enable-oidc-issuer --enable-workload-identity,
# and the Key Vault kv-edge-prod (RBAC authorization) holding the secrets.
# Replaces the placeholder client ids of the overlay with the real ones.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../../.." && pwd)"
RG=rg-edge-prod
CLUSTER=edge-prod
# Portable in-place substitution (GNU and BSD sed differ on -i).
replace() { local tmp; tmp="$(mktemp)"; sed "s/$1/$2/g" "$3" > "$tmp" && cat "$tmp" > "$3" && rm -f "$tmp"; }
ISSUER="$(az aks show -g "$RG" -n "$CLUSTER" --query oidcIssuerProfile.issuerUrl -o tsv)"
VAULT_ID="$(az keyvault show -g "$RG" -n kv-edge-prod --query id -o tsv)"

# api: read its own secrets
az identity create -g "$RG" -n id-edge-prod-api --output none
CLIENT_ID="$(az identity show -g "$RG" -n id-edge-prod-api --query clientId -o tsv)"
PRINCIPAL_ID="$(az identity show -g "$RG" -n id-edge-prod-api --query principalId -o tsv)"
az identity federated-credential create -g "$RG" --identity-name id-edge-prod-api --name edge-prod-edge-api --issuer "$ISSUER" --subject system:serviceaccount:edge:api --audiences api://AzureADTokenExchange --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/edge-api-UPSTREAM-TOKEN" --output none
replace 00000000-0000-0000-0000-57b91b0c3a63 "$CLIENT_ID" "$ROOT/kustomize/prod/overlays/aks/patches/api-service-account.yaml"

# External Secrets Operator ClusterSecretStore 'edge-secrets': sync the secrets of api
az identity create -g "$RG" -n id-edge-prod-secret-store --output none
CLIENT_ID="$(az identity show -g "$RG" -n id-edge-prod-secret-store --query clientId -o tsv)"
PRINCIPAL_ID="$(az identity show -g "$RG" -n id-edge-prod-secret-store --query principalId -o tsv)"
az identity federated-credential create -g "$RG" --identity-name id-edge-prod-secret-store --name edge-prod-edge-edge-secret-store --issuer "$ISSUER" --subject system:serviceaccount:edge:edge-secret-store --audiences api://AzureADTokenExchange --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/edge-api-UPSTREAM-TOKEN" --output none
replace 00000000-0000-0000-0000-ead98cff32fd "$CLIENT_ID" "$ROOT/cloud/aks/prod/secret-store.yaml"
