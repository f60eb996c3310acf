// Package shutdown holds what a check of a graceful shutdown needs besides the lesson's
// words: a request kept in flight while the signal comes (Send), how a process ended
// (ExitOf), what the server's code does on the signal (ClosesWithoutShutdown) and the tail of
// a container's log worth showing (LogTail). Texts the student reads are Russian.
package shutdown

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
	"time"

	"github.com/go-docker-workshop/workshop/internal/ru"
)

// Flight is a GET sent in the background, on a connection of its own.
type Flight struct {
	URL     string
	sent    chan struct{} // closed once the request is written (or has failed)
	written time.Time     // when it was written; valid once sent is closed
	done    chan Reply
}

// Reply is the answer to a request in flight, or the error that ended it.
type Reply struct {
	Status int
	Body   string
	Err    error
	At     time.Time // when the reply (or the error) came
}

// OK reports whether the request completed with 200 and body.
func (r Reply) OK(body string) bool {
	return r.Err == nil && r.Status == http.StatusOK && r.Body == body
}

// String says what came back, as a check's message quotes it: «ответ 200 "done\n"» or
// «ответа нет: EOF».
func (r Reply) String() string {
	if r.Err != nil {
		return "ответа нет: " + r.Err.Error()
	}
	return fmt.Sprintf("ответ %d %q", r.Status, r.Body)
}

// Send starts GET url in the background; Reply waits for its answer.
func Send(ctx context.Context, url string) *Flight {
	f := &Flight{URL: url, sent: make(chan struct{}), done: make(chan Reply, 1)}
	var once sync.Once
	markSent := func() { once.Do(func() { f.written = time.Now(); close(f.sent) }) }
	trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { markSent() }}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	go func() {
		defer markSent()
		req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodGet, url, nil)
		if err != nil {
			f.done <- Reply{Err: err, At: time.Now()}
			return
		}
		resp, err := client.Do(req)
		if err != nil {
			f.done <- Reply{Err: unwrapURL(err), At: time.Now()}
			return
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		f.done <- Reply{Status: resp.StatusCode, Body: string(body), Err: err, At: time.Now()}
	}()
	return f
}

// ErrEarly is returned by InFlight when the request completed before it was meant to be in
// flight: Reply holds the answer.
var ErrEarly = errors.New("the request completed before the signal")

// InFlight returns once the request is written and has had settle to reach its handler; it
// returns ErrEarly if the reply came in that time, and an error if the request was not
// written within 10 s.
func (f *Flight) InFlight(ctx context.Context, settle time.Duration) error {
	select {
	case <-f.sent:
	case <-time.After(10 * time.Second):
		return fmt.Errorf("GET %s не отправлен за 10 с", f.URL)
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case r := <-f.done:
		f.done <- r // Reply still returns it
		return ErrEarly
	case <-time.After(settle):
		return nil
	}
}

// Reply waits for the answer.
func (f *Flight) Reply() Reply {
	r := <-f.done
	f.done <- r
	return r
}

// Took is how long the answer took from the moment the request was written.
func (f *Flight) Took(r Reply) time.Duration { return r.At.Sub(f.written) }

// unwrapURL drops the *url.Error wrapper around a client error: «Get "http://…": EOF» → «EOF».
func unwrapURL(err error) error {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			return inner
		}
	}
	return err
}

// Exit is how a process ended.
type Exit struct {
	Code     int            // exit code, when it exited on its own
	Signaled syscall.Signal // the signal that ended it, or 0
	Hung     time.Duration  // not 0: still running this long after the signal, then killed by the check
}

// ExitOf reads how a process ended from the error of its Wait.
func ExitOf(err error) Exit {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return Exit{Signaled: ws.Signal()}
		}
		return Exit{Code: ee.ExitCode()}
	}
	if err != nil {
		return Exit{Code: -1}
	}
	return Exit{}
}

func (e Exit) String() string {
	switch {
	case e.Hung != 0:
		return fmt.Sprintf("не завершился за %s и убит", ru.Seconds(e.Hung, 2))
	case e.Signaled != 0:
		return "завершён сигналом " + SignalName(e.Signaled)
	default:
		return fmt.Sprintf("код выхода %d", e.Code)
	}
}

// SignalName is a signal as a Dockerfile's STOPSIGNAL names it: SIGTERM.
func SignalName(sig syscall.Signal) string {
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

// HandledByGo reports whether a STOPSIGNAL ("" for Docker's default, SIGTERM) is one a Go
// server that waits for SIGTERM and SIGINT handles.
func HandledByGo(stopSignal string) bool {
	switch strings.TrimPrefix(strings.ToUpper(stopSignal), "SIG") {
	case "", "TERM", "15", "INT", "2":
		return true
	}
	return false
}

// ClosesWithoutShutdown reports whether the Go code in dir stops its http.Server with Close
// and never calls Shutdown: X.Close() where X also serves (X.ListenAndServe, X.Serve). It only
// picks a message for a cut request; a verdict comes from what the server did.
func ClosesWithoutShutdown(dir string) bool {
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

// LogTail is the end of a container's log for a failure message: its last 8 lines, and of a
// Go crash (SIGQUIT: quit, …) only the header, not the goroutine and register dump. "" for an
// empty log.
func LogTail(logs string) string {
	logs = strings.TrimSpace(logs)
	if logs == "" {
		return ""
	}
	lines := strings.Split(logs, "\n")
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
