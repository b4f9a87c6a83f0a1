#!/usr/bin/env bash
# Workload identities of payments (prod) on the AKS cluster payments-prod.
# Needs az, a cluster created with --enable-oidc-issuer --enable-workload-identity,
# and the Key Vault kv-payments-prod (RBAC authorization) holding the secrets.
# Replaces the placeholder client ids of the overlay with the real ones.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../../.." && pwd)"
RG=rg-payments-prod
CLUSTER=payments-prod
# Portable in-place substitution (GNU and BSD sed differ on -i).
replace() { local tmp; tmp="$(mktemp)"; sed "s/$1/$2/g" "$3" > "$tmp" && cat "$tmp" > "$3" && rm -f "$tmp"; }
ISSUER="$(az aks show -g "$RG" -n "$CLUSTER" --query oidcIssuerProfile.issuerUrl -o tsv)"
VAULT_ID="$(az keyvault show -g "$RG" -n kv-payments-prod --query id -o tsv)"

# payments: read its own secrets
az identity create -g "$RG" -n id-payments-prod-payments --output none
CLIENT_ID="$(az identity show -g "$RG" -n id-payments-prod-payments --query clientId -o tsv)"
PRINCIPAL_ID="$(az identity show -g "$RG" -n id-payments-prod-payments --query principalId -o tsv)"
az identity federated-credential create -g "$RG" --identity-name id-payments-prod-payments --name payments-prod-payments-payments --issuer "$ISSUER" --subject system:serviceaccount:payments:payments --audiences api://AzureADTokenExchange --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/payments-payments-PSP-API-KEY" --output none
replace 00000000-0000-0000-0000-0ef96c3631a8 "$CLIENT_ID" "$ROOT/kustomize/prod/overlays/aks/patches/payments-service-account.yaml"

# ledger: read its own secrets
az identity create -g "$RG" -n id-payments-prod-ledger --output none
CLIENT_ID="$(az identity show -g "$RG" -n id-payments-prod-ledger --query clientId -o tsv)"
PRINCIPAL_ID="$(az identity show -g "$RG" -n id-payments-prod-ledger --query principalId -o tsv)"
az identity federated-credential create -g "$RG" --identity-name id-payments-prod-ledger --name payments-prod-payments-ledger --issuer "$ISSUER" --subject system:serviceaccount:payments:ledger --audiences api://AzureADTokenExchange --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/payments-ledger-LEDGER-DB-URL" --output none
replace 00000000-0000-0000-0000-29fcd93631e8 "$CLIENT_ID" "$ROOT/kustomize/prod/overlays/aks/patches/ledger-service-account.yaml"

# settlement: read its own secrets
az identity create -g "$RG" -n id-payments-prod-settlement --output none
CLIENT_ID="$(az identity show -g "$RG" -n id-payments-prod-settlement --query clientId -o tsv)"
PRINCIPAL_ID="$(az identity show -g "$RG" -n id-payments-prod-settlement --query principalId -o tsv)"
az identity federated-credential create -g "$RG" --identity-name id-payments-prod-settlement --name payments-prod-payments-settlement --issuer "$ISSUER" --subject system:serviceaccount:payments:settlement --audiences api://AzureADTokenExchange --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/payments-settlement-LEDGER-DB-URL" --output none
replace 00000000-0000-0000-0000-0b193492bf8a "$CLIENT_ID" "$ROOT/kustomize/prod/overlays/aks/patches/settlement-service-account.yaml"

# External Secrets Operator ClusterSecretStore 'payments-secrets': sync the secrets of payments, ledger, settlement
az identity create -g "$RG" -n id-payments-prod-secret-store --output none
CLIENT_ID="$(az identity show -g "$RG" -n id-payments-prod-secret-store --query clientId -o tsv)"
PRINCIPAL_ID="$(az identity show -g "$RG" -n id-payments-prod-secret-store --query principalId -o tsv)"
az identity federated-credential create -g "$RG" --identity-name id-payments-prod-secret-store --name payments-prod-payments-payments-secret-store --issuer "$ISSUER" --subject system:serviceaccount:payments:payments-secret-store --audiences api://AzureADTokenExchange --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/payments-payments-PSP-API-KEY" --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/payments-ledger-LEDGER-DB-URL" --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/payments-settlement-LEDGER-DB-URL" --output none
replace 00000000-0000-0000-0000-857d19f2a291 "$CLIENT_ID" "$ROOT/cloud/aks/prod/secret-store.yaml"
