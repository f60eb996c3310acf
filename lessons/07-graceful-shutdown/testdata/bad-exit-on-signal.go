// want: сервер вышел с кодом 0
// The signal is caught, but the handler calls os.Exit(0): a clean exit code and a cut request.
package main

import (
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
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, os.Interrupt)
	go func() {
		sig := <-sigs
		log.Printf("получен сигнал %v, выхожу", sig)
		os.Exit(0)
	}()
	log.Fatal(http.ListenAndServe(":"+port, newHandler()))
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
