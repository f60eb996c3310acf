package testjson

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The recordings in testdata are real `go test -json` runs of a lesson-like package
// (./lessons/02-single-stage/ with and without -exercise, a lesson whose exercise does not
// compile, a lesson without Go files and a test binary without the -exercise flag).

func parseFile(t testing.TB, name string) *Report {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	require.NoError(t, err)
	defer f.Close()
	rep, err := Parse(f)
	require.NoError(t, err)
	return rep
}

type result struct{ Name, Status string }

func results(tests []*Test) []result {
	var out []result
	for _, t := range tests {
		out = append(out, result{t.Name, t.Status})
	}
	return out
}

func TestParse(t *testing.T) {
	t.Run("passing run", func(t *testing.T) {
		rep := parseFile(t, "pass.jsonl")
		assert.True(t, rep.Passed())
		assert.True(t, rep.Done())
		assert.False(t, rep.BuildFailed())
		assert.Empty(t, rep.Failed())
		want := []result{
			{"TestImage/образ_собирается", Pass},
			{"TestImage/CMD_в_exec-форме", Pass},
			{"TestImage/рабочий_каталог", Pass},
			{"TestServer/GET_/", Pass},
			{"TestServer/GET_/healthz", Pass},
			{"TestSize", Skip},
			{"TestStarterFails", Skip},
		}
		assert.Equal(t, want, results(rep.Results()))
		name, others := rep.Current()
		assert.Empty(t, name, "nothing runs after the package ended")
		assert.Zero(t, others)
	})

	t.Run("failing run with hints", func(t *testing.T) {
		rep := parseFile(t, "fail.jsonl")
		assert.False(t, rep.Passed())
		assert.Equal(t, Fail, rep.Status)
		got := results(rep.Failed())
		want := []result{
			{"TestImage/CMD_в_exec-форме", Fail},
			{"TestServer/GET_/healthz", Fail},
		}
		assert.Equal(t, want, got)

		wantMsg := []string{
			"CMD записан в shell-форме:",
			"    CMD ./server",
			"Сервер запущен через /bin/sh -c и не получит SIGTERM.",
			`Подсказка: запишите CMD в exec-форме: CMD ["./server"].`,
		}
		assert.Equal(t, wantMsg, Messages(rep.Failed()[0].Output))
	})

	t.Run("failing run without hints", func(t *testing.T) {
		rep := parseFile(t, "fail-nohint.jsonl")
		require.Len(t, rep.Failed(), 1)
		msg := Messages(rep.Failed()[0].Output)
		assert.Equal(t, []string{"WORKDIR не задан: файлы лежат в корне образа"}, msg)
	})

	t.Run("exercise does not compile", func(t *testing.T) {
		rep := parseFile(t, "buildfail.jsonl")
		assert.True(t, rep.BuildFailed())
		assert.False(t, rep.Passed())
		assert.Contains(t, rep.BuildOutput, "lessons/01-server/exercise/server.go:8:3: undefined: fmt")
		assert.Empty(t, rep.Tests)
	})

	t.Run("lesson without Go files", func(t *testing.T) {
		rep := parseFile(t, "setupfail.jsonl")
		assert.True(t, rep.BuildFailed())
		assert.Contains(t, strings.Join(rep.BuildOutput, "\n"), "no Go files")
	})

	t.Run("test binary without the exercise flag", func(t *testing.T) {
		rep := parseFile(t, "noflag.jsonl")
		assert.Equal(t, Fail, rep.Status)
		assert.Empty(t, rep.Tests)
		assert.Equal(t, "flag provided but not defined: -exercise", rep.Output[0])
	})
}

func TestAddLineKeepsNonJSON(t *testing.T) {
	rep := &Report{}
	rep.AddLine([]byte("panic: something escaped test2json"))
	rep.AddLine([]byte(""))
	rep.AddLine([]byte(`{"Action":"output","Package":"p","Output":"FAIL\tp\t0.1s\n"}`))
	assert.Equal(t, []string{"panic: something escaped test2json", "FAIL\tp\t0.1s"}, rep.Output)
}

func TestCurrent(t *testing.T) {
	rep := &Report{}
	add := func(action, test string) {
		t.Helper()
		rep.Add(Event{Action: action, Package: "p", Test: test})
	}
	assertCurrent := func(wantName string, wantOthers int) {
		t.Helper()
		name, others := rep.Current()
		assert.Equal(t, wantName, name)
		assert.Equal(t, wantOthers, others)
	}

	assertCurrent("", 0)
	add("run", "TestServer")
	assertCurrent("TestServer", 0)
	add("run", "TestServer/a")
	assertCurrent("TestServer/a", 0) // the parent runs too, but it is no other test
	add("pause", "TestServer/a")
	add("run", "TestServer/b")
	add("pause", "TestServer/b")
	assertCurrent("TestServer", 0)
	add("cont", "TestServer/a")
	add("cont", "TestServer/b")
	assertCurrent("TestServer/b", 1)
	add("pass", "TestServer/b")
	assertCurrent("TestServer/a", 0)
	add("fail", "TestServer/a")
	add("fail", "TestServer")
	assertCurrent("", 0)

	assert.True(t, rep.byName["TestServer"].Parent)
	assert.Equal(t, []result{{"TestServer/a", Fail}}, results(rep.Failed()),
		"a parent that failed because of a subtest is not a failure of its own")
}

func TestParentThatFailsOnItsOwn(t *testing.T) {
	rep := &Report{}
	for _, e := range []Event{
		{Action: "run", Test: "TestX"},
		{Action: "run", Test: "TestX/a"},
		{Action: "pass", Test: "TestX/a"},
		{Action: "output", Test: "TestX", Output: "    x_test.go:9: cleanup failed\n"},
		{Action: "fail", Test: "TestX"},
		{Action: "fail"},
	} {
		rep.Add(e)
	}
	assert.Equal(t, []result{{"TestX", Fail}, {"TestX/a", Pass}}, results(rep.Results()))
	assert.Equal(t, []result{{"TestX", Fail}}, results(rep.Failed()))
}

func TestMessages(t *testing.T) {
	tests := []struct {
		name   string
		output []string
		want   []string
	}{
		{
			name:   "framing and locations go",
			output: []string{"=== RUN   TestX", "    x_test.go:12: образ не собрался", "--- FAIL: TestX (0.00s)"},
			want:   []string{"образ не собрался"},
		},
		{
			name: "continuation lines keep their own indentation",
			output: []string{
				"    build.go:60: образ из Dockerfile не собрался:",
				"            COPY failed: file not found",
				"        Подсказка: проверьте путь в COPY",
			},
			want: []string{"образ из Dockerfile не собрался:", "    COPY failed: file not found", "Подсказка: проверьте путь в COPY"},
		},
		{
			name:   "deeper subtests use the same layout",
			output: []string{"=== NAME  TestX/a/b", "    helpers_test.go:7: нет метки", "        Подсказка: LABEL"},
			want:   []string{"нет метки", "Подсказка: LABEL"},
		},
		{
			name:   "plain output is trimmed",
			output: []string{"  panic: boom", ""},
			want:   []string{"panic: boom"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Messages(tt.output)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestDisplayName(t *testing.T) {
	tests := map[string]string{
		"TestImage":                  "TestImage",
		"TestImage/CMD_в_exec-форме": "TestImage › CMD в exec-форме",
		"TestServer/GET_/healthz":    "TestServer › GET › healthz",
		"TestServer/GET_/":           "TestServer › GET",
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, want, DisplayName(name))
		})
	}
}

func TestAftermath(t *testing.T) {
	// Recorded from a runner like internal/lessoncheck: steps as subtests, t.Fatal("\n"+msg),
	// and a note from the parent that the later steps did not run.
	rep := parseFile(t, "steps-fail.jsonl")
	failed := rep.Failed()
	require.Len(t, failed, 1)
	assert.Equal(t, "TestExercise/CMD_в_exec-форме", failed[0].Name)
	assert.Equal(t, []string{
		"✗ CMD записан в shell-форме: CMD ./server",
		`Подсказка: запишите CMD в exec-форме: CMD ["./server"]`,
	}, Messages(failed[0].Output), "the empty first line of t.Fatal(\"\\n\"+msg) is dropped")
	assert.Equal(t, []string{"ещё 2 проверки не запускались: сначала исправьте эту"}, Messages(rep.Aftermath(failed[0])),
		"what the parent logged before the failure is not aftermath")
}
