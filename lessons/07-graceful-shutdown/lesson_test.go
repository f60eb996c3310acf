// Checks of lesson 07: a graceful shutdown on SIGTERM. Static checks of the Dockerfile first
// (a command in exec form, so the server is PID 1), then the server's own behaviour as a host
// process (cheap: no image yet): a request in flight when SIGTERM arrives must complete and the
// process must exit with code 0. Then the same in the container: the build, the answers, and
// docker stop while GET /slow?d=2s is in flight.
//
//	go test ./lessons/07-graceful-shutdown/            the reference (server.go, Dockerfile)
//	go test ./lessons/07-graceful-shutdown/ -exercise  the student's exercise/server.go
package main

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"net/http"
	"net/http/httptrace"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

func TestLesson(t *testing.T) {
	lessoncheck.Run(t, lessoncheck.Lesson(t, "Dockerfile"), steps(t.Logf))
}

// The starter as committed must fail, and for the intended reason: it has no handler for
// SIGTERM, so Go's runtime ends it at once and cuts the request in flight.
func TestStarterFails(t *testing.T) {
	lessoncheck.SkipInExercise(t)
	target := lessoncheck.Starter(t, "Dockerfile", "exercise/server.go")
	lessoncheck.StarterFails(t, target, steps(t.Logf), stepHostRequest,
		"оборвал запрос GET /slow?d=2s", "код выхода 2", "signal.NotifyContext", "Shutdown")
}

// Other correct solutions pass (ok-*), typical mistakes fail with their `want:` line. Go
// variants (testdata/*.go) run as host processes only: that is where a server's code shows
// its behaviour, and it needs no image. Dockerfile variants run every step. Both kinds run
// side by side: they are independent processes and images, and several wait out a timeout.
func TestVariants(t *testing.T) {
	lessoncheck.SkipInExercise(t)
	lessoncheck.GoVariants(t, "Dockerfile", true, func(t *testing.T) []lessoncheck.Step { return hostSteps(t.Logf) })
	lessoncheck.Variants(t, "Dockerfile", func(t *testing.T) []lessoncheck.Step { return steps(t.Logf) })
}

// Step names; the starter's test refers to the one it must fail at.
const (
	stepExecForm    = "ENTRYPOINT или CMD в exec-форме"
	stepCompile     = "сервер компилируется"
	stepRun         = "сервер запускается и отвечает на GET /slow"
	stepHostRequest = "SIGTERM: сервер дожидается текущего запроса"
	stepHostExit    = "SIGTERM: сервер выходит с кодом 0"
	stepStopRequest = "docker stop: текущий запрос завершается"
	stepStopExit    = "docker stop: контейнер выходит с кодом 0"
)

const (
	slowPath  = "/slow?d=2s" // the request in flight when the signal comes
	slowDelay = 2 * time.Second
	doneBody  = "done\n"
	// settle is how long a request, once written, is given to reach its handler before the
	// signal is sent: on loopback it takes well under a millisecond, so this is pure margin
	// for a busy machine. The handler then still has 1.5 s to go.
	settle = 500 * time.Millisecond
	// stopGrace is how long a process may take to exit after SIGTERM: docker stop's default
	// timeout, after which Docker would kill it.
	stopGrace = 10 * time.Second
)

// checkExecForm checks the command the final image runs, wherever in the chain of stages it is set.
var checkExecForm = lessoncheck.ExecForm(lessoncheck.ScratchCommand("а в образе с оболочкой PID 1 стала бы она и не передала серверу SIGTERM: docker stop через 10 с убил бы контейнер (код 137)"))

// steps are the lesson's checks: static, host process, image, container.
func steps(logf func(format string, args ...any)) []lessoncheck.Step {
	all := []lessoncheck.Step{
		lessoncheck.ParseDockerfile(),
		lessoncheck.Static(stepExecForm, checkExecForm),
	}
	all = append(all, hostSteps(logf)...)
	stop := &stopRun{}
	return append(all,
		lessoncheck.Build(),
		startContainer(),
		lessoncheck.Answers(map[string]string{
			"/":            `{"message":"Привет из Go в Docker!"}` + "\n",
			"/healthz":     "ok\n",
			"/slow?d=10ms": doneBody,
		}),
		lessoncheck.Step{Name: stepStopRequest, Check: func(s *lessoncheck.State) error { return stop.request(s, logf) }},
		lessoncheck.Step{Name: stepStopExit, Check: stop.exit},
	)
}

// --- the server as a host process ---

// hostSteps build the target's server.go, run it on a free loopback port and send it SIGTERM
// while GET /slow?d=2s is in flight.
func hostSteps(logf func(format string, args ...any)) []lessoncheck.Step {
	h := &hostRun{}
	return []lessoncheck.Step{
		{Name: stepCompile, Check: func(s *lessoncheck.State) error {
			bin, err := lessoncheck.BuildServer(s.Ctx, s.Target.Dir, "не забудьте импорты: context, errors, os/signal, syscall")
			if err != nil {
				return err
			}
			h.srv = &lessoncheck.HostServer{Bin: bin, ListenHint: "сервер слушает порт из переменной окружения PORT (по умолчанию 8080) " +
				"на всех интерфейсах: Addr: \":\"+port; " + listenAddr}
			return nil
		}},
		{Name: stepRun, Check: func(s *lessoncheck.State) error {
			s.Defer(h.srv.Stop) // always, whatever happens below
			if err := h.srv.Start(s.Ctx); err != nil {
				return err
			}
			if err := h.srv.ListensOnAllInterfaces(listenAddr, "docker stop проверять будет не на чем"); err != nil {
				return err
			}
			return checkSlow(s.Ctx, h.srv)
		}},
		{Name: stepHostRequest, Check: func(s *lessoncheck.State) error { return h.request(s, logf) }},
		{Name: stepHostExit, Check: func(*lessoncheck.State) error { return h.exit() }},
	}
}

// hostRun is one run of the host-process steps: the server and how it ended.
type hostRun struct {
	srv   *lessoncheck.HostServer
	reply reply
	ended exitStatus
	after time.Duration // from SIGTERM to the process's exit
}

// exitStatus is how a host process ended.
type exitStatus struct {
	code     int            // exit code, when it exited on its own
	signaled syscall.Signal // the signal that ended it, or 0
	hung     bool           // still running stopGrace after SIGTERM: killed by the check
}

func (e exitStatus) String() string {
	switch {
	case e.hung:
		return fmt.Sprintf("не завершился за %s и убит", lessoncheck.Seconds(stopGrace))
	case e.signaled != 0:
		return "завершён сигналом " + signalName(e.signaled)
	default:
		return fmt.Sprintf("код выхода %d", e.code)
	}
}

func (h *hostRun) request(s *lessoncheck.State, logf func(string, ...any)) error {
	srv := h.srv
	f := send(s.Ctx, srv.URL(slowPath))
	if err := f.wait(s.Ctx); err != nil {
		return err
	}
	select {
	case <-srv.Done():
		return lessoncheck.Failf("прочтите вывод сервера: он завершился, хотя его никто не останавливал",
			"сервер завершился до сигнала (%v). Его вывод:\n%s", srv.Err(), srv.Output())
	default:
	}
	sent := time.Now()
	if err := srv.Signal(syscall.SIGTERM); err != nil {
		return fmt.Errorf("SIGTERM: %w", err)
	}
	select {
	case <-srv.Done():
		h.ended = statusOf(srv.Err())
	case <-time.After(stopGrace):
		srv.Kill()
		h.ended = exitStatus{hung: true}
	}
	h.after = time.Since(sent)
	h.reply = <-f.done // the process is gone, so is the connection: the reply is there
	logf("SIGTERM во время GET %s: ответ %s; сервер: %s через %s", slowPath, h.reply, h.ended, lessoncheck.Seconds(h.after))

	if h.reply.ok() {
		return nil
	}
	if h.reply.err == nil {
		return wrongReply(f, h.reply, "во время остановки")
	}
	switch {
	case h.ended.signaled == syscall.SIGTERM:
		return lessoncheck.Failf(hintHandle,
			"по SIGTERM сервер завершился сразу и оборвал запрос GET %s (%v). Сигнал обработал не ваш код, а "+
				"среда выполнения Go: она завершает процесс тем же сигналом. В контейнере, где сервер — PID 1, ядро "+
				"не применяет к нему действие сигнала по умолчанию, и Go выходит сам: код выхода 2. Вывод сервера:\n%s",
			slowPath, h.reply.err, srv.Output())
	case h.ended.hung:
		return lessoncheck.Failf(hintWait,
			"запрос GET %s оборван (%v), а сервер после SIGTERM не завершился за %s. Вывод сервера:\n%s",
			slowPath, h.reply.err, lessoncheck.Seconds(stopGrace), srv.Output())
	case h.ended.signaled != 0:
		return lessoncheck.Failf(hintHandle,
			"после SIGTERM сервер %s и оборвал запрос GET %s (%v). Вывод сервера:\n%s",
			h.ended, slowPath, h.reply.err, srv.Output())
	case closesServer(s.Target.Dir):
		return lessoncheck.Failf(hintClose,
			"сервер вышел с кодом %d через %s после SIGTERM и оборвал запрос GET %s (%v): %s. Вывод сервера:\n%s",
			h.ended.code, lessoncheck.Seconds(h.after), slowPath, h.reply.err, whyClose, srv.Output())
	default:
		return lessoncheck.Failf(hintWait,
			"сервер вышел с кодом %d через %s после SIGTERM и оборвал запрос GET %s (%v): "+
				"он не дождался, пока запрос завершится. Вывод сервера:\n%s",
			h.ended.code, lessoncheck.Seconds(h.after), slowPath, h.reply.err, srv.Output())
	}
}

func (h *hostRun) exit() error {
	switch {
	case h.ended.hung:
		return lessoncheck.Failf("когда Shutdown завершился, выйдите из main: проверьте, что main не ждёт канала, "+
			"в который никто не пишет, и что сигнал действительно прерывает ожидание (<-ctx.Done())",
			"сервер дождался запроса, но после SIGTERM не завершился за %s: docker stop на этом месте убил бы "+
				"его сигналом SIGKILL (код выхода 137). Вывод сервера:\n%s", lessoncheck.Seconds(stopGrace), h.srv.Output())
	case h.ended.signaled != 0:
		return lessoncheck.Failf(hintHandle, "сервер дождался запроса, но %s. Вывод сервера:\n%s", h.ended, h.srv.Output())
	case h.ended.code != 0:
		return lessoncheck.Failf(hintExitCode,
			"сервер дождался запроса, но вышел с кодом %d, а после корректного завершения нужен код 0: "+
				"ненулевой код Docker и оркестраторы считают аварией. Вывод сервера:\n%s", h.ended.code, h.srv.Output())
	}
	return nil
}

// Hints shared by the host and container checks.
const (
	hintHandle = "перехватите SIGTERM через signal.NotifyContext до запуска сервера, по сигналу вызовите " +
		"http.Server.Shutdown с тайм-аутом и выйдите из main, только когда Shutdown завершился (README урока, раздел " +
		"«Корректное завершение в Go»)"
	hintWait = "выходите из main, только когда Shutdown завершился: ListenAndServe возвращает http.ErrServerClosed " +
		"в тот же миг, как начался Shutdown, а запросы ещё идут. Не вызывайте до этого os.Exit и log.Fatal и не " +
		"передавайте в Shutdown уже отменённый контекст от NotifyContext: с ним Shutdown сразу возвращает context " +
		"canceled. Нужен новый контекст с тайм-аутом, от context.Background() (README урока, раздел «Корректное " +
		"завершение в Go»)"
	hintExitCode = "http.ErrServerClosed после Shutdown — нормальное завершение, а не ошибка: проверяйте " +
		"errors.Is(err, http.ErrServerClosed) и не передавайте его в log.Fatal, который выходит с кодом 1"
)

func statusOf(err error) exitStatus {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return exitStatus{signaled: ws.Signal()}
		}
		return exitStatus{code: ee.ExitCode()}
	}
	if err != nil {
		return exitStatus{code: -1}
	}
	return exitStatus{}
}

func signalName(sig syscall.Signal) string {
	switch sig {
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGKILL:
		return "SIGKILL"
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGQUIT:
		return "SIGQUIT"
	}
	return sig.String()
}

// --- the container and docker stop ---

// stopRun is docker stop of the running container while GET /slow?d=2s is in flight.
type stopRun struct {
	res        imagetest.StopResult
	reply      reply
	stopSignal string // the image's STOPSIGNAL, "" for Docker's default SIGTERM
	logs       string
}

func (st *stopRun) request(s *lessoncheck.State, logf func(string, ...any)) error {
	info, err := s.Image.Inspect(s.Ctx)
	if err != nil {
		return err
	}
	st.stopSignal = info.Config.StopSignal
	f := send(s.Ctx, s.Container.BaseURL+slowPath)
	if err := f.wait(s.Ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(s.Ctx, stopGrace+30*time.Second)
	defer cancel()
	st.res, err = s.Container.Stop(ctx, stopGrace)
	if err != nil {
		return err
	}
	st.reply = <-f.done
	st.logs = strings.TrimSpace(s.Container.Logs(ctx))
	logf("docker stop -t %d во время GET %s: ответ %s; %s, код выхода %d",
		int(stopGrace.Seconds()), slowPath, st.reply, lessoncheck.Seconds(st.res.Took), st.res.ExitCode)

	if st.reply.ok() {
		return nil
	}
	if st.reply.err == nil {
		return wrongReply(f, st.reply, "во время docker stop")
	}
	if st.killed() {
		return lessoncheck.Failf(hintKilled, "docker stop ждал %s, убил контейнер (код выхода %d) и оборвал запрос "+
			"GET %s (%v).%s", lessoncheck.Seconds(st.res.Took), st.res.ExitCode, slowPath, st.reply.err, st.journal())
	}
	what := fmt.Sprintf("сервер вышел с кодом %d и оборвал запрос GET %s (%v)", st.res.ExitCode, slowPath, st.reply.err)
	if st.foreignSignal() {
		return lessoncheck.Failf(hintStopSignal(st.stopSignal),
			"%s: образ задаёт STOPSIGNAL %s, и docker stop шлёт его, а не SIGTERM, который обрабатывает сервер.%s",
			what, st.stopSignal, st.journal())
	}
	if st.res.ExitCode == 2 {
		return lessoncheck.Failf(hintHandle, "%s: сигнал обработала среда выполнения Go, а не ваш код.%s", what, st.journal())
	}
	if closesServer(s.Target.Dir) {
		return lessoncheck.Failf(hintClose, "%s: %s.%s", what, whyClose, st.journal())
	}
	return lessoncheck.Failf(hintWait, "%s: он не дождался, пока запрос завершится.%s", what, st.journal())
}

func (st *stopRun) exit(*lessoncheck.State) error {
	switch {
	case st.killed():
		return lessoncheck.Failf(hintKilled,
			"docker stop ждал %s и убил контейнер (код выхода %d): процесс с PID 1 не завершился по сигналу.%s",
			lessoncheck.Seconds(st.res.Took), st.res.ExitCode, st.journal())
	case st.foreignSignal() && st.res.ExitCode != 0:
		return lessoncheck.Failf(hintStopSignal(st.stopSignal),
			"контейнер вышел с кодом %d: образ задаёт STOPSIGNAL %s, а сервер завершается корректно по SIGTERM.%s",
			st.res.ExitCode, st.stopSignal, st.journal())
	case st.res.ExitCode != 0:
		return lessoncheck.Failf(hintExitCode,
			"контейнер дождался запроса, но вышел с кодом %d, а после корректного завершения нужен код 0.%s",
			st.res.ExitCode, st.journal())
	}
	return nil
}

const hintKilled = "PID 1 в контейнере должен быть сам сервер: ENTRYPOINT в exec-форме, без обёртки " +
	"sh -c; оболочка сигнал не передаёт. Если PID 1 — программа, которая сигналы не обрабатывает, запускайте " +
	"контейнер с docker run --init"

func hintStopSignal(sig string) string {
	return "уберите STOPSIGNAL " + sig + " (по умолчанию docker stop шлёт SIGTERM) или укажите сигнал, который " +
		"сервер обрабатывает: STOPSIGNAL SIGTERM"
}

// killed: docker stop gave up waiting and sent SIGKILL.
func (st *stopRun) killed() bool { return st.res.ExitCode == 137 || st.res.Took >= stopGrace }

// foreignSignal: the image stops with a signal the reference server does not handle.
func (st *stopRun) foreignSignal() bool {
	switch strings.TrimPrefix(strings.ToUpper(st.stopSignal), "SIG") {
	case "", "TERM", "15", "INT", "2":
		return false
	}
	return true
}

func (st *stopRun) journal() string {
	if st.logs == "" {
		return ""
	}
	lines := strings.Split(st.logs, "\n")
	// A Go crash (SIGQUIT: quit, …) is followed by a goroutine and register dump: keep its header.
	for i, line := range lines {
		if strings.HasPrefix(line, "SIG") && strings.Contains(line, ": ") {
			lines = append(lines[:i+1], "(дальше — дамп горутин и регистров)")
			break
		}
	}
	if len(lines) > 8 {
		lines = lines[len(lines)-8:]
	}
	return "\nЖурнал контейнера:\n    " + strings.Join(lines, "\n    ")
}

// --- a request in flight ---

// flight is a GET sent in the background.
type flight struct {
	sent    chan struct{} // closed once the request is written (or has failed)
	written time.Time     // when it was written; valid once sent is closed
	done    chan reply
}

type reply struct {
	status int
	body   string
	err    error
	at     time.Time // when the reply (or the error) came
}

func (r reply) ok() bool { return r.err == nil && r.status == http.StatusOK && r.body == doneBody }

func (r reply) String() string {
	if r.err != nil {
		return "ошибка: " + r.err.Error()
	}
	return fmt.Sprintf("%d %q", r.status, r.body)
}

// send starts GET url on a connection of its own; the reply arrives on f.done.
func send(ctx context.Context, url string) *flight {
	f := &flight{sent: make(chan struct{}), done: make(chan reply, 1)}
	var once sync.Once
	markSent := func() { once.Do(func() { f.written = time.Now(); close(f.sent) }) }
	trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { markSent() }}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	go func() {
		defer markSent()
		req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodGet, url, nil)
		if err != nil {
			f.done <- reply{err: err, at: time.Now()}
			return
		}
		resp, err := client.Do(req)
		if err != nil {
			f.done <- reply{err: lessoncheck.UnwrapURL(err), at: time.Now()}
			return
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		f.done <- reply{status: resp.StatusCode, body: string(body), err: err, at: time.Now()}
	}()
	return f
}

// wait returns once the request is written and has had time to reach its handler.
func (f *flight) wait(ctx context.Context) error {
	select {
	case <-f.sent:
	case <-time.After(10 * time.Second):
		return fmt.Errorf("GET %s не отправлен за 10 с", slowPath)
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case r := <-f.done:
		return lessoncheck.Failf("обработчик /slow дан в задании готовым: верните его как был",
			"GET %s завершился ещё до сигнала: %s", slowPath, r)
	case <-time.After(settle):
		return nil
	}
}

// --- building and running the server on the host (as in lesson 01) ---

// checkSlow: the endpoint the shutdown checks rely on answers as the lesson describes.
func checkSlow(ctx context.Context, srv *lessoncheck.HostServer) error {
	for _, tc := range []struct {
		path   string
		status int
		body   string
	}{
		{"/slow?d=10ms", http.StatusOK, doneBody},
		{"/slow?d=oops", http.StatusBadRequest, ""},
	} {
		r := <-send(ctx, srv.URL(tc.path)).done
		if r.err != nil {
			return lessoncheck.Failf("прочтите вывод сервера: возможно, он упал на этом запросе",
				"GET %s: запрос не удался: %v. Вывод сервера:\n%s", tc.path, r.err, srv.Output())
		}
		if r.status != tc.status || tc.body != "" && r.body != tc.body {
			return lessoncheck.Failf("обработчик GET /slow дан в задании готовым (handleSlow): верните его как был "+
				"и зарегистрируйте: mux.HandleFunc(\"GET /slow\", handleSlow)",
				"GET %s: ответ %s, а ожидается %d %q", tc.path, r, tc.status, tc.body)
		}
	}
	return nil
}

// --- what a wrong ending says about the code ---

// wrongReply explains an answer other than 200 "done" to the request in flight. The handler
// was checked before the signal (checkSlow), so an answer that came before its 2 s were up
// means the request's context was cancelled: /slow returns as soon as r.Context() is done.
// That is the server's doing, not the handler's: typically http.Server.BaseContext returns
// the context of signal.NotifyContext, and the signal cancels every request with it.
func wrongReply(f *flight, r reply, during string) error {
	took := r.at.Sub(f.written)
	if took < slowDelay-slowDelay/4 {
		return lessoncheck.Failf("не связывайте запросы с сигналом: уберите BaseContext из http.Server (или возвращайте "+
			"из него context.Background()) и не подменяйте контекст запроса в обработчиках. Сигнал должен только "+
			"запустить srv.Shutdown — он сам дождётся текущих запросов",
			"GET %s %s: ответ %s через %s, а не через 2 с: обработчик /slow завершился раньше срока, потому что "+
				"контекст запроса (r.Context()) отменился вместе с сигналом. Так бывает, когда http.Server.BaseContext "+
				"возвращает ctx от signal.NotifyContext: сигнал отменяет этот ctx, а с ним все текущие запросы, и "+
				"Shutdown ждать уже нечего",
			slowPath, during, r, lessoncheck.Seconds(took))
	}
	return lessoncheck.Failf("обработчик /slow дан в задании готовым: верните его как был",
		"GET %s %s: ответ %s, а ожидается 200 %q", slowPath, during, r, doneBody)
}

const (
	whyClose = "по сигналу сервер вызывает Close, а Close сразу закрывает все соединения, и текущие запросы " +
		"обрываются. Дождаться их умеет только Shutdown"
	hintClose = "замените Close на Shutdown с новым контекстом и тайм-аутом (README урока, раздел «Корректное " +
		"завершение в Go»). Close годится разве что после Shutdown, который не уложился в тайм-аут"
)

// closesServer reports whether the server's code stops its http.Server with Close and never
// calls Shutdown: X.Close() where X also serves (X.ListenAndServe, X.Serve). It only picks the
// message for a cut request; the verdict comes from what the server did.
func closesServer(dir string) bool {
	srcs, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	serving, closing := map[string]bool{}, map[string]bool{}
	shutdown := false
	fset := token.NewFileSet()
	for _, src := range srcs {
		if strings.HasSuffix(src, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, src, nil, 0)
		if err != nil {
			return false
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			switch x := types.ExprString(sel.X); sel.Sel.Name {
			case "ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS":
				serving[x] = true
			case "Close":
				closing[x] = true
			case "Shutdown":
				shutdown = true
			}
			return true
		})
	}
	if shutdown {
		return false
	}
	for x := range closing {
		if serving[x] {
			return true
		}
	}
	return false
}

// --- where the server listens ---

// listenAddr is the advice when the server can't be reached: the address a server in a
// container must listen on.
const listenAddr = `слушайте все интерфейсы: Addr: ":"+port (то же, что "0.0.0.0:8080"), ` +
	`а не "127.0.0.1:8080" и не "localhost:8080"`

// startContainer is lessoncheck.Start with this lesson's advice added: the student wrote the
// server, so a container that never answers may listen on 127.0.0.1.
func startContainer() lessoncheck.Step {
	start := lessoncheck.Start(imagetest.RunOptions{})
	check := start.Check
	start.Check = func(s *lessoncheck.State) error {
		err := check(s)
		var p *lessoncheck.Problem
		if errors.As(err, &p) {
			return lessoncheck.Failf(p.Hint+"; если сервер слушает только 127.0.0.1, снаружи контейнера до него "+
				"не достучаться — "+listenAddr, "%s", p.What)
		}
		return err
	}
	return start
}
