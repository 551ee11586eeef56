// Package netns gives each pod its own network namespace on the playground bridge, with iproute2 (`ip`), the
// same kernel objects a CNI bridge plugin makes: a bridge on the host holding the node's address, and per pod a
// veth pair whose far end is the pod's eth0 with a private address, plus `lo` up. Every object carries the
// network's prefix (default `kd`: bridge `kd-br0`, namespaces `kd-<a>-<b>`, host-side veths `kdv-<a>-<b>`) so Sweep
// removes whatever a crashed run left behind, and two playgrounds with different prefixes never touch each other.
// A pod's /etc/hosts and /etc/resolv.conf live in /etc/netns/<ns>/, which `ip netns exec` bind-mounts over /etc.
package netns

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

const etcNetns = "/etc/netns"

var validPrefix = regexp.MustCompile(`^kd[a-z0-9]{0,3}$`)

// Network is the playground bridge and the pod addresses handed out on it.
type Network struct {
	Prefix  string     // e.g. kd
	Bridge  string     // <prefix>-br0
	Gateway net.IP     // the bridge's (node's) address, e.g. 10.213.0.1
	Subnet  *net.IPNet // e.g. 10.213.0.0/16

	mu   sync.Mutex
	used map[string]bool
}

// New takes the name prefix (`kd` and up to 3 more lower-case letters or digits) and the gateway CIDR
// (e.g. 10.213.0.1/16).
func New(prefix, gatewayCIDR string) (*Network, error) {
	if !validPrefix.MatchString(prefix) {
		return nil, fmt.Errorf("network prefix %q must be `kd` followed by at most 3 lower-case letters or digits", prefix)
	}
	ip, subnet, err := net.ParseCIDR(gatewayCIDR)
	if err != nil || ip.To4() == nil {
		return nil, fmt.Errorf("bridge address %q is not an IPv4 CIDR", gatewayCIDR)
	}
	ones, _ := subnet.Mask.Size()
	if ones < 16 || ones > 24 {
		return nil, fmt.Errorf("bridge address %q: the prefix must be between /16 and /24", gatewayCIDR)
	}
	return &Network{Prefix: prefix, Bridge: prefix + "-br0", Gateway: ip.To4(), Subnet: subnet, used: map[string]bool{}}, nil
}

// CheckPrivileges fails with what is needed when this process cannot make namespaces and links.
func CheckPrivileges() error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("the virtual node runs each pod in its own network namespace on a bridge, which needs root " +
			"(CAP_NET_ADMIN and CAP_SYS_ADMIN): run it as root (e.g. sudo)")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		return fmt.Errorf("the virtual node needs iproute2's `ip` command (apt-get install iproute2)")
	}
	return nil
}

func run(args ...string) error {
	cmd := exec.Command("ip", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("ip %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

func output(args ...string) (string, error) {
	out, err := exec.Command("ip", args...).Output()
	return string(out), err
}

// Up makes the bridge with the gateway address (recreating it if it exists with other settings).
func (n *Network) Up() error {
	_ = run("link", "del", n.Bridge)
	ones, _ := n.Subnet.Mask.Size()
	for _, args := range [][]string{
		{"link", "add", n.Bridge, "type", "bridge"},
		{"addr", "add", fmt.Sprintf("%s/%d", n.Gateway, ones), "dev", n.Bridge},
		{"link", "set", n.Bridge, "up"},
	} {
		if err := run(args...); err != nil {
			return err
		}
	}
	return nil
}

func (n *Network) nsPrefix() string   { return n.Prefix + "-" }
func (n *Network) vethPrefix() string { return n.Prefix + "v-" }

// Names of a pod's namespace and host-side veth, derived from its address (unique while the address is held).
func (n *Network) Names(ip net.IP) (namespace, veth string) {
	v4 := ip.To4()
	id := fmt.Sprintf("%d-%d", v4[2], v4[3])
	return n.nsPrefix() + id, n.vethPrefix() + id
}

// Veth is the host-side veth of a namespace.
func (n *Network) Veth(namespace string) string {
	return n.vethPrefix() + strings.TrimPrefix(namespace, n.nsPrefix())
}

// Allocate hands out a free pod address.
func (n *Network) Allocate() (net.IP, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	base := n.Subnet.IP.To4()
	ones, bits := n.Subnet.Mask.Size()
	size := 1 << (bits - ones)
	for i := 2; i < size-1; i++ {
		ip := net.IPv4(base[0], base[1], base[2]+byte(i>>8), base[3]+byte(i&0xff)).To4()
		if ip.Equal(n.Gateway) || n.used[ip.String()] {
			continue
		}
		n.used[ip.String()] = true
		return ip, nil
	}
	return nil, fmt.Errorf("no free pod address left in %s", n.Subnet)
}

// Release returns an address.
func (n *Network) Release(ip net.IP) {
	n.mu.Lock()
	defer n.mu.Unlock()
	delete(n.used, ip.String())
}

// CreatePod makes the pod's namespace: veth into the bridge, eth0 with ip, lo up, a default route via the bridge,
// and /etc/netns/<ns>/hosts.
func (n *Network) CreatePod(ip net.IP, hostsContent string) (namespace string, err error) {
	namespace, veth := n.Names(ip)
	ones, _ := n.Subnet.Mask.Size()
	defer func() {
		if err != nil {
			_ = DeletePod(namespace, veth)
		}
	}()
	if err = os.MkdirAll(filepath.Join(etcNetns, namespace), 0o755); err != nil {
		return namespace, err
	}
	if err = WriteHosts(namespace, hostsContent); err != nil {
		return namespace, err
	}
	if err = os.WriteFile(filepath.Join(etcNetns, namespace, "resolv.conf"), []byte(resolvConf), 0o644); err != nil {
		return namespace, err
	}
	for _, args := range [][]string{
		{"netns", "add", namespace},
		{"link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", namespace},
		{"link", "set", veth, "master", n.Bridge},
		{"link", "set", veth, "up"},
		{"-n", namespace, "addr", "add", fmt.Sprintf("%s/%d", ip, ones), "dev", "eth0"},
		{"-n", namespace, "link", "set", "eth0", "up"},
		{"-n", namespace, "link", "set", "lo", "up"},
		{"-n", namespace, "route", "add", "default", "via", n.Gateway.String()},
	} {
		if err = run(args...); err != nil {
			return namespace, err
		}
	}
	// The address may have been another pod's until a moment ago, and the host's neighbour entry for it (kept while
	// any other port holds the bridge up) still names that pod's MAC: until it expired (15-45 s reachable, then
	// delay and probes), everything the host sends or forwards to the new pod — the activator's probes and
	// requests, the kubelet's probes — went to a MAC no longer on the bridge. Forget the entry, as the CNI bridge
	// plugin's gratuitous ARP makes a node forget it.
	if err = run("neigh", "flush", "to", ip.String(), "dev", n.Bridge); err != nil {
		return namespace, err
	}
	return namespace, nil
}

// resolvConf points the pod's resolver at its own loopback, where nothing listens: a name not in the pod's hosts
// file fails at once (as an NXDOMAIN from cluster DNS would), instead of waiting out the host's unreachable DNS
// servers for seconds on every lookup.
const resolvConf = "# Written by the knative-desk virtual node: names resolve from /etc/hosts only.\n" +
	"nameserver 127.0.0.1\noptions timeout:1 attempts:1\n"

// WriteHosts rewrites a pod's hosts file in place (same inode), so the bind mount inside running processes sees it.
func WriteHosts(namespace, content string) error {
	path := filepath.Join(etcNetns, namespace, "hosts")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err = f.WriteAt([]byte(content), 0)
	return err
}

// Pids lists the processes living in a namespace.
func Pids(namespace string) []int {
	out, err := output("netns", "pids", namespace)
	if err != nil {
		return nil
	}
	var pids []int
	for _, f := range strings.Fields(out) {
		if pid, err := strconv.Atoi(f); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

// DeletePod kills whatever still runs in the namespace, then removes it, its veth and its /etc/netns folder.
func DeletePod(namespace, veth string) error {
	for _, pid := range Pids(namespace) {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	var firstErr error
	if exists(namespace) {
		// A namespace whose last process is still exiting can refuse deletion for a moment.
		for attempt := 0; ; attempt++ {
			err := run("netns", "del", namespace)
			if err == nil || !exists(namespace) {
				break
			}
			if attempt == 20 {
				firstErr = err
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	if linkExists(veth) {
		if err := run("link", "del", veth); err != nil && firstErr == nil && linkExists(veth) {
			firstErr = err
		}
	}
	if err := os.RemoveAll(filepath.Join(etcNetns, namespace)); err != nil && firstErr == nil {
		firstErr = err
	}
	return firstErr
}

func exists(namespace string) bool {
	_, err := os.Stat(filepath.Join("/var/run/netns", namespace))
	return err == nil
}

func linkExists(name string) bool {
	_, err := os.Stat(filepath.Join("/sys/class/net", name))
	return err == nil
}

// Leftovers lists every namespace, link and /etc/netns folder with our prefixes.
func (n *Network) Leftovers() (namespaces, links []string) {
	if entries, err := os.ReadDir("/var/run/netns"); err == nil {
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), n.nsPrefix()) {
				namespaces = append(namespaces, e.Name())
			}
		}
	}
	if entries, err := os.ReadDir(etcNetns); err == nil {
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), n.nsPrefix()) && !contains(namespaces, e.Name()) {
				namespaces = append(namespaces, e.Name())
			}
		}
	}
	if entries, err := os.ReadDir("/sys/class/net"); err == nil {
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), n.vethPrefix()) || strings.HasPrefix(e.Name(), n.nsPrefix()) {
				links = append(links, e.Name())
			}
		}
	}
	return namespaces, links
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Sweep removes every namespace (killing its processes) and every link with our prefixes, the bridge included.
func (n *Network) Sweep() error {
	namespaces, _ := n.Leftovers()
	var errs []string
	for _, ns := range namespaces {
		if err := DeletePod(ns, n.Veth(ns)); err != nil {
			errs = append(errs, err.Error())
		}
	}
	_, links := n.Leftovers()
	for _, link := range links {
		if err := run("link", "del", link); err != nil && linkExists(link) {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("sweeping network namespaces: %s", strings.Join(errs, "; "))
	}
	return nil
}
