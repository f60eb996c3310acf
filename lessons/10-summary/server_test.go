package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // only in the test binary: the zones do not depend on the machine's tzdata

	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

// at is the fixed clock of the tests: 03:00 UTC, 06:00 in Moscow.
var at = time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)

func get(t *testing.T, target string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	newHandlerAt(func() time.Time { return at }).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec
}

// GET /time answers the time in the zone asked for, UTC by default, as RFC 3339.
func TestTimeHandler(t *testing.T) {
	lessoncheck.SkipInExercise(t) // a test of the course, not of the exercise
	for _, tt := range []struct {
		target, want string
	}{
		{"/time?tz=Europe/Moscow", `{"tz":"Europe/Moscow","time":"2026-12-01T06:00:00+03:00"}`},
		{"/time?tz=America/New_York", `{"tz":"America/New_York","time":"2026-11-30T22:00:00-05:00"}`},
		{"/time", `{"tz":"UTC","time":"2026-12-01T03:00:00Z"}`},
		{"/time?tz=", `{"tz":"UTC","time":"2026-12-01T03:00:00Z"}`},
	} {
		t.Run(tt.target, func(t *testing.T) {
			rec := get(t, tt.target)
			if got, want := rec.Code, http.StatusOK; got != want {
				t.Fatalf("status = %d, want %d; body %q", got, want, rec.Body.String())
			}
			if got, want := rec.Body.String(), tt.want+"\n"; got != want {
				t.Errorf("body = %q, want %q", got, want)
			}
			if got, want := rec.Header().Get("Content-Type"), "application/json; charset=utf-8"; got != want {
				t.Errorf("Content-Type = %q, want %q", got, want)
			}
		})
	}
}

// An unknown zone answers 500 with Go's own error: the same text a scratch image without
// tzdata gives for a real zone.
func TestTimeHandlerUnknownZone(t *testing.T) {
	lessoncheck.SkipInExercise(t)
	for _, tz := range []string{"Mars/Olympus_Mons", "../etc/passwd"} {
		t.Run(tz, func(t *testing.T) {
			rec := get(t, "/time?tz="+tz)
			if got, want := rec.Code, http.StatusInternalServerError; got != want {
				t.Errorf("status = %d, want %d", got, want)
			}
			_, err := time.LoadLocation(tz)
			if err == nil {
				t.Fatalf("time.LoadLocation(%q) succeeded", tz)
			}
			if got := rec.Body.String(); !strings.Contains(got, err.Error()) {
				t.Errorf("body = %q, want Go's error %q in it", got, err.Error())
			}
		})
	}
}

// The handlers the earlier lessons gave the server stay as they were.
func TestOtherHandlers(t *testing.T) {
	lessoncheck.SkipInExercise(t)
	for _, tt := range []struct{ target, want string }{
		{"/", `{"message":"Привет из Go в Docker!"}` + "\n"},
		{"/healthz", "ok\n"},
		{"/version", `{"version":"dev"}` + "\n"},
	} {
		rec := get(t, tt.target)
		if rec.Code != http.StatusOK || rec.Body.String() != tt.want {
			t.Errorf("GET %s: %d %q, want 200 %q", tt.target, rec.Code, rec.Body.String(), tt.want)
		}
	}
}
