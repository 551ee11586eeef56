// Command virtual-node is the knative-desk playground's virtual node: a virtual-kubelet node (as ASK's ECI node
// is) whose provider runs each Pod scheduled to it as local processes in a network namespace of its own on the
// playground bridge (see package provider). It serves the kubelet API (logs, exec, port-forward) on the node's
// InternalIP, the bridge address, where kube-apiserver reaches it.
//
// Usage:
//
//	virtual-node --kubeconfig <admin kubeconfig> --node-name knative-desk-eci --state-dir <dir> --images <images.json>
//	             [--net-prefix kd] [--bridge-cidr 10.213.0.1/16] [--kubelet-port 10250] [--client-ca-file <pem>]
//	virtual-node --sweep --net-prefix kd     # remove every namespace and link a crashed node left, then exit
//
// It prints `virtual-node ready <node> <InternalIP>:<port>` once the node is registered and Ready. SIGTERM stops
// every pod (SIGTERM, --shutdown-grace, SIGKILL), removes every namespace and link it made, and exits; the Pods
// stay in the API, bound to the node, and are started again by its next run.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"flag"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/virtual-kubelet/virtual-kubelet/log"
	logruslogger "github.com/virtual-kubelet/virtual-kubelet/log/logrus"
	"github.com/virtual-kubelet/virtual-kubelet/node"
	"github.com/virtual-kubelet/virtual-kubelet/node/nodeutil"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"

	"knative-desk/playground/virtual-node/netns"
	"knative-desk/playground/virtual-node/provider"
)

// kubeletVersion is what the node reports; the control plane it joins is Kubernetes 1.34.
const kubeletVersion = "v1.34.4-knative-desk-vk"

func main() {
	var (
		kubeconfig    = flag.String("kubeconfig", os.Getenv("KUBECONFIG"), "kubeconfig of a user allowed to manage nodes, pods, events and leases")
		nodeName      = flag.String("node-name", "knative-desk-eci", "name of the Node object")
		stateDir      = flag.String("state-dir", "", "directory for container logs and the node's serving certificate")
		imagesPath    = flag.String("images", "", "images.json: image name (exact, or prefix ending in *) → {command, args, env, dir}")
		netPrefix     = flag.String("net-prefix", "kd", "prefix of every bridge, namespace and veth this node makes (kd → kd-br0, kd-<a>-<b>, kdv-<a>-<b>)")
		bridgeCIDR    = flag.String("bridge-cidr", "10.213.0.1/16", "the bridge's address (the node's InternalIP) and the pods' subnet")
		kubeletPort   = flag.Int("kubelet-port", 10250, "port of the kubelet API on the node's InternalIP")
		clientCA      = flag.String("client-ca-file", "", "if set, the kubelet API requires client certificates signed by this CA (kube-apiserver --kubelet-client-certificate)")
		shutdownGrace = flag.Duration("shutdown-grace", 3*time.Second, "grace period of every pod when the node itself stops")
		sweepOnly     = flag.Bool("sweep", false, "remove every namespace and link with --net-prefix, then exit")
		verbose       = flag.Bool("v", false, "debug logging")
	)
	flag.Parse()

	logger := logrus.StandardLogger()
	if *verbose {
		logger.SetLevel(logrus.DebugLevel)
	}
	log.L = logruslogger.FromLogrus(logrus.NewEntry(logger))

	if err := run(options{
		kubeconfig: *kubeconfig, nodeName: *nodeName, stateDir: *stateDir, imagesPath: *imagesPath,
		netPrefix: *netPrefix, bridgeCIDR: *bridgeCIDR, kubeletPort: *kubeletPort, clientCA: *clientCA,
		shutdownGrace: *shutdownGrace, sweepOnly: *sweepOnly,
	}); err != nil {
		fmt.Fprintln(os.Stderr, "virtual-node: "+err.Error())
		os.Exit(1)
	}
}

type options struct {
	kubeconfig, nodeName, stateDir, imagesPath, netPrefix, bridgeCIDR, clientCA string
	kubeletPort                                                                 int
	shutdownGrace                                                               time.Duration
	sweepOnly                                                                   bool
}

func run(o options) error {
	if err := netns.CheckPrivileges(); err != nil {
		return err
	}
	network, err := netns.New(o.netPrefix, o.bridgeCIDR)
	if err != nil {
		return err
	}
	// Whatever a crashed run left (namespaces with their processes, veths, the bridge) goes first.
	if err := network.Sweep(); err != nil {
		return err
	}
	if o.sweepOnly {
		return nil
	}
	if o.kubeconfig == "" || o.stateDir == "" || o.imagesPath == "" {
		return fmt.Errorf("--kubeconfig, --state-dir and --images are required")
	}
	if err := os.MkdirAll(o.stateDir, 0o750); err != nil {
		return err
	}
	restConfig, err := clientcmd.BuildConfigFromFlags("", o.kubeconfig)
	if err != nil {
		return fmt.Errorf("reading the kubeconfig: %w", err)
	}
	// The kubelet's own client limits (KubeletConfiguration kubeAPIQPS 50, kubeAPIBurst 100), not client-go's 5/10:
	// at 5 writes/s the status updates and events of a 0 → 8 burst queued behind each other ("client-side
	// throttling", 1 s waits in the node's log) and the last pod's Running reached the API about 3 s late.
	restConfig.QPS = 50
	restConfig.Burst = 100
	client, err := kubernetes.NewForConfig(restConfig)
	if err != nil {
		return err
	}
	if err := network.Up(); err != nil {
		return fmt.Errorf("making the bridge: %w", err)
	}
	defer func() {
		if err := network.Sweep(); err != nil {
			log.L.WithError(err).Warn("sweeping on exit")
		}
	}()
	cert, err := servingCertificate(o.stateDir, network.Gateway)
	if err != nil {
		return err
	}

	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer cancel()

	sliceFactory := informers.NewSharedInformerFactory(client, 10*time.Minute)
	slices := sliceFactory.Discovery().V1().EndpointSlices()
	services := sliceFactory.Core().V1().Services()
	var prov *provider.Provider
	newProvider := func(pc nodeutil.ProviderConfig) (nodeutil.Provider, node.NodeProvider, error) {
		prov = provider.New(provider.Config{
			NodeName: o.nodeName, StateDir: o.stateDir, ImagesPath: o.imagesPath, Network: network,
			Client: client, Pods: pc.Pods, ConfigMaps: pc.ConfigMaps, Secrets: pc.Secrets, Slices: slices.Lister(),
			Services: services.Lister(),
		})
		describeNode(pc.Node, network.Gateway.String(), o.kubeletPort)
		return prov, nil, nil
	}
	mux := http.NewServeMux()
	var ready atomic.Bool
	auth, tlsClientAuth, err := kubeletAuth(o.clientCA)
	if err != nil {
		return err
	}
	vk, err := nodeutil.NewNode(o.nodeName, newProvider,
		nodeutil.WithClient(client),
		nodeutil.AttachProviderRoutes(mux),
		nodeutil.WithTLSConfig(func(c *tls.Config) error {
			c.Certificates = []tls.Certificate{cert}
			return tlsClientAuth(c)
		}),
		func(cfg *nodeutil.NodeConfig) error {
			cfg.HTTPListenAddr = net.JoinHostPort(network.Gateway.String(), strconv.Itoa(o.kubeletPort))
			cfg.Handler = withHealthz(&ready, nodeutil.WithAuth(auth, mux))
			cfg.NumWorkers = 4
			// The provider resolves env itself, once the pod has its address (podutils refuses status.podIP).
			cfg.SkipDownwardAPIResolution = true
			cfg.InformerResyncPeriod = 10 * time.Minute
			return nil
		},
	)
	if err != nil {
		return err
	}
	for _, informer := range []cache.SharedIndexInformer{slices.Informer(), services.Informer()} {
		informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
			AddFunc:    func(any) { prov.EndpointsChanged() },
			UpdateFunc: func(any, any) { prov.EndpointsChanged() },
			DeleteFunc: func(any) { prov.EndpointsChanged() },
		})
	}
	sliceFactory.Start(ctx.Done())

	providerCtx, stopProvider := context.WithCancel(context.Background())
	defer stopProvider()
	go prov.Run(providerCtx)

	runErr := make(chan error, 1)
	nodeCtx, stopNode := context.WithCancel(context.Background())
	defer stopNode()
	go func() { runErr <- vk.Run(nodeCtx) }()
	if err := vk.WaitReady(ctx, 2*time.Minute); err != nil {
		return fmt.Errorf("the node did not become ready: %w", err)
	}
	ready.Store(true)
	fmt.Printf("virtual-node ready %s %s\n", o.nodeName, net.JoinHostPort(network.Gateway.String(), strconv.Itoa(o.kubeletPort)))

	select {
	case <-ctx.Done():
	case err := <-runErr:
		if err != nil {
			log.L.WithError(err).Error("the node stopped")
		}
	}
	log.L.Info("stopping every pod")
	stopCtx, stopped := context.WithTimeout(context.Background(), o.shutdownGrace+10*time.Second)
	defer stopped()
	prov.StopAll(stopCtx, o.shutdownGrace)
	stopNode()
	return nil
}

// describeNode fills the Node object as a kubelet registers it: the bridge address as InternalIP (and no Hostname
// address, so kube-apiserver dials the IP), the kubelet port, capacity and system info.
func describeNode(n *corev1.Node, internalIP string, port int) {
	n.Labels["kubernetes.io/os"] = "linux"
	n.Labels["kubernetes.io/arch"] = "amd64"
	n.Labels["node.kubernetes.io/instance-type"] = "knative-desk-eci"
	n.Status.Addresses = []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: internalIP}}
	n.Status.DaemonEndpoints.KubeletEndpoint.Port = int32(port)
	capacity := corev1.ResourceList{
		corev1.ResourceCPU:              resource.MustParse("100"),
		corev1.ResourceMemory:           resource.MustParse("256Gi"),
		corev1.ResourcePods:             resource.MustParse("1000"),
		corev1.ResourceEphemeralStorage: resource.MustParse("100Gi"),
	}
	n.Status.Capacity = capacity
	n.Status.Allocatable = capacity.DeepCopy()
	n.Status.NodeInfo = corev1.NodeSystemInfo{
		KubeletVersion: kubeletVersion, OperatingSystem: "linux", Architecture: "amd64",
		ContainerRuntimeVersion: "knative-desk://processes", KernelVersion: kernelVersion(),
	}
}

func kernelVersion() string {
	data, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return ""
	}
	return string(data[:len(data)-1])
}

// withHealthz answers /healthz without authentication (the playground's health check): 200 once the Node is
// registered and Ready, 503 before.
func withHealthz(ready *atomic.Bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			if !ready.Load() {
				http.Error(w, "the node is not registered yet", http.StatusServiceUnavailable)
				return
			}
			_, _ = w.Write([]byte("ok"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// kubeletAuth: without a client CA, the kubelet API allows any caller (it listens only on the playground bridge,
// reachable from this host and its pods); with one, a verified client certificate is required, as kube-apiserver
// presents with --kubelet-client-certificate.
func kubeletAuth(caFile string) (nodeutil.Auth, func(*tls.Config) error, error) {
	if caFile == "" {
		return nodeutil.NoAuth(), func(*tls.Config) error { return nil }, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, nil, fmt.Errorf("reading --client-ca-file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, nil, fmt.Errorf("--client-ca-file %s holds no certificate", caFile)
	}
	return nodeutil.NoAuth(), func(c *tls.Config) error {
		c.ClientCAs = pool
		c.ClientAuth = tls.RequireAndVerifyClientCert
		return nil
	}, nil
}

// servingCertificate makes (once per run) a self-signed certificate for the kubelet API on the node's address;
// kube-apiserver does not verify kubelet certificates unless given --kubelet-certificate-authority.
func servingCertificate(dir string, ip net.IP) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "knative-desk-virtual-node"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{ip, net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	_ = os.WriteFile(filepath.Join(dir, "kubelet.crt"), pemBlock("CERTIFICATE", der), 0o644)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}
