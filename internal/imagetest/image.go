package imagetest

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/go-docker-workshop/workshop/internal/imagesize"
	"github.com/go-docker-workshop/workshop/internal/ru"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// Info is what an image's metadata says about it.
type Info struct {
	// Size is the course's one measure of an image, the same on every engine and image
	// store: the uncompressed size of all its layers in bytes, counted as the classic store's
	// SIZE counts it (imagesize). Checks judge this number.
	Size int64
	// Reported is what the engine itself says, as the student's `docker images` prints it:
	// SIZE on the classic store, DISK USAGE and CONTENT SIZE on the containerd store.
	Reported     imagesize.Report
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
	res, err := imagesize.Inspect(ctx, cli, img.Ref)
	if err != nil {
		return Info{}, fmt.Errorf("inspect %s: %w", img.Ref, err)
	}
	measured, err := imagesize.Measure(ctx, cli, img.Ref)
	if err != nil {
		return Info{}, err
	}
	info := Info{Size: measured.Bytes, Reported: measured.Reported, Layers: len(res.RootFS.Layers),
		Architecture: res.Architecture, OS: res.Os}
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
// without a shell such as scratch. The listing is sorted by path. The image is exported once
// per image ID in a process: later calls, for this *Image or another with the same ID, return
// a copy of the first listing.
func (img *Image) Files(ctx context.Context) ([]File, error) {
	cli, err := dockerClient(ctx)
	if err != nil {
		return nil, err
	}
	id, err := img.cacheKey(ctx, cli)
	if err != nil {
		return nil, err
	}
	v, _ := fileLists.LoadOrStore(id, &fileList{})
	list := v.(*fileList)
	list.mu.Lock()
	defer list.mu.Unlock()
	if !list.done {
		files, err := img.listFiles(ctx, cli, id)
		if err != nil {
			return nil, err // not cached: the next call tries again
		}
		list.files, list.done = files, true
	}
	return slices.Clone(list.files), nil
}

// fileLists holds the listing of each image ID that Files has read: image ID → *fileList.
var fileLists sync.Map

type fileList struct {
	mu    sync.Mutex // held while the image is exported, so that concurrent callers wait for it
	done  bool
	files []File
}

// exports counts the exports of each image ID, for the tests: image ID → count.
var (
	exportsMu sync.Mutex
	exports   = map[string]int{}
)

// cacheKey is the key of the image's cached listing: its ID, asked of the daemon when the
// build did not report it (the legacy builder).
func (img *Image) cacheKey(ctx context.Context, cli client.APIClient) (string, error) {
	if img.ID != "" {
		return img.ID, nil
	}
	res, err := cli.ImageInspect(ctx, img.Ref)
	if err != nil {
		return "", fmt.Errorf("образа %s нет на этой машине: %w", img.Ref, err)
	}
	return res.ID, nil
}

// listFiles exports the image's file system from a created (never started) container.
func (img *Image) listFiles(ctx context.Context, cli client.APIClient, id string) ([]File, error) {
	exportsMu.Lock()
	exports[id]++
	exportsMu.Unlock()
	var files []File
	err := img.withContainer(ctx, cli, func(containerID string) error {
		rc, err := cli.ContainerExport(ctx, containerID, client.ContainerExportOptions{})
		if err != nil {
			return fmt.Errorf("не удалось выгрузить файлы образа %s: %w", img.Ref, err)
		}
		defer rc.Close()
		tr := tar.NewReader(rc)
		for {
			h, err := tr.Next()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("не удалось прочитать файлы образа %s: %w", img.Ref, err)
			}
			files = append(files, File{
				Path: path.Clean("/" + h.Name), Mode: h.Mode, Size: h.Size, UID: h.Uid, GID: h.Gid,
				Linkname: h.Linkname, Dir: h.Typeflag == tar.TypeDir, Symlink: h.Typeflag == tar.TypeSymlink,
			})
		}
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, nil
}

// ErrNotExist is wrapped when ReadFile finds no such file in the image.
var ErrNotExist = errors.New("нет такого файла в образе")

// ReadFile returns the contents of a regular file of the image. Symlinks are not followed.
// Only that file is copied out of the image (GET /containers/{id}/archive?path=…, as
// `docker cp` does), not the whole file system.
func (img *Image) ReadFile(ctx context.Context, name string) ([]byte, error) {
	want := path.Clean("/" + name)
	cli, err := dockerClient(ctx)
	if err != nil {
		return nil, err
	}
	var data []byte
	err = img.withContainer(ctx, cli, func(containerID string) error {
		res, err := cli.CopyFromContainer(ctx, containerID, client.CopyFromContainerOptions{SourcePath: want})
		if cerrdefs.IsNotFound(err) {
			return fmt.Errorf("%s: %w %s", want, ErrNotExist, img.Ref)
		}
		if err != nil {
			return fmt.Errorf("не удалось прочитать %s из образа %s: %w", want, img.Ref, err)
		}
		defer res.Content.Close()
		switch mode := res.Stat.Mode; {
		case mode.IsDir():
			return fmt.Errorf("%s в образе %s — каталог, а не обычный файл", want, img.Ref)
		case mode&fs.ModeSymlink != 0:
			return fmt.Errorf("%s в образе %s — символическая ссылка на %s, а не обычный файл",
				want, img.Ref, res.Stat.LinkTarget)
		case !mode.IsRegular():
			return fmt.Errorf("%s в образе %s — не обычный файл (%s)", want, img.Ref, mode.Type())
		}
		// The archive holds the one file, named by its base name.
		tr := tar.NewReader(res.Content)
		h, err := tr.Next()
		if err != nil {
			return fmt.Errorf("не удалось прочитать %s из образа %s: %w", want, img.Ref, err)
		}
		if h.Typeflag != tar.TypeReg {
			return fmt.Errorf("%s в образе %s — не обычный файл (тип записи tar %q)", want, img.Ref, h.Typeflag)
		}
		data, err = io.ReadAll(tr)
		if err != nil {
			return fmt.Errorf("не удалось прочитать %s из образа %s: %w", want, img.Ref, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return data, nil
}

// withContainer creates a container from the image, never started, calls fn with its ID and
// removes it, whatever fn returns and even when ctx is cancelled. The container carries the
// run's labels, so an interrupted run removes it too.
func (img *Image) withContainer(ctx context.Context, cli client.APIClient, fn func(containerID string) error) error {
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
		holdIfInterrupted()
		return fmt.Errorf("не удалось создать контейнер из образа %s: %w", img.Ref, err)
	}
	defer func() {
		_, _ = cli.ContainerRemove(context.WithoutCancel(ctx), created.ID, client.ContainerRemoveOptions{Force: true})
	}()
	err = fn(created.ID)
	if err != nil {
		holdIfInterrupted()
	}
	return err
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

// SizeText is the image's size as a check shows it to a student: the course's measure, and
// what the student's own `docker images` prints for it on this engine, which on the
// containerd image store is another number.
func (i Info) SizeText() string {
	s := ru.Size(float64(i.Size)) + " без сжатия"
	if r := i.Reported; r.Store == imagesize.StoreContainerd {
		return fmt.Sprintf("%s (в docker images на этом движке — хранилище containerd: DISK USAGE %s, CONTENT SIZE %s)",
			s, ru.Size(float64(r.DiskUsage)), ru.Size(float64(r.ContentSize)))
	}
	return s
}
