#!/usr/bin/env bash
# Workload identities of payments (dev) on the AKS cluster payments-dev.
# Needs az, a cluster created with --enable-oidc-issuer --enable-workload-identity,
# and the Key Vault kv-payments-dev (RBAC authorization) holding the secrets.
# Replaces the placeholder client ids of the overlay with the real ones.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../../.." && pwd)"
RG=rg-payments-dev
CLUSTER=payments-dev
# Portable in-place substitution (GNU and BSD sed differ on -i).
replace() { local tmp; tmp="$(mktemp)"; sed "s/$1/$2/g" "$3" > "$tmp" && cat "$tmp" > "$3" && rm -f "$tmp"; }
ISSUER="$(az aks show -g "$RG" -n "$CLUSTER" --query oidcIssuerProfile.issuerUrl -o tsv)"
VAULT_ID="$(az keyvault show -g "$RG" -n kv-payments-dev --query id -o tsv)"

# payments: read its own secrets
az identity create -g "$RG" -n id-payments-dev-payments --output none
CLIENT_ID="$(az identity show -g "$RG" -n id-payments-dev-payments --query clientId -o tsv)"
PRINCIPAL_ID="$(az identity show -g "$RG" -n id-payments-dev-payments --query principalId -o tsv)"
az identity federated-credential create -g "$RG" --identity-name id-payments-dev-payments --name payments-dev-payments-payments --issuer "$ISSUER" --subject system:serviceaccount:payments:payments --audiences api://AzureADTokenExchange --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/payments-payments-PSP-API-KEY" --output none
replace 00000000-0000-0000-0000-0c223c2775d7 "$CLIENT_ID" "$ROOT/kustomize/dev/overlays/aks/patches/payments-service-account.yaml"

# ledger: read its own secrets
az identity create -g "$RG" -n id-payments-dev-ledger --output none
CLIENT_ID="$(az identity show -g "$RG" -n id-payments-dev-ledger --query clientId -o tsv)"
PRINCIPAL_ID="$(az identity show -g "$RG" -n id-payments-dev-ledger --query principalId -o tsv)"
az identity federated-credential create -g "$RG" --identity-name id-payments-dev-ledger --name payments-dev-payments-ledger --issuer "$ISSUER" --subject system:serviceaccount:payments:ledger --audiences api://AzureADTokenExchange --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/payments-ledger-LEDGER-DB-URL" --output none
replace 00000000-0000-0000-0000-d9b06a5a8401 "$CLIENT_ID" "$ROOT/kustomize/dev/overlays/aks/patches/ledger-service-account.yaml"

# settlement: read its own secrets
az identity create -g "$RG" -n id-payments-dev-settlement --output none
CLIENT_ID="$(az identity show -g "$RG" -n id-payments-dev-settlement --query clientId -o tsv)"
PRINCIPAL_ID="$(az identity show -g "$RG" -n id-payments-dev-settlement --query principalId -o tsv)"
az identity federated-credential create -g "$RG" --identity-name id-payments-dev-settlement --name payments-dev-payments-settlement --issuer "$ISSUER" --subject system:serviceaccount:payments:settlement --audiences api://AzureADTokenExchange --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/payments-settlement-LEDGER-DB-URL" --output none
replace 00000000-0000-0000-0000-97a29b7d05d8 "$CLIENT_ID" "$ROOT/kustomize/dev/overlays/aks/patches/settlement-service-account.yaml"

# External Secrets Operator ClusterSecretStore 'payments-secrets': sync the secrets of payments, ledger, settlement
az identity create -g "$RG" -n id-payments-dev-secret-store --output none
CLIENT_ID="$(az identity show -g "$RG" -n id-payments-dev-secret-store --query clientId -o tsv)"
PRINCIPAL_ID="$(az identity show -g "$RG" -n id-payments-dev-secret-store --query principalId -o tsv)"
az identity federated-credential create -g "$RG" --identity-name id-payments-dev-secret-store --name payments-dev-payments-payments-secret-store --issuer "$ISSUER" --subject system:serviceaccount:payments:payments-secret-store --audiences api://AzureADTokenExchange --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/payments-payments-PSP-API-KEY" --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/payments-ledger-LEDGER-DB-URL" --output none
az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope "$VAULT_ID/secrets/payments-settlement-LEDGER-DB-URL" --output none
replace 00000000-0000-0000-0000-d38cad9a4285 "$CLIENT_ID" "$ROOT/cloud/aks/dev/secret-store.yaml"
