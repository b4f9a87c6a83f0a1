//go:build tools

// The upstream commands scripts/cluster.sh builds from this module: the controller
// and the kubectl plugin the generated guides use (`kubectl argo rollouts ...`).
package tools

import (
	_ "github.com/argoproj/argo-rollouts/cmd/kubectl-argo-rollouts"
	_ "github.com/argoproj/argo-rollouts/cmd/rollouts-controller"
)
