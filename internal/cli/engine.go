package cli

import (
	"context"

	"github.com/moby/moby/client"
)

// Engine is what doctor asks the Docker engine. The CLI talks to the engine one way, as the
// checks and `workshop size` do: its API through the moby client (DOCKER_HOST and the other
// DOCKER_* variables as the docker CLI reads them), never by running the docker command.
// Tests give App.Engine a fake.
type Engine interface {
	// Version is the engine's version and its API version.
	Version(ctx context.Context) (EngineVersion, error)
	// Labels are the labels of a local image; an error when there is no such image.
	Labels(ctx context.Context, ref string) (map[string]string, error)
	// RootDir is the engine's data directory (docker info's DockerRootDir).
	RootDir(ctx context.Context) (string, error)
	Close() error
}

// EngineVersion is what the engine says about itself.
type EngineVersion struct{ Server, API string }

// dockerEngine is the Engine of the real daemon.
type dockerEngine struct{ cli *client.Client }

func openEngine(context.Context) (Engine, error) {
	cli, err := client.New(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return nil, err
	}
	return dockerEngine{cli}, nil
}

func (e dockerEngine) Version(ctx context.Context) (EngineVersion, error) {
	v, err := e.cli.ServerVersion(ctx, client.ServerVersionOptions{})
	if err != nil {
		return EngineVersion{}, err
	}
	return EngineVersion{Server: v.Version, API: v.APIVersion}, nil
}

func (e dockerEngine) Labels(ctx context.Context, ref string) (map[string]string, error) {
	res, err := e.cli.ImageInspect(ctx, ref)
	if err != nil {
		return nil, err
	}
	if res.Config == nil {
		return nil, nil
	}
	return res.Config.Labels, nil
}

func (e dockerEngine) RootDir(ctx context.Context) (string, error) {
	res, err := e.cli.Info(ctx, client.InfoOptions{})
	if err != nil {
		return "", err
	}
	return res.Info.DockerRootDir, nil
}

func (e dockerEngine) Close() error { return e.cli.Close() }
