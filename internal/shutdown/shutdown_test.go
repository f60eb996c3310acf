package shutdown

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestFlight(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			<-release
		}
		w.Write([]byte("done\n"))
	}))
	defer srv.Close()
	ctx := context.Background()

	t.Run("in flight", func(t *testing.T) {
		f := Send(ctx, srv.URL+"/slow")
		if err := f.InFlight(ctx, 50*time.Millisecond); err != nil {
			t.Fatalf("InFlight = %v, want nil: the handler waits", err)
		}
		close(release)
		if r := f.Reply(); !r.OK("done\n") || f.Took(r) <= 0 {
			t.Errorf("Reply = %v, took %v", r, f.Took(r))
		}
	})
	t.Run("early", func(t *testing.T) {
		f := Send(ctx, srv.URL+"/fast")
		if err := f.InFlight(ctx, 2*time.Second); !errors.Is(err, ErrEarly) {
			t.Fatalf("InFlight = %v, want ErrEarly", err)
		}
		if r := f.Reply(); !r.OK("done\n") {
			t.Errorf("Reply after ErrEarly = %v, want the answer", r)
		}
	})
	t.Run("refused", func(t *testing.T) {
		dead := httptest.NewServer(http.NotFoundHandler())
		dead.Close()
		r := Send(ctx, dead.URL).Reply()
		if r.Err == nil || strings.HasPrefix(r.String(), "ответа нет: Get ") {
			t.Errorf("Reply = %v, want the bare error", r)
		}
	})
}

func TestExitOf(t *testing.T) {
	exit := func(cmd *exec.Cmd) Exit { return ExitOf(cmd.Run()) }
	if e := exit(exec.Command("sh", "-c", "exit 3")); e.Code != 3 || e.String() != "код выхода 3" {
		t.Errorf("exit 3: %+v %q", e, e)
	}
	if e := exit(exec.Command("sh", "-c", "kill -TERM $$")); e.Signaled != syscall.SIGTERM || e.String() != "завершён сигналом SIGTERM" {
		t.Errorf("kill -TERM: %+v %q", e, e)
	}
	if e := ExitOf(nil); e != (Exit{}) {
		t.Errorf("ExitOf(nil) = %+v", e)
	}
	if s := (Exit{Hung: 10 * time.Second}).String(); s != "не завершился за 10,00 с и убит" {
		t.Errorf("hung: %q", s)
	}
}

func TestHandledByGo(t *testing.T) {
	for sig, want := range map[string]bool{"": true, "SIGTERM": true, "term": true, "15": true, "SIGINT": true, "SIGQUIT": false, "9": false} {
		if got := HandledByGo(sig); got != want {
			t.Errorf("HandledByGo(%q) = %v, want %v", sig, got, want)
		}
	}
}

func TestClosesWithoutShutdown(t *testing.T) {
	for name, tc := range map[string]struct {
		src  string
		want bool
	}{
		"close":             {"srv.ListenAndServe()\n\tsrv.Close()", true},
		"shutdown":          {"srv.ListenAndServe()\n\tsrv.Shutdown(nil)", false},
		"shutdown, close":   {"srv.ListenAndServe()\n\tsrv.Shutdown(nil)\n\tsrv.Close()", false},
		"closes another":    {"srv.ListenAndServe()\n\tf.Close()", false},
		"serve on listener": {"srv.Serve(l)\n\tsrv.Close()", true},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			src := "package main\n\nfunc main() {\n\tvar srv, f, l any\n\t" + tc.src + "\n}\n"
			if err := os.WriteFile(filepath.Join(dir, "server.go"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			if got := ClosesWithoutShutdown(dir); got != tc.want {
				t.Errorf("ClosesWithoutShutdown = %v, want %v:\n%s", got, tc.want, src)
			}
		})
	}
}

func TestLogTail(t *testing.T) {
	if got := LogTail("  \n"); got != "" {
		t.Errorf("empty log: %q", got)
	}
	crash := "listening\nSIGQUIT: quit\nPC=0x1 m=0\ngoroutine 1\n"
	if got := LogTail(crash); !strings.Contains(got, "SIGQUIT: quit\n    (дальше — дамп горутин и регистров)") || strings.Contains(got, "goroutine") {
		t.Errorf("crash: %q", got)
	}
	long := strings.Repeat("line\n", 20) + "last"
	if got := LogTail(long); strings.Count(got, "\n    ") != 8 || !strings.HasSuffix(got, "last") {
		t.Errorf("long: %q", got)
	}
}
