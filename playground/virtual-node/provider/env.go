package provider

import (
	"errors"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	corev1listers "k8s.io/client-go/listers/core/v1"
	"knative-desk/playground/virtual-node/images"
)

// Env is resolved here, as the kubelet does it (pkg/kubelet/kubelet_pods.go makeEnvironmentVariables), when a
// container starts, not by virtual-kubelet's podutils: those resolve before the pod has an address and refuse
// `status.podIP`, which every Knative queue-proxy asks for. envFrom first (with its prefix), then env in order,
// each value's $(VAR) expanded against what came before. A missing non-optional ConfigMap/Secret or key is an
// error, which the caller reports as the kubelet does (Waiting, CreateContainerConfigError).

// envSources is where env values come from.
type envSources struct {
	configMaps corev1listers.ConfigMapLister
	secrets    corev1listers.SecretLister
	podIP      string
	hostIP     string
}

// configMapData is a ConfigMap's data, and secretData a Secret's (decoded), from the node's informer caches; an
// object that is not there is the kubelet's "not found" error.
func (s envSources) configMapData(namespace, name string) (map[string]string, error) {
	if s.configMaps != nil {
		if cm, err := s.configMaps.ConfigMaps(namespace).Get(name); err == nil {
			return cm.Data, nil
		}
	}
	return nil, fmt.Errorf("configmap %q not found", name)
}

func (s envSources) secretData(namespace, name string) (map[string]string, error) {
	if s.secrets != nil {
		if secret, err := s.secrets.Secrets(namespace).Get(name); err == nil {
			data := make(map[string]string, len(secret.Data))
			for k, v := range secret.Data {
				data[k] = string(v)
			}
			return data, nil
		}
	}
	return nil, fmt.Errorf("secret %q not found", name)
}

// fieldValue is a downward-API field of the pod (fieldRef).
func fieldValue(pod *corev1.Pod, path string, s envSources) (string, error) {
	switch path {
	case "metadata.name":
		return pod.Name, nil
	case "metadata.namespace":
		return pod.Namespace, nil
	case "metadata.uid":
		return string(pod.UID), nil
	case "spec.nodeName":
		return pod.Spec.NodeName, nil
	case "spec.serviceAccountName":
		return pod.Spec.ServiceAccountName, nil
	case "status.podIP", "status.podIPs":
		return s.podIP, nil
	case "status.hostIP", "status.hostIPs":
		return s.hostIP, nil
	}
	for prefix, m := range map[string]map[string]string{"metadata.labels": pod.Labels, "metadata.annotations": pod.Annotations} {
		if strings.HasPrefix(path, prefix+"['") && strings.HasSuffix(path, "']") {
			return m[strings.TrimSuffix(strings.TrimPrefix(path, prefix+"['"), "']")], nil
		}
	}
	return "", fmt.Errorf("unsupported fieldPath: %s", path)
}

// resourceValue is a resourceFieldRef: the container's limit (or request), in the divisor's unit, rounded up.
func resourceValue(c *corev1.Container, ref *corev1.ResourceFieldSelector) (string, error) {
	var q resource.Quantity
	var ok bool
	switch {
	case strings.HasPrefix(ref.Resource, "limits."):
		q, ok = c.Resources.Limits[corev1.ResourceName(strings.TrimPrefix(ref.Resource, "limits."))]
	case strings.HasPrefix(ref.Resource, "requests."):
		q, ok = c.Resources.Requests[corev1.ResourceName(strings.TrimPrefix(ref.Resource, "requests."))]
	default:
		return "", fmt.Errorf("unsupported resource %q", ref.Resource)
	}
	if !ok {
		return "0", nil // the kubelet reports node allocatable here; this node has no meaningful figure
	}
	divisor := ref.Divisor
	if divisor.IsZero() {
		divisor = resource.MustParse("1")
	}
	return strconv.FormatInt(int64(math.Ceil(float64(q.MilliValue())/float64(divisor.MilliValue()))), 10), nil
}

// resolveEnv returns the container's environment as the kubelet builds it.
func resolveEnv(pod *corev1.Pod, c *corev1.Container, s envSources) ([]corev1.EnvVar, error) {
	values := map[string]string{}
	var order []string
	set := func(k, v string) {
		if _, seen := values[k]; !seen {
			order = append(order, k)
		}
		values[k] = v
	}
	for _, from := range c.EnvFrom {
		var data map[string]string
		var err error
		var optional *bool
		switch {
		case from.ConfigMapRef != nil:
			optional = from.ConfigMapRef.Optional
			data, err = s.configMapData(pod.Namespace, from.ConfigMapRef.Name)
		case from.SecretRef != nil:
			optional = from.SecretRef.Optional
			data, err = s.secretData(pod.Namespace, from.SecretRef.Name)
		}
		if err != nil {
			if optional != nil && *optional {
				continue
			}
			return nil, err
		}
		for _, k := range sortedKeys(data) {
			set(from.Prefix+k, data[k])
		}
	}
	for _, e := range c.Env {
		if e.ValueFrom == nil {
			set(e.Name, expandWith(e.Value, values))
			continue
		}
		var value string
		var err error
		switch vf := e.ValueFrom; {
		case vf.FieldRef != nil:
			value, err = fieldValue(pod, vf.FieldRef.FieldPath, s)
		case vf.ResourceFieldRef != nil:
			value, err = resourceValue(c, vf.ResourceFieldRef)
		case vf.ConfigMapKeyRef != nil:
			ref := vf.ConfigMapKeyRef
			value, err = keyValue("ConfigMap", pod.Namespace, ref.Name, ref.Key, s.configMapData)
			if skipMissing(err, ref.Optional) {
				continue
			}
		case vf.SecretKeyRef != nil:
			ref := vf.SecretKeyRef
			value, err = keyValue("Secret", pod.Namespace, ref.Name, ref.Key, s.secretData)
			if skipMissing(err, ref.Optional) {
				continue
			}
		}
		if err != nil {
			return nil, err
		}
		set(e.Name, value)
	}
	out := make([]corev1.EnvVar, 0, len(order))
	for _, k := range order {
		out = append(out, corev1.EnvVar{Name: k, Value: values[k]})
	}
	return out, nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// processEnv is the environment a container's process gets, lowest precedence first: a PATH and HOME (as an
// image's base layer would give), HOSTNAME (the pod name, as in a pod's UTS namespace), the image's ENV, then the
// container's resolved env.
func processEnv(image images.Image, env []corev1.EnvVar, podName string) []string {
	vars := map[string]string{
		"PATH":     os.Getenv("PATH"),
		"HOME":     "/root",
		"HOSTNAME": podName,
	}
	if vars["PATH"] == "" {
		vars["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	}
	for k, v := range image.Env {
		vars[k] = v
	}
	for _, e := range env {
		vars[e.Name] = e.Value
	}
	out := make([]string, 0, len(vars))
	for k, v := range vars {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// expand replaces $(VAR) in a command or argument with the container's env, as the kubelet does: `$$` is a
// literal `$`, an unknown $(VAR) stays as written.
func expand(s string, env []string) string {
	lookup := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		lookup[k] = v
	}
	return expandWith(s, lookup)
}

func expandWith(s string, lookup map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
		case '(':
			end := strings.IndexByte(s[i+2:], ')')
			if end < 0 {
				b.WriteString(s[i:])
				return b.String()
			}
			name := s[i+2 : i+2+end]
			if v, ok := lookup[name]; ok {
				b.WriteString(v)
			} else {
				b.WriteString(s[i : i+3+end])
			}
			i += 2 + end
		default:
			b.WriteByte('$')
		}
	}
	return b.String()
}

func expandAll(argv, env []string) []string {
	out := make([]string, len(argv))
	for i, a := range argv {
		out[i] = expand(a, env)
	}
	return out
}

// missingRef is a ConfigMap or Secret (or its key) that an env var references and that is not there: the kubelet
// skips such a variable when the reference is optional and fails the container otherwise. Its message is the
// underlying error's, unchanged.
type missingRef struct{ error }

func skipMissing(err error, optional *bool) bool {
	var missing missingRef
	return errors.As(err, &missing) && optional != nil && *optional
}

// keyValue reads one key of a ConfigMap's or Secret's data (configMapData, secretData) for an env var's valueFrom.
func keyValue(kind, namespace, name, key string, data func(namespace, name string) (map[string]string, error)) (string, error) {
	values, err := data(namespace, name)
	if err != nil {
		return "", missingRef{err}
	}
	v, ok := values[key]
	if !ok {
		return "", missingRef{fmt.Errorf("couldn't find key %s in %s %s/%s", key, kind, namespace, name)}
	}
	return v, nil
}
