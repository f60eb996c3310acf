package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

// GET /version answers the version the binary was linked with; go test links none, so "dev".
func TestVersionHandler(t *testing.T) {
	lessoncheck.SkipInExercise(t) // a test of the course, not of the exercise
	rec := httptest.NewRecorder()
	newHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/version", nil))
	if got, want := rec.Code, http.StatusOK; got != want {
		t.Errorf("status = %d, want %d", got, want)
	}
	if got, want := rec.Body.String(), `{"version":"dev"}`+"\n"; got != want {
		t.Errorf("body = %q, want %q", got, want)
	}
	if got, want := rec.Header().Get("Content-Type"), "application/json; charset=utf-8"; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
}
