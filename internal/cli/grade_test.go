package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-docker-workshop/workshop/lessons"
)

// endlessDockerfile is lesson 2's reference with a step that never ends after FROM: it
// passes the static checks and its build never finishes. The step's shell command carries
// marker, so that this test finds its own build's process among others'.
func endlessDockerfile(t *testing.T, root, marker string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "lessons", "02-single-stage", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	added := false
	for _, line := range strings.Split(string(data), "\n") {
		out = append(out, line)
		if !added && strings.HasPrefix(strings.ToUpper(line), "FROM ") {
			out, added = append(out, "RUN sleep infinity # "+marker), true
		}
	}
	return strings.Join(out, "\n")
}

// studentClone makes a student's clone of the course at root: lessons for which solved is
// true get their reference copied into exercise/, then extra files are written.
func studentClone(t *testing.T, root, name string, solved func(lessons.Lesson) bool, extra map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	if err := lessons.CopyCourse(root, dir); err != nil {
		t.Fatal(err)
	}
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range all {
		if !solved(l) {
			continue
		}
		for _, f := range l.Exercise.Files {
			data, err := os.ReadFile(filepath.Join(dir, l.Dir(), strings.TrimPrefix(f, "exercise/")))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, l.Dir(), f), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for f, text := range extra {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(f)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// sleepers counts the processes that run the endless build's RUN with marker.
func sleepers(marker string) int {
	out, _ := exec.Command("pgrep", "-f", "-c", "sleep infinity # "+marker).Output()
	n := 0
	for _, c := range strings.TrimSpace(string(out)) {
		n = n*10 + int(c-'0')
	}
	return n
}

// TestGradeClones grades generated clones with real checks: one with lessons 1–4
// solved, lesson 5 started but wrong and the rest untouched; one whose lesson 2 Dockerfile
// never finishes building. The endless build is stopped at the time-out and cancelled in
// BuildKit, the grade goes on to the next lessons, and the clones are left unchanged. A clone
// with every lesson solved is TestCIFilesInAFreshClone's (internal/classroom): every
// reference passes through the same check.
func TestGradeClones(t *testing.T) {
	if testing.Short() {
		t.Skip("slow (real checks of 6 lessons and a 30-second time-out, with Docker): skipped under -short; make test runs it")
	}
	root := lessons.FindRoot(".")
	if root == "" {
		t.Fatal("no course repository above this package")
	}
	// Lesson 5 started but wrong: the starter with one more line is no longer «не начато»,
	// and it fails as the starter does.
	starter5, err := os.ReadFile(filepath.Join(root, "lessons", "05-scratch", "exercise", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	half := studentClone(t, root, "half", func(l lessons.Lesson) bool { return l.Number <= 4 },
		map[string]string{"lessons/05-scratch/exercise/Dockerfile": string(starter5) + "# начал, но не закончил\n"})
	marker := fmt.Sprintf("grade-test-%d", time.Now().UnixNano())
	endlessText := endlessDockerfile(t, root, marker)
	endless := studentClone(t, root, "endless", func(lessons.Lesson) bool { return false },
		map[string]string{"lessons/02-single-stage/exercise/Dockerfile": endlessText})

	// Two runs of the tool: the solved lessons with a time-out no loaded machine reaches on a
	// cold build cache, and the endless build with a short one, which it always reaches. One
	// run with a short time-out for all would fail a correct lesson on a slow machine.
	grade := func(timeout string, clones ...string) (string, [][]string) {
		t.Helper()
		var out, errOut bytes.Buffer
		a := New(strings.NewReader(""), &out, &errOut)
		a.Root, a.ProgressPath = root, filepath.Join(t.TempDir(), "progress.json")
		csvPath := filepath.Join(t.TempDir(), "grades.csv")
		ctx, cancel := context.WithTimeout(context.Background(), 40*time.Minute)
		defer cancel()
		start := time.Now()
		code := a.Run(ctx, append([]string{"grade", "--timeout", timeout, "--csv", csvPath}, clones...))
		t.Logf("grade took %s:\n%s%s", time.Since(start).Round(time.Second), out.String(), errOut.String())
		if code != ExitOK {
			t.Fatalf("exit code %d", code)
		}
		f, err := os.Open(csvPath)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		records, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(records) != 1+len(clones)*10 {
			t.Fatalf("CSV: %d rows, want a header and %d", len(records), len(clones)*10)
		}
		return out.String(), records
	}
	outHalf, _ := grade("15m", half)

	// The endless build must reach its RUN, or its cancellation below proves nothing: watch
	// for the step's process while the grade runs.
	started := make(chan bool, 1)
	watchCtx, stopWatch := context.WithCancel(context.Background())
	go func() {
		seen := false
		for !seen && watchCtx.Err() == nil {
			seen = sleepers(marker) > 0
			time.Sleep(200 * time.Millisecond)
		}
		started <- seen
	}()
	outEndless, records := grade("30s", endless)
	stopWatch()
	if !<-started {
		t.Errorf("the endless build's RUN never started within the 30-second time-out: nothing to cancel was tested")
	}
	out := outHalf + outEndless

	rows := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) == 14 && (f[0] == "half" || f[0] == "endless") {
			rows[f[0]] = strings.Join(f[1:], " ")
		}
	}
	for name, want := range map[string]string{
		"half":    "✓ ✓ ✓ ✓ ✗ · · · · · 4 из 10",
		"endless": "· ∞ · · · · · · · · 0 из 10",
	} {
		if rows[name] != want {
			t.Errorf("row %s: %q, want %q", name, rows[name], want)
		}
	}
	if !strings.Contains(out, "half, урок 5: ") {
		t.Errorf("lesson 5's failure is not among the first problems:\n%s", out)
	}
	if !strings.Contains(out, "endless, урок 2: тайм-аут — ") {
		t.Errorf("the endless build's time-out is not among the first problems:\n%s", out)
	}
	if r := records[1+1]; r[0] != "endless" || r[2] != "2" || r[4] != "тайм-аут" || r[5] == "" {
		t.Errorf("CSV row of endless, lesson 2: %q", r)
	}

	// The endless build was cancelled, not left running in BuildKit.
	deadline := time.Now().Add(30 * time.Second)
	for sleepers(marker) > 0 && time.Now().Before(deadline) {
		time.Sleep(time.Second)
	}
	if n := sleepers(marker); n > 0 {
		t.Errorf("the endless build still runs 30 s after its time-out (%d processes with %q)", n, marker)
	}
	// The clones were only read.
	if data, _ := os.ReadFile(filepath.Join(endless, "lessons/02-single-stage/exercise/Dockerfile")); string(data) != endlessText {
		t.Errorf("the clone's Dockerfile changed: %q", data)
	}
	for _, dir := range []string{half, endless} {
		if _, err := os.Stat(filepath.Join(dir, ".workshop")); err == nil {
			t.Errorf("the grade wrote into the clone %s (.workshop/)", dir)
		}
	}
}
