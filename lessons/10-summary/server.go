// Command server is the workshop's server as it leaves the course: lesson 05's two handlers
// plus what a production container needs from the program itself. It shuts down gracefully
// on SIGTERM (lesson 07), checks its own health with -healthcheck, because scratch has no
// shell and no curl for HEALTHCHECK (lesson 08), and reports the version the build stamped
// into it with -ldflags "-X main.version=…" on GET /version (lesson 09). GET /time tells the
// time in an IANA zone: it needs the time zone database, which scratch lacks (lesson 10).
// Standard library only.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

// version is set at build time: go build -ldflags "-X main.version=1.0.0".
// It must be a package-level string variable for -X to reach it.
var version = "dev"

const defaultPort = 8080

// Timeouts and limits, as in the workshop's server/: without them slow or malicious clients
// can hold connections forever, and Shutdown could wait on a stuck request.
const (
	readHeaderTimeout = 5 * time.Second  // clients that trickle headers (Slowloris)
	readTimeout       = 10 * time.Second // the whole request, body included
	writeTimeout      = 10 * time.Second // a stalled reader can't hold a goroutine
	idleTimeout       = 60 * time.Second // idle keep-alive connections
	maxHeaderBytes    = 1 << 16
	// shutdownTimeout is how long in-flight requests get after SIGTERM. It must end before
	// docker stop's default 10 s grace period, after which Docker sends SIGKILL: the server
	// gives up on its own, logs it and exits. 5 s, as in lesson 07 and server/.
	shutdownTimeout = 5 * time.Second
	// healthcheckTimeout bounds the -healthcheck probe; HEALTHCHECK --timeout should be larger.
	healthcheckTimeout = 2 * time.Second
)

func main() {
	healthcheck := flag.Bool("healthcheck", false, "check GET /healthz of the running server and exit 0 (healthy) or 1")
	flag.Parse()
	if *healthcheck {
		if err := probe(os.Getenv); err != nil {
			fmt.Fprintf(os.Stderr, "unhealthy: %v\n", err)
			os.Exit(1)
		}
		return
	}
	// docker stop sends SIGTERM; Ctrl+C in a terminal sends SIGINT.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	err := run(ctx, os.Getenv, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		os.Exit(1)
	}
}

// run listens on all interfaces (a container must accept connections from outside itself)
// and serves until ctx is cancelled.
func run(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	port, err := parsePort(getenv("PORT"))
	if err != nil {
		return err
	}
	addr := ":" + strconv.Itoa(port)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "listening on %s, version %s\n", addr, version)
	return serve(ctx, ln, newHandler(), stdout)
}

// parsePort turns the PORT value into a port number; empty means defaultPort.
func parsePort(s string) (int, error) {
	if s == "" {
		return defaultPort, nil
	}
	port, err := strconv.Atoi(s)
	if err != nil || port < 1 || port > 65535 {
		return 0, fmt.Errorf("invalid PORT %q: must be a number from 1 to 65535", s)
	}
	return port, nil
}

// serve serves h on ln until ctx is cancelled, then shuts down gracefully: it stops
// accepting connections and waits up to shutdownTimeout for in-flight requests. A clean
// shutdown returns nil, so the process exits with code 0 instead of Go's default 2 on SIGTERM.
func serve(ctx context.Context, ln net.Listener, h http.Handler, stdout io.Writer) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		return err // Serve failed on its own, e.g. the listener broke
	case <-ctx.Done():
	}

	fmt.Fprintln(stdout, "shutting down")
	// ctx is already cancelled, so the deadline needs a fresh context.
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	// After Shutdown, Serve has returned ErrServerClosed: that is the normal case.
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(stdout, "stopped")
	return nil
}

// probe asks the server in this container for GET /healthz, as HEALTHCHECK CMD
// ["/server", "-healthcheck"] does in an image with no curl and no shell.
func probe(getenv func(string) string) error {
	port, err := parsePort(getenv("PORT"))
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: healthcheckTimeout}
	resp, err := client.Get("http://127.0.0.1:" + strconv.Itoa(port) + "/healthz")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET /healthz: %s", resp.Status)
	}
	return nil
}

// newHandler routes GET /, GET /healthz, GET /version and GET /time; the mux answers 404 and
// 405 for the rest.
func newHandler() http.Handler {
	return newHandlerAt(time.Now)
}

// newHandlerAt is newHandler with a clock of its own, so tests can fix the time.
func newHandlerAt(now func() time.Time) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]string{"message": "Привет из Go в Docker!"})
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n") // a write error only means the client is gone
	})
	mux.HandleFunc("GET /version", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]string{"version": version})
	})
	mux.HandleFunc("GET /time", func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Query().Get("tz")
		if name == "" {
			name = "UTC"
		}
		// LoadLocation reads the zone from /usr/share/zoneinfo (or $ZONEINFO), else from the
		// copy embedded by -tags timetzdata. Without either, a real zone is «unknown time
		// zone», exactly as a misspelled one: both answer 500 with Go's error.
		loc, err := time.LoadLocation(name)
		if err != nil {
			http.Error(w, "load time zone: "+err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, timeAnswer{TZ: name, Time: now().In(loc).Format(time.RFC3339)})
	})
	return mux
}

// timeAnswer is GET /time's body; a struct keeps the fields in this order.
type timeAnswer struct {
	TZ   string `json:"tz"`
	Time string `json:"time"` // RFC 3339 in the zone: 2026-12-01T06:00:00+03:00
}

// writeJSON writes v as one line of JSON, without \u003c-style escaping of <, >, &.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the only possible error is a write to a gone client
}
