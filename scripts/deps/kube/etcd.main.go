// Wrapper main for scripts/deps/kube.sh: etcd's own entry point, built from the served
// go.etcd.io/etcd/server/v3 module (its go.mod's relative replaces refuse `go install`).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
