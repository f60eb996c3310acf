// Package buildevent carries a build's progress from the test process that builds an image
// to the program that shows it (make check-N runs go test, which runs the checks). A build
// writes one line per step event to its standard output, marked so that the reader can tell
// it from test output; the reader turns the lines back into events.
package buildevent

import (
	"encoding/json"
	"strings"
	"time"
)

// EnvVar set to "1" asks builds to write their events to standard output.
const EnvVar = "WORKSHOP_BUILD_EVENTS"

// Marker starts every event line.
const Marker = "\x1eworkshop-build "

// Step states.
const (
	Running = "running"
	Done    = "done"
	Cached  = "cached"
	Failed  = "failed"
)

// Event says that a build step of an image started or ended.
type Event struct {
	Image string        `json:"image"`
	Step  string        `json:"step"`  // as BuildKit names it: "[builder 3/4] RUN go build …"
	State string        `json:"state"` // Running, Done, Cached or Failed
	Took  time.Duration `json:"took,omitempty"`
}

// Line encodes the event as one marked line, newline included.
func (e Event) Line() string {
	data, _ := json.Marshal(e)
	return Marker + string(data) + "\n"
}

// Parse decodes a line written by Line; ok is false for any other line.
func Parse(line string) (Event, bool) {
	i := strings.Index(line, Marker)
	if i < 0 {
		return Event{}, false
	}
	var e Event
	if err := json.Unmarshal([]byte(strings.TrimSpace(line[i+len(Marker):])), &e); err != nil {
		return Event{}, false
	}
	return e, true
}
