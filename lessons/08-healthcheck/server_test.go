package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

// The self-check that HEALTHCHECK runs: healthy only when GET /healthz answers 200 in time.
func TestCheckHealth(t *testing.T) {
	lessoncheck.SkipInExercise(t) // a test of the course, not of the exercise
	ok := httptest.NewServer(newHandler())
	defer ok.Close()
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "not ready", http.StatusServiceUnavailable)
	}))
	defer failing.Close()
	hung := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer hung.Close()
	// A port nobody listens on: take one and close it.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()

	tests := []struct {
		name, url string
		wantErr   string // "" for healthy
	}{
		{"server answers 200", ok.URL + "/healthz", ""},
		{"server answers 503", failing.URL + "/healthz", "503"},
		{"nothing listens", closed + "/healthz", "connection refused"},
		{"server hangs", hung.URL + "/healthz", "deadline exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkHealth(context.Background(), tt.url, 200*time.Millisecond)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("got %v, want healthy", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("got healthy, want an error with %q", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("got %v, want an error with %q", err, tt.wantErr)
			}
		})
	}
}
