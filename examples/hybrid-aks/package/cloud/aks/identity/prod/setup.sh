#!/usr/bin/env bash
# Workload identities of claims (prod) on the AKS cluster claims-prod.
# Needs az, a cluster created with --enable-oidc-issuer --enable-workload-identity,
# and the Key Vault kv-claims-prod (RBAC authorization) holding the secrets.
# Replaces the placeholder client ids of the overlay with the real ones.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../../.." && pwd)"
RG=rg-claims-prod
CLUSTER=claims-prod
# Portable in-place substitution (GNU and BSD sed differ on -i).
replace() { local tmp; tmp="$(mktemp)"; sed "s/$1/$2/g" "$3" > "$tmp" && cat "$tmp" > "$3" && rm -f "$tmp"; }
ISSUER="$(az aks show -g "$RG" -n "$CLUSTER" --query oidcIssuerProfile.issuerUrl -o tsv)"
VAULT_ID="$(az keyvault show -g "$RG" -n kv-claims-prod --query id -o tsv)"

# claims-api: read its own secrets
az identity create -g "$RG" -n id-claims-prod-claims-api --output none
CLIENT_ID="$(az identity show -g "$RG" -n id-claims-prod-claims-api --query clientId -o tsv)"
PRINCIPAL_ID="$(az identity show -g "$RG" -n id-claims-prod-claims-api --query principalId -o tsv)"
az identity federated-credential create -g "$RG" --identity-name id-claims-prod-claims-api --name claims-prod-claims-claims-api --issuer "$ISSUER" --subject system:serviceaccount:claims:claims-api --audiences api://AzureADTokenExchange --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/claims-claims-api-CONNECTION-STRING" --output none
replace 00000000-0000-0000-0000-2bfd7d0f0fc7 "$CLIENT_ID" "$ROOT/kustomize/prod/overlays/aks/patches/claims-api-service-account.yaml"

# claims-db: read its own secrets
az identity create -g "$RG" -n id-claims-prod-claims-db --output none
CLIENT_ID="$(az identity show -g "$RG" -n id-claims-prod-claims-db --query clientId -o tsv)"
PRINCIPAL_ID="$(az identity show -g "$RG" -n id-claims-prod-claims-db --query principalId -o tsv)"
az identity federated-credential create -g "$RG" --identity-name id-claims-prod-claims-db --name claims-prod-claims-claims-db --issuer "$ISSUER" --subject system:serviceaccount:claims:claims-db --audiences api://AzureADTokenExchange --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/claims-claims-db-POSTGRES-PASSWORD" --output none
replace 00000000-0000-0000-0000-208e14a8b101 "$CLIENT_ID" "$ROOT/kustomize/prod/overlays/aks/patches/claims-db-service-account.yaml"

# External Secrets Operator ClusterSecretStore 'claims-secrets': sync the secrets of claims-api, claims-db
az identity create -g "$RG" -n id-claims-prod-secret-store --output none
CLIENT_ID="$(az identity show -g "$RG" -n id-claims-prod-secret-store --query clientId -o tsv)"
PRINCIPAL_ID="$(az identity show -g "$RG" -n id-claims-prod-secret-store --query principalId -o tsv)"
az identity federated-credential create -g "$RG" --identity-name id-claims-prod-secret-store --name claims-prod-claims-claims-secret-store --issuer "$ISSUER" --subject system:serviceaccount:claims:claims-secret-store --audiences api://AzureADTokenExchange --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/claims-claims-api-CONNECTION-STRING" --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/claims-claims-db-POSTGRES-PASSWORD" --output none
replace 00000000-0000-0000-0000-a4b344a30161 "$CLIENT_ID" "$ROOT/cloud/aks/prod/secret-store.yaml"
