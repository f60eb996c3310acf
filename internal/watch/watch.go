// Package watch tells when the files under a few directories change. It listens to fsnotify
// and also compares sizes and modification times every second, so that changes are seen on
// file systems where notifications do not arrive (network mounts, some Docker bind mounts,
// editors that replace files in odd ways). A burst of changes is reported once.
package watch

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Defaults for Options.
const (
	DefaultDebounce = 300 * time.Millisecond
	DefaultPoll     = time.Second
)

// Options tune a watch; zero values mean the defaults.
type Options struct {
	Debounce time.Duration // quiet time after the last change before it is reported
	Poll     time.Duration // how often sizes and modification times are compared
}

// Watch reports on the returned channel each time files under dirs change and then stay
// unchanged for the debounce time. A change that happens while the receiver is busy is kept
// and reported once it receives again. notify says whether fsnotify works; polling always
// runs. The channel closes when ctx ends.
func Watch(ctx context.Context, dirs []string, opt Options) (changes <-chan struct{}, notify bool) {
	if opt.Debounce <= 0 {
		opt.Debounce = DefaultDebounce
	}
	if opt.Poll <= 0 {
		opt.Poll = DefaultPoll
	}
	out := make(chan struct{}, 1)

	var events <-chan fsnotify.Event
	var errs <-chan error
	w, err := fsnotify.NewWatcher()
	if err == nil {
		for _, d := range subdirs(dirs) {
			if w.Add(d) != nil {
				w.Close()
				w = nil
				break
			}
		}
	}
	if w != nil {
		events, errs, notify = w.Events, w.Errors, true
	}

	snapshot := func() State { return Snapshot(dirs) }
	// The first snapshot is taken before Watch returns, so every later change counts.
	last := snapshot()
	go func() {
		if w != nil {
			defer w.Close()
		}
		loop(ctx, opt, events, errs, snapshot, last, out)
	}()
	return out, notify
}

// loop is the debounce logic of Watch, apart from fsnotify so that tests can drive it with
// their own events and snapshots on a fake clock. last is the state already known; changes
// are reported on out, which loop closes when ctx ends.
func loop(ctx context.Context, opt Options, events <-chan fsnotify.Event, errs <-chan error,
	snapshot func() State, last State, out chan<- struct{}) {
	defer close(out)
	// last is the state reported last; seen the state the previous poll found. A poll that
	// finds something new restarts the quiet period, as a notification does.
	seen := last
	poll := time.NewTicker(opt.Poll)
	defer poll.Stop()
	debounce := time.NewTimer(time.Hour)
	debounce.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if !Ignored(e.Name) && e.Op != fsnotify.Chmod {
				debounce.Reset(opt.Debounce)
			}
		case _, ok := <-errs:
			if !ok {
				errs = nil
			}
			// An overflow or a lost watch: polling still sees the changes.
		case <-poll.C:
			if now := snapshot(); !Equal(seen, now) {
				seen = now
				debounce.Reset(opt.Debounce)
			}
		case <-debounce.C:
			now := snapshot()
			seen = now
			if Equal(last, now) {
				continue // touched but not changed, or changed and changed back
			}
			last = now
			select {
			case out <- struct{}{}:
			default: // one report is already waiting
			}
		}
	}
}

// fileState is what polling compares.
type fileState struct {
	size    int64
	modTime time.Time
}

// State is a snapshot of the files under some directories.
type State map[string]fileState

// Snapshot records the size and modification time of every file under dirs, skipping the
// files that Ignored names.
func Snapshot(dirs []string) State {
	s := State{}
	for _, d := range dirs {
		_ = filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return nil // a vanished or unreadable entry is simply absent
			}
			if e.IsDir() {
				if p != d && Ignored(p) {
					return filepath.SkipDir
				}
				return nil
			}
			if Ignored(p) {
				return nil
			}
			if info, err := e.Info(); err == nil {
				s[p] = fileState{size: info.Size(), modTime: info.ModTime()}
			}
			return nil
		})
	}
	return s
}

// Equal reports whether two snapshots record the same files with the same sizes and times.
func Equal(a, b State) bool {
	if len(a) != len(b) {
		return false
	}
	for p, sa := range a {
		sb, ok := b[p]
		if !ok || sa.size != sb.size || !sa.modTime.Equal(sb.modTime) {
			return false
		}
	}
	return true
}

// Ignored names files that editors and tools create beside the real ones: hidden files
// (.server.go.swp, .#Dockerfile), backups (Dockerfile~), vim's probe file 4913 and #autosaves#.
func Ignored(path string) bool {
	base := filepath.Base(path)
	return strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") || base == "4913" ||
		(strings.HasPrefix(base, "#") && strings.HasSuffix(base, "#"))
}

func subdirs(dirs []string) []string {
	var out []string
	for _, d := range dirs {
		_ = filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err == nil && e.IsDir() {
				if p != d && Ignored(p) {
					return filepath.SkipDir
				}
				out = append(out, p)
			}
			return nil
		})
	}
	return out
}
