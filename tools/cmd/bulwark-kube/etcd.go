package main

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
)

// parseURLs turns a comma separated list into URLs.
func parseURLs(name, value string) ([]url.URL, error) {
	var out []url.URL
	for _, s := range strings.Split(value, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		u, err := url.Parse(s)
		if err != nil {
			return nil, fmt.Errorf("--%s: %q: %w", name, s, err)
		}
		out = append(out, *u)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--%s: no URL given", name)
	}
	return out, nil
}

// runEtcd starts a single-member embedded etcd and blocks until SIGTERM or
// SIGINT, then closes it cleanly. It returns the process exit code.
func runEtcd(args []string) int {
	fs := flag.NewFlagSet("etcd", flag.ContinueOnError)
	name := fs.String("name", "default", "member name")
	dataDir := fs.String("data-dir", "", "data directory (required)")
	listenClient := fs.String("listen-client-urls", "http://127.0.0.1:2379", "comma separated client URLs to listen on")
	advertiseClient := fs.String("advertise-client-urls", "", "comma separated client URLs to advertise (default: listen-client-urls)")
	listenPeer := fs.String("listen-peer-urls", "http://127.0.0.1:2380", "comma separated peer URLs to listen on")
	advertisePeer := fs.String("initial-advertise-peer-urls", "", "peer URLs to advertise (default: listen-peer-urls)")
	listenMetrics := fs.String("listen-metrics-urls", "", "optional comma separated metrics URLs")
	logLevel := fs.String("log-level", "warn", "debug, info, warn, error")
	quota := fs.Int64("quota-backend-bytes", 0, "backend quota in bytes (0: etcd default)")
	noFsync := fs.Bool("unsafe-no-fsync", false, "disable fsync (test clusters only)")
	startTimeout := fs.Duration("start-timeout", 60*time.Second, "how long to wait for the server to become ready")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dataDir == "" {
		fmt.Fprintln(os.Stderr, "etcd: --data-dir is required")
		return 2
	}
	if *advertiseClient == "" {
		*advertiseClient = *listenClient
	}
	if *advertisePeer == "" {
		*advertisePeer = *listenPeer
	}

	cfg := embed.NewConfig()
	cfg.Name = *name
	cfg.Dir = *dataDir
	cfg.LogLevel = *logLevel
	cfg.UnsafeNoFsync = *noFsync
	// NewConfig leaves this at 0 (etcd's own CLI sets it from a flag default),
	// which would log every single request as "expensive".
	cfg.WarningUnaryRequestDuration = embed.DefaultWarningUnaryRequestDuration
	if *quota > 0 {
		cfg.QuotaBackendBytes = *quota
	}
	var err error
	if cfg.ListenClientUrls, err = parseURLs("listen-client-urls", *listenClient); err != nil {
		fmt.Fprintln(os.Stderr, "etcd:", err)
		return 2
	}
	if cfg.AdvertiseClientUrls, err = parseURLs("advertise-client-urls", *advertiseClient); err != nil {
		fmt.Fprintln(os.Stderr, "etcd:", err)
		return 2
	}
	if cfg.ListenPeerUrls, err = parseURLs("listen-peer-urls", *listenPeer); err != nil {
		fmt.Fprintln(os.Stderr, "etcd:", err)
		return 2
	}
	if cfg.AdvertisePeerUrls, err = parseURLs("initial-advertise-peer-urls", *advertisePeer); err != nil {
		fmt.Fprintln(os.Stderr, "etcd:", err)
		return 2
	}
	if *listenMetrics != "" {
		if cfg.ListenMetricsUrls, err = parseURLs("listen-metrics-urls", *listenMetrics); err != nil {
			fmt.Fprintln(os.Stderr, "etcd:", err)
			return 2
		}
	}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)

	// Register for signals before starting so an early SIGTERM is not lost.
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)

	e, err := embed.StartEtcd(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "etcd: start:", err)
		return 1
	}
	select {
	case <-e.Server.ReadyNotify():
		fmt.Fprintf(os.Stderr, "etcd: ready, serving clients on %s\n", *listenClient)
	case err := <-e.Err():
		fmt.Fprintln(os.Stderr, "etcd: failed while starting:", err)
		e.Close()
		return 1
	case <-time.After(*startTimeout):
		fmt.Fprintln(os.Stderr, "etcd: not ready within", *startTimeout)
		e.Server.Stop()
		e.Close()
		return 1
	case s := <-sigs:
		fmt.Fprintf(os.Stderr, "etcd: %s before ready, stopping\n", s)
		e.Close()
		return 0
	}

	code := 0
	select {
	case s := <-sigs:
		fmt.Fprintf(os.Stderr, "etcd: %s, shutting down\n", s)
	case err := <-e.Err():
		fmt.Fprintln(os.Stderr, "etcd: server error:", err)
		code = 1
	case <-e.Server.StopNotify():
		fmt.Fprintln(os.Stderr, "etcd: server stopped")
		code = 1
	}
	// A second signal while closing forces an exit.
	go func() {
		<-sigs
		fmt.Fprintln(os.Stderr, "etcd: second signal, exiting now")
		os.Exit(1)
	}()
	e.Close()
	fmt.Fprintln(os.Stderr, "etcd: stopped")
	return code
}
