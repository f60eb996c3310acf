package bench

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/go-docker-workshop/workshop/internal/verdict"
)

// Schema is the version of results.json's layout; bump it when a field changes meaning.
const Schema = 1

// Results is everything one bench run measured: the machine and each image. It is written
// to results.json, and the report, the chart and the terminal bars are rendered from it, so
// they can be rendered again without Docker.
type Results struct {
	Schema      int           `json:"schema"`
	Environment Environment   `json:"environment"`
	Images      []ImageResult `json:"images"`
	Suite       *SuiteResults `json:"suite,omitempty"` // go run ./cmd/bench -suite
}

// Environment is the machine the numbers belong to.
type Environment struct {
	Date                time.Time   `json:"date"`
	GoVersion           string      `json:"go_version"`              // the host toolchain that built the reference binaries
	GoImageVersion      string      `json:"go_image_version"`        // GOLANG_VERSION of the golang base image
	DockerServerVersion string      `json:"docker_server_version"`   // e.g. 20.10.24+dfsg1
	ImageStore          string      `json:"image_store,omitempty"`   // "classic" or "containerd": what docker images' columns mean there
	DockerAPIVersion    string      `json:"docker_api_version"`      // the daemon's API version
	DockerClientAPI     string      `json:"docker_client_api"`       // the version this client negotiated
	Builder             string      `json:"builder"`                 // "buildkit" or "legacy"
	OS                  string      `json:"os"`                      // the daemon's operating system
	Kernel              string      `json:"kernel"`                  //
	Arch                string      `json:"arch"`                    // e.g. amd64
	CPUs                int         `json:"cpus"`                    // CPUs the daemon sees
	MemoryBytes         int64       `json:"memory_bytes"`            // memory the daemon sees
	LoadAvgStart        string      `json:"loadavg_start,omitempty"` // /proc/loadavg before the runs
	LoadAvgEnd          string      `json:"loadavg_end,omitempty"`   // and after
	Runs                int         `json:"runs"`
	BaseImages          []BaseImage `json:"base_images"`
	Command             string      `json:"command"` // how the results were produced
}

// BaseImage is a base image named in a measured Dockerfile.
type BaseImage struct {
	Ref       string `json:"ref"`
	ID        string `json:"id"`
	SizeBytes int64  `json:"size_bytes"`
	// StandIn is true for a local stand-in built by `make images` (label workshop.standin=true),
	// false for the official image from the registry.
	StandIn bool `json:"stand_in"`
}

// ImageResult is what several runs measured for one Dockerfile.
type ImageResult struct {
	Target               // what was measured, its paths with forward slashes
	Graceful   bool      `json:"graceful"` // the server handles SIGTERM itself (os/signal)
	MeasuredAt time.Time `json:"measured_at"`
	Runs       int       `json:"runs"`
	Error      string    `json:"error,omitempty"` // why the measurement stopped, when it did

	SizeBytes         Summary `json:"size_bytes"`
	Layers            Summary `json:"layers"`
	ColdBuildMS       Summary `json:"cold_build_ms"`       // a build without the layer cache (NoCache)
	NoChangeRebuildMS Summary `json:"nochange_rebuild_ms"` // a rebuild with the cache and no change at all
	WarmRebuildMS     Summary `json:"warm_rebuild_ms"`     // a rebuild with the cache after a line was appended to the source
	ReadyMS           Summary `json:"ready_ms"`            // from the container start request to the first 200 on /healthz
	StopMS            Summary `json:"stop_ms"`             // how long `docker stop -t 10` took
	StopExitCodes     []int   `json:"stop_exit_codes"`     // the container's exit code after docker stop, per run
	MemoryBytes       Summary `json:"memory_bytes"`        // memory use after a few requests, as `docker stats` shows it

	Binary Binary  `json:"binary"`
	Ratio  float64 `json:"ratio"` // the median image size divided by Binary.StrippedBytes
}

// Binary is the physical limit next to an image: the server as a stripped static binary.
type Binary struct {
	// StrippedBytes is `CGO_ENABLED=0 go build -trimpath -ldflags="-s -w"` of the source on
	// the host, for the image's architecture.
	StrippedBytes int64  `json:"stripped_bytes"`
	ImagePath     string `json:"image_path,omitempty"`  // the binary the image runs (imagebin.FindBinary)
	ImageBytes    int64  `json:"image_bytes,omitempty"` // and its size
	ImageStripped bool   `json:"image_stripped"`        // how the binary in the image was linked
	ImageStatic   bool   `json:"image_static"`
}

// Summary is what several runs of one measurement come to: the median, the spread (min–max)
// and the values themselves, in the order they were measured.
type Summary struct {
	Median float64   `json:"median"`
	Min    float64   `json:"min"`
	Max    float64   `json:"max"`
	Values []float64 `json:"values"`
}

// Summarize computes the median and spread of values. The median of an even number of
// values is the mean of the two middle ones. An empty input gives the zero Summary.
func Summarize(values []float64) Summary {
	if len(values) == 0 {
		return Summary{}
	}
	s := slices.Sorted(slices.Values(values))
	n := len(s)
	return Summary{Median: (s[(n-1)/2] + s[n/2]) / 2, Min: s[0], Max: s[n-1], Values: slices.Clone(values)}
}

// Empty reports whether nothing was measured.
func (s Summary) Empty() bool { return len(s.Values) == 0 }

// Load reads results.json.
func Load(path string) (*Results, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Results
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if r.Schema != Schema {
		return nil, verdict.Failf("перезапустите замеры: go run ./cmd/bench", "%s: схема %d, а эта версия понимает %d", path, r.Schema, Schema)
	}
	return &r, nil
}

// Save writes results.json, indented, with its fields in a stable order.
func (r *Results) Save(path string) error {
	r.Schema = Schema
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// Merge replaces the images of r that were measured anew and adds the new ones, keeping
// the course order: lessons by number, then Dockerfile.single, then Dockerfile.
func (r *Results) Merge(fresh []ImageResult) {
	for _, img := range fresh {
		if i := slices.IndexFunc(r.Images, func(old ImageResult) bool { return old.Name == img.Name }); i >= 0 {
			r.Images[i] = img
		} else {
			r.Images = append(r.Images, img)
		}
	}
	slices.SortStableFunc(r.Images, func(a, b ImageResult) int { return order(a) - order(b) })
}

// MergeBaseImages returns the base images of an earlier run with those inspected anew
// replacing theirs, sorted by reference: a run of some images (-only) inspects only their
// base images, and the report describes every image it shows.
func MergeBaseImages(earlier, fresh []BaseImage) []BaseImage {
	merged := slices.Clone(fresh)
	for _, b := range earlier {
		if !slices.ContainsFunc(fresh, func(f BaseImage) bool { return f.Ref == b.Ref }) {
			merged = append(merged, b)
		}
	}
	slices.SortFunc(merged, func(a, b BaseImage) int { return strings.Compare(a.Ref, b.Ref) })
	return merged
}

// order is the sort key of the course order: lessons by number, then Dockerfile.single,
// then Dockerfile, then anything else.
func order(img ImageResult) int {
	if img.Lesson > 0 {
		return img.Lesson
	}
	return cmp.Or(map[string]int{RootSingle: 1000, RootMulti: 1001}[img.Name], 2000)
}
