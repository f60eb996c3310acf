package lessoncheck

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// HostRun compiles the target's code and starts it; a server bound to 127.0.0.1 is told to
// listen on all interfaces, with the lesson's words.
func TestHostRun(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: compiles two servers")
	}
	const server = `package main

import (
	"net/http"
	"os"
)

func main() {
	port := os.Getenv("PORT")
	http.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	http.ListenAndServe(HOST+":"+port, nil)
}
`
	for _, tc := range []struct {
		name, host, want string // want: "" for a pass, else a part of the message
	}{
		{"all interfaces", `""`, ""},
		{"loopback only", `"127.0.0.1"`, "слушайте все интерфейсы: адрес"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.want != "" && runtime.GOOS != "linux" {
				t.Skip("127.0.0.2 answers for this machine on Linux only")
			}
			dir := t.TempDir()
			src := strings.Replace(server, "HOST", tc.host, 1)
			if err := os.WriteFile(filepath.Join(dir, "server.go"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			h := &HostRun{Listen: `адрес ":"+port`, Serve: `http.ListenAndServe(":"+port, …)`, Then: "дальше не проверить"}
			s := newState(Target{Dir: dir})
			defer s.cleanup()
			if err := h.Compile(s); err != nil {
				t.Fatal(err)
			}
			err := h.Start(s)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Start: %v", err)
			case tc.want == "":
				if r, err := h.Server.Do(s.Ctx, "GET", "/healthz"); err != nil || r.Status != 200 || r.Body != "ok\n" {
					t.Errorf("GET /healthz = %+v, %v", r, err)
				}
			case err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "дальше не проверить"):
				t.Errorf("Start = %v, want a failure with %q and the lesson's words", err, tc.want)
			}
		})
	}
}

// A binary that a fork of a parallel test still holds open for writing cannot be run for a
// moment (ETXTBSY): start waits it out instead of failing the lesson. Here this process holds
// it, and lets go after 200 ms.
func TestStartWaitsForABusyBinary(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("ETXTBSY on a file open for writing is Linux's")
	}
	src, err := exec.LookPath("true")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "server")
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(bin, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := exec.Command(bin).Start(); !errors.Is(err, syscall.ETXTBSY) {
		t.Fatalf("a binary open for writing started (%v): this test proves nothing here", err)
	}
	time.AfterFunc(200*time.Millisecond, func() { f.Close() })
	srv := &HostServer{Bin: bin}
	if err := srv.start("0"); err != nil {
		t.Fatalf("start: %v", err)
	}
	if err := srv.cmd.Wait(); err != nil {
		t.Errorf("the binary: %v", err)
	}
}
