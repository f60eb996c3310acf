package watch

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func write(t testing.TB, path, content string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

// fakeFiles is the state a driven loop sees: the test changes it and sends the events an
// editor's writes would cause.
type fakeFiles struct {
	mu     sync.Mutex
	state  State
	events chan fsnotify.Event
}

func newFakeFiles() *fakeFiles {
	return &fakeFiles{state: State{}, events: make(chan fsnotify.Event)}
}

func (f *fakeFiles) snapshot() State {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := make(State, len(f.state))
	for k, v := range f.state {
		s[k] = v
	}
	return s
}

// write changes the file's size and sends a notification for it, as a save does.
func (f *fakeFiles) write(name string, size int64) {
	f.mu.Lock()
	f.state[name] = fileState{size: size, modTime: time.Now()}
	f.mu.Unlock()
	f.events <- fsnotify.Event{Name: name, Op: fsnotify.Write}
}

// touch sends a notification without a change.
func (f *fakeFiles) touch(name string) { f.events <- fsnotify.Event{Name: name, Op: fsnotify.Write} }

// drive starts the debounce loop on fake files; it runs inside the caller's synctest bubble.
func drive(ctx context.Context, f *fakeFiles, opt Options) <-chan struct{} {
	out := make(chan struct{}, 1)
	go loop(ctx, opt, f.events, nil, f.snapshot, f.snapshot(), out)
	return out
}

// reports counts the reports waiting once every goroutine of the bubble is idle.
func reports(ch <-chan struct{}) int {
	synctest.Wait()
	n := 0
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return n
			}
			n++
		default:
			return n
		}
	}
}

// No poll in these tests unless they ask for one: notifications alone drive the debounce.
var driven = Options{Debounce: 50 * time.Millisecond, Poll: time.Hour}

func TestDebounce(t *testing.T) {
	t.Run("a burst is reported once, after the quiet time", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			f := newFakeFiles()
			ch := drive(t.Context(), f, driven)
			for i := range 5 {
				f.write("/ex/Dockerfile", int64(10+i))
				time.Sleep(40 * time.Millisecond) // each write within the debounce of the last
			}
			assert.Equal(t, 0, reports(ch), "the burst is still going on")
			time.Sleep(10 * time.Millisecond) // 50 ms after the last write
			assert.Equal(t, 1, reports(ch))
			time.Sleep(time.Second)
			assert.Equal(t, 0, reports(ch), "nothing more after the burst")
		})
	})

	t.Run("writes further apart than the quiet time are two changes", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			f := newFakeFiles()
			ch := drive(t.Context(), f, driven)
			f.write("/ex/Dockerfile", 1)
			time.Sleep(60 * time.Millisecond)
			assert.Equal(t, 1, reports(ch))
			f.write("/ex/server.go", 2)
			time.Sleep(60 * time.Millisecond)
			assert.Equal(t, 1, reports(ch))
		})
	})

	t.Run("a change while the receiver is busy waits for it, once", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			f := newFakeFiles()
			ch := drive(t.Context(), f, driven)
			f.write("/ex/Dockerfile", 1)
			time.Sleep(60 * time.Millisecond)
			f.write("/ex/Dockerfile", 2)
			time.Sleep(60 * time.Millisecond)
			assert.Equal(t, 1, reports(ch), "two changes while nobody received: one report waits")
		})
	})

	t.Run("touched but not changed is no change", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			f := newFakeFiles()
			ch := drive(t.Context(), f, driven)
			f.touch("/ex/Dockerfile")
			time.Sleep(time.Second)
			assert.Equal(t, 0, reports(ch))
		})
	})

	t.Run("editor files do not start the quiet time", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			f := newFakeFiles()
			ch := drive(t.Context(), f, driven)
			for _, name := range []string{"/ex/.Dockerfile.swp", "/ex/Dockerfile~", "/ex/4913", "/ex/#server.go#"} {
				f.events <- fsnotify.Event{Name: name, Op: fsnotify.Create}
			}
			f.events <- fsnotify.Event{Name: "/ex/Dockerfile", Op: fsnotify.Chmod}
			// The file did change; only a poll or a real notification may report it.
			f.mu.Lock()
			f.state["/ex/Dockerfile"] = fileState{size: 5}
			f.mu.Unlock()
			time.Sleep(time.Second)
			assert.Equal(t, 0, reports(ch))
		})
	})

	t.Run("polling finds changes that no notification announced", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			f := newFakeFiles()
			ch := drive(t.Context(), f, Options{Debounce: 50 * time.Millisecond, Poll: time.Second})
			f.mu.Lock()
			f.state["/ex/Dockerfile"] = fileState{size: 5}
			f.mu.Unlock()
			time.Sleep(time.Second + 40*time.Millisecond)
			assert.Equal(t, 0, reports(ch), "seen by the poll, the quiet time runs")
			time.Sleep(20 * time.Millisecond)
			assert.Equal(t, 1, reports(ch))
			time.Sleep(10 * time.Second)
			assert.Equal(t, 0, reports(ch), "later polls find nothing new")
		})
	})

	t.Run("the channel closes when the context ends", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			ch := drive(ctx, newFakeFiles(), driven)
			cancel()
			synctest.Wait()
			_, ok := <-ch
			assert.False(t, ok)
		})
	})
}

// expectChange waits, generously, for a report that must come. The tests on the real file
// system never assert that nothing was reported: under load a notification may come late.
func expectChange(t testing.TB, ch <-chan struct{}) {
	t.Helper()
	select {
	case _, ok := <-ch:
		require.True(t, ok, "the channel closed instead of reporting a change")
	case <-time.After(30 * time.Second):
		t.Fatal("no change reported within 30 s")
	}
}

var fast = Options{Debounce: 50 * time.Millisecond, Poll: 50 * time.Millisecond}

// TestWatchSeesASave is the smoke test of the real thing: fsnotify (or polling) on a real
// directory, a real write, and the report that follows.
func TestWatchSeesASave(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "Dockerfile")
	write(t, file, "FROM scratch\n")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	ch, notify := Watch(ctx, []string{dir}, fast)
	assert.True(t, notify, "fsnotify works on a temporary directory")
	write(t, file, "FROM scratch\nCMD [\"/app\"]\n")
	expectChange(t, ch)

	cancel()
	select {
	case _, ok := <-ch:
		for ok { // a late report of the same write may still be waiting
			_, ok = <-ch
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the channel did not close after cancel")
	}
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
