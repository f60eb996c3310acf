// Command server is the workshop's HTTP server as it stands after lesson 05, plus a
// -healthcheck flag: the same binary checks the server running in its container, so a
// HEALTHCHECK works in an image FROM scratch, which has neither a shell nor curl.
//
//	server                 serve GET / and GET /healthz on $PORT (8080 by default)
//	server -healthcheck    GET http://127.0.0.1:$PORT/healthz once; exit 0 on 200, 1 otherwise
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"time"
)

// healthTimeout bounds one self-check. It is shorter than HEALTHCHECK --timeout (2 s in the
// lesson's Dockerfile), so a hung server is reported by this program with a reason instead of
// the probe being killed by Docker.
const healthTimeout = time.Second

func main() {
	healthcheck := flag.Bool("healthcheck", false,
		"check GET /healthz of the server on 127.0.0.1:$PORT and exit: 0 healthy, 1 not (for HEALTHCHECK)")
	flag.Parse()

	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	if *healthcheck {
		// 127.0.0.1 is the container itself: Docker runs the probe inside the container's
		// network namespace. An IP needs no name lookup (no /etc/hosts, no DNS).
		url := "http://127.0.0.1:" + port + "/healthz"
		if err := checkHealth(context.Background(), url, healthTimeout); err != nil {
			fmt.Fprintf(os.Stderr, "healthcheck: %v\n", err)
			os.Exit(1)
		}
		fmt.Printf("healthcheck: GET %s: 200 OK\n", url)
		return
	}

	addr := ":" + port // all interfaces: inside a container, 127.0.0.1 is unreachable from outside
	log.Printf("listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, newHandler()))
}

// checkHealth sends one GET to url and succeeds only on 200 within timeout.
func checkHealth(ctx context.Context, url string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err // connection refused, timeout: the server is not answering
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s, want 200 OK", url, resp.Status)
	}
	return nil
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
