#!/usr/bin/env bash
# IRSA roles of backstage-portal (staging), for the EKS cluster backstage-portal-staging.
# Needs the aws CLI, credentials of the target account, and the cluster's
# IAM OIDC provider (eksctl utils associate-iam-oidc-provider --cluster backstage-portal-staging --approve).
# The JSON documents carry the account and OIDC id they were generated with;
# this script substitutes the real ones.
set -euo pipefail
cd "$(dirname "$0")"
CLUSTER=backstage-portal-staging
REGION=eu-west-1
DOCUMENT_ACCOUNT=123456789012
DOCUMENT_OIDC_ID=EXAMPLED539D4633E53DE1B71EXAMPLE
ACCOUNT_ID="$(aws sts get-caller-identity --query Account --output text)"
OIDC_ID="$(aws eks describe-cluster --name "$CLUSTER" --region "$REGION" --query cluster.identity.oidc.issuer --output text | awk -F/ '{print $NF}')"
if [ "$ACCOUNT_ID" != "$DOCUMENT_ACCOUNT" ]; then
  echo "note: account $ACCOUNT_ID differs from $DOCUMENT_ACCOUNT: update the eks.amazonaws.com/role-arn annotations of the overlay" >&2
fi
render() { sed -e "s/${DOCUMENT_ACCOUNT}/${ACCOUNT_ID}/g" -e "s/${DOCUMENT_OIDC_ID}/${OIDC_ID}/g" "$1"; }

# backstage: read its own secrets
aws iam create-role --role-name backstage-portal-staging-backstage --assume-role-policy-document "$(render backstage-trust-policy.json)" --description 'IRSA backstage-portal/backstage'
aws iam put-role-policy --role-name backstage-portal-staging-backstage --policy-name secrets-read --policy-document "$(render backstage-policy.json)"

# postgres: read its own secrets
aws iam create-role --role-name backstage-portal-staging-postgres --assume-role-policy-document "$(render postgres-trust-policy.json)" --description 'IRSA backstage-portal/postgres'
aws iam put-role-policy --role-name backstage-portal-staging-postgres --policy-name secrets-read --policy-document "$(render postgres-policy.json)"

# External Secrets Operator ClusterSecretStore 'backstage-portal-secrets': sync the secrets of backstage, postgres
aws iam create-role --role-name backstage-portal-staging-secret-store --assume-role-policy-document "$(render backstage-portal-secret-store-trust-policy.json)" --description 'IRSA backstage-portal/backstage-portal-secret-store'
aws iam put-role-policy --role-name backstage-portal-staging-secret-store --policy-name secrets-read --policy-document "$(render backstage-portal-secret-store-policy.json)"
