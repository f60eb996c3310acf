package verdict

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-docker-workshop/workshop/internal/buildevent"
)

func TestProblemText(t *testing.T) {
	p := Failf("запишите CMD в exec-форме", "CMD в shell-форме: %s", "CMD ./server")
	assert.Equal(t, "✗ CMD в shell-форме: CMD ./server\nПодсказка: запишите CMD в exec-форме", p.Error())
	assert.Equal(t, "✗ без подсказки", (&Problem{What: "без подсказки"}).Error())

	cause := errors.New("connection refused")
	w := Wrapf(cause, "запустите Docker", "Docker не отвечает: %v", cause)
	assert.ErrorIs(t, w, cause, "the cause stays in the chain")
	assert.Equal(t, "Docker не отвечает: connection refused", w.What)

	assert.Same(t, w, As(w))
	plain := As(cause)
	assert.Equal(t, "connection refused", plain.What)
	assert.Empty(t, plain.Hint)
	assert.Nil(t, As(nil))
}

// A report written by one process is read back by another, line by line, while it grows.
func TestReportRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.jsonl")
	f, err := os.Create(path)
	require.NoError(t, err)
	w := NewWriter(f)
	r, err := os.Open(path)
	require.NoError(t, err)
	defer r.Close()

	var rep Report
	stop := make(chan struct{})
	done := make(chan error)
	go func() { done <- Tail(r, stop, time.Millisecond, rep.Add) }()

	run := w.NextRun()
	w.Write(Line{Kind: KindRun, Run: run, Target: "ваше задание", Steps: []string{"разбор", "сборка", "запуск"}})
	w.Write(Line{Kind: KindStep, Run: run, Step: "разбор"})
	w.Write(Line{Kind: KindEnd, Run: run, Step: "разбор", Status: Passed, Elapsed: time.Second})
	w.Write(Line{Kind: KindStep, Run: run, Step: "сборка"})
	w.Write(Line{Kind: KindBuild, Run: run, Build: &buildevent.Event{Image: "i", Step: "[1/2] RUN x", State: buildevent.Done}})
	w.Write(Line{Kind: KindLog, Run: run, Step: "сборка", Text: "собрано за 3 с"})
	w.Write(Line{Kind: KindEnd, Run: run, Step: "сборка", Status: Failed, Problem: Failf("исправьте RUN", "сборка упала")})
	w.Write(Line{Kind: KindDone, Run: run})
	require.NoError(t, f.Close())
	close(stop)
	require.NoError(t, <-done)

	require.Len(t, rep.Runs, 1)
	got := rep.Runs[0]
	assert.Equal(t, "ваше задание", got.Target)
	assert.Equal(t, Failed, got.Status())
	first := got.FirstFailure()
	require.NotNil(t, first)
	assert.Equal(t, "сборка", first.Name)
	assert.Equal(t, &Problem{What: "сборка упала", Hint: "исправьте RUN"}, first.Problem)
	assert.Equal(t, []string{"собрано за 3 с"}, first.Log)
	assert.Equal(t, NotRun, got.Steps[2].Status, "a step after the failure did not run")
	assert.Equal(t, time.Second, got.Steps[0].Elapsed)
	assert.Len(t, rep.Builds, 1)
	assert.Nil(t, got.Current())
}

// A line is taken only once it is whole: a reader that comes while it is being written
// waits for the rest.
func TestTailWaitsForWholeLines(t *testing.T) {
	pr, pw := io.Pipe()
	var rep Report
	stop := make(chan struct{})
	done := make(chan error)
	go func() { done <- Tail(pr, stop, time.Millisecond, rep.Add) }()
	line := `{"kind":"run","run":1,"steps":["а"]}` + "\n"
	half := len(line) / 2
	_, err := io.WriteString(pw, line[:half])
	require.NoError(t, err)
	_, err = io.WriteString(pw, line[half:]+`{"kind":"step","run":1,"step":"а"}`)
	require.NoError(t, err)
	require.NoError(t, pw.Close())
	close(stop)
	require.NoError(t, <-done)
	require.Len(t, rep.Runs, 1)
	assert.Equal(t, "а", rep.Runs[0].Steps[0].Name)
	assert.Same(t, rep.Runs[0].Steps[0], rep.Runs[0].Current(), "the last line, written without a newline, counts at the end")
	assert.False(t, strings.Contains(rep.Runs[0].Steps[0].Status, Failed))
}

func TestNilWriterWritesNothing(t *testing.T) {
	var w *Writer
	assert.Zero(t, w.NextRun())
	w.Write(Line{Kind: KindDone}) // no panic
}
