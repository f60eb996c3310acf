package classroom

import (
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/go-docker-workshop/workshop/lessons"
)

// classroomWorkflow is what .github/workflows/classroom.yml must hold.
type classroomWorkflow struct {
	Jobs map[string]struct {
		Steps []struct {
			Name string            `yaml:"name"`
			ID   string            `yaml:"id"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			If   string            `yaml:"if"`
			With map[string]any    `yaml:"with"`
			Env  map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// gitlabJob is the part of a .gitlab-ci.yml job the course uses.
type gitlabJob struct {
	Image    string `yaml:"image"`
	Services []struct {
		Name  string `yaml:"name"`
		Alias string `yaml:"alias"`
	} `yaml:"services"`
	Script    []string `yaml:"script"`
	Artifacts struct {
		When    string `yaml:"when"`
		Reports struct {
			JUnit string `yaml:"junit"`
		} `yaml:"reports"`
	} `yaml:"artifacts"`
}

// ciCommand is a command a CI file runs, with where it comes from.
type ciCommand struct{ from, run string }

const (
	graderAction   = "classroom-resources/autograding-command-grader@v1"
	reporterAction = "classroom-resources/autograding-grading-reporter@v1"
)

// readCI reads both CI files with a YAML parser, checks their shape and returns the commands
// they run, each once.
func readCI(t *testing.T, root string, all []lessons.Lesson) (cmds []ciCommand, junitPath string) {
	t.Helper()
	var gh classroomWorkflow
	readYAML(t, filepath.Join(root, ".github", "workflows", "classroom.yml"), &gh)
	if len(gh.Jobs) != 1 {
		t.Fatalf("classroom.yml: want one job, got %d", len(gh.Jobs))
	}
	add := func(from, run string) {
		for _, c := range cmds {
			if c.run == run {
				return
			}
		}
		cmds = append(cmds, ciCommand{from, run})
	}
	for _, job := range gh.Jobs {
		graders := map[string]string{} // step id → command
		var reporter *map[string]string
		var runners string
		summary := false
		for _, s := range job.Steps {
			switch {
			case s.Uses == graderAction:
				for _, key := range []string{"test-name", "command", "timeout", "max-score"} {
					if s.With[key] == nil {
						t.Errorf("classroom.yml, step %q: no %s", s.ID, key)
					}
				}
				cmd, _ := s.With["command"].(string)
				graders[s.ID] = cmd
				add("classroom.yml "+s.ID, cmd)
			case s.Uses == reporterAction:
				reporter = &s.Env
				runners, _ = s.With["runners"].(string)
			case s.Run != "":
				if strings.Contains(s.Run, "$GITHUB_STEP_SUMMARY") {
					summary = true
				}
				add("classroom.yml: "+s.Name, strings.TrimSpace(s.Run))
			}
		}
		for _, l := range all {
			want := fmt.Sprintf("make check-%d", l.Number)
			n := 0
			for _, cmd := range graders {
				if cmd == want {
					n++
				}
			}
			if n != 1 {
				t.Errorf("classroom.yml: want one grader step with %q, got %d", want, n)
			}
		}
		if reporter == nil {
			t.Fatal("classroom.yml: no grading reporter step")
		}
		ids := strings.Split(runners, ",")
		for id := range graders {
			if !slices.Contains(ids, id) {
				t.Errorf("classroom.yml: the reporter's runners lack %s", id)
			}
			key := strings.ToUpper(id) + "_RESULTS"
			if want := "${{ steps." + id + ".outputs.result }}"; (*reporter)[key] != want {
				t.Errorf("classroom.yml: reporter env %s = %q, want %q", key, (*reporter)[key], want)
			}
		}
		if len(ids) != len(graders) {
			t.Errorf("classroom.yml: %d runners for %d grader steps", len(ids), len(graders))
		}
		if !summary {
			t.Error("classroom.yml: no step writes the job summary ($GITHUB_STEP_SUMMARY)")
		}
	}

	var gl map[string]yaml.Node
	readYAML(t, filepath.Join(root, ".gitlab-ci.yml"), &gl)
	jobs := 0
	for name, node := range gl {
		if node.Kind != yaml.MappingNode || strings.HasPrefix(name, ".") {
			continue
		}
		var job gitlabJob
		if err := node.Decode(&job); err != nil || job.Script == nil {
			continue // stages, variables, defaults
		}
		jobs++
		dind := false
		for _, s := range job.Services {
			dind = dind || strings.Contains(s.Name, "dind")
		}
		if !dind {
			t.Errorf(".gitlab-ci.yml, job %s: no docker:dind service", name)
		}
		if job.Artifacts.Reports.JUnit == "" || job.Artifacts.When != "always" {
			t.Errorf(".gitlab-ci.yml, job %s: want artifacts: when: always, reports: junit:", name)
		}
		junitPath = job.Artifacts.Reports.JUnit
		for _, line := range job.Script {
			add(".gitlab-ci.yml "+name, line)
		}
	}
	if jobs == 0 {
		t.Fatal(".gitlab-ci.yml: no job with a script")
	}
	return cmds, junitPath
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

var makeTarget = regexp.MustCompile(`^make ([a-z0-9-]+)`)

// TestCIFilesReadAndDocumented checks both CI files' shape and that every make target they
// call is one the README documents. It is quick; the test below runs the commands.
func TestCIFilesReadAndDocumented(t *testing.T) {
	root := courseRoot(t)
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	cmds, _ := readCI(t, root, all)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cmds {
		m := makeTarget.FindStringSubmatch(c.run)
		if m == nil {
			t.Errorf("%s runs %q: CI calls only make targets", c.from, c.run)
			continue
		}
		documented := strings.Contains(string(readme), "make "+m[1])
		if n, ok := strings.CutPrefix(m[1], "check-"); ok && n != "all" {
			documented = strings.Contains(string(readme), "make check-N") || strings.Contains(string(readme), "make check-1")
		}
		if !documented {
			t.Errorf("%s calls make %s, which README.md does not name", c.from, m[1])
		}
	}
}

// TestCIFilesInAFreshClone runs every command of both CI files in a fresh clone of the course
// on this machine: with the exercises as committed, every lesson fails or is not started and
// says so; with each lesson's reference copied into its exercise, every lesson passes.
func TestCIFilesInAFreshClone(t *testing.T) {
	if testing.Short() {
		t.Skip("slow (a fresh clone, every CI command on all lessons twice, some minutes with Docker): skipped under -short; make test runs it")
	}
	if d, ok := t.Deadline(); ok && time.Until(d) < 25*time.Minute {
		t.Fatal("needs about 25 minutes of go test's -timeout (make test gives 60m): go test -timeout 40m ./internal/classroom, or -short to leave it out")
	}
	for _, tool := range []string{"git", "make", "docker"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("no %s on this machine: make docker installs Docker; git and make come with the course's requirements (README, «Что нужно»)", tool)
		}
	}
	root := courseRoot(t)
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	cmds, junitPath := readCI(t, root, all)
	clone := filepath.Join(t.TempDir(), "course")
	if out, err := exec.Command("git", "clone", "--quiet", root, clone).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}

	run := func(t *testing.T, c ciCommand, summary string) (string, bool) {
		t.Helper()
		cmd := exec.Command("bash", "-c", c.run)
		cmd.Dir = clone
		cmd.Env = append(cleanEnv(), "GITHUB_STEP_SUMMARY="+summary, "CI=true")
		start := time.Now()
		out, err := cmd.CombinedOutput()
		t.Logf("%s: %s — %s, error: %v", c.from, c.run, time.Since(start).Round(100*time.Millisecond), err)
		return string(out), err == nil
	}

	scenario := func(t *testing.T, references bool) {
		summary := filepath.Join(t.TempDir(), "summary.md")
		for _, c := range cmds {
			out, ok := run(t, c, summary)
			if c.run == "make images" {
				if !ok {
					t.Fatalf("%s: make images failed:\n%s", c.from, out)
				}
				continue
			}
			if ok != references {
				t.Errorf("%s: %q ended with success %v, want %v:\n%s", c.from, c.run, ok, references, out)
			}
			if references && strings.Contains(c.run, "REUSE=1") && !strings.Contains(out, fmt.Sprintf("Результат последней проверки: %d уроков.", len(all))) {
				t.Errorf("%s: %q checked again what the steps before it had just checked:\n%s", c.from, c.run, out)
			}
			if strings.Contains(c.run, "check-all") {
				for _, l := range all {
					want := fmt.Sprintf("· Урок %d «%s» — не начато", l.Number, l.Title)
					if references {
						want = fmt.Sprintf("✓ Урок %d «%s» — пройдено", l.Number, l.Title)
					}
					if !strings.Contains(out, want) {
						t.Errorf("%s: the output lacks %q:\n%s", c.run, want, out)
					}
				}
			} else if !references && !strings.Contains(out, "✗") {
				t.Errorf("%s: a starter's failure must be shown (✗):\n%s", c.run, out)
			}
		}
		data, err := os.ReadFile(summary)
		if err != nil {
			t.Fatalf("the job summary was not written: %v", err)
		}
		want := "не начато — 10"
		if references {
			want = "Пройдено 10 из 10"
		}
		if !strings.Contains(string(data), want) {
			t.Errorf("summary lacks %q:\n%s", want, data)
		}
		var rep junitSuites
		data, err = os.ReadFile(filepath.Join(clone, junitPath))
		if err != nil {
			t.Fatalf("no JUnit report %s: %v", junitPath, err)
		}
		if err := xml.Unmarshal(data, &rep); err != nil {
			t.Fatalf("JUnit report: %v", err)
		}
		if len(rep.Suites) != len(all) || (references && rep.Failures != 0) || (!references && rep.Failures != len(all)) {
			t.Errorf("JUnit: %d suites, %d failures", len(rep.Suites), rep.Failures)
		}
	}

	t.Run("starter", func(t *testing.T) { scenario(t, false) })
	for _, l := range all {
		for _, f := range l.Exercise.Files {
			src := filepath.Join(clone, l.Dir(), strings.TrimPrefix(f, "exercise/"))
			data, err := os.ReadFile(src)
			if err != nil {
				t.Fatalf("reference of %s: %v", f, err)
			}
			if err := os.WriteFile(filepath.Join(clone, l.Dir(), f), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Run("references", func(t *testing.T) { scenario(t, true) })
}

// cleanEnv is this process's environment without an outer make's: the commands start their
// own make.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k == "MAKEFLAGS" || k == "MAKELEVEL" || k == "MFLAGS" || k == "GITHUB_STEP_SUMMARY" {
			continue
		}
		env = append(env, kv)
	}
	return env
}
