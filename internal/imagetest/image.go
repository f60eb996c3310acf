package imagetest

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// Info is what an image's metadata says about it.
type Info struct {
	Size         int64 // bytes, all layers
	Layers       int
	Architecture string
	OS           string
	Config       Config
}

// Config is the part of the image config that Dockerfile instructions set.
type Config struct {
	Cmd          []string
	Entrypoint   []string
	WorkingDir   string
	User         string
	Env          []string
	ExposedPorts []string // e.g. "8080/tcp"
	Labels       map[string]string
	StopSignal   string
	Healthcheck  []string
}

// EnvValue returns the value of an environment variable of the image, and whether it is set.
func (c Config) EnvValue(key string) (string, bool) {
	for _, kv := range c.Env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v, true
		}
	}
	return "", false
}

// Existing returns an image that is already on the daemon, such as a base image, to run or
// inspect it without a build.
func Existing(ctx context.Context, ref string) (*Image, error) {
	cli, err := dockerClient(ctx)
	if err != nil {
		return nil, err
	}
	res, err := cli.ImageInspect(ctx, ref)
	if err != nil {
		return nil, fmt.Errorf("образа %s нет на этой машине: %w", ref, err)
	}
	return &Image{Ref: ref, ID: res.ID}, nil
}

// Inspect reads the image's size, layers and config.
func (img *Image) Inspect(ctx context.Context) (Info, error) {
	cli, err := dockerClient(ctx)
	if err != nil {
		return Info{}, err
	}
	res, err := cli.ImageInspect(ctx, img.Ref)
	if err != nil {
		return Info{}, fmt.Errorf("inspect %s: %w", img.Ref, err)
	}
	info := Info{Size: res.Size, Layers: len(res.RootFS.Layers), Architecture: res.Architecture, OS: res.Os}
	if c := res.Config; c != nil {
		info.Config = Config{
			Cmd: c.Cmd, Entrypoint: c.Entrypoint, WorkingDir: c.WorkingDir, User: c.User,
			Env: c.Env, Labels: c.Labels, StopSignal: c.StopSignal,
		}
		for p := range c.ExposedPorts {
			info.Config.ExposedPorts = append(info.Config.ExposedPorts, p)
		}
		sort.Strings(info.Config.ExposedPorts)
		if c.Healthcheck != nil {
			info.Config.Healthcheck = c.Healthcheck.Test
		}
	}
	return info, nil
}

// File is one entry of an image's file system.
type File struct {
	Path     string // absolute, e.g. "/go/server"
	Mode     int64  // permission bits and type bits as in tar
	Size     int64
	UID, GID int
	Linkname string // target of a symlink or hard link
	Dir      bool
	Symlink  bool
}

// Executable reports whether anyone may execute the file.
func (f File) Executable() bool { return !f.Dir && f.Mode&0o111 != 0 }

// Files lists every file of the image through the archive API, so it works for images
// without a shell such as scratch. The listing is sorted by path.
func (img *Image) Files(ctx context.Context) ([]File, error) {
	var files []File
	err := img.walk(ctx, func(h *tar.Header, _ io.Reader) error {
		files = append(files, File{
			Path: path.Clean("/" + h.Name), Mode: h.Mode, Size: h.Size, UID: h.Uid, GID: h.Gid,
			Linkname: h.Linkname, Dir: h.Typeflag == tar.TypeDir, Symlink: h.Typeflag == tar.TypeSymlink,
		})
		return nil
	})
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, err
}

// ErrNotExist is wrapped when ReadFile finds no such file in the image.
var ErrNotExist = errors.New("нет такого файла в образе")

// ReadFile returns the contents of a regular file of the image. Symlinks are not followed.
func (img *Image) ReadFile(ctx context.Context, name string) ([]byte, error) {
	want := path.Clean("/" + name)
	var data []byte
	found := false
	err := img.walk(ctx, func(h *tar.Header, r io.Reader) error {
		if path.Clean("/"+h.Name) != want {
			return nil
		}
		found = true
		if h.Typeflag != tar.TypeReg {
			return fmt.Errorf("%s в образе %s не обычный файл (тип %c)", want, img.Ref, h.Typeflag)
		}
		var err error
		data, err = io.ReadAll(r)
		if err != nil {
			return err
		}
		return errStop
	})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("%s: %w %s", want, ErrNotExist, img.Ref)
	}
	return data, nil
}

var errStop = errors.New("stop walking")

// walk streams the image's file system as a tar archive from a created (never started)
// container and calls fn for each entry. The container is removed afterwards.
func (img *Image) walk(ctx context.Context, fn func(*tar.Header, io.Reader) error) error {
	cli, err := dockerClient(ctx)
	if err != nil {
		return err
	}
	prepareContainers(ctx, cli)
	// A command is required to create a container even though it never runs; an image
	// such as scratch may have none.
	created, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config: &container.Config{
			Image: img.Ref, Cmd: []string{"/workshop-never-runs"}, Entrypoint: []string{},
			Labels: runLabels(),
		},
	})
	if err != nil {
		return fmt.Errorf("create container from %s: %w", img.Ref, err)
	}
	defer func() {
		_, _ = cli.ContainerRemove(context.WithoutCancel(ctx), created.ID, client.ContainerRemoveOptions{Force: true})
	}()
	rc, err := cli.ContainerExport(ctx, created.ID, client.ContainerExportOptions{})
	if err != nil {
		return fmt.Errorf("export %s: %w", img.Ref, err)
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read files of %s: %w", img.Ref, err)
		}
		if err := fn(h, tr); err != nil {
			if errors.Is(err, errStop) {
				return nil
			}
			return err
		}
	}
}

// Remove deletes the image's tag, and the image when nothing else uses it. Images that
// others still use stay; that is not an error.
func (img *Image) Remove(ctx context.Context) {
	cli, err := dockerClient(ctx)
	if err != nil {
		return
	}
	_, _ = cli.ImageRemove(context.WithoutCancel(ctx), img.Ref, client.ImageRemoveOptions{PruneChildren: true})
}
