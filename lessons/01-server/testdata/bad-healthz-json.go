// want: GET /healthz: Content-Type "application/json; charset=utf-8", а ожидается text/plain
// The root handler copied for /healthz with its header: the body is plain text, the header
// says JSON.
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
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		fmt.Fprintln(w, `{"message":"Привет из Go в Docker!"}`)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	log.Fatal(http.ListenAndServe(":"+port, mux))
}
