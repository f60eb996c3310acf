// Package buildevent is a build step's progress as the course passes it on: a build reports
// each step's start and end, the checks write them to their report (internal/verdict), and
// the CLI and the bench show them as docker build does.
package buildevent

import "time"

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
