#!/usr/bin/env bash
# Workload identities of payments (staging) on the AKS cluster payments-staging.
# Needs az, a cluster created with --enable-oidc-issuer --enable-workload-identity,
# and the Key Vault kv-payments-staging (RBAC authorization) holding the secrets.
# Replaces the placeholder client ids of the overlay with the real ones.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../../.." && pwd)"
RG=rg-payments-staging
CLUSTER=payments-staging
# Portable in-place substitution (GNU and BSD sed differ on -i).
replace() { local tmp; tmp="$(mktemp)"; sed "s/$1/$2/g" "$3" > "$tmp" && cat "$tmp" > "$3" && rm -f "$tmp"; }
ISSUER="$(az aks show -g "$RG" -n "$CLUSTER" --query oidcIssuerProfile.issuerUrl -o tsv)"
VAULT_ID="$(az keyvault show -g "$RG" -n kv-payments-staging --query id -o tsv)"

# payments: read its own secrets
az identity create -g "$RG" -n id-payments-staging-payments --output none
CLIENT_ID="$(az identity show -g "$RG" -n id-payments-staging-payments --query clientId -o tsv)"
PRINCIPAL_ID="$(az identity show -g "$RG" -n id-payments-staging-payments --query principalId -o tsv)"
az identity federated-credential create -g "$RG" --identity-name id-payments-staging-payments --name payments-staging-payments-payments --issuer "$ISSUER" --subject system:serviceaccount:payments:payments --audiences api://AzureADTokenExchange --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/payments-payments-PSP-API-KEY" --output none
replace 00000000-0000-0000-0000-4da3fcf07137 "$CLIENT_ID" "$ROOT/kustomize/staging/overlays/aks/patches/payments-service-account.yaml"

# ledger: read its own secrets
az identity create -g "$RG" -n id-payments-staging-ledger --output none
CLIENT_ID="$(az identity show -g "$RG" -n id-payments-staging-ledger --query clientId -o tsv)"
PRINCIPAL_ID="$(az identity show -g "$RG" -n id-payments-staging-ledger --query principalId -o tsv)"
az identity federated-credential create -g "$RG" --identity-name id-payments-staging-ledger --name payments-staging-payments-ledger --issuer "$ISSUER" --subject system:serviceaccount:payments:ledger --audiences api://AzureADTokenExchange --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/payments-ledger-LEDGER-DB-URL" --output none
replace 00000000-0000-0000-0000-6f90b4014e22 "$CLIENT_ID" "$ROOT/kustomize/staging/overlays/aks/patches/ledger-service-account.yaml"

# settlement: read its own secrets
az identity create -g "$RG" -n id-payments-staging-settlement --output none
CLIENT_ID="$(az identity show -g "$RG" -n id-payments-staging-settlement --query clientId -o tsv)"
PRINCIPAL_ID="$(az identity show -g "$RG" -n id-payments-staging-settlement --query principalId -o tsv)"
az identity federated-credential create -g "$RG" --identity-name id-payments-staging-settlement --name payments-staging-payments-settlement --issuer "$ISSUER" --subject system:serviceaccount:payments:settlement --audiences api://AzureADTokenExchange --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/payments-settlement-LEDGER-DB-URL" --output none
replace 00000000-0000-0000-0000-212cb70ed998 "$CLIENT_ID" "$ROOT/kustomize/staging/overlays/aks/patches/settlement-service-account.yaml"

# External Secrets Operator ClusterSecretStore 'payments-secrets': sync the secrets of payments, ledger, settlement
az identity create -g "$RG" -n id-payments-staging-secret-store --output none
CLIENT_ID="$(az identity show -g "$RG" -n id-payments-staging-secret-store --query clientId -o tsv)"
PRINCIPAL_ID="$(az identity show -g "$RG" -n id-payments-staging-secret-store --query principalId -o tsv)"
az identity federated-credential create -g "$RG" --identity-name id-payments-staging-secret-store --name payments-staging-payments-payments-secret-store --issuer "$ISSUER" --subject system:serviceaccount:payments:payments-secret-store --audiences api://AzureADTokenExchange --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/payments-payments-PSP-API-KEY" --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/payments-ledger-LEDGER-DB-URL" --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/payments-settlement-LEDGER-DB-URL" --output none
replace 00000000-0000-0000-0000-21012be4f188 "$CLIENT_ID" "$ROOT/cloud/aks/staging/secret-store.yaml"
