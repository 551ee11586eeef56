package provider

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/virtual-kubelet/virtual-kubelet/errdefs"
	"github.com/virtual-kubelet/virtual-kubelet/log"
	"github.com/virtual-kubelet/virtual-kubelet/node/api"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"knative-desk/playground/virtual-node/hosts"
	"knative-desk/playground/virtual-node/images"
	"knative-desk/playground/virtual-node/netns"
	"knative-desk/playground/virtual-node/probe"
	"knative-desk/playground/virtual-node/restart"
)

// podRuntime is one pod on the node: its namespace, its containers, and the status the kubelet would report.
type podRuntime struct {
	p                         *Provider
	key, namespace, name      string
	uid                       types.UID
	ip                        net.IP
	netns                     string
	ctx                       context.Context
	cancel                    context.CancelFunc
	done                      chan struct{} // closed once every process is gone and the namespace removed
	terminateOnce, startedAll sync.Once

	mu          sync.Mutex
	pod         *corev1.Pod // as given to CreatePod/UpdatePod (env resolved, without run-time fields)
	startTime   metav1.Time
	containers  []*containerRuntime
	conditions  []corev1.PodCondition
	terminating bool
	sandboxUp   bool
	lastHosts   string
}

func newPodRuntime(p *Provider, pod *corev1.Pod, ip net.IP) *podRuntime {
	ctx, cancel := context.WithCancel(context.Background())
	return &podRuntime{
		p: p, key: key(pod.Namespace, pod.Name), namespace: pod.Namespace, name: pod.Name, uid: pod.UID, ip: ip,
		ctx: ctx, cancel: cancel, done: make(chan struct{}),
		pod: pod.DeepCopy(), startTime: metav1.Now(), sandboxUp: true,
	}
}

func (pr *podRuntime) logDir() string { return pr.p.podDir(pr.namespace, pr.name, pr.uid) }

func (pr *podRuntime) changed() { pr.p.changed(pr.key) }

// start launches one worker per container (init containers are not supported: Knative pods have none).
func (pr *podRuntime) start() {
	pr.mu.Lock()
	for i := range pr.pod.Spec.Containers {
		spec := pr.pod.Spec.Containers[i]
		c := &containerRuntime{
			pod: pr, spec: spec, dir: filepath.Join(pr.logDir(), spec.Name),
			readinessTrigger: make(chan struct{}, 1),
		}
		c.status = corev1.ContainerStatus{
			Name:  spec.Name,
			Image: spec.Image,
			State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ContainerCreating"}},
		}
		pr.containers = append(pr.containers, c)
	}
	pr.mu.Unlock()
	pr.changed()
	var wg sync.WaitGroup
	for _, c := range pr.containers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.loop(pr.ctx)
		}()
	}
	go func() {
		wg.Wait()
		pr.finish()
	}()
}

func (pr *podRuntime) update(pod *corev1.Pod) {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	next := pr.pod.DeepCopy()
	next.Labels = pod.Labels
	next.Annotations = pod.Annotations
	next.ResourceVersion = pod.ResourceVersion
	pr.pod = next
}

// snapshot is the pod with the status a kubelet would write now.
func (pr *podRuntime) snapshot() *corev1.Pod {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	pod := pr.pod.DeepCopy()
	statuses := make([]corev1.ContainerStatus, 0, len(pr.containers))
	for _, c := range pr.containers {
		statuses = append(statuses, c.snapshot())
	}
	phase := podPhase(&pod.Spec, statuses, !pr.sandboxUp)
	now := metav1.Now()
	pr.conditions = podConditions(&pod.Spec, statuses, phase, pr.sandboxUp, pr.conditions, now)
	gw := pr.p.cfg.Network.Gateway.String()
	pod.Status = corev1.PodStatus{
		Phase:             phase,
		Conditions:        append([]corev1.PodCondition{}, pr.conditions...),
		HostIP:            gw,
		HostIPs:           []corev1.HostIP{{IP: gw}},
		PodIP:             pr.ip.String(),
		PodIPs:            []corev1.PodIP{{IP: pr.ip.String()}},
		StartTime:         &pr.startTime,
		ContainerStatuses: statuses,
		QOSClass:          pr.pod.Status.QOSClass,
	}
	return pod
}

// plegRelistPeriod is how often the kubelet's PLEG relists the runtime's containers: it learns that a container
// started at the next relist, and only then syncs the pod (and so asks for its first readiness probe).
const plegRelistPeriod = time.Second

// relistEpoch is when this node's PLEG clock started.
var relistEpoch = time.Now()

// untilNextRelist is the time left until the node's next PLEG relist.
func untilNextRelist() time.Duration {
	return plegRelistPeriod - time.Since(relistEpoch)%plegRelistPeriod
}

// syncReadiness is what the kubelet's prober manager does in UpdatePodStatus on every pod sync: each started
// container with a readiness probe whose last result is not a success gets an immediate probe run (non-blocking, as
// the kubelet's manualTriggerCh is). A pod syncs when PLEG sees a container start and when a probe result changes.
func (pr *podRuntime) syncReadiness() {
	pr.mu.Lock()
	containers := append([]*containerRuntime{}, pr.containers...)
	pr.mu.Unlock()
	for _, c := range containers {
		if c.spec.ReadinessProbe == nil || c.snapshot().Ready {
			continue
		}
		select {
		case c.readinessTrigger <- struct{}{}:
		default:
		}
	}
}

// writeHosts rewrites the pod's hosts file when the Services' endpoints changed.
func (pr *podRuntime) writeHosts(ctx context.Context, services []hosts.Service) {
	content := hosts.Render(pr.name, pr.namespace, pr.ip.String(), services)
	pr.mu.Lock()
	same := content == pr.lastHosts || pr.terminating
	pr.lastHosts = content
	pr.mu.Unlock()
	if same {
		return
	}
	if err := netns.WriteHosts(pr.netns, content); err != nil {
		log.G(ctx).WithError(err).WithField("pod", pr.key).Warn("rewriting the pod's hosts file")
	}
}

// terminate stops the pod: preStop hooks and SIGTERM now, SIGKILL when the grace period ends. final=false when the
// node itself stops (the API's pods stay bound to the node and are started again on its next run).
func (pr *podRuntime) terminate(ctx context.Context, grace time.Duration) {
	pr.terminateOnce.Do(func() {
		pr.mu.Lock()
		pr.terminating = true
		containers := append([]*containerRuntime{}, pr.containers...)
		pr.mu.Unlock()
		deadline := time.Now().Add(grace)
		log.G(ctx).WithField("pod", pr.key).WithField("grace", grace).Info("stopping pod")
		for _, c := range containers {
			go c.stop(deadline)
		}
		// Workers waiting (back-off, image pull) end now; running ones end when their process exits.
		pr.cancel()
	})
}

// finish runs after every container worker returned: the namespace goes, the pod is reported terminal and,
// unless the node itself is stopping, removed from the API.
func (pr *podRuntime) finish() {
	ctx := context.Background()
	netName := pr.netns
	if err := netns.DeletePod(netName, pr.p.cfg.Network.Veth(netName)); err != nil {
		log.G(ctx).WithError(err).WithField("pod", pr.key).Warn("removing the pod's network namespace")
	}
	pr.p.cfg.Network.Release(pr.ip)
	pr.mu.Lock()
	pr.sandboxUp = false
	pr.mu.Unlock()
	if !pr.p.stopping() {
		if cb := pr.p.callback(); cb != nil {
			cb(pr.snapshot())
		}
		pr.p.forget(ctx, pr)
	}
	pr.p.removed(pr)
	_ = os.RemoveAll(pr.logDir())
	close(pr.done)
}

func (pr *podRuntime) container(name string) (*containerRuntime, error) {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if name == "" && len(pr.containers) == 1 {
		return pr.containers[0], nil
	}
	for _, c := range pr.containers {
		if c.spec.Name == name {
			return c, nil
		}
	}
	return nil, errdefs.NotFoundf("container %q not found in pod %q", name, pr.name)
}

func (pr *podRuntime) logs(ctx context.Context, name string, opts api.ContainerLogOpts) (io.ReadCloser, error) {
	c, err := pr.container(name)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	current, previous := c.current, c.previous
	c.mu.Unlock()
	if opts.Previous {
		if previous == nil {
			return nil, errdefs.InvalidInputf("previous terminated container %q in pod %q not found", c.spec.Name, pr.name)
		}
		return readLogs(ctx, previous.logPath, opts, previous.exited)
	}
	if current == nil {
		reason := "ContainerCreating"
		if w := c.snapshot().State.Waiting; w != nil {
			reason = w.Reason
		}
		return nil, errdefs.InvalidInputf("container %q in pod %q is waiting to start: %s", c.spec.Name, pr.name, reason)
	}
	return readLogs(ctx, current.logPath, opts, current.exited)
}

func (pr *podRuntime) execAttached(ctx context.Context, name string, command []string, attach api.AttachIO) error {
	c, err := pr.container(name)
	if err != nil {
		return err
	}
	cmd := c.command(ctx, command)
	if attach.Stdin() != nil {
		cmd.Stdin = attach.Stdin()
	}
	if attach.Stdout() != nil {
		cmd.Stdout = attach.Stdout()
	}
	if attach.Stderr() != nil {
		cmd.Stderr = attach.Stderr()
	}
	return cmd.Run()
}

// containerRun is one start of a container's process.
type containerRun struct {
	id       string
	cmd      *exec.Cmd
	logPath  string
	exited   chan struct{}
	exitCode int32
	started  time.Time
	killed   bool   // by a failed liveness/startup probe
	message  string // why it could not start
}

// containerRuntime is one container: its worker, its current/previous runs and its status.
type containerRuntime struct {
	pod  *podRuntime
	spec corev1.Container
	dir  string

	mu           sync.Mutex
	status       corev1.ContainerStatus
	image        images.Image
	env          []corev1.EnvVar // resolved at each start
	current      *containerRun
	previous     *containerRun
	crashes      int
	pullErrors   int
	configErrors int
	stopping     bool
	stopOnce     sync.Once
	runs         int
	// readinessTrigger is the kubelet prober worker's manualTriggerCh: a pod status sync asks a container that is
	// not Ready for an immediate readiness probe (see syncReadiness).
	readinessTrigger chan struct{}
}

func (c *containerRuntime) snapshot() corev1.ContainerStatus {
	c.mu.Lock()
	defer c.mu.Unlock()
	return *c.status.DeepCopy()
}

func (c *containerRuntime) setStatus(mutate func(s *corev1.ContainerStatus)) {
	c.mu.Lock()
	mutate(&c.status)
	c.mu.Unlock()
	c.pod.changed()
}

// newContainerID is a unique id per container run, as a runtime gives each container it creates.
func newContainerID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "knative-desk://" + hex.EncodeToString(b[:])
}

// wait sleeps d unless ctx ends first; false when it ended.
func wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// loop is the container's worker: resolve the image, start, probe, wait, restart per policy with back-off.
func (c *containerRuntime) loop(ctx context.Context) {
	for {
		if ctx.Err() != nil {
			c.settleStopped()
			return
		}
		image, err := c.resolveImage()
		if err != nil {
			c.pullErrors++
			reason := "ErrImagePull"
			if c.pullErrors > 1 {
				reason = "ImagePullBackOff"
			}
			if !c.waitToRetry(ctx, reason, err, c.pullErrors) {
				return
			}
			continue
		}
		c.pullErrors = 0
		env, err := resolveEnv(c.pod.pod, &c.spec, envSources{
			configMaps: c.pod.p.cfg.ConfigMaps, secrets: c.pod.p.cfg.Secrets,
			podIP: c.pod.ip.String(), hostIP: c.pod.p.cfg.Network.Gateway.String(),
		})
		if err != nil {
			c.configErrors++
			if !c.waitToRetry(ctx, "CreateContainerConfigError", err, c.configErrors) {
				return
			}
			continue
		}
		c.configErrors = 0
		c.mu.Lock()
		c.env = env
		c.mu.Unlock()
		run := c.startRun(ctx, image)
		<-run.exited
		ran := time.Since(run.started)
		c.mu.Lock()
		stopping := c.stopping
		c.mu.Unlock()
		finished := metav1.Now()
		terminated := &corev1.ContainerStateTerminated{
			ExitCode:    run.exitCode,
			Reason:      restart.TerminatedReason(run.exitCode),
			StartedAt:   metav1.NewTime(run.started),
			FinishedAt:  finished,
			ContainerID: run.id,
		}
		if run.cmd == nil {
			terminated.Reason, terminated.Message = "StartError", run.message
		}
		if stopping || ctx.Err() != nil || !restart.ShouldRestart(c.pod.pod.Spec.RestartPolicy, run.exitCode) {
			c.setStatus(func(s *corev1.ContainerStatus) {
				s.State = corev1.ContainerState{Terminated: terminated}
				s.Ready, s.Started = false, ptr(false)
			})
			return
		}
		c.crashes = restart.Crashes(c.crashes, ran)
		// The kubelet restarts at once after the first exit, then backs off 10 s, 20 s, … up to 5 min.
		backoff := restart.Backoff(c.crashes - 1)
		c.setStatus(func(s *corev1.ContainerStatus) {
			s.LastTerminationState = corev1.ContainerState{Terminated: terminated}
			s.Ready, s.Started = false, ptr(false)
			s.State = corev1.ContainerState{Terminated: terminated.DeepCopy()}
			if backoff > 0 {
				s.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{
					Reason:  "CrashLoopBackOff",
					Message: fmt.Sprintf("back-off %s restarting failed container=%s pod=%s_%s(%s)", backoff, c.spec.Name, c.pod.name, c.pod.namespace, c.pod.uid),
				}}
			}
		})
		if !wait(ctx, backoff) {
			c.settleStopped()
			return
		}
	}
}

// settleStopped marks a container that was waiting (never started, or backing off) when the pod stopped.
// waitToRetry shows the container Waiting with the kubelet's reason and the error, then backs off before the
// attempt-th retry; false when the pod stops meanwhile (the container is then settled as stopped).
func (c *containerRuntime) waitToRetry(ctx context.Context, reason string, err error, attempt int) bool {
	c.setStatus(func(s *corev1.ContainerStatus) {
		s.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason, Message: err.Error()}}
		s.Ready, s.Started = false, ptr(false)
	})
	if !wait(ctx, restart.Backoff(attempt)) {
		c.settleStopped()
		return false
	}
	return true
}

func (c *containerRuntime) settleStopped() {
	c.setStatus(func(s *corev1.ContainerStatus) {
		if s.State.Terminated != nil {
			return
		}
		if last := s.LastTerminationState.Terminated; last != nil {
			s.State = corev1.ContainerState{Terminated: last.DeepCopy()}
		} else {
			s.State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
				ExitCode: 137, Reason: "ContainerStatusUnknown",
				Message: "The container could not be located when the pod was terminated", FinishedAt: metav1.Now(),
			}}
		}
		s.Ready = false
	})
}

func ptr[T any](v T) *T { return &v }

func (c *containerRuntime) resolveImage() (images.Image, error) {
	m, err := images.Load(c.pod.p.cfg.ImagesPath)
	if err != nil {
		return images.Image{}, fmt.Errorf("Failed to pull image %q: %v", c.spec.Image, err)
	}
	image, ok := m.Lookup(c.spec.Image)
	if !ok {
		return images.Image{}, fmt.Errorf("Failed to pull image %q: the knative-desk virtual node cannot pull images; %q is not in its image map %s", c.spec.Image, c.spec.Image, c.pod.p.cfg.ImagesPath)
	}
	return image, nil
}

// command builds a process inside the pod's namespaces (network, and a mount namespace with the pod's hosts file)
// with the container's environment.
func (c *containerRuntime) command(ctx context.Context, argv []string) *exec.Cmd {
	c.mu.Lock()
	image, containerEnv := c.image, c.env
	c.mu.Unlock()
	env := processEnv(image, containerEnv, c.pod.name)
	args := append([]string{"netns", "exec", c.pod.netns}, expandAll(argv, env)...)
	cmd := exec.CommandContext(ctx, "ip", args...)
	cmd.Env = env
	cmd.Dir = c.workingDir(image)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	return cmd
}

func (c *containerRuntime) workingDir(image images.Image) string {
	if c.spec.WorkingDir != "" {
		return c.spec.WorkingDir
	}
	if image.Dir != "" {
		return image.Dir
	}
	return "/"
}

// startRun starts the process (or records why it could not start, as a run that exited with 128) and its probes.
func (c *containerRuntime) startRun(ctx context.Context, image images.Image) *containerRun {
	c.mu.Lock()
	if c.current != nil {
		c.previous = c.current
	}
	c.image = image
	c.runs++
	restarts := c.runs - 1
	c.mu.Unlock()

	run := &containerRun{id: newContainerID(), exited: make(chan struct{}), started: time.Now(), logPath: filepath.Join(c.dir, fmt.Sprintf("%d.log", restarts))}
	startErr := func(err error) *containerRun {
		_ = os.WriteFile(run.logPath, nil, 0o640)
		run.exitCode = 128
		run.message = err.Error()
		c.mu.Lock()
		c.current = run
		c.mu.Unlock()
		c.setStatus(func(s *corev1.ContainerStatus) {
			s.RestartCount = int32(restarts)
			s.LastTerminationState = corev1.ContainerState{}
			s.State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
				ExitCode: 128, Reason: "StartError", Message: err.Error(), StartedAt: metav1.NewTime(run.started),
				FinishedAt: metav1.Now(), ContainerID: run.id,
			}}
		})
		close(run.exited)
		return run
	}
	if err := os.MkdirAll(c.dir, 0o750); err != nil {
		return startErr(err)
	}
	argv := images.Argv(image, c.spec.Command, c.spec.Args)
	c.mu.Lock()
	containerEnv := c.env
	c.mu.Unlock()
	env := processEnv(image, containerEnv, c.pod.name)
	if _, err := lookPath(expand(argv[0], env), env); err != nil {
		return startErr(fmt.Errorf("failed to create containerd task: exec: %q: %v", argv[0], err))
	}
	if dir := c.workingDir(image); !isDir(dir) {
		return startErr(fmt.Errorf("failed to create containerd task: working directory %q does not exist", dir))
	}
	lf, err := openLogFile(run.logPath)
	if err != nil {
		return startErr(err)
	}
	// Not CommandContext: the process is stopped by stop() (SIGTERM, grace, SIGKILL), never by a context.
	cmd := c.command(context.Background(), argv)
	stdout, stderr := lf.stream("stdout"), lf.stream("stderr")
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		_ = lf.Close()
		return startErr(err)
	}
	run.cmd = cmd
	c.mu.Lock()
	c.current = run
	stopping := c.stopping
	c.mu.Unlock()
	if stopping {
		// The pod began stopping while this run was starting: stop() saw no process, so end it here.
		go signalAndWait(run, time.Now())
	}
	hasStartup := c.spec.StartupProbe != nil
	c.setStatus(func(s *corev1.ContainerStatus) {
		s.RestartCount = int32(restarts)
		s.ContainerID = run.id
		s.ImageID = "knative-desk-image-map://" + c.spec.Image
		s.State = corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(run.started)}}
		s.Started = ptr(!hasStartup)
		s.Ready = c.spec.ReadinessProbe == nil && !hasStartup
	})
	probeCtx, stopProbes := context.WithCancel(ctx)
	go c.probe(probeCtx, run)
	// PLEG sees the start at its next relist and the pod syncs: containers not yet Ready get a readiness probe.
	go func() {
		if wait(probeCtx, untilNextRelist()) {
			c.pod.syncReadiness()
		}
	}()
	go func() {
		err := cmd.Wait()
		stopProbes()
		_ = stdout.Close()
		_ = stderr.Close()
		_ = lf.Close()
		run.exitCode = exitCode(cmd, err)
		close(run.exited)
	}()
	return run
}

func exitCode(cmd *exec.Cmd, err error) int32 {
	if cmd.ProcessState == nil {
		return 128
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int32(ws.Signal())
	}
	if err != nil && !errors.As(err, new(*exec.ExitError)) {
		return 128
	}
	return int32(cmd.ProcessState.ExitCode())
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// lookPath finds argv[0] on the container's PATH, as the runtime's exec does.
func lookPath(name string, env []string) (string, error) {
	if filepath.IsAbs(name) || filepath.Base(name) != name {
		st, err := os.Stat(name)
		if err != nil {
			return "", fmt.Errorf("stat %s: no such file or directory", name)
		}
		if st.IsDir() || st.Mode()&0o111 == 0 {
			return "", fmt.Errorf("%s: permission denied", name)
		}
		return name, nil
	}
	for _, kv := range env {
		if len(kv) > 5 && kv[:5] == "PATH=" {
			for _, dir := range filepath.SplitList(kv[5:]) {
				candidate := filepath.Join(dir, name)
				if st, err := os.Stat(candidate); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
					return candidate, nil
				}
			}
		}
	}
	return "", fmt.Errorf("executable file not found in $PATH")
}

func (c *containerRuntime) target() probe.Target {
	return probe.Target{
		PodIP: c.pod.ip.String(),
		Ports: c.spec.Ports,
		Exec: func(ctx context.Context, command []string) (int, string, error) {
			cmd := c.command(ctx, command)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err := cmd.Run()
			if cmd.ProcessState != nil {
				return cmd.ProcessState.ExitCode(), out.String(), nil
			}
			return -1, out.String(), err
		},
	}
}

// probe runs the startup probe until it passes, then liveness and readiness each on their own period, as the
// kubelet's prober workers do. A failed startup or liveness probe kills the run (the worker then restarts it per
// policy); readiness only flips Ready.
func (c *containerRuntime) probe(ctx context.Context, run *containerRun) {
	target := c.target()
	if sp := c.spec.StartupProbe; sp != nil {
		// Until it passes; failureThreshold failures in a row kill the run.
		msg, failed := probeWorker(ctx, sp, target, false, func(passing, _ bool, failures int) (bool, bool) {
			return passing || failures >= probe.TimingOf(sp).FailureThreshold, !passing
		})
		if ctx.Err() != nil {
			return
		}
		if failed {
			c.kill(run, fmt.Sprintf("Startup probe failed: %s", msg), sp.TerminationGracePeriodSeconds)
			return
		}
		c.setStatus(func(s *corev1.ContainerStatus) {
			s.Started = ptr(true)
			if c.spec.ReadinessProbe == nil {
				s.Ready = true
			}
		})
	}
	if lp := c.spec.LivenessProbe; lp != nil {
		go func() {
			// For the run's life; turning from passing to failing (after failureThreshold) kills the run.
			msg, failed := probeWorker(ctx, lp, target, true, func(passing, changed bool, _ int) (bool, bool) {
				return changed && !passing, true
			})
			if failed && ctx.Err() == nil {
				c.kill(run, fmt.Sprintf("Liveness probe failed: %s", msg), lp.TerminationGracePeriodSeconds)
			}
		}()
	}
	if rp := c.spec.ReadinessProbe; rp != nil {
		c.readiness(ctx, rp, target)
	}
}

// probeWorker is the kubelet's prober worker for the startup and liveness probes: after the initial delay, one
// probe per period, each result fed to a tracker (starting as `initial`), until `stop` says so for the tracker's
// state; it returns the last probe's message and the verdict `stop` gave, or ("", false) when ctx ends first.
func probeWorker(ctx context.Context, p *corev1.Probe, target probe.Target, initial bool,
	stop func(passing, changed bool, failures int) (done, failed bool)) (string, bool) {
	timing := probe.TimingOf(p)
	if !wait(ctx, timing.InitialDelay) {
		return "", false
	}
	tracker := probe.NewTracker(timing, initial)
	for {
		result, msg := probe.Run(ctx, p, target)
		if ctx.Err() != nil {
			return "", false
		}
		passing, changed := tracker.Observe(result)
		if done, failed := stop(passing, changed, tracker.Failures()); done {
			return msg, failed
		}
		if !wait(ctx, timing.Period) {
			return "", false
		}
	}
}

// readiness is the kubelet's readiness worker: a probe on every period tick and on every manual trigger (a pod sync
// while the container is not Ready: PLEG seeing a container start, a changed probe result), the ticker restarting
// from each manual run. The worker does not probe before the container's start has been seen (a process that has
// just been forked is not listening yet), and its first result counts as a change (the kubelet's results cache had
// none), so a failed first probe is followed at once by another one rather than a whole period later.
func (c *containerRuntime) readiness(ctx context.Context, rp *corev1.Probe, target probe.Target) {
	timing := probe.TimingOf(rp)
	if !wait(ctx, timing.InitialDelay) {
		return
	}
	ticker := time.NewTicker(timing.Period)
	defer ticker.Stop()
	tracker := probe.NewTracker(timing, false)
	first := true
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		case <-c.readinessTrigger:
			ticker.Reset(timing.Period)
		}
		result, _ := probe.Run(ctx, rp, target)
		if ctx.Err() != nil {
			return
		}
		c.mu.Lock()
		stopping := c.stopping
		c.mu.Unlock()
		passing, changed := tracker.Observe(result)
		if changed && !stopping {
			c.setStatus(func(s *corev1.ContainerStatus) { s.Ready = passing })
		}
		if (changed || first) && !stopping {
			c.pod.syncReadiness()
		}
		first = false
	}
}

// kill stops a run that failed its liveness/startup probe: SIGTERM, the grace period, SIGKILL.
func (c *containerRuntime) kill(run *containerRun, reason string, probeGrace *int64) {
	log.G(context.Background()).WithField("pod", c.pod.key).WithField("container", c.spec.Name).Info(reason + ", will be restarted")
	run.killed = true
	grace := gracePeriod(c.pod.pod)
	if probeGrace != nil {
		grace = time.Duration(*probeGrace) * time.Second
	}
	signalAndWait(run, time.Now().Add(grace))
}

// stop is the container's part of pod termination: preStop hook, SIGTERM, wait until deadline, SIGKILL.
func (c *containerRuntime) stop(deadline time.Time) {
	c.stopOnce.Do(func() {
		c.mu.Lock()
		c.stopping = true
		run := c.current
		c.mu.Unlock()
		c.setStatus(func(s *corev1.ContainerStatus) { s.Ready = false })
		if run == nil || run.cmd == nil {
			return
		}
		select {
		case <-run.exited:
			return
		default:
		}
		if c.spec.Lifecycle != nil && c.spec.Lifecycle.PreStop != nil {
			ctx, cancel := context.WithDeadline(context.Background(), deadline)
			if err := c.runHook(ctx, c.spec.Lifecycle.PreStop); err != nil {
				log.G(ctx).WithError(err).WithField("pod", c.pod.key).WithField("container", c.spec.Name).Warn("PreStop hook failed")
			}
			cancel()
		}
		signalAndWait(run, deadline)
	})
}

// runHook runs a lifecycle handler (exec, httpGet, sleep) as the kubelet's handler runner does.
func (c *containerRuntime) runHook(ctx context.Context, h *corev1.LifecycleHandler) error {
	target := c.target()
	switch {
	case h.Exec != nil:
		code, out, err := target.Exec(ctx, h.Exec.Command)
		if err != nil {
			return err
		}
		if code != 0 {
			return fmt.Errorf("command %q exited with %d: %s", h.Exec.Command, code, out)
		}
		return nil
	case h.HTTPGet != nil:
		req, err := probe.HTTPRequest(ctx, h.HTTPGet, target)
		if err != nil {
			return err
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		_ = res.Body.Close()
		if !probe.IsHTTPSuccess(res.StatusCode) {
			return fmt.Errorf("HTTP lifecycle hook (%s) for Container %q in Pod %q failed - error: status %d", h.HTTPGet.Path, c.spec.Name, c.pod.name, res.StatusCode)
		}
		return nil
	case h.Sleep != nil:
		wait(ctx, time.Duration(h.Sleep.Seconds)*time.Second)
		return nil
	}
	return nil
}

// signalAndWait sends SIGTERM to the run's process group, waits for it to exit until deadline, then SIGKILLs it.
func signalAndWait(run *containerRun, deadline time.Time) {
	pid := run.cmd.Process.Pid
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case <-run.exited:
		return
	case <-t.C:
	}
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	<-run.exited
}
