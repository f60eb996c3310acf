// The pattern of net/http's own documentation for Server.Shutdown: a goroutine waits for the
// signal and calls Shutdown, main serves and then waits until Shutdown has returned.
package main

import (
	"context"
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
	idleConnsClosed := make(chan struct{})
	go func() {
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
		<-sigs
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			log.Printf("Shutdown: %v", err)
		}
		close(idleConnsClosed)
	}()
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		log.Fatalf("ListenAndServe: %v", err)
	}
	<-idleConnsClosed
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
