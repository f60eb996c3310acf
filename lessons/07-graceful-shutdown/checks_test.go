// The checks of lesson 07 and their words; lesson_test.go declares the steps. The request in
// flight, the exit status and the reading of the server's code are internal/shutdown's.
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"syscall"
	"time"

	"github.com/go-docker-workshop/workshop/internal/imagetest"
	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
	"github.com/go-docker-workshop/workshop/internal/shutdown"
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

// --- the server as a host process ---

// hostRun is one run of the host-process steps: the server and how it ended.
type hostRun struct {
	lessoncheck.HostRun
	reply shutdown.Reply
	ended shutdown.Exit
	after time.Duration // from SIGTERM to the process's exit
}

func newHostRun() *hostRun {
	return &hostRun{HostRun: lessoncheck.HostRun{CompileHint: "не забудьте импорты: context, errors, os/signal, syscall",
		Listen: `Addr: ":"+port`, Serve: `Addr: ":"+port`, Then: "docker stop проверять будет не на чем"}}
}

// start starts the server and checks the endpoint the shutdown checks rely on.
func (h *hostRun) start(s *lessoncheck.State) error {
	if err := h.Start(s); err != nil {
		return err
	}
	return checkSlow(s.Ctx, h.Server)
}

func (h *hostRun) request(s *lessoncheck.State) error {
	srv := h.Server
	f := shutdown.Send(s.Ctx, srv.URL(slowPath))
	if err := inFlight(s, f); err != nil {
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
		h.ended = shutdown.ExitOf(srv.Err())
	case <-time.After(stopGrace):
		srv.Kill()
		h.ended = shutdown.Exit{Hung: stopGrace}
	}
	h.after = time.Since(sent)
	h.reply = f.Reply() // the process is gone, so is the connection: the reply is there
	s.Logf("SIGTERM во время GET %s: %s; сервер: %s через %s", slowPath, h.reply, h.ended, lessoncheck.Seconds(h.after))

	if h.reply.OK(doneBody) {
		return nil
	}
	if h.reply.Err == nil {
		return wrongReply(f, h.reply, "во время остановки")
	}
	switch {
	case h.ended.Signaled == syscall.SIGTERM:
		return lessoncheck.Failf(hintHandle,
			"по SIGTERM сервер завершился сразу и оборвал запрос GET %s (%v). Сигнал обработал не ваш код, а "+
				"среда выполнения Go: она завершает процесс тем же сигналом. В контейнере, где сервер — PID 1, ядро "+
				"не применяет к нему действие сигнала по умолчанию, и Go выходит сам: код выхода 2. Вывод сервера:\n%s",
			slowPath, h.reply.Err, srv.Output())
	case h.ended.Hung != 0:
		return lessoncheck.Failf(hintWait,
			"запрос GET %s оборван (%v), а сервер после SIGTERM не завершился за %s. Вывод сервера:\n%s",
			slowPath, h.reply.Err, lessoncheck.Seconds(stopGrace), srv.Output())
	case h.ended.Signaled != 0:
		return lessoncheck.Failf(hintHandle,
			"после SIGTERM сервер %s и оборвал запрос GET %s (%v). Вывод сервера:\n%s",
			h.ended, slowPath, h.reply.Err, srv.Output())
	case shutdown.ClosesWithoutShutdown(s.Target.Dir):
		return lessoncheck.Failf(hintClose,
			"сервер вышел с кодом %d через %s после SIGTERM и оборвал запрос GET %s (%v): %s. Вывод сервера:\n%s",
			h.ended.Code, lessoncheck.Seconds(h.after), slowPath, h.reply.Err, whyClose, srv.Output())
	default:
		return lessoncheck.Failf(hintWait,
			"сервер вышел с кодом %d через %s после SIGTERM и оборвал запрос GET %s (%v): "+
				"он не дождался, пока запрос завершится. Вывод сервера:\n%s",
			h.ended.Code, lessoncheck.Seconds(h.after), slowPath, h.reply.Err, srv.Output())
	}
}

func (h *hostRun) exit() error {
	switch {
	case h.ended.Hung != 0:
		return lessoncheck.Failf("когда Shutdown завершился, выйдите из main: проверьте, что main не ждёт канала, "+
			"в который никто не пишет, и что сигнал действительно прерывает ожидание (<-ctx.Done())",
			"сервер дождался запроса, но после SIGTERM не завершился за %s: docker stop на этом месте убил бы "+
				"его сигналом SIGKILL (код выхода 137). Вывод сервера:\n%s", lessoncheck.Seconds(stopGrace), h.Server.Output())
	case h.ended.Signaled != 0:
		return lessoncheck.Failf(hintHandle, "сервер дождался запроса, но %s. Вывод сервера:\n%s", h.ended, h.Server.Output())
	case h.ended.Code != 0:
		return lessoncheck.Failf(hintExitCode,
			"сервер дождался запроса, но вышел с кодом %d, а после корректного завершения нужен код 0: "+
				"ненулевой код Docker и оркестраторы считают аварией. Вывод сервера:\n%s", h.ended.Code, h.Server.Output())
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

// --- the container and docker stop ---

// stopRun is docker stop of the running container while GET /slow?d=2s is in flight.
type stopRun struct {
	res        imagetest.StopResult
	reply      shutdown.Reply
	stopSignal string // the image's STOPSIGNAL, "" for Docker's default SIGTERM
	journal    string // the container's log for a message, shutdown.LogTail
}

func (st *stopRun) request(s *lessoncheck.State) error {
	info, err := s.Image.Inspect(s.Ctx)
	if err != nil {
		return err
	}
	st.stopSignal = info.Config.StopSignal
	f := shutdown.Send(s.Ctx, s.Container.BaseURL+slowPath)
	if err := inFlight(s, f); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(s.Ctx, stopGrace+30*time.Second)
	defer cancel()
	st.res, err = s.Container.Stop(ctx, stopGrace)
	if err != nil {
		return err
	}
	st.reply = f.Reply()
	st.journal = shutdown.LogTail(s.Container.Logs(ctx))
	s.Logf("docker stop -t %d во время GET %s: %s; %s, код выхода %d",
		int(stopGrace.Seconds()), slowPath, st.reply, lessoncheck.Seconds(st.res.Took), st.res.ExitCode)

	if st.reply.OK(doneBody) {
		return nil
	}
	if st.reply.Err == nil {
		return wrongReply(f, st.reply, "во время docker stop")
	}
	if st.killed() {
		return lessoncheck.Failf(hintKilled, "docker stop ждал %s, убил контейнер (код выхода %d) и оборвал запрос "+
			"GET %s (%v).%s", lessoncheck.Seconds(st.res.Took), st.res.ExitCode, slowPath, st.reply.Err, st.journal)
	}
	what := fmt.Sprintf("сервер вышел с кодом %d и оборвал запрос GET %s (%v)", st.res.ExitCode, slowPath, st.reply.Err)
	if st.foreignSignal() {
		return lessoncheck.Failf(hintStopSignal(st.stopSignal),
			"%s: образ задаёт STOPSIGNAL %s, и docker stop шлёт его, а не SIGTERM, который обрабатывает сервер.%s",
			what, st.stopSignal, st.journal)
	}
	if st.res.ExitCode == 2 {
		return lessoncheck.Failf(hintHandle, "%s: сигнал обработала среда выполнения Go, а не ваш код.%s", what, st.journal)
	}
	if shutdown.ClosesWithoutShutdown(s.Target.Dir) {
		return lessoncheck.Failf(hintClose, "%s: %s.%s", what, whyClose, st.journal)
	}
	return lessoncheck.Failf(hintWait, "%s: он не дождался, пока запрос завершится.%s", what, st.journal)
}

func (st *stopRun) exit(*lessoncheck.State) error {
	switch {
	case st.killed():
		return lessoncheck.Failf(hintKilled,
			"docker stop ждал %s и убил контейнер (код выхода %d): процесс с PID 1 не завершился по сигналу.%s",
			lessoncheck.Seconds(st.res.Took), st.res.ExitCode, st.journal)
	case st.foreignSignal() && st.res.ExitCode != 0:
		return lessoncheck.Failf(hintStopSignal(st.stopSignal),
			"контейнер вышел с кодом %d: образ задаёт STOPSIGNAL %s, а сервер завершается корректно по SIGTERM.%s",
			st.res.ExitCode, st.stopSignal, st.journal)
	case st.res.ExitCode != 0:
		return lessoncheck.Failf(hintExitCode,
			"контейнер дождался запроса, но вышел с кодом %d, а после корректного завершения нужен код 0.%s",
			st.res.ExitCode, st.journal)
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
func (st *stopRun) foreignSignal() bool { return !shutdown.HandledByGo(st.stopSignal) }

// inFlight waits until the request has reached its handler; one that completed before the
// signal means the handler is not the lesson's.
func inFlight(s *lessoncheck.State, f *shutdown.Flight) error {
	err := f.InFlight(s.Ctx, settle)
	if errors.Is(err, shutdown.ErrEarly) {
		return lessoncheck.Failf("обработчик /slow дан в задании готовым: верните его как был",
			"GET %s завершился ещё до сигнала: %s", slowPath, f.Reply())
	}
	return err
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
		r := shutdown.Send(ctx, srv.URL(tc.path)).Reply()
		if r.Err != nil {
			return lessoncheck.Failf("прочтите вывод сервера: возможно, он упал на этом запросе",
				"GET %s: запрос не удался: %v. Вывод сервера:\n%s", tc.path, r.Err, srv.Output())
		}
		if r.Status != tc.status || tc.body != "" && r.Body != tc.body {
			return lessoncheck.Failf("обработчик GET /slow дан в задании готовым (handleSlow): верните его как был "+
				"и зарегистрируйте: mux.HandleFunc(\"GET /slow\", handleSlow)",
				"GET %s: %s, а ожидается %d %q", tc.path, r, tc.status, tc.body)
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
func wrongReply(f *shutdown.Flight, r shutdown.Reply, during string) error {
	took := f.Took(r)
	if took < slowDelay-slowDelay/4 {
		return lessoncheck.Failf("не связывайте запросы с сигналом: уберите BaseContext из http.Server (или возвращайте "+
			"из него context.Background()) и не подменяйте контекст запроса в обработчиках. Сигнал должен только "+
			"запустить srv.Shutdown — он сам дождётся текущих запросов",
			"GET %s %s: %s через %s, а не через 2 с: обработчик /slow завершился раньше срока, потому что "+
				"контекст запроса (r.Context()) отменился вместе с сигналом. Так бывает, когда http.Server.BaseContext "+
				"возвращает ctx от signal.NotifyContext: сигнал отменяет этот ctx, а с ним все текущие запросы, и "+
				"Shutdown ждать уже нечего",
			slowPath, during, r, lessoncheck.Seconds(took))
	}
	return lessoncheck.Failf("обработчик /slow дан в задании готовым: верните его как был",
		"GET %s %s: %s, а ожидается 200 %q", slowPath, during, r, doneBody)
}

const (
	whyClose = "по сигналу сервер вызывает Close, а Close сразу закрывает все соединения, и текущие запросы " +
		"обрываются. Дождаться их умеет только Shutdown"
	hintClose = "замените Close на Shutdown с новым контекстом и тайм-аутом (README урока, раздел «Корректное " +
		"завершение в Go»). Close годится разве что после Shutdown, который не уложился в тайм-аут"
)

// --- where the server listens ---

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
				"не достучаться — "+newHostRun().ListenAdvice(), "%s", p.What)
		}
		return err
	}
	return start
}
