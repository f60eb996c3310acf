package imagesize

import (
	"context"
	"fmt"
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

// Measure inspects the image and computes the course's measure of it from its layers as
// `docker save` exports them. The export is streamed, never stored, and done once per image
// ID in a process.
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
	rc, err := cli.ImageSave(ctx, []string{ref})
	if err != nil {
		return Image{}, fmt.Errorf("не удалось выгрузить слои образа %s, чтобы измерить его: %w", ref, err)
	}
	defer rc.Close()
	img.Size, err = FromSave(rc, res.Os+"/"+res.Architecture)
	if err != nil {
		return Image{}, fmt.Errorf("не удалось измерить образ %s: %w", ref, err)
	}
	sizes.Store(res.ID, img.Size)
	return img, nil
}
