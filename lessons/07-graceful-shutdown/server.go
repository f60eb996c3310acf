// Command server is lesson 05's server with a graceful shutdown: on SIGTERM (docker stop) or
// SIGINT (Ctrl+C) it stops accepting connections, lets the requests in flight finish and
// exits with code 0. GET /slow?d=2s answers after d, so a shutdown has something to wait for.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

const (
	// shutdownTimeout is how long in-flight requests get after the signal. It must be shorter
	// than docker stop's grace period (10 s by default, `docker stop -t`), after which Docker
	// sends SIGKILL: the server should give up on its own, log it and exit, not be killed.
	shutdownTimeout = 5 * time.Second
	// maxSlow caps GET /slow's delay.
	maxSlow = 10 * time.Second
)

func main() {
	// Docker sends SIGTERM on docker stop; Ctrl+C in a terminal sends SIGINT (os.Interrupt).
	// Without this, Go's runtime handles SIGTERM itself: it ends the process at once (exit
	// code 2 as PID 1 in a container), cutting every request in flight.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	err := run(ctx, stop)
	stop()
	if err != nil {
		log.Printf("ошибка: %v", err)
		os.Exit(1)
	}
	log.Print("сервер остановлен")
}

// run serves until ctx is cancelled by a signal, then shuts down gracefully. It returns only
// when every in-flight request has finished or shutdownTimeout has passed. stop restores the
// default signal handling, so a second Ctrl+C ends the process at once.
func run(ctx context.Context, stop context.CancelFunc) error {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	srv := &http.Server{
		Addr:    ":" + port, // all interfaces: inside a container, 127.0.0.1 is unreachable from outside
		Handler: newHandler(),
		// Timeouts keep slow or stuck clients from holding a connection forever; that also
		// bounds what Shutdown may have to wait for.
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      maxSlow + 5*time.Second, // longer than the slowest handler, GET /slow
		IdleTimeout:       60 * time.Second,
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Printf("слушаю %s", srv.Addr)

	select {
	case err := <-errc:
		return err // the server did not start, e.g. the port is taken
	case <-ctx.Done():
	}
	stop()
	// Go 1.26: the cause names the signal, "terminated signal received" for SIGTERM.
	log.Printf("%v: завершаю работу, жду текущие запросы (не дольше %v)", context.Cause(ctx), shutdownTimeout)

	// ctx is already cancelled: the deadline needs a fresh context.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	// Shutdown closes the listener (new connections are refused), closes idle connections
	// and waits for the active ones to finish their requests.
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("текущие запросы не завершились за %v: %w", shutdownTimeout, err)
	}
	// ListenAndServe returned http.ErrServerClosed as soon as Shutdown began: that is the
	// normal end, not an error. Returning right then would cut the requests Shutdown waits for.
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newHandler routes GET /, GET /healthz and GET /slow; the mux answers 404 and 405 for the rest.
func newHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		fmt.Fprintln(w, `{"message":"Привет из Go в Docker!"}`)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /slow", handleSlow)
	return mux
}

// handleSlow answers "done" after the delay in ?d= (a Go duration: 500ms, 2s; 2s when
// absent, at most maxSlow): a stand-in for a request that takes a while.
func handleSlow(w http.ResponseWriter, r *http.Request) {
	d := 2 * time.Second
	if s := r.URL.Query().Get("d"); s != "" {
		var err error
		d, err = time.ParseDuration(s)
		if err != nil || d < 0 {
			http.Error(w, fmt.Sprintf("d=%q: нужна неотрицательная длительность, например 2s или 500ms", s), http.StatusBadRequest)
			return
		}
	}
	d = min(d, maxSlow)
	select {
	case <-time.After(d):
	case <-r.Context().Done():
		return // the client went away: nobody to answer
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "done")
}
