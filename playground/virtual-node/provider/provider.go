// Package provider is the knative-desk virtual node's provider: it stands in for a container runtime (and the
// kubelet's pod workers, prober and status manager) behind virtual-kubelet, as ASK's ECI provider does for elastic
// container instances. Each Pod gets its own network namespace with a private address on the playground bridge;
// each container runs as a local process inside it, from the image map (images.json); probes, restarts, preStop
// hooks, the grace period, pod status and container logs follow the kubelet.
package provider

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/virtual-kubelet/virtual-kubelet/errdefs"
	"github.com/virtual-kubelet/virtual-kubelet/log"
	"github.com/virtual-kubelet/virtual-kubelet/node/api"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
	corev1listers "k8s.io/client-go/listers/core/v1"
	discoverylisters "k8s.io/client-go/listers/discovery/v1"
	statsv1alpha1 "k8s.io/kubelet/pkg/apis/stats/v1alpha1"

	"knative-desk/playground/virtual-node/hosts"
	"knative-desk/playground/virtual-node/netns"
)

// Config is what the provider needs from main.
type Config struct {
	NodeName   string
	StateDir   string
	ImagesPath string
	Network    *netns.Network
	Client     kubernetes.Interface
	Pods       corev1listers.PodLister
	ConfigMaps corev1listers.ConfigMapLister
	Secrets    corev1listers.SecretLister
	Slices     discoverylisters.EndpointSliceLister
	// Services, for their ExternalNames (a cluster DNS CNAME); nil leaves them out.
	Services corev1listers.ServiceLister
}

// Provider runs pods as processes.
type Provider struct {
	cfg Config

	mu     sync.Mutex
	pods   map[string]*podRuntime // namespace/name
	notify func(*corev1.Pod)

	shuttingDown bool

	dirtyMu sync.Mutex
	dirty   map[string]bool
	kick    chan struct{}
	hosts   chan struct{}
}

// New makes a provider; Run must be called to deliver status updates.
func New(cfg Config) *Provider {
	return &Provider{
		cfg:   cfg,
		pods:  map[string]*podRuntime{},
		dirty: map[string]bool{},
		kick:  make(chan struct{}, 1),
		hosts: make(chan struct{}, 1),
	}
}

func key(namespace, name string) string { return namespace + "/" + name }

// Run delivers status changes to the pod controller and, on its own loop (a status delivery may block for a
// while), rewrites pods' hosts files when Services' endpoints change, until ctx ends.
func (p *Provider) Run(ctx context.Context) {
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-p.hosts:
				p.rewriteHosts(ctx)
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.kick:
			p.flush(ctx)
		}
	}
}

// changed marks a pod's status as changed; Run delivers the newest status once, however many changes piled up.
func (p *Provider) changed(k string) {
	p.dirtyMu.Lock()
	p.dirty[k] = true
	p.dirtyMu.Unlock()
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

func (p *Provider) flush(ctx context.Context) {
	p.dirtyMu.Lock()
	keys := p.dirty
	p.dirty = map[string]bool{}
	p.dirtyMu.Unlock()
	p.mu.Lock()
	cb := p.notify
	p.mu.Unlock()
	if cb == nil {
		return
	}
	for k := range keys {
		p.mu.Lock()
		pr := p.pods[k]
		p.mu.Unlock()
		if pr != nil {
			cb(pr.snapshot())
		}
	}
}

// EndpointsChanged is called by the EndpointSlice and Service informers.
func (p *Provider) EndpointsChanged() {
	select {
	case p.hosts <- struct{}{}:
	default:
	}
}

func (p *Provider) services() []hosts.Service {
	if p.cfg.Slices == nil {
		return nil
	}
	slices, err := p.cfg.Slices.List(labels.Everything())
	if err != nil {
		return nil
	}
	ready := hosts.ReadyEndpoints(slices)
	if p.cfg.Services == nil {
		return ready
	}
	services, err := p.cfg.Services.List(labels.Everything())
	if err != nil {
		return ready
	}
	return hosts.FollowExternalNames(services, ready)
}

// runningPods is a snapshot of the pods this node runs, to work on without holding the lock.
func (p *Provider) runningPods() []*podRuntime {
	p.mu.Lock()
	defer p.mu.Unlock()
	prs := make([]*podRuntime, 0, len(p.pods))
	for _, pr := range p.pods {
		prs = append(prs, pr)
	}
	return prs
}

func (p *Provider) rewriteHosts(ctx context.Context) {
	services := p.services()
	for _, pr := range p.runningPods() {
		pr.writeHosts(ctx, services)
	}
}

// NotifyPods implements node.PodNotifier.
func (p *Provider) NotifyPods(_ context.Context, cb func(*corev1.Pod)) {
	p.mu.Lock()
	p.notify = cb
	p.mu.Unlock()
}

// CreatePod makes the pod's namespace and starts its containers.
func (p *Provider) CreatePod(ctx context.Context, pod *corev1.Pod) error {
	k := key(pod.Namespace, pod.Name)
	p.mu.Lock()
	if existing := p.pods[k]; existing != nil && existing.uid == pod.UID {
		p.mu.Unlock()
		return nil
	}
	p.mu.Unlock()

	ip, err := p.cfg.Network.Allocate()
	if err != nil {
		return err
	}
	pr := newPodRuntime(p, pod, ip)
	hostsFile := hosts.Render(pod.Name, pod.Namespace, ip.String(), p.services())
	ns, err := p.cfg.Network.CreatePod(ip, hostsFile)
	if err != nil {
		p.cfg.Network.Release(ip)
		return fmt.Errorf("creating the pod's network namespace: %w", err)
	}
	pr.netns = ns
	pr.lastHosts = hostsFile
	if err := os.MkdirAll(pr.logDir(), 0o750); err != nil {
		_ = netns.DeletePod(ns, p.cfg.Network.Veth(ns))
		p.cfg.Network.Release(ip)
		return err
	}
	p.mu.Lock()
	p.pods[k] = pr
	p.mu.Unlock()
	log.G(ctx).WithField("pod", k).WithField("ip", ip.String()).Info("starting pod")
	pr.start()
	return nil
}

// UpdatePod takes what a kubelet takes from a running pod's changed spec: labels and annotations (for the
// downward API) and nothing that would need a restart; image changes are not applied to running processes.
func (p *Provider) UpdatePod(_ context.Context, pod *corev1.Pod) error {
	pr, err := p.running(pod.Namespace, pod.Name)
	if err != nil {
		return err
	}
	pr.update(pod)
	return nil
}

// DeletePod starts the pod's termination (preStop, SIGTERM, grace period, SIGKILL) and returns; the pod is
// reported terminal and removed from the API once its processes are gone.
func (p *Provider) DeletePod(ctx context.Context, pod *corev1.Pod) error {
	pr, err := p.running(pod.Namespace, pod.Name)
	if err != nil {
		return err
	}
	pr.terminate(ctx, gracePeriod(pod))
	return nil
}

// gracePeriod is the deletion's grace period, else the pod's terminationGracePeriodSeconds, else 30 s.
func gracePeriod(pod *corev1.Pod) time.Duration {
	if pod.DeletionGracePeriodSeconds != nil {
		return time.Duration(*pod.DeletionGracePeriodSeconds) * time.Second
	}
	if pod.Spec.TerminationGracePeriodSeconds != nil {
		return time.Duration(*pod.Spec.TerminationGracePeriodSeconds) * time.Second
	}
	return 30 * time.Second
}

// removed is called by a pod runtime once it has fully terminated.
func (p *Provider) removed(pr *podRuntime) {
	p.mu.Lock()
	if p.pods[pr.key] == pr {
		delete(p.pods, pr.key)
	}
	p.mu.Unlock()
}

// forget drops a terminated pod from the API as the kubelet does once its containers are gone: a delete with
// grace 0, on the pod's UID only (a new pod of the same name is left alone).
func (p *Provider) forget(ctx context.Context, pr *podRuntime) {
	if p.cfg.Client == nil {
		return
	}
	uid := pr.uid
	zero := int64(0)
	err := p.cfg.Client.CoreV1().Pods(pr.namespace).Delete(ctx, pr.name, metav1.DeleteOptions{
		GracePeriodSeconds: &zero,
		Preconditions:      &metav1.Preconditions{UID: &uid},
	})
	if err != nil {
		log.G(ctx).WithError(err).WithField("pod", pr.key).Debug("final delete of the pod")
	}
}

// running is the pod this node runs, or the NotFound error the kubelet API answers with.
func (p *Provider) running(namespace, name string) (*podRuntime, error) {
	p.mu.Lock()
	pr := p.pods[key(namespace, name)]
	p.mu.Unlock()
	if pr == nil {
		return nil, errdefs.NotFoundf("pod %s/%s is not on this node", namespace, name)
	}
	return pr, nil
}

// GetPod returns the pod as the provider runs it.
func (p *Provider) GetPod(_ context.Context, namespace, name string) (*corev1.Pod, error) {
	pr, err := p.running(namespace, name)
	if err != nil {
		return nil, err
	}
	return pr.snapshot(), nil
}

// GetPodStatus returns the pod's status as the kubelet would write it.
func (p *Provider) GetPodStatus(ctx context.Context, namespace, name string) (*corev1.PodStatus, error) {
	pod, err := p.GetPod(ctx, namespace, name)
	if err != nil {
		return nil, err
	}
	return &pod.Status, nil
}

// GetPods lists the pods this node runs.
func (p *Provider) GetPods(_ context.Context) ([]*corev1.Pod, error) {
	prs := p.runningPods()
	out := make([]*corev1.Pod, 0, len(prs))
	for _, pr := range prs {
		out = append(out, pr.snapshot())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Namespace+out[i].Name < out[j].Namespace+out[j].Name })
	return out, nil
}

// GetContainerLogs serves `kubectl logs` (with follow, previous, tail, since, timestamps, limitBytes).
func (p *Provider) GetContainerLogs(ctx context.Context, namespace, podName, containerName string, opts api.ContainerLogOpts) (io.ReadCloser, error) {
	pr, err := p.running(namespace, podName)
	if err != nil {
		return nil, err
	}
	return pr.logs(ctx, containerName, opts)
}

// RunInContainer runs a command in a container's namespaces and environment (`kubectl exec` without a TTY).
func (p *Provider) RunInContainer(ctx context.Context, namespace, podName, containerName string, cmd []string, attach api.AttachIO) error {
	pr, err := p.running(namespace, podName)
	if err != nil {
		return err
	}
	return pr.execAttached(ctx, containerName, cmd, attach)
}

// AttachToContainer is not supported: processes' stdin is not kept.
func (p *Provider) AttachToContainer(context.Context, string, string, string, api.AttachIO) error {
	return errdefs.InvalidInput("attach is not supported by the knative-desk virtual node")
}

// GetStatsSummary reports the node and its pods without usage figures (no cgroups are made per pod).
func (p *Provider) GetStatsSummary(context.Context) (*statsv1alpha1.Summary, error) {
	now := metav1.Now()
	summary := &statsv1alpha1.Summary{Node: statsv1alpha1.NodeStats{NodeName: p.cfg.NodeName, StartTime: now}}
	pods, _ := p.GetPods(context.Background())
	for _, pod := range pods {
		summary.Pods = append(summary.Pods, statsv1alpha1.PodStats{
			PodRef: statsv1alpha1.PodReference{Name: pod.Name, Namespace: pod.Namespace, UID: string(pod.UID)},
		})
	}
	return summary, nil
}

// GetMetricsResource reports no resource metrics.
func (p *Provider) GetMetricsResource(context.Context) ([]*dto.MetricFamily, error) { return nil, nil }

// PortForward connects a stream to a port of the pod's address.
func (p *Provider) PortForward(ctx context.Context, namespace, podName string, port int32, stream io.ReadWriteCloser) error {
	pr, err := p.running(namespace, podName)
	if err != nil {
		return err
	}
	defer stream.Close()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(pr.ip.String(), fmt.Sprint(port)))
	if err != nil {
		return err
	}
	defer conn.Close()
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(conn, stream); done <- struct{}{} }()
	go func() { _, _ = io.Copy(stream, conn); done <- struct{}{} }()
	select {
	case <-done:
	case <-ctx.Done():
	}
	return nil
}

func (p *Provider) stopping() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.shuttingDown
}

func (p *Provider) callback() func(*corev1.Pod) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.notify
}

// StopAll terminates every pod at once within grace (used when the node stops), then returns. The pods stay in the
// API, bound to this node: its next run starts them again, as a restarted kubelet does.
func (p *Provider) StopAll(ctx context.Context, grace time.Duration) {
	p.mu.Lock()
	p.shuttingDown = true
	p.mu.Unlock()
	prs := p.runningPods()
	for _, pr := range prs {
		pr.terminate(ctx, grace)
	}
	for _, pr := range prs {
		select {
		case <-pr.done:
		case <-ctx.Done():
			return
		}
	}
}

func (p *Provider) podDir(namespace, name string, uid types.UID) string {
	return filepath.Join(p.cfg.StateDir, "pods", fmt.Sprintf("%s_%s_%s", namespace, name, uid))
}
