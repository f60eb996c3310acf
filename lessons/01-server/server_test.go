// Unit tests of the server's handler with net/http/httptest: no port, no process, no Docker.
// They test the reference server.go, so with -exercise (the student's code) they are skipped.
// httptest.NewRecorder records what a handler writes; httptest.NewServer starts a real
// server on a free loopback port for tests that need an HTTP round trip.
package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

func TestHandler(t *testing.T) {
	lessoncheck.SkipInExercise(t) // tests of the reference server.go, not of exercise/
	tests := []struct {
		name        string
		method      string
		path        string
		wantStatus  int
		wantBody    string // "" when the body does not matter
		wantType    string // Content-Type; "" when it does not matter
		wantAllowed string // Allow header; "" when it does not matter
	}{
		{"root", http.MethodGet, "/", 200, `{"message":"Привет из Go в Docker!"}` + "\n", "application/json; charset=utf-8", ""},
		{"healthz", http.MethodGet, "/healthz", 200, "ok\n", "text/plain; charset=utf-8", ""},
		{"HEAD healthz is allowed with GET", http.MethodHead, "/healthz", 200, "", "", ""},
		{"unknown path", http.MethodGet, "/nope", 404, "", "", ""},
		{"healthz has no subtree", http.MethodGet, "/healthz/extra", 404, "", "", ""},
		{"POST healthz", http.MethodPost, "/healthz", 405, "", "", "GET, HEAD"},
		{"DELETE root", http.MethodDelete, "/", 405, "", "", "GET, HEAD"},
	}
	handler := newHandler()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, nil)
			rec := httptest.NewRecorder()

			handler.ServeHTTP(rec, req)

			if got := rec.Code; got != tt.wantStatus {
				t.Errorf("status: got %d, want %d", got, tt.wantStatus)
			}
			if got := rec.Body.String(); tt.wantBody != "" && got != tt.wantBody {
				t.Errorf("body: got %q, want %q", got, tt.wantBody)
			}
			if got := rec.Header().Get("Content-Type"); tt.wantType != "" && got != tt.wantType {
				t.Errorf("Content-Type: got %q, want %q", got, tt.wantType)
			}
			if got := rec.Header().Get("Allow"); tt.wantAllowed != "" && got != tt.wantAllowed {
				t.Errorf("Allow: got %q, want %q", got, tt.wantAllowed)
			}
		})
	}
}

// The root answer is JSON that a client can decode, not just a string that looks like it.
func TestRootIsJSON(t *testing.T) {
	lessoncheck.SkipInExercise(t) // tests of the reference server.go, not of exercise/
	rec := httptest.NewRecorder()
	newHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))

	var got struct {
		Message string `json:"message"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatalf("body %q is not JSON: %v", rec.Body.String(), err)
	}
	if want := "Привет из Go в Docker!"; got.Message != want {
		t.Errorf("message: got %q, want %q", got.Message, want)
	}
}

// A real HTTP round trip through httptest.NewServer: the handler behind a listening socket,
// as a client such as curl sees it.
func TestServerRoundTrip(t *testing.T) {
	lessoncheck.SkipInExercise(t) // tests of the reference server.go, not of exercise/
	srv := httptest.NewServer(newHandler())
	defer srv.Close()

	resp, err := srv.Client().Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || string(body) != "ok\n" {
		t.Errorf("GET /healthz: got %d %q, want 200 %q", resp.StatusCode, body, "ok\n")
	}
}
