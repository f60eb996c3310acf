package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/go-docker-workshop/workshop/internal/imagesize"
	"github.com/go-docker-workshop/workshop/internal/ru"
	"github.com/go-docker-workshop/workshop/internal/verdict"
	"github.com/moby/moby/client"
)

// cmdSize prints the course's measure of each image next to what the engine reports; with
// --bytes only the measure in bytes, one line an image; with --compare compare.sh's table
// (cmdCompare).
func (a *App) cmdSize(ctx context.Context, f *flags, args []string) error {
	if len(args) == 0 {
		return usageError("укажите образ, например: "+a.Prog+" size workshop/compare:multi.", "не указан образ")
	}
	if f.compare {
		return a.cmdCompare(ctx, args)
	}
	cli, err := dockerAPI(ctx)
	if err != nil {
		return err
	}
	defer cli.Close()
	var images []imagesize.Image
	for _, ref := range args {
		img, err := imagesize.Measure(ctx, cli, ref)
		if err != nil {
			return err
		}
		images = append(images, img)
	}
	if f.bytes {
		for _, img := range images {
			fmt.Fprintln(a.Stdout, img.Bytes)
		}
		return nil
	}
	tw := tabwriter.NewWriter(a.Stdout, 0, 0, 3, ' ', 0)
	for _, img := range images {
		fmt.Fprintf(tw, "%s\t%s\n", img.Ref, sizeText(img))
	}
	return tw.Flush()
}

// sizeText is an image's size for people: the course's measure first, then the sizes
// `docker images` shows for the same image on this engine, in the same Russian units
// (ru.Size: «87,4 МБ» where docker prints «87.4MB»).
func sizeText(img imagesize.Image) string {
	s := ru.Size(float64(img.Bytes)) + " без сжатия"
	r := img.Reported
	if r.Store == imagesize.StoreContainerd {
		return fmt.Sprintf("%s\tdocker images (хранилище containerd): DISK USAGE %s, CONTENT SIZE %s",
			s, ru.Size(float64(r.DiskUsage)), ru.Size(float64(r.ContentSize)))
	}
	return fmt.Sprintf("%s\tdocker images (классическое хранилище): SIZE %s", s, ru.Size(float64(r.Size)))
}

// dockerAPI is a client of the engine that the docker CLI would use (DOCKER_HOST or the
// default socket), with the API version agreed with the engine.
func dockerAPI(ctx context.Context) (*client.Client, error) {
	cli, err := client.New(client.FromEnv, client.WithAPIVersionNegotiation())
	if err == nil {
		_, err = cli.Ping(ctx, client.PingOptions{})
	}
	if err != nil {
		return nil, verdict.Wrapf(err, "запустите Docker (make docker, Docker Desktop или colima start) и повторите", "Docker не отвечает (%v)", err)
	}
	return cli, nil
}
