package main

import (
	"fmt"
	"os"
	"syscall"
	"time"
)

// exitWithParentEnv, when set to a non-empty value, makes bulwark-kube stop
// itself once the process that started it is gone. The e2e harness sets it so
// a test runner that dies (even by SIGKILL) leaves no control plane behind.
const exitWithParentEnv = "BULWARK_EXIT_WITH_PARENT"

// watchParent polls the parent pid; when it changes (the parent died and the
// process was re-parented) it sends SIGTERM to itself for a clean shutdown,
// and exits hard if that has not finished within 15 seconds.
func watchParent() {
	if os.Getenv(exitWithParentEnv) == "" {
		return
	}
	ppid := os.Getppid()
	go func() {
		ticker := time.NewTicker(time.Second)
		defer ticker.Stop()
		for range ticker.C {
			if os.Getppid() == ppid {
				continue
			}
			fmt.Fprintf(os.Stderr, "bulwark-kube: parent process %d is gone, shutting down\n", ppid)
			_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
			time.Sleep(15 * time.Second)
			fmt.Fprintln(os.Stderr, "bulwark-kube: still running 15s after SIGTERM, exiting")
			os.Exit(1)
		}
	}()
}
