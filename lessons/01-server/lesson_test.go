// Checks of lesson 01: they judge the running program, not its source. Each check builds the
// target's Go package, starts it on a free loopback port and asks it over HTTP.
//
//	go test ./lessons/01-server/            the reference solution (server.go)
//	go test ./lessons/01-server/ -exercise  the student's exercise (exercise/server.go)
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

func TestLesson(t *testing.T) { lessoncheck.Run(t, lessoncheck.Lesson(t, ""), steps()) }

// The starter as committed must fail, and for the intended reason: no /healthz yet.
func TestStarterFails(t *testing.T) {
	lessoncheck.SkipInExercise(t)
	target := lessoncheck.Starter(t, "", "exercise/server.go")
	step, err := lessoncheck.FirstProblem(context.Background(), target, steps())
	if err == nil {
		t.Fatal("the starter passes every check: the exercise ships solved")
	}
	t.Logf("the starter fails as intended at %q:\n%v", step, err)
	if step != stepHealthz {
		t.Errorf("starter fails at step %q, want %q", step, stepHealthz)
	}
	for _, want := range []string{"GET /healthz: ответ 404", "Подсказка:", `"GET /healthz"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("starter's message lacks %q:\n%v", want, err)
		}
	}
}

// Other correct servers pass (ok-*.go), typical mistakes fail with their `// want:` text.
func TestVariants(t *testing.T) {
	lessoncheck.SkipInExercise(t)
	files, err := filepath.Glob("testdata/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no variants in testdata/: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".go")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "server.go"), src, 0o644); err != nil {
				t.Fatal(err)
			}
			target := lessoncheck.Lesson(t, "")
			target.Name, target.Dir = file, dir
			step, err := lessoncheck.FirstProblem(context.Background(), target, steps())
			if strings.HasPrefix(name, "ok-") {
				if err != nil {
					t.Fatalf("a correct variant fails at %q:\n%v", step, err)
				}
				return
			}
			want := wantLine(t, string(src), "// want:")
			if err == nil {
				t.Fatalf("passes every check, want a failure with %q", want)
			}
			if !strings.Contains(err.Error(), want) {
				t.Errorf("fails at %q with\n%v\nwant the message to contain %q", step, err, want)
			}
		})
	}
}

func wantLine(t *testing.T, src, prefix string) string {
	t.Helper()
	first, _, _ := strings.Cut(src, "\n")
	want, ok := strings.CutPrefix(first, prefix)
	if !ok || strings.TrimSpace(want) == "" {
		t.Fatalf("the first line must be %q followed by the expected message", prefix+" …")
	}
	return strings.TrimSpace(want)
}

// Step names; the starter's test refers to the one it must fail at.
const (
	stepBuild   = "сервер компилируется"
	stepStart   = "сервер запускается и слушает PORT"
	stepRoot    = "GET / отвечает JSON"
	stepHealthz = "GET /healthz отвечает ok"
	stepMethod  = "POST /healthz отвечает 405"
)

const (
	rootBody    = `{"message":"Привет из Go в Docker!"}` + "\n"
	healthzBody = "ok\n"
)

func steps() []lessoncheck.Step {
	// One server per run: the steps below share it.
	var srv *server
	return []lessoncheck.Step{
		{Name: stepBuild, Check: func(s *lessoncheck.State) error {
			bin, err := buildServer(s.Ctx, s.Target.Dir)
			if err != nil {
				return err
			}
			srv = &server{bin: bin}
			return nil
		}},
		{Name: stepStart, Check: func(s *lessoncheck.State) error {
			s.Defer(srv.stop) // always, whatever happens below
			return srv.start(s.Ctx)
		}},
		{Name: stepRoot, Check: func(s *lessoncheck.State) error {
			resp, err := srv.do(s.Ctx, http.MethodGet, "/")
			if err != nil {
				return err
			}
			if resp.status != 200 || resp.body != rootBody {
				return lessoncheck.Failf("обработчик GET / должен ответить ровно этим JSON и переводом строки: "+
					"fmt.Fprintln(w, `{\"message\":\"Привет из Go в Docker!\"}`)",
					"GET /: ответ %d %q, а ожидается 200 %q", resp.status, resp.body, rootBody)
			}
			if ct := resp.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				return lessoncheck.Failf(`задайте заголовок до записи тела: w.Header().Set("Content-Type", "application/json; charset=utf-8")`,
					"GET /: Content-Type %q, а ожидается application/json; charset=utf-8", ct)
			}
			return nil
		}},
		{Name: stepHealthz, Check: func(s *lessoncheck.State) error {
			resp, err := srv.do(s.Ctx, http.MethodGet, "/healthz")
			if err != nil {
				return err
			}
			switch {
			case resp.status == 404:
				return lessoncheck.Failf(`добавьте обработчик в newHandler: mux.HandleFunc("GET /healthz", …), `+
					`который отвечает fmt.Fprintln(w, "ok")`,
					"GET /healthz: ответ 404 %q — обработчика /healthz нет", resp.body)
			case resp.status != 200 || resp.body != healthzBody:
				return lessoncheck.Failf(`тело ответа — ровно ok и перевод строки: fmt.Fprintln(w, "ok")`,
					"GET /healthz: ответ %d %q, а ожидается 200 %q", resp.status, resp.body, healthzBody)
			}
			return nil
		}},
		{Name: stepMethod, Check: func(s *lessoncheck.State) error {
			resp, err := srv.do(s.Ctx, http.MethodPost, "/healthz")
			if err != nil {
				return err
			}
			if resp.status != http.StatusMethodNotAllowed {
				return lessoncheck.Failf(`укажите метод в шаблоне: "GET /healthz" вместо "/healthz" — `+
					`тогда на другие методы mux сам ответит 405 и заголовком Allow`,
					"POST /healthz: ответ %d %q, а ожидается 405 Method Not Allowed", resp.status, resp.body)
			}
			if allow := resp.header.Get("Allow"); !strings.Contains(allow, "GET") {
				return lessoncheck.Failf("ответ 405 должен перечислять разрешённые методы в заголовке Allow",
					"POST /healthz: ответ 405 без GET в заголовке Allow (%q)", allow)
			}
			return nil
		}},
	}
}

// buildServer compiles the Go files of dir (without tests) into a temporary binary. Files
// rather than the package path: a starter copy lives outside the module, and this is how
// the Dockerfiles of the next lessons build it too (go build -o server server.go).
func buildServer(ctx context.Context, dir string) (string, error) {
	srcs, err := goFiles(dir)
	if err != nil {
		return "", err
	}
	if len(srcs) == 0 {
		return "", lessoncheck.Failf("сервер — это файл server.go с package main и функцией main",
			"в каталоге %s нет файлов .go", dir)
	}
	out, err := os.MkdirTemp("", "lesson01-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(out, "server")
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", append([]string{"build", "-o", bin}, srcs...)...)
	cmd.Dir = dir
	if output, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(out)
		return "", lessoncheck.Failf("исправьте ошибку компиляции: go build называет файл и строку (server.go:12:3)",
			"go build в %s не удался: %v\n%s", dir, err, strings.TrimSpace(string(output)))
	}
	return bin, nil
}

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

// server is the target's program running on a loopback port.
type server struct {
	bin  string
	port string
	cmd  *exec.Cmd
	out  lockedBuffer
	done chan struct{} // closed when the process has exited
	err  error         // its exit status, valid after done
}

// start runs the binary with PORT set to a free port and waits until it accepts requests.
func (srv *server) start(ctx context.Context) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	srv.port = port
	srv.cmd = exec.Command(srv.bin)
	srv.cmd.Env = append(os.Environ(), "PORT="+port)
	srv.cmd.Stdout, srv.cmd.Stderr = &srv.out, &srv.out
	if err := srv.cmd.Start(); err != nil {
		return fmt.Errorf("запуск %s: %w", srv.bin, err)
	}
	srv.done = make(chan struct{})
	go func() { srv.err = srv.cmd.Wait(); close(srv.done) }()

	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case <-srv.done:
			return lessoncheck.Failf("сервер должен работать, пока его не остановят: прочтите его вывод выше; "+
				"порт берётся из переменной PORT, а ошибку ListenAndServe передают в log.Fatal",
				"сервер завершился сразу после запуска (%v). Его вывод:\n%s", srv.err, srv.output())
		default:
		}
		if c, err := net.DialTimeout("tcp", "127.0.0.1:"+port, 200*time.Millisecond); err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return lessoncheck.Failf("сервер слушает порт из переменной окружения PORT (по умолчанию 8080) "+
				"на всех интерфейсах: http.ListenAndServe(\":\"+port, …)",
				"сервер не начал слушать 127.0.0.1:%s за 10 с (его запустили с PORT=%s). Его вывод:\n%s",
				port, port, srv.output())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop kills the process, waits for it and removes the binary. Safe to call on a server
// that never started.
func (srv *server) stop() {
	if srv == nil {
		return
	}
	if srv.cmd != nil && srv.cmd.Process != nil && srv.done != nil {
		_ = srv.cmd.Process.Kill()
		<-srv.done
	}
	os.RemoveAll(filepath.Dir(srv.bin))
}

func (srv *server) output() string {
	out := strings.TrimSpace(srv.out.String())
	if out == "" {
		return "    (пусто)"
	}
	return "    " + strings.ReplaceAll(out, "\n", "\n    ")
}

type response struct {
	status int
	header http.Header
	body   string
}

// The client never uses a proxy: the server is on this machine.
var client = &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{Proxy: nil}}

func (srv *server) do(ctx context.Context, method, path string) (response, error) {
	req, err := http.NewRequestWithContext(ctx, method, "http://127.0.0.1:"+srv.port+path, nil)
	if err != nil {
		return response{}, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return response{}, lessoncheck.Failf("прочтите вывод сервера выше: возможно, он упал на этом запросе",
			"%s %s: запрос не удался: %v. Вывод сервера:\n%s", method, path, unwrapURL(err), srv.output())
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, fmt.Errorf("%s %s: чтение ответа: %w", method, path, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(body)}, nil
}

func unwrapURL(err error) error {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			return inner
		}
	}
	return err
}

// freePort asks the kernel for a free loopback port and releases it for the server.
func freePort() (string, error) {
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
