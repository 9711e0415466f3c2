// Command bulwark-kube is a single binary that carries the upstream control
// plane components Bulwark's end-to-end tests run on loopback:
//
//	bulwark-kube apiserver [kube-apiserver flags]
//	bulwark-kube scheduler [kube-scheduler flags]
//	bulwark-kube etcd      [--data-dir ... --listen-client-urls ...]
//	bulwark-kube validate-config FILE...   (kubeadm and kubelet configuration, upstream validation)
//	bulwark-kube version
//
// The apiserver and scheduler subcommands run the unmodified upstream cobra
// commands from k8s.io/kubernetes; etcd is an embedded single-member server.
package main

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"
	"k8s.io/component-base/cli"
	apiserverapp "k8s.io/kubernetes/cmd/kube-apiserver/app"
	schedulerapp "k8s.io/kubernetes/cmd/kube-scheduler/app"
)

func usage() {
	fmt.Fprintf(os.Stderr, "usage: %s <apiserver|scheduler|etcd|validate-config|version> [flags]\n", os.Args[0])
}

// runCobra runs an upstream command with the arguments that follow the
// subcommand name, so its own flag parsing sees exactly what it expects.
func runCobra(cmd *cobra.Command, args []string) int {
	cmd.SetArgs(args)
	return cli.Run(cmd)
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	sub, args := os.Args[1], os.Args[2:]
	watchParent()
	switch sub {
	case "apiserver", "kube-apiserver":
		os.Exit(runCobra(apiserverapp.NewAPIServerCommand(), args))
	case "scheduler", "kube-scheduler":
		os.Exit(runCobra(schedulerapp.NewSchedulerCommand(), args))
	case "etcd":
		os.Exit(runEtcd(args))
	case "validate-config":
		os.Exit(runValidateConfig(args))
	case "version", "--version":
		printVersions()
	case "-h", "--help", "help":
		usage()
	default:
		fmt.Fprintf(os.Stderr, "unknown subcommand %q\n", sub)
		usage()
		os.Exit(2)
	}
}

// printVersions prints the module versions compiled into this binary.
func printVersions() {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Println("bulwark-kube (no build info)")
		return
	}
	fmt.Printf("bulwark-kube %s\n", info.GoVersion)
	for _, dep := range info.Deps {
		switch dep.Path {
		case "k8s.io/kubernetes", "go.etcd.io/etcd/server/v3", "k8s.io/apiserver":
			v := dep.Version
			if dep.Replace != nil {
				v = dep.Replace.Version
			}
			fmt.Printf("%s %s\n", dep.Path, v)
		}
	}
}
