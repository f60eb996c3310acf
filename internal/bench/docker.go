package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/moby/moby/client"

	"github.com/go-docker-workshop/workshop/internal/dockerfile"
	"github.com/go-docker-workshop/workshop/internal/imagetest"
)

// LabelStandIn marks the local stand-ins `make images` builds when no registry is reachable.
const LabelStandIn = "workshop.standin"

// daemon is the part of the Docker API the harness does not wrap: versions, base image
// labels and removing what the bench built.
type daemon struct {
	cli client.APIClient
}

func newDaemon(ctx context.Context) (*daemon, error) {
	cli, err := imagetest.Client(ctx)
	if err != nil {
		return nil, err
	}
	return &daemon{cli: cli}, nil
}

// Close does nothing: the client is the harness's, shared by the whole process.
func (d *daemon) Close() error { return nil }

// environment describes the machine: Go, Docker, CPUs, memory and the base images of the
// targets' Dockerfiles.
func (d *daemon) environment(ctx context.Context, root string, targets []Target) (Environment, error) {
	env := Environment{GoVersion: goVersion(ctx), Arch: runtime.GOARCH, CPUs: runtime.NumCPU()}
	v, err := d.cli.ServerVersion(ctx, client.ServerVersionOptions{})
	if err != nil {
		return env, fmt.Errorf("docker version: %w", err)
	}
	env.DockerServerVersion, env.DockerAPIVersion, env.Arch = v.Version, v.APIVersion, v.Arch
	env.DockerClientAPI = d.cli.ClientVersion()
	if info, err := d.cli.Info(ctx, client.InfoOptions{}); err == nil {
		env.OS, env.Kernel = info.Info.OperatingSystem, info.Info.KernelVersion
		env.CPUs, env.MemoryBytes = info.Info.NCPU, info.Info.MemTotal
	}
	for _, ref := range baseImages(root, targets) {
		res, err := d.cli.ImageInspect(ctx, ref)
		if err != nil {
			return env, fmt.Errorf("базового образа %s нет: %w\nПодсказка: выполните `make images`", ref, err)
		}
		b := BaseImage{Ref: ref, ID: res.ID, SizeBytes: res.Size}
		if c := res.Config; c != nil {
			b.StandIn = c.Labels[LabelStandIn] == "true"
			b.Note = c.Labels["org.opencontainers.image.description"]
			if strings.HasPrefix(ref, "golang:") {
				for _, kv := range c.Env {
					if v, ok := strings.CutPrefix(kv, "GOLANG_VERSION="); ok {
						env.GoImageVersion = "go" + strings.TrimPrefix(v, "go")
					}
				}
			}
		}
		env.BaseImages = append(env.BaseImages, b)
	}
	return env, nil
}

// baseImages lists the images the targets' Dockerfiles start from (scratch excluded).
func baseImages(root string, targets []Target) []string {
	var refs []string
	for _, t := range targets {
		f, err := dockerfile.Parse(filepath.Join(root, t.Context, t.Dockerfile))
		if err != nil {
			continue // the build reports it with a hint
		}
		for _, s := range f.Stages {
			ref := f.BaseImage(s)
			if ref != "" && ref != "scratch" && !slices.Contains(refs, ref) {
				refs = append(refs, ref)
			}
		}
	}
	slices.Sort(refs)
	return refs
}

func goVersion(ctx context.Context) string {
	out, err := exec.CommandContext(ctx, "go", "env", "GOVERSION").Output()
	if err != nil {
		return runtime.Version()
	}
	return strings.TrimSpace(string(out))
}

// remove deletes images by reference or ID together with their untagged parents. Docker
// refuses images that are in use or have children (another build's cache): those stay.
// It returns how many of refs are still there.
func (d *daemon) remove(ctx context.Context, refs []string) (left int) {
	for _, ref := range refs {
		_, _ = d.cli.ImageRemove(ctx, ref, client.ImageRemoveOptions{PruneChildren: true})
	}
	for _, ref := range refs {
		if _, err := d.cli.ImageInspect(ctx, ref); err == nil {
			left++
		}
	}
	return left
}

func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
