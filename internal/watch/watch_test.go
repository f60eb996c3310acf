package watch

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var fast = Options{Debounce: 50 * time.Millisecond, Poll: 50 * time.Millisecond}

func write(t testing.TB, path, content string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

// expectChange waits for one report; expectQuiet makes sure none comes.
func expectChange(t testing.TB, ch <-chan struct{}) {
	t.Helper()
	select {
	case _, ok := <-ch:
		require.True(t, ok, "the channel closed instead of reporting a change")
	case <-time.After(5 * time.Second):
		t.Fatal("no change reported within 5 s")
	}
}

func expectQuiet(t testing.TB, ch <-chan struct{}, d time.Duration) {
	t.Helper()
	select {
	case <-ch:
		t.Fatal("a change was reported, want none")
	case <-time.After(d):
	}
}

func TestWatchReportsABurstOnce(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "Dockerfile")
	write(t, file, "FROM scratch\n")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	ch, _ := Watch(ctx, []string{dir}, fast)
	expectQuiet(t, ch, 200*time.Millisecond)

	for i := range 5 {
		write(t, file, "FROM scratch\n"+string(rune('a'+i))+"\n")
	}
	expectChange(t, ch)
	expectQuiet(t, ch, 300*time.Millisecond)

	write(t, filepath.Join(dir, "server.go"), "package main\n")
	expectChange(t, ch)

	cancel()
	select {
	case _, ok := <-ch:
		assert.False(t, ok, "the channel closes when the context ends")
	case <-time.After(5 * time.Second):
		t.Fatal("the channel did not close after cancel")
	}
}

func TestWatchIgnoresEditorFiles(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, _ := Watch(ctx, []string{dir}, fast)

	write(t, filepath.Join(dir, ".Dockerfile.swp"), "x")
	write(t, filepath.Join(dir, "Dockerfile~"), "x")
	write(t, filepath.Join(dir, "4913"), "x")
	expectQuiet(t, ch, 400*time.Millisecond)
}

func TestPollingAloneSeesChanges(t *testing.T) {
	// A directory that does not exist yet cannot be watched by fsnotify; polling still
	// notices when files appear in it.
	dir := filepath.Join(t.TempDir(), "later")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, _ := Watch(ctx, []string{dir}, fast)

	require.NoError(t, os.Mkdir(dir, 0o755))
	write(t, filepath.Join(dir, "Dockerfile"), "FROM scratch\n")
	expectChange(t, ch)
}

func TestSnapshot(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a"), "1")
	before := Snapshot([]string{dir})
	assert.True(t, Equal(before, Snapshot([]string{dir})))

	write(t, filepath.Join(dir, "a"), "22")
	assert.False(t, Equal(before, Snapshot([]string{dir})), "a size change is a change")

	write(t, filepath.Join(dir, ".a.swp"), "x")
	after := Snapshot([]string{dir})
	assert.Len(t, after, 1, "ignored files are not recorded")
}

func TestIgnored(t *testing.T) {
	for name, want := range map[string]bool{
		"Dockerfile": false, "server.go": false, ".server.go.swp": true,
		"Dockerfile~": true, "4913": true, "#server.go#": true, ".#Dockerfile": true,
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, want, Ignored(filepath.Join("x", name)))
		})
	}
}
