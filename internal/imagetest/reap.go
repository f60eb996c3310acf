package imagetest

// Ryuk, testcontainers' reaper, is an image from a registry and cannot run here, so the
// harness does its job. Every container it creates carries the run's labels: which process
// on which host created it. When that process is interrupted (Ctrl+C, SIGTERM), it removes
// its containers and temporary files before it exits; a process that could not (SIGKILL, a
// crash) leaves them to the next run, which removes the containers of runs whose process is
// gone before it creates its own.

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/moby/moby/client"
)

// Labels that say which run created a container.
const (
	// LabelRun is "<pid>@<hostname>" of the process that created the container.
	LabelRun = "workshop.run"
	// LabelRunStart is when that process started (clock ticks since boot on Linux), so that
	// a new process that got the same PID is not taken for the one that created it.
	LabelRunStart = "workshop.run.start"
)

// run identifies a process of the harness.
type run struct {
	pid   int
	host  string
	start string // "" when the system does not say
}

func (r run) label() string { return strconv.Itoa(r.pid) + "@" + r.host }

var self = func() run {
	host, _ := os.Hostname()
	pid := os.Getpid()
	return run{pid: pid, host: host, start: processStart(pid)}
}()

// RunLabel is the value of LabelRun on the containers of this process.
func RunLabel() string { return self.label() }

// runLabels are the labels of every container this process creates.
func runLabels() map[string]string {
	return map[string]string{LabelTest: "true", LabelRun: self.label(), LabelRunStart: self.start}
}

// processStart reads a process's start time from /proc (field 22 of /proc/<pid>/stat);
// "" where there is no /proc.
func processStart(pid int) string {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ""
	}
	// The command name (field 2) is in parentheses and may contain spaces.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return ""
	}
	fields := strings.Fields(s[i+1:])
	if len(fields) < 20 { // fields[0] is field 3, the state; the start time is field 22
		return ""
	}
	return fields[19]
}

// gone reports whether the process that labelled a container on this host no longer runs.
// Containers of other hosts (a shared remote daemon) are never judged gone.
func gone(labels map[string]string) bool {
	pidText, host, ok := strings.Cut(labels[LabelRun], "@")
	pid, err := strconv.Atoi(pidText)
	if !ok || err != nil || pid <= 0 || host != self.host {
		return false
	}
	if pid == self.pid {
		return labels[LabelRunStart] != self.start
	}
	if !processAlive(pid) {
		return true
	}
	start := labels[LabelRunStart]
	now := processStart(pid)
	return start != "" && now != "" && start != now // the PID was reused
}

func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false // Windows: no such process
	}
	if runtime.GOOS == "windows" {
		return true
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || strings.Contains(err.Error(), "not permitted")
}

var (
	prepareOnce sync.Once
	usedDocker  sync.Once // done once this process has talked to the daemon about containers
	dockerUsed  bool
)

// prepareContainers is called before the harness creates a container: the first time, it
// removes the containers that earlier, vanished runs left behind and makes an interrupt
// remove this run's containers.
func prepareContainers(ctx context.Context, cli client.APIClient) {
	usedDocker.Do(func() { dockerUsed = true })
	watchSignals()
	prepareOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		_, _ = reapStale(ctx, cli)
	})
}

// ReapStale removes the containers that runs of the harness on this host created and left
// behind when their process ended without removing them. It returns how many it removed.
// The harness calls it before it creates its first container.
func ReapStale(ctx context.Context) (int, error) {
	cli, err := dockerClient(ctx)
	if err != nil {
		return 0, err
	}
	return reapStale(ctx, cli)
}

func reapStale(ctx context.Context, cli client.APIClient) (int, error) {
	list, err := cli.ContainerList(ctx, client.ContainerListOptions{
		All: true, Filters: make(client.Filters).Add("label", LabelRun),
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range list.Items {
		if !gone(c.Labels) {
			continue
		}
		if _, err := cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true}); err == nil {
			n++
		}
	}
	return n, nil
}

// removeOwn removes every container of this process, running or not.
func removeOwn(ctx context.Context, cli client.APIClient) int {
	n := 0
	// Twice: a create request that was under way at the first listing shows up at the second.
	for range 2 {
		list, err := cli.ContainerList(ctx, client.ContainerListOptions{
			All: true,
			Filters: make(client.Filters).Add("label", LabelRun+"="+self.label()).
				Add("label", LabelRunStart+"="+self.start),
		})
		if err != nil {
			return n
		}
		for _, c := range list.Items {
			if _, err := cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true}); err == nil {
				n++
			}
		}
		if len(list.Items) == 0 {
			break
		}
	}
	return n
}

var (
	signalOnce  sync.Once
	interrupted = make(chan struct{}) // closed when a signal starts the cleanup
	tempMu      sync.Mutex
	onInterrupt = map[int]func(){}
	tempNext    int
)

// RemoveOnInterrupt makes an interrupt of this process remove path (a temporary file or
// directory) before it exits. Call forget once the caller has removed it itself.
func RemoveOnInterrupt(path string) (forget func()) {
	return OnInterrupt(func() { _ = os.RemoveAll(path) })
}

// OnInterrupt makes an interrupt of this process (SIGINT, SIGTERM) call fn before the
// process exits, e.g. to kill a server the checks started on the host. Call forget once fn
// is no longer needed.
func OnInterrupt(fn func()) (forget func()) {
	watchSignals()
	tempMu.Lock()
	tempNext++
	k := tempNext
	onInterrupt[k] = fn
	tempMu.Unlock()
	return func() {
		tempMu.Lock()
		delete(onInterrupt, k)
		tempMu.Unlock()
	}
}

// watchSignals makes SIGINT and SIGTERM remove this run's containers and temporary files,
// then end the process with the conventional code (128 + the signal's number). A second
// signal during the cleanup ends the process at once.
func watchSignals() {
	signalOnce.Do(func() {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
		go func() {
			sig := <-ch
			close(interrupted)
			signal.Stop(ch)
			removed := cleanupRun(10 * time.Second)
			if removed > 0 {
				fmt.Fprintf(os.Stderr, "Прервано: удалено контейнеров этого запуска: %d.\n", removed)
			}
			code := 130
			if s, ok := sig.(syscall.Signal); ok {
				code = 128 + int(s)
			}
			os.Exit(code)
		}()
	})
}

// holdIfInterrupted blocks a caller whose call to the daemon failed because the interrupt
// removes the run's containers under it: the cleanup ends the process with the signal's
// exit code, and the caller must not end it first with an error of its own.
func holdIfInterrupted() {
	select {
	case <-interrupted:
		select {}
	default:
	}
}

// cleanupRun runs the OnInterrupt functions and removes this run's containers, within limit.
func cleanupRun(limit time.Duration) int {
	tempMu.Lock()
	for _, fn := range onInterrupt {
		fn()
	}
	tempMu.Unlock()
	if !dockerUsed {
		return 0
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cli, err := dockerClient(ctx)
	if err != nil {
		return 0
	}
	return removeOwn(ctx, cli)
}
