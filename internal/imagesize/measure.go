package imagesize

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// Inspect asks the engine about an image, with its manifests (API 1.48+, where the containerd
// image store reports them), and without them on older engines, which have none to report.
func Inspect(ctx context.Context, cli client.ImageAPIClient, ref string) (client.ImageInspectResult, error) {
	res, err := cli.ImageInspect(ctx, ref, client.ImageInspectWithManifests(true))
	if err != nil && !cerrdefs.IsNotFound(err) {
		// The client refuses the option before API 1.48 without asking the daemon.
		return cli.ImageInspect(ctx, ref)
	}
	return res, err
}

// Image is an image as the course measures it and as its engine reports it.
type Image struct {
	Ref      string
	ID       string
	Size            // the course's measure: judge this
	Reported Report // what `docker images` prints on this engine: show this beside it
}

// sizes holds the measure of each image ID that Measure has computed: image ID → Size.
var sizes sync.Map

// CacheDir is where Measure keeps the measure of each image ID between processes, so that a
// warm check does not export a large image again; "" keeps none. An image ID is the digest
// of the image's config, which names its layers: the measure of an ID never changes.
var CacheDir = defaultCacheDir()

func defaultCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "go-docker-workshop", "image-sizes")
}

// Measure inspects the image and computes the course's measure of it from its layers as
// `docker save` exports them. The export is streamed, never stored, and done once per image
// ID (in a process, and across processes through CacheDir).
func Measure(ctx context.Context, cli client.ImageAPIClient, ref string) (Image, error) {
	res, err := Inspect(ctx, cli, ref)
	if err != nil {
		return Image{}, fmt.Errorf("образа %s нет на этой машине: %w", ref, err)
	}
	img := Image{Ref: ref, ID: res.ID, Reported: Reported(res.InspectResponse)}
	if v, ok := sizes.Load(res.ID); ok {
		img.Size = v.(Size)
		return img, nil
	}
	if size, ok := cached(res.ID); ok {
		sizes.Store(res.ID, size)
		img.Size = size
		return img, nil
	}
	img.Size, err = MeasureLayers(ctx, cli, ref, res.Os+"/"+res.Architecture)
	if err != nil {
		return Image{}, err
	}
	sizes.Store(res.ID, img.Size)
	store(res.ID, img.Size)
	return img, nil
}

// MeasureLayers computes the measure from the image's layers as `docker save` exports them,
// whatever is cached: for the tests that compare it with what the engine reports.
func MeasureLayers(ctx context.Context, cli client.ImageAPIClient, ref, platform string) (Size, error) {
	rc, err := cli.ImageSave(ctx, []string{ref})
	if err != nil {
		return Size{}, fmt.Errorf("не удалось выгрузить слои образа %s, чтобы измерить его: %w", ref, err)
	}
	defer rc.Close()
	size, err := FromSave(rc, platform)
	if err != nil {
		return Size{}, fmt.Errorf("не удалось измерить образ %s: %w", ref, err)
	}
	return size, nil
}

// cacheFile is the file of an image ID in CacheDir.
func cacheFile(id string) string {
	if CacheDir == "" || !strings.HasPrefix(id, "sha256:") || strings.ContainsAny(id, `/\.`) {
		return ""
	}
	return filepath.Join(CacheDir, strings.TrimPrefix(id, "sha256:")+".json")
}

func cached(id string) (Size, bool) {
	var size Size
	name := cacheFile(id)
	if name == "" {
		return size, false
	}
	data, err := os.ReadFile(name)
	if err != nil || json.Unmarshal(data, &size) != nil || size.Layers == 0 {
		return Size{}, false
	}
	return size, true
}

// store writes the measure of id to CacheDir; a cache that cannot be written is no error,
// the next process measures again.
func store(id string, size Size) {
	name := cacheFile(id)
	if name == "" || os.MkdirAll(filepath.Dir(name), 0o755) != nil {
		return
	}
	data, err := json.Marshal(size)
	if err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".size-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr != nil || cerr != nil || os.Rename(tmp.Name(), name) != nil {
		os.Remove(tmp.Name())
	}
}
