// Command server is the workshop's HTTP server as it stands after lesson 01: two handlers
// on net/http's multiplexer, the port from the PORT variable. Lessons 02–05 package this
// same program into ever smaller images; lesson 06 rebuilds that image quickly after an edit.
// In the image it is built as module workshop/server, whose go.mod is gomod/go.mod.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	addr := ":" + port // all interfaces: inside a container, 127.0.0.1 is unreachable from outside
	log.Printf("listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, newHandler()))
}

// newHandler routes GET / and GET /healthz; the mux answers 404 and 405 for the rest.
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
	return mux
}
