package imagesize

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/moby/moby/api/types/image"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// readInspect loads an inspect answer: the API's object or the array that
// `docker image inspect` prints.
func readInspect(t *testing.T, name string) image.InspectResponse {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if data = bytes.TrimSpace(data); len(data) > 0 && data[0] == '[' {
		var all []image.InspectResponse
		if err := json.Unmarshal(data, &all); err != nil {
			t.Fatal(err)
		}
		if len(all) != 1 {
			t.Fatalf("%s: %d images, want 1", name, len(all))
		}
		return all[0]
	}
	var resp image.InspectResponse
	if err := json.Unmarshal(data, &resp); err != nil {
		t.Fatal(err)
	}
	return resp
}

// The numbers below are those in the testdata files; update them together
// when the files are replaced with recorded answers.
func TestReported(t *testing.T) {
	tests := []struct {
		file string
		want Report
	}{
		{
			// Docker 20.10, overlay2: `docker images` SIZE 87.4MB.
			// Recorded: Docker Engine 29 with the classic store (containerd-snapshotter
			// false), the root multi-stage image; Docker 20.10 reports the same Size for it.
			file: "inspect-classic.json",
			want: Report{Store: StoreClassic, Size: 87398191, DiskUsage: 87398191},
		},
		{
			// Engine 29, containerd store: DISK USAGE 186MB, CONTENT SIZE 87MB.
			// Recorded: Docker Engine 29 (moby v2.0.0-beta.24), containerd store, the root
			// multi-stage image on stand-in base images, built through the API (no attestation).
			file: "inspect-containerd.json",
			want: Report{
				Store:       StoreContainerd,
				Size:        134987381,
				DiskUsage:   134987381,
				ContentSize: 36146805,
				Platforms: []PlatformReport{{
					Platform: "linux/amd64", Available: true,
					DiskUsage: 134987381, Content: 36146805, Unpacked: 98840576,
				}},
			},
		},
		{
			// Recorded: the same image built by `docker build` (buildx 0.38), which adds a
			// provenance attestation manifest: the CLI counts it in both columns.
			file: "inspect-containerd-buildx.json",
			want: Report{
				Store:       StoreContainerd,
				Size:        134987332,
				DiskUsage:   134987332 + 2377,
				ContentSize: 36146756 + 2377,
				Platforms: []PlatformReport{{
					Platform: "linux/amd64", Available: true,
					DiskUsage: 134987332, Content: 36146756, Unpacked: 98840576,
				}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := Reported(readInspect(t, tt.file))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Reported() = %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestReportedWithoutManifests(t *testing.T) {
	tests := []struct {
		name string
		img  image.InspectResponse
		want Report
	}{
		{
			name: "classic",
			img:  image.InspectResponse{Size: 1000},
			want: Report{Store: StoreClassic, Size: 1000, DiskUsage: 1000},
		},
		{
			name: "containerd, fetched without manifests",
			img:  image.InspectResponse{Size: 2000, Descriptor: &ocispec.Descriptor{}},
			want: Report{Store: StoreContainerd, Size: 2000, DiskUsage: 2000},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Reported(tt.img); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Reported() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestHuman(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{87418332, "87.4MB"},
		{185841556 + 29518, "186MB"},
		{87021460 + 29518, "87.1MB"},
		{0, "0B"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := Human(tt.n); got != tt.want {
				t.Errorf("Human(%d) = %q, want %q", tt.n, got, tt.want)
			}
		})
	}
}
