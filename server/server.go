// Command server is the workshop's HTTP server: a JSON greeting on "/" and a
// health check on "/healthz". It uses only the standard library and lives in
// a single file, because the Dockerfiles build it with `go build server.go`.
package main

import (
	"context"
	"encoding/json"
	"errors"
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

const defaultPort = 8080

// Timeouts and limits: a server without them can be tied up forever by slow
// or malicious clients, and Shutdown could wait on a stuck request.
const (
	// readHeaderTimeout stops clients that trickle headers (Slowloris).
	readHeaderTimeout = 5 * time.Second
	// readTimeout bounds reading the whole request, body included.
	readTimeout = 10 * time.Second
	// writeTimeout bounds writing the response, so a stalled reader cannot
	// hold a connection and a goroutine.
	writeTimeout = 10 * time.Second
	// idleTimeout closes idle keep-alive connections instead of keeping them
	// open indefinitely.
	idleTimeout = 60 * time.Second
	// maxHeaderBytes caps request header size (the default is 1 MiB); our
	// endpoints need far less.
	maxHeaderBytes = 1 << 16
	// shutdownTimeout is how long in-flight requests get to finish after
	// SIGTERM. It must end before `docker stop`'s default 10 s grace period
	// does: then Docker sends SIGKILL, and a killed server logs nothing. With
	// 5 s the server gives up on its own, says so and exits first. Raise both
	// together if needed (`docker stop -t`, `docker run --stop-timeout`).
	shutdownTimeout = 5 * time.Second
)

// greeting is the body of GET /.
type greeting struct {
	Message string `json:"message"`
}

func main() {
	// Docker sends SIGTERM on `docker stop`; Ctrl+C in a terminal sends SIGINT.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	err := run(ctx, os.Getenv, os.Stdout)
	stop()
	if err != nil {
		// A short message and exit code 1 instead of a panic with a stack trace.
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		os.Exit(1)
	}
}

// run reads the configuration via getenv, listens on all interfaces (a
// container must accept connections from outside itself) and serves until ctx
// is cancelled. getenv and stdout are parameters so tests need not touch the
// real environment.
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
	fmt.Fprintf(stdout, "listening on %s\n", addr)
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

// serve serves h on ln until ctx is cancelled, then shuts down gracefully:
// it stops accepting connections and waits up to shutdownTimeout for
// in-flight requests. It takes a listener so tests can use 127.0.0.1:0.
func serve(ctx context.Context, ln net.Listener, h http.Handler, stdout io.Writer) error {
	srv := newServer(h)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		// Serve failed on its own, e.g. the listener broke.
		return err
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

// newServer wraps h in an http.Server with the timeouts and limits above.
func newServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
	}
}

// newHandler builds the router. Method patterns (Go 1.22+) make the mux
// answer HEAD for GET routes, 405 with an Allow header for other methods and
// 404 for unknown paths, with no code of our own.
func newHandler() http.Handler {
	mux := http.NewServeMux()
	// {$} matches exactly "/"; a bare "/" pattern would match every path.
	mux.HandleFunc("GET /{$}", handleRoot)
	mux.HandleFunc("GET /healthz", handleHealthz)
	return mux
}

func handleRoot(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	enc := json.NewEncoder(w)
	// Keep the output byte-for-byte stable: no \u003c-style escaping of <, >, &.
	enc.SetEscapeHTML(false)
	// The only possible error is a failed write to a gone client: nothing to do.
	_ = enc.Encode(greeting{Message: "Привет из Go в Docker!"})
}

func handleHealthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "ok\n") // a write error only means the client is gone
}
