// Another correct server: no method patterns, the handler routes and answers 405 itself.
// The checks judge what the server answers, not how the code is written.
package main

import (
	"io"
	"net/http"
	"os"
)

type server struct{}

func (server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/", "/healthz":
	default:
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if r.URL.Path == "/healthz" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	io.WriteString(w, "{\"message\":\"Привет из Go в Docker!\"}\n")
}

func main() {
	port, ok := os.LookupEnv("PORT")
	if !ok {
		port = "8080"
	}
	if err := http.ListenAndServe(":"+port, server{}); err != nil {
		panic(err)
	}
}
