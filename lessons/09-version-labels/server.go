// Command server is the workshop's HTTP server as it stands after lesson 09: lesson 05's
// server plus its version. The version is not in the source: the build writes it into the
// binary with -ldflags="-X main.version=…", and GET /version reports it.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
)

// version is set at link time: go build -ldflags="-X main.version=1.2.3". The linker's -X
// can only set a package-level string variable that is not a constant and is initialised,
// if at all, by a string literal; a wrong name is silently ignored and "dev" stays.
var version = "dev"

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	addr := ":" + port // all interfaces: inside a container, 127.0.0.1 is unreachable from outside
	log.Printf("version %s, listening on %s", version, addr)
	log.Fatal(http.ListenAndServe(addr, newHandler()))
}

// newHandler routes GET /, GET /healthz and GET /version; the mux answers 404 and 405 for the rest.
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
	mux.HandleFunc("GET /version", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		// Encode writes the object and a newline: {"version":"1.2.3"}\n.
		if err := json.NewEncoder(w).Encode(struct {
			Version string `json:"version"`
		}{version}); err != nil {
			log.Printf("GET /version: %v", err)
		}
	})
	return mux
}
