package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

func TestHandler(t *testing.T) {
	// A real (loopback) server rather than a ResponseRecorder: only a real
	// server drops the body of a HEAD response.
	ts := httptest.NewServer(newHandler())
	t.Cleanup(ts.Close)

	const (
		jsonType = "application/json; charset=utf-8"
		textType = "text/plain; charset=utf-8"
		rootBody = `{"message":"Привет из Go в Docker!"}` + "\n"
	)
	tests := []struct {
		name       string
		method     string
		path       string
		wantStatus int
		wantType   string // checked only for 200
		wantBody   string // checked only for 200
		wantAllow  string
	}{
		{"root", http.MethodGet, "/", http.StatusOK, jsonType, rootBody, ""},
		{"root HEAD", http.MethodHead, "/", http.StatusOK, jsonType, "", ""},
		{"healthz", http.MethodGet, "/healthz", http.StatusOK, textType, "ok\n", ""},
		{"healthz HEAD", http.MethodHead, "/healthz", http.StatusOK, textType, "", ""},
		{"root POST", http.MethodPost, "/", http.StatusMethodNotAllowed, "", "", "GET, HEAD"},
		{"root DELETE", http.MethodDelete, "/", http.StatusMethodNotAllowed, "", "", "GET, HEAD"},
		{"healthz PUT", http.MethodPut, "/healthz", http.StatusMethodNotAllowed, "", "", "GET, HEAD"},
		{"unknown path", http.MethodGet, "/nope", http.StatusNotFound, "", "", ""},
		{"healthz with slash", http.MethodGet, "/healthz/", http.StatusNotFound, "", "", ""},
		{"unknown path POST", http.MethodPost, "/nope", http.StatusNotFound, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, header, body := fetch(t, tt.method, ts.URL+tt.path)
			if status != tt.wantStatus {
				t.Fatalf("status: got %d, want %d", status, tt.wantStatus)
			}
			if got := header.Get("Allow"); got != tt.wantAllow {
				t.Errorf("Allow: got %q, want %q", got, tt.wantAllow)
			}
			if status != http.StatusOK {
				return
			}
			if got := header.Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type: got %q, want %q", got, tt.wantType)
			}
			if body != tt.wantBody {
				t.Errorf("body: got %q, want %q", body, tt.wantBody)
			}
		})
	}
}

func TestParsePort(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{"", 8080, false},
		{"8080", 8080, false},
		{"1", 1, false},
		{"65535", 65535, false},
		{"0", 0, true},
		{"65536", 0, true},
		{"-1", 0, true},
		{"abc", 0, true},
		{"80a", 0, true},
		{" 80", 0, true},
		{"99999999999999999999", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parsePort(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parsePort(%q) error: got %v, want error: %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("parsePort(%q): got %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestRunInvalidPort(t *testing.T) {
	getenv := func(key string) string {
		if key == "PORT" {
			return "abc"
		}
		return ""
	}
	var out bytes.Buffer
	err := run(context.Background(), getenv, &out)
	want := `invalid PORT "abc": must be a number from 1 to 65535`
	if err == nil || err.Error() != want {
		t.Fatalf("run error: got %v, want %q", err, want)
	}
	if out.Len() != 0 {
		t.Errorf("stdout: got %q, want nothing", out.String())
	}
}

func TestNewServerLimits(t *testing.T) {
	srv := newServer(http.NotFoundHandler())
	tests := []struct {
		name string
		got  time.Duration
		want time.Duration
	}{
		{"ReadHeaderTimeout", srv.ReadHeaderTimeout, 5 * time.Second},
		{"ReadTimeout", srv.ReadTimeout, 10 * time.Second},
		{"WriteTimeout", srv.WriteTimeout, 10 * time.Second},
		{"IdleTimeout", srv.IdleTimeout, 60 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
	if got, want := srv.MaxHeaderBytes, 64<<10; got != want {
		t.Errorf("MaxHeaderBytes: got %d, want %d", got, want)
	}
}

func TestServeGracefulShutdown(t *testing.T) {
	ln := listenLoopback(t)
	addr := ln.Addr().String()

	// The slow handler holds the request until the test releases it.
	started := make(chan struct{})
	release := make(chan struct{})
	var releaseOnce sync.Once
	releaseFn := func() { releaseOnce.Do(func() { close(release) }) }
	t.Cleanup(releaseFn) // never leave the handler blocked if the test fails early
	slow := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		close(started)
		<-release
		io.WriteString(w, "finished\n")
	})

	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	var out bytes.Buffer
	served := make(chan error, 1)
	go func() { served <- serve(ctx, ln, slow, &out) }()

	type result struct {
		status int
		body   string
		err    error
	}
	results := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/")
		if err != nil {
			results <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		results <- result{resp.StatusCode, string(b), err}
	}()

	waitFor(t, started, "the slow request to start")
	cancel() // what SIGTERM does in main

	// Once new connections are refused, Shutdown is running; the in-flight
	// request must still be served, so serve must not have returned yet.
	waitRefused(t, addr)
	select {
	case err := <-served:
		t.Fatalf("serve returned %v while a request was still in flight", err)
	default:
	}
	releaseFn()

	res := waitFor(t, results, "the in-flight response")
	if res.err != nil {
		t.Fatalf("in-flight request failed: %v", res.err)
	}
	if res.status != http.StatusOK || res.body != "finished\n" {
		t.Errorf("in-flight response: got %d %q, want 200 %q", res.status, res.body, "finished\n")
	}
	if err := waitFor(t, served, "serve to return"); err != nil {
		t.Errorf("serve: got error %v, want nil", err)
	}
	if got, want := out.String(), "shutting down\nstopped\n"; got != want {
		t.Errorf("log: got %q, want %q", got, want)
	}
}

func TestServeListenerError(t *testing.T) {
	ln := listenLoopback(t)
	ln.Close()
	err := serve(context.Background(), ln, newHandler(), io.Discard)
	if !errors.Is(err, net.ErrClosed) {
		t.Errorf("serve on a closed listener: got %v, want %v", err, net.ErrClosed)
	}
}

// fetch sends one request without following redirects and returns the response.
func fetch(t *testing.T, method, url string) (status int, header http.Header, body string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

// listenLoopback listens on a free port of 127.0.0.1 only.
func listenLoopback(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

// waitFor receives from ch, failing the test if nothing arrives in time.
func waitFor[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// waitRefused polls addr until connections are refused.
func waitRefused(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err != nil {
			return
		}
		c.Close()
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%s still accepts connections", addr)
}
