package provider

import (
	"reflect"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	corev1listers "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"

	"knative-desk/playground/virtual-node/images"
)

func TestResolveEnvLikeTheKubelet(t *testing.T) {
	indexer := func(objs ...runtime.Object) cache.Indexer {
		idx := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{})
		for _, o := range objs {
			_ = idx.Add(o)
		}
		return idx
	}
	cms := corev1listers.NewConfigMapLister(indexer(&corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "settings"},
		Data:       map[string]string{"greeting": "hello", "PORT": "8080"},
	}))
	secrets := corev1listers.NewSecretLister(indexer(&corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "creds"},
		Data:       map[string][]byte{"token": []byte("s3cret")},
	}))
	sources := envSources{configMaps: cms, secrets: secrets, podIP: "10.213.0.5", hostIP: "10.213.0.1"}
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "p", Labels: map[string]string{"app": "web"}}}
	optional := true
	c := &corev1.Container{
		EnvFrom: []corev1.EnvFromSource{{Prefix: "CFG_", ConfigMapRef: &corev1.ConfigMapEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "settings"}}}},
		Env: []corev1.EnvVar{
			{Name: "SERVING_POD_IP", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "status.podIP"}}},
			{Name: "APP", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.labels['app']"}}},
			{Name: "GREETING", ValueFrom: &corev1.EnvVarSource{ConfigMapKeyRef: &corev1.ConfigMapKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "settings"}, Key: "greeting"}}},
			{Name: "TOKEN", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "creds"}, Key: "token"}}},
			{Name: "MAYBE", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "absent"}, Key: "x", Optional: &optional}}},
			{Name: "URL", Value: "http://$(SERVING_POD_IP):$(CFG_PORT)"},
			{Name: "CFG_PORT", Value: "9090"},
		},
	}
	got, err := resolveEnv(pod, c, sources)
	if err != nil {
		t.Fatal(err)
	}
	want := []corev1.EnvVar{
		{Name: "CFG_PORT", Value: "9090"}, {Name: "CFG_greeting", Value: "hello"},
		{Name: "SERVING_POD_IP", Value: "10.213.0.5"}, {Name: "APP", Value: "web"}, {Name: "GREETING", Value: "hello"},
		{Name: "TOKEN", Value: "s3cret"}, {Name: "URL", Value: "http://10.213.0.5:8080"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}

	missing := &corev1.Container{Env: []corev1.EnvVar{{Name: "X", ValueFrom: &corev1.EnvVarSource{ConfigMapKeyRef: &corev1.ConfigMapKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "settings"}, Key: "nope"}}}}}
	if _, err := resolveEnv(pod, missing, sources); err == nil || !strings.Contains(err.Error(), "couldn't find key nope") {
		t.Errorf("a missing key: %v", err)
	}
	absent := &corev1.Container{EnvFrom: []corev1.EnvFromSource{{SecretRef: &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "absent"}}}}}
	if _, err := resolveEnv(pod, absent, sources); err == nil || !strings.Contains(err.Error(), `secret "absent" not found`) {
		t.Errorf("a missing secret: %v", err)
	}
}

func TestProcessEnvPrecedence(t *testing.T) {
	env := processEnv(images.Image{Env: map[string]string{"A": "image", "B": "image"}},
		[]corev1.EnvVar{{Name: "B", Value: "container"}, {Name: "HOSTNAME", Value: "override"}}, "pod-1")
	joined := strings.Join(env, "\n")
	for _, want := range []string{"A=image", "B=container", "HOSTNAME=override", "HOME=/root"} {
		if !strings.Contains(joined, want+"\n") && !strings.HasSuffix(joined, want) {
			t.Errorf("missing %s in %v", want, env)
		}
	}
}

func TestExpandLikeTheKubelet(t *testing.T) {
	env := []string{"PORT=8080", "EMPTY="}
	cases := map[string]string{
		"--port=$(PORT)": "--port=8080",
		"$(UNKNOWN)":     "$(UNKNOWN)",
		"$$(PORT)":       "$(PORT)",
		"x$(EMPTY)y":     "xy",
		"cost $5":        "cost $5",
		"open $(PORT":    "open $(PORT",
		"trailing $":     "trailing $",
	}
	for in, want := range cases {
		if got := expand(in, env); got != want {
			t.Errorf("expand(%q) = %q, want %q", in, got, want)
		}
	}
}
