// want: сервер вышел с кодом 0
// Shutdown runs in a goroutine, but main returns as soon as ListenAndServe returns
// http.ErrServerClosed — the moment Shutdown begins, not when it ends. The request in flight
// is cut and the exit code is 0: it looks clean and is not.
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

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	srv := &http.Server{Addr: ":" + port, Handler: newHandler()}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdownCtx)
	}()
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
	log.Print("сервер остановлен")
}

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

func handleSlow(w http.ResponseWriter, r *http.Request) {
	d := 2 * time.Second
	if s := r.URL.Query().Get("d"); s != "" {
		var err error
		d, err = time.ParseDuration(s)
		if err != nil || d < 0 {
			http.Error(w, fmt.Sprintf("d=%q: нужна неотрицательная длительность", s), http.StatusBadRequest)
			return
		}
	}
	select {
	case <-time.After(min(d, 10*time.Second)):
	case <-r.Context().Done():
		return
	}
	fmt.Fprintln(w, "done")
}
