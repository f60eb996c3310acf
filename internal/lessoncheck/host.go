package lessoncheck

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/go-docker-workshop/workshop/internal/gotoolchain"
	"github.com/go-docker-workshop/workshop/internal/imagetest"
)

// BuildServer compiles the Go files of dir (without tests) into a temporary binary, as the
// lessons' Dockerfiles do (go build -o server server.go). hint is added to the advice on a
// compile error, e.g. the imports the lesson's code needs.
func BuildServer(ctx context.Context, dir, hint string) (string, error) {
	srcs, err := goFiles(dir)
	if err != nil {
		return "", err
	}
	if len(srcs) == 0 {
		return "", Failf("сервер — это файл server.go с package main и функцией main", "в каталоге %s нет файлов .go", Display(dir))
	}
	out, err := os.MkdirTemp("", "workshop-server-")
	if err != nil {
		return "", err
	}
	// Ctrl+C during the checks removes the binary too; HostServer.Stop does otherwise.
	forget := imagetest.RemoveOnInterrupt(out)
	bin := filepath.Join(out, "server")
	if cached := cachedServer(dir, srcs); cached != "" && copyExecutable(cached, bin) == nil {
		builtMu.Lock()
		built[bin] = forget
		builtMu.Unlock()
		return bin, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", append([]string{"build", "-o", bin}, srcs...)...)
	cmd.Dir = dir
	if output, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(out)
		forget()
		advice := "исправьте ошибку компиляции: go build называет файл и строку (server.go:12:3)"
		if hint != "" {
			advice += "; " + hint
		}
		return "", Failf(advice, "go build в %s не удался: %v\n%s", Display(dir), err, strings.TrimSpace(string(output)))
	}
	keepServer(dir, srcs, bin)
	builtMu.Lock()
	built[bin] = forget
	builtMu.Unlock()
	return bin, nil
}

// The servers BuildServer compiled are kept in the user's cache directory under a hash of
// their sources: go build takes the compiled packages from Go's build cache but links the
// binary again every time (0,5–1 s of a warm check of lessons 1 and 7).

// serverKey is the hash of what the binary is built from: the source files, the go command
// and the settings that change a build; "" when a file cannot be read.
func serverKey(dir string, srcs []string) string {
	h := sha256.New()
	for _, name := range srcs {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return ""
		}
		fmt.Fprintf(h, "%s %d\n", name, len(data))
		h.Write(data)
	}
	stamp := gotoolchain.Stamp()
	if stamp == "" {
		return ""
	}
	h.Write([]byte(stamp))
	return hex.EncodeToString(h.Sum(nil))
}

func serverCachePath(key string) string {
	dir, err := os.UserCacheDir()
	if err != nil || key == "" {
		return ""
	}
	return filepath.Join(dir, "go-docker-workshop", "servers", key)
}

// cachedServer is the kept binary of these sources, or "".
func cachedServer(dir string, srcs []string) string {
	p := serverCachePath(serverKey(dir, srcs))
	if p == "" {
		return ""
	}
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

// keepServer keeps a binary BuildServer compiled; a failure only costs the next check a link.
func keepServer(dir string, srcs []string, bin string) {
	p := serverCachePath(serverKey(dir, srcs))
	if p == "" || os.MkdirAll(filepath.Dir(p), 0o755) != nil {
		return
	}
	tmp := p + ".tmp" + fmt.Sprint(os.Getpid())
	if copyExecutable(bin, tmp) != nil || os.Rename(tmp, p) != nil {
		os.Remove(tmp)
	}
}

func copyExecutable(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// built maps each binary BuildServer made to the function that stops an interrupt from
// removing it, called when HostServer.Stop removes it itself.
var (
	builtMu sync.Mutex
	built   = map[string]func(){}
)

func goFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("каталог с сервером: %w", err)
	}
	var srcs []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".go") && !strings.HasSuffix(e.Name(), "_test.go") {
			srcs = append(srcs, e.Name())
		}
	}
	sort.Strings(srcs)
	return srcs, nil
}

// HostServer is a lesson's server binary running on this machine on a free loopback port:
// the cheap way to check what a server's code does, without an image.
type HostServer struct {
	Bin  string
	Port string
	// ListenHint is the advice when the server does not start listening, e.g. how the
	// lesson's code reads PORT.
	ListenHint string

	cmd  *exec.Cmd
	out  lockedBuffer
	done chan struct{} // closed when the process has exited
	err  error         // its exit status, valid after done

	forgetKill func()
}

// start starts the binary. BuildServer wrote it in this process a moment ago, and a fork of
// another test running side by side may still hold the file open for writing until its exec:
// then the kernel refuses to run it (ETXTBSY, golang.org/issue/22315). That is over within
// milliseconds, so start tries again a few times, as the go command itself does.
func (srv *HostServer) start(port string) error {
	var err error
	for attempt := 0; attempt < 50; attempt++ {
		srv.cmd = exec.Command(srv.Bin)
		srv.cmd.Env = append(os.Environ(), "PORT="+port)
		srv.cmd.Stdout, srv.cmd.Stderr = &srv.out, &srv.out
		if err = srv.cmd.Start(); !errors.Is(err, syscall.ETXTBSY) {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 10 * time.Millisecond)
	}
	return err
}

// Start runs the binary with PORT set to a free port and waits until it accepts connections.
func (srv *HostServer) Start(ctx context.Context) error {
	port, err := FreePort()
	if err != nil {
		return err
	}
	srv.Port = port
	if err := srv.start(port); err != nil {
		return fmt.Errorf("запуск %s: %w", srv.Bin, err)
	}
	srv.done = make(chan struct{})
	// Ctrl+C during the checks kills the server too, instead of leaving it running.
	proc := srv.cmd.Process
	srv.forgetKill = imagetest.OnInterrupt(func() { _ = proc.Kill() })
	go func() { srv.err = srv.cmd.Wait(); close(srv.done) }()

	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case <-srv.done:
			return Failf("сервер должен работать, пока его не остановят: прочтите его вывод выше; "+
				"порт берётся из переменной PORT, а ошибку ListenAndServe передают в log.Fatal",
				"сервер завершился сразу после запуска (%v). Его вывод:\n%s", srv.err, srv.Output())
		default:
		}
		if c, err := net.DialTimeout("tcp", "127.0.0.1:"+port, 200*time.Millisecond); err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			hint := srv.ListenHint
			if hint == "" {
				hint = "сервер слушает порт из переменной окружения PORT (по умолчанию 8080) на всех интерфейсах"
			}
			return Failf(hint, "сервер не начал слушать 127.0.0.1:%s за 10 с (его запустили с PORT=%s). Его вывод:\n%s",
				port, port, srv.Output())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// URL is the address of path on the running server.
func (srv *HostServer) URL(path string) string { return "http://127.0.0.1:" + srv.Port + path }

// Signal sends sig to the server's process.
func (srv *HostServer) Signal(sig os.Signal) error { return srv.cmd.Process.Signal(sig) }

// Done is closed when the process has exited; Err then holds its exit status.
func (srv *HostServer) Done() <-chan struct{} { return srv.done }

// Err is the process's exit status (nil for code 0), valid once Done is closed.
func (srv *HostServer) Err() error { return srv.err }

// Kill kills the process and waits for it.
func (srv *HostServer) Kill() {
	if srv.cmd != nil && srv.cmd.Process != nil && srv.done != nil {
		_ = srv.cmd.Process.Kill()
		<-srv.done
	}
}

// Stop kills the process if it still runs, waits for it and removes the binary. Safe to
// call on a server that never started.
func (srv *HostServer) Stop() {
	if srv == nil {
		return
	}
	srv.Kill()
	if srv.forgetKill != nil {
		srv.forgetKill()
	}
	if srv.Bin != "" {
		os.RemoveAll(filepath.Dir(srv.Bin))
		builtMu.Lock()
		if forget, ok := built[srv.Bin]; ok {
			forget()
			delete(built, srv.Bin)
		}
		builtMu.Unlock()
	}
}

// Output is the server's output so far, indented for a failure message; its last 12 lines.
func (srv *HostServer) Output() string {
	out := strings.TrimSpace(srv.out.String())
	if out == "" {
		return "    (пусто)"
	}
	lines := strings.Split(out, "\n")
	if len(lines) > 12 {
		lines = append([]string{"…"}, lines[len(lines)-12:]...)
	}
	return "    " + strings.Join(lines, "\n    ")
}

// UnwrapURL drops the *url.Error wrapper around a client error: «Get "http://…": EOF» → «EOF».
func UnwrapURL(err error) error {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			return inner
		}
	}
	return err
}

// FreePort asks the kernel for a free loopback port and releases it for the server.
func FreePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("свободный порт: %w", err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port), nil
}

// lockedBuffer collects the server's output, written by the process's copier goroutines
// and read by the checks.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// ListensOnAllInterfaces fails when the server listens only on the loopback address
// 127.0.0.1: it answers on this machine, but in a container docker run -p forwards
// connections to the container's network interface, not to its 127.0.0.1. The check asks
// another loopback address: on Linux the whole 127.0.0.0/8 is this machine, and a server on
// ":8080" answers on 127.0.0.2 too, while one bound to 127.0.0.1 (or localhost) refuses.
// Elsewhere 127.0.0.2 may not exist, and the check says nothing. hint is the lesson's advice;
// then says what in the lesson's later checks would fail because of it.
func (s *HostServer) ListensOnAllInterfaces(hint, then string) error {
	if runtime.GOOS != "linux" {
		return nil
	}
	c, err := net.DialTimeout("tcp", "127.0.0.2:"+s.Port, 2*time.Second)
	if err == nil {
		c.Close()
		return nil
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		return nil // not a refusal: nothing to say about the address
	}
	return Failf(hint,
		"сервер слушает только локальный адрес 127.0.0.1 (порт %s): на этой машине он отвечает, а в контейнере — "+
			"нет. docker run -p пересылает соединения на сетевой интерфейс контейнера, а не на его 127.0.0.1, "+
			"и %s. Вывод сервера:\n%s", s.Port, then, s.Output())
}

// Reply is what the server on this machine answered.
type Reply struct {
	Status int
	Header http.Header
	Body   string
}

// hostClient never uses a proxy: the server is on this machine.
var hostClient = &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{Proxy: nil}}

// Do sends a request to the server and reads the whole reply. A failed request is a Problem
// that shows the server's output: it may have crashed on this very request.
func (srv *HostServer) Do(ctx context.Context, method, path string) (Reply, error) {
	req, err := http.NewRequestWithContext(ctx, method, srv.URL(path), nil)
	if err != nil {
		return Reply{}, err
	}
	resp, err := hostClient.Do(req)
	if err != nil {
		return Reply{}, Failf("прочтите вывод сервера выше: возможно, он упал на этом запросе",
			"%s %s: запрос не удался: %v. Вывод сервера:\n%s", method, path, UnwrapURL(err), srv.Output())
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return Reply{}, fmt.Errorf("%s %s: чтение ответа: %w", method, path, err)
	}
	return Reply{Status: resp.StatusCode, Header: resp.Header, Body: string(body)}, nil
}

// HostRun is the lesson's own Go code run as a server on this machine (lessons 1 and 7):
// Compile and Start are the checks of its first two steps, and Server is the server for the
// steps after them.
type HostRun struct {
	Server *HostServer
	// CompileHint is added to the advice on a compile error, e.g. the imports the lesson needs.
	CompileHint string
	// Listen is how the lesson's code names the address to listen on (`адрес ":"+port`,
	// `Addr: ":"+port`), and Serve the call that listens (`http.ListenAndServe(":"+port, …)`).
	Listen, Serve string
	// Then says what in the lesson's later checks fails when the server listens on 127.0.0.1.
	Then string
}

// ListenAdvice is what a server that can't be reached from a container must listen on.
func (h *HostRun) ListenAdvice() string {
	return "слушайте все интерфейсы: " + h.Listen + ` (то же, что "0.0.0.0:8080"), ` +
		`а не "127.0.0.1:8080" и не "localhost:8080"`
}

// Compile builds the target's Go code (Target.Dir).
func (h *HostRun) Compile(s *State) error {
	bin, err := BuildServer(s.Ctx, s.Target.Dir, h.CompileHint)
	if err != nil {
		return err
	}
	h.Server = &HostServer{Bin: bin, ListenHint: "сервер слушает порт из переменной окружения PORT (по умолчанию 8080) " +
		"на всех интерфейсах: " + h.Serve + "; " + h.ListenAdvice()}
	return nil
}

// Start starts the compiled server on a free loopback port, stopped when the run ends, and
// wants it listening on all interfaces.
func (h *HostRun) Start(s *State) error {
	s.Defer(h.Server.Stop) // always, whatever happens below
	if err := h.Server.Start(s.Ctx); err != nil {
		return err
	}
	return h.Server.ListensOnAllInterfaces(h.ListenAdvice(), h.Then)
}
