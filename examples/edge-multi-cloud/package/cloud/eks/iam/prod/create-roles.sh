#!/usr/bin/env bash
# IRSA roles of edge (prod), for the EKS cluster edge-prod.
# Needs the aws CLI, credentials of the target account, and the cluster's
# IAM OIDC provider (eksctl utils associate-iam-oidc-provider --cluster edge-prod --approve).
# The JSON documents carry the account and OIDC id they were generated with;
# this script substitutes the real ones.
set -euo pipefail
cd "$(dirname "$0")"
CLUSTER=edge-prod
REGION=us-east-1
DOCUMENT_ACCOUNT=123456789012
DOCUMENT_OIDC_ID=EXAMPLED539D4633E53DE1B71EXAMPLE
ACCOUNT_ID="$(aws sts get-caller-identity --query Account --output text)"
OIDC_ID="$(aws eks describe-cluster --name "$CLUSTER" --region "$REGION" --query cluster.identity.oidc.issuer --output text | awk -F/ '{print $NF}')"
if [ "$ACCOUNT_ID" != "$DOCUMENT_ACCOUNT" ]; then
  echo "note: account $ACCOUNT_ID differs from $DOCUMENT_ACCOUNT: update the eks.amazonaws.com/role-arn annotations of the overlay" >&2
fi
render() { sed -e "s/${DOCUMENT_ACCOUNT}/${ACCOUNT_ID}/g" -e "s/${DOCUMENT_OIDC_ID}/${OIDC_ID}/g" "$1"; }

# api: read its own secrets
aws iam create-role --role-name edge-prod-api --assume-role-policy-document "$(render api-trust-policy.json)" --description 'IRSA edge/api'
aws iam put-role-policy --role-name edge-prod-api --policy-name secrets-read --policy-document "$(render api-policy.json)"

# External Secrets Operator ClusterSecretStore 'edge-secrets': sync the secrets of api
aws iam create-role --role-name edge-prod-secret-store --assume-role-policy-document "$(render edge-secret-store-trust-policy.json)" --description 'IRSA edge/edge-secret-store'
aws iam put-role-policy --role-name edge-prod-secret-store --policy-name secrets-read --policy-document "$(render edge-secret-store-policy.json)"
