package imagesize

import (
	"github.com/containerd/platforms"
	"github.com/docker/go-units"
	"github.com/moby/moby/api/types/image"
)

// Store is the engine's image store, which decides what its sizes mean.
type Store string

const (
	// StoreClassic is the graphdriver store (Docker 20.10; Engine 29 with
	// the containerd-snapshotter feature off): sizes are uncompressed layer
	// diffs.
	StoreClassic Store = "classic"
	// StoreContainerd is the containerd image store (default of a fresh
	// Engine 29 and of Docker Desktop): sizes are compressed content blobs
	// plus unpacked snapshots, about twice the classic number.
	StoreContainerd Store = "containerd"
)

// Report is what the engine itself says about an image's size, as
// `docker images` shows it. Use it to explain numbers to students; judge
// images with [Size] instead.
type Report struct {
	Store Store
	// Size is InspectResponse.Size as returned. Classic store: the SIZE
	// column of `docker images`. Containerd store (Engine 29): Manifests'
	// Size.Total of the daemon's preferred platform.
	Size int64
	// DiskUsage is the DISK USAGE column of `docker images` (CLI 28+).
	// Containerd store: the sum of Manifests[].Size.Total over all
	// manifests, which is what the daemon puts in the image list's Size.
	// Classic store: Size.
	DiskUsage int64
	// ContentSize is the CONTENT SIZE column of `docker images` (CLI 28+):
	// the sum of Manifests[].Size.Content over all manifests, attestations
	// included. Classic store: 0, as the CLI prints it there.
	ContentSize int64
	// Platforms has one entry per image (not attestation) manifest.
	Platforms []PlatformReport
}

// PlatformReport is one row of `docker images --tree` under an image.
type PlatformReport struct {
	Platform  string // like "linux/amd64"
	Available bool   // content of this platform is present locally
	DiskUsage int64  // Size.Total: Content + Unpacked
	Content   int64  // Size.Content: compressed blobs in the content store
	Unpacked  int64  // ImageData.Size.Unpacked: snapshot disk usage
}

// Reported reads the store and the sizes out of an image inspect answer. It
// must be fetched with manifests (client.ImageInspectWithManifests(true),
// API ?manifests=1): an answer with Manifests is from the containerd store.
// Without them the containerd store is still recognised by Descriptor, which
// the classic store never sets, and then DiskUsage falls back to Size.
//
// The columns are computed as the Docker CLI does: docker/cli
// cli/command/image/tree.go, runTree (CLI 28 and 29, where the tree view is
// the default output of `docker images`, see shouldUseTree in list.go):
//
//	DiskUsage:   units.HumanSizeWithPrecision(float64(img.Size), 3)
//	for _, im := range img.Manifests { totalContent += im.Size.Content; ... }
//	ContentSize: units.HumanSizeWithPrecision(float64(totalContent), 3)
//
// img there is the image list's Summary; for the containerd store moby
// computes its Size as the sum of every manifest's Size.Total
// (daemon/containerd/image_list.go, multiPlatformSummary: TotalSize), while
// inspect's Size is only the preferred platform's Size.Total
// (image_inspect.go), so DiskUsage is summed here from Manifests.
func Reported(img image.InspectResponse) Report {
	r := Report{Store: StoreClassic, Size: img.Size, DiskUsage: img.Size}
	if len(img.Manifests) == 0 {
		if img.Descriptor != nil {
			r.Store = StoreContainerd
		}
		return r
	}
	r.Store = StoreContainerd
	r.DiskUsage = 0
	for _, m := range img.Manifests {
		r.DiskUsage += m.Size.Total
		r.ContentSize += m.Size.Content
		if m.Kind != image.ManifestKindImage || m.ImageData == nil {
			continue
		}
		r.Platforms = append(r.Platforms, PlatformReport{
			Platform:  platforms.Format(m.ImageData.Platform),
			Available: m.Available,
			DiskUsage: m.Size.Total,
			Content:   m.Size.Content,
			Unpacked:  m.ImageData.Size.Unpacked,
		})
	}
	return r
}

// Human formats bytes as the Docker CLI prints sizes ("87.4MB"): decimal
// units, three significant digits (go-units HumanSizeWithPrecision).
func Human(n int64) string {
	return units.HumanSizeWithPrecision(float64(n), 3)
}
