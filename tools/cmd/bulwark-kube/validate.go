package main

import (
	"fmt"
	"os"
	"sort"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	kubeadmscheme "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/scheme"
	"k8s.io/kubernetes/cmd/kubeadm/app/componentconfigs"
	kubeadmutil "k8s.io/kubernetes/cmd/kubeadm/app/util"
	kubeadmconfig "k8s.io/kubernetes/cmd/kubeadm/app/util/config"
	"k8s.io/kubernetes/cmd/kubeadm/app/util/config/strict"
	kubeletconfig "k8s.io/kubernetes/pkg/kubelet/apis/config"
	kubeletscheme "k8s.io/kubernetes/pkg/kubelet/apis/config/scheme"
	kubeletvalidation "k8s.io/kubernetes/pkg/kubelet/apis/config/validation"
)

// runValidateConfig checks configuration files with the upstream decoders and validators that
// kubeadm and the kubelet run on them: every document decoded strictly (an unknown or misspelled
// field is an error), kubeadm's InitConfiguration/ClusterConfiguration and JoinConfiguration
// defaulted and validated as `kubeadm init/join --config` does (CRI detection skipped), and every
// KubeletConfiguration validated as the kubelet does at start. It prints one line per file and
// returns 1 when any file fails.
func runValidateConfig(files []string) int {
	if len(files) == 0 {
		fmt.Fprintln(os.Stderr, "validate-config: no file given")
		return 2
	}
	code := 0
	for _, f := range files {
		kinds, err := validateFile(f)
		if err != nil {
			fmt.Printf("FAIL %s: %v\n", f, err)
			code = 1
			continue
		}
		fmt.Printf("ok %s: %v\n", f, kinds)
	}
	return code
}

func validateFile(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	docs, err := kubeadmutil.SplitConfigDocuments(data)
	if err != nil {
		return nil, err
	}
	var kinds []string
	init, join := false, false
	for gvk, content := range docs {
		kinds = append(kinds, gvk.Kind)
		switch gvk.Group {
		case "kubelet.config.k8s.io":
			if err := validateKubelet(content); err != nil {
				return nil, fmt.Errorf("%s: %w", gvk.Kind, err)
			}
		case "kubeadm.k8s.io":
			if err := strict.VerifyUnmarshalStrict([]*runtime.Scheme{kubeadmscheme.Scheme, componentconfigs.Scheme}, gvk, content); err != nil {
				return nil, err
			}
			init = init || gvk.Kind == "InitConfiguration" || gvk.Kind == "ClusterConfiguration"
			join = join || gvk.Kind == "JoinConfiguration"
		default:
			return nil, fmt.Errorf("%s is neither a kubeadm nor a kubelet configuration", gvk)
		}
	}
	sort.Strings(kinds)
	if init {
		if _, err := kubeadmconfig.BytesToInitConfiguration(data, true); err != nil {
			return nil, err
		}
	}
	if join {
		if _, err := kubeadmconfig.BytesToJoinConfiguration(data, kubeadmconfig.LoadOrDefaultConfigurationOptions{SkipCRIDetect: true}); err != nil {
			return nil, err
		}
	}
	return kinds, nil
}

// validateKubelet decodes a KubeletConfiguration strictly, applies the kubelet's defaults and runs
// the kubelet's own validation against the default feature gates.
func validateKubelet(content []byte) error {
	_, codecs, err := kubeletscheme.NewSchemeAndCodecs(serializer.EnableStrict)
	if err != nil {
		return err
	}
	obj, _, err := codecs.UniversalDecoder().Decode(content, nil, nil)
	if err != nil {
		return err
	}
	kc, ok := obj.(*kubeletconfig.KubeletConfiguration)
	if !ok {
		return fmt.Errorf("decoded a %T, not a KubeletConfiguration", obj)
	}
	// The kubelet also refuses to start on a cgroup v1 host (failCgroupV1, on by default): that is a
	// fact about this machine, not about the file, so it is left out here.
	kc.FailCgroupV1 = false
	return kubeletvalidation.ValidateKubeletConfiguration(kc, utilfeature.DefaultFeatureGate)
}
