package imagetest

import (
	"context"
	"path"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// debianImage is testdata/debian.Dockerfile, the image imagetest_test.go builds too (a
// build is reused within the process). Without Docker the build fails the test and says how
// to start it.
func debianImage(t *testing.T) *Image {
	t.Helper()
	return MustBuild(t, BuildSpec{Context: "testdata", Dockerfile: "debian.Dockerfile", Lesson: "harness"})
}

func exportsOf(id string) int {
	exportsMu.Lock()
	defer exportsMu.Unlock()
	return exports[id]
}

// forgetFiles drops the cached listing of an image ID and its export count, so that a test
// does not depend on which tests ran before it.
func forgetFiles(id string) {
	fileLists.Delete(id)
	exportsMu.Lock()
	delete(exports, id)
	exportsMu.Unlock()
}

// noContainersLeft fails the test when a container of this run, created or running, is still
// on the daemon: what `docker ps -a --filter label=workshop.run=<pid>@<host>` shows, asked of
// the daemon the harness talks to.
func noContainersLeft(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cli, err := dockerClient(ctx)
	require.NoError(t, err)
	list, err := cli.ContainerList(ctx, client.ContainerListOptions{
		All: true,
		Filters: make(client.Filters).Add("label", LabelRun+"="+self.label()).
			Add("label", LabelRunStart+"="+self.start),
	})
	require.NoError(t, err)
	var left []string
	for _, c := range list.Items {
		left = append(left, c.ID[:12]+" ("+c.Image+", "+string(c.State)+")")
	}
	assert.Empty(t, left, "every container the harness created is removed")
}

func TestReadFileCopiesOnePath(t *testing.T) {
	img := debianImage(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	before := exportsOf(img.ID)

	t.Run("a regular file", func(t *testing.T) {
		for _, name := range []string{"/data/greeting.txt", "data/greeting.txt", "/data/../data/greeting.txt"} {
			data, err := img.ReadFile(ctx, name)
			require.NoError(t, err, name)
			assert.Equal(t, "hello from the image\n", string(data), name)
		}
	})

	t.Run("a missing file names the file and the image", func(t *testing.T) {
		for _, name := range []string{"/data/missing.txt", "/no/such/dir/file"} {
			_, err := img.ReadFile(ctx, name)
			require.ErrorIs(t, err, ErrNotExist, name)
			assert.Equal(t, name+": нет такого файла в образе "+img.Ref, err.Error())
		}
	})

	t.Run("a directory is not a file", func(t *testing.T) {
		_, err := img.ReadFile(ctx, "/data")
		require.Error(t, err)
		assert.NotErrorIs(t, err, ErrNotExist)
		assert.Equal(t, "/data в образе "+img.Ref+" — каталог, а не обычный файл", err.Error())
	})

	t.Run("a symlink is not followed", func(t *testing.T) {
		var link *File
		for _, f := range img.MustFiles(t) {
			if f.Symlink {
				link = &f
				break
			}
		}
		require.NotNil(t, link, "debian:bullseye-slim has symlinks, e.g. in /etc/alternatives")
		before := exportsOf(img.ID)
		_, err := img.ReadFile(ctx, link.Path)
		require.Error(t, err)
		// Docker names the target resolved against the link's directory: usr/bin in /bin is /usr/bin.
		target := link.Linkname
		if !path.IsAbs(target) {
			target = path.Join(path.Dir(link.Path), target)
		}
		assert.Equal(t, link.Path+" в образе "+img.Ref+" — символическая ссылка на "+target+", а не обычный файл", err.Error())
		assert.Equal(t, before, exportsOf(img.ID))
	})

	// MustFiles above may have exported the image once; ReadFile never does.
	assert.LessOrEqual(t, exportsOf(img.ID)-before, 1, "ReadFile copies one path, it does not export the image")
	noContainersLeft(t)
}

func TestFilesExportsOncePerImageID(t *testing.T) {
	img := debianImage(t)
	require.NotEmpty(t, img.ID)
	forgetFiles(img.ID)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	// The same image three ways: the built *Image, another *Image of the same ID, and one
	// without an ID, as the legacy builder returns it. Parallel subtests call Files at once.
	same, err := Existing(ctx, img.Ref)
	require.NoError(t, err)
	require.Equal(t, img.ID, same.ID)
	images := []*Image{img, img, same, same, {Ref: img.Ref}}
	listings := make([][]File, len(images))
	var wg sync.WaitGroup
	for i, im := range images {
		wg.Go(func() {
			files, err := im.Files(ctx)
			assert.NoError(t, err)
			listings[i] = files
		})
	}
	wg.Wait()
	assert.Equal(t, 1, exportsOf(img.ID), "the image is exported once for all the calls")
	require.NotEmpty(t, listings[0])
	for _, l := range listings[1:] {
		assert.Equal(t, listings[0], l)
	}
	var greeting *File
	for _, f := range listings[0] {
		if f.Path == "/data/greeting.txt" {
			greeting = &f
		}
	}
	require.NotNil(t, greeting, "/data/greeting.txt is listed")
	assert.Equal(t, int64(0o640), greeting.Mode&0o777)
	assert.Equal(t, int64(len("hello from the image\n")), greeting.Size)

	// A caller that changes its listing does not change the cache.
	listings[0][0].Path = "/changed"
	again, err := img.Files(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, "/changed", again[0].Path)
	assert.Equal(t, 1, exportsOf(img.ID))
	noContainersLeft(t)
}

// A failed export is not cached: the next call for the same image ID exports again.
func TestFilesRetriesAfterAFailure(t *testing.T) {
	img := debianImage(t)
	forgetFiles(img.ID)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	// The daemon refuses to create a container from a tag it does not have.
	broken := &Image{Ref: "workshop/harness:no-such-tag", ID: img.ID}
	_, err := broken.Files(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "не удалось создать контейнер из образа workshop/harness:no-such-tag")

	files, err := img.Files(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, files)
	assert.Equal(t, 2, exportsOf(img.ID), "the failed attempt and the one after it")
	noContainersLeft(t)
}
