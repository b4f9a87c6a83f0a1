#!/usr/bin/env bash
# Deploys main.json, then publishes every function to its own Flex
# Consumption app. Usage: serverless/azure/deploy.sh <resource-group>
set -euo pipefail
RG="${1:?usage: deploy.sh <resource-group>}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
STAGE="$ROOT/.build/azure"
az deployment group create --resource-group "$RG" --name serverless \
  --template-file "$ROOT/serverless/azure/main.json"
output() {
  az deployment group show --resource-group "$RG" --name serverless \
    --query "properties.outputs.$1.value" --output tsv
}
# publish <function> <host file> <app name output>
publish() {
  local fn="$1" host="$2" app
  app="$(output "$3")"
  rm -rf "${STAGE:?}/$fn" && mkdir -p "$STAGE/$fn/$fn"
  cp -R "$ROOT/services/$fn/." "$STAGE/$fn/"
  cp "$ROOT/serverless/azure/$host" "$STAGE/$fn/host.json"
  cp "$ROOT/serverless/azure/$fn/function.json" "$STAGE/$fn/$fn/function.json"
  (cd "$STAGE/$fn" && func azure functionapp publish "$app")
}
publish notify host.json notifyAppName
publish ocr host.json ocrAppName
