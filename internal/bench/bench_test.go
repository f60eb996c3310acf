package bench

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := Run(context.Background(), args, &out)
	return out.String(), err
}

func TestRunBarsAndRender(t *testing.T) {
	out := filepath.Join(t.TempDir(), "bench")
	if err := fixture().Save(filepath.Join(out, ResultsFile)); err != nil {
		t.Fatal(err)
	}

	got, err := run(t, "-out", out, "-bars")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "05-scratch") || !strings.Contains(got, "█") {
		t.Errorf("-bars printed:\n%s", got)
	}

	if _, err := run(t, "-out", out, "-render", "-make-test-warm", "52s"); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(out + ".md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "](bench/sizes.svg)") || !strings.Contains(string(md), "| 52 с (время make test, вписано флагом) | ✓ да |") {
		t.Errorf("bench.md should link the chart next to it and show make test from the flag:\n%s", md)
	}
	if _, err := os.Stat(filepath.Join(out, ChartFile)); err != nil {
		t.Errorf("-render did not write the chart: %v", err)
	}
	r, err := Load(filepath.Join(out, ResultsFile))
	if err != nil || r.MakeTest.WarmSeconds == nil || *r.MakeTest.WarmSeconds != 52 {
		t.Errorf("results.json should keep make test timing from the flag: %v", err)
	}
}

func TestRunWithoutResults(t *testing.T) {
	_, err := run(t, "-out", filepath.Join(t.TempDir(), "none"), "-bars")
	if err == nil || !strings.Contains(err.Error(), "go run ./cmd/bench") {
		t.Errorf("-bars without results.json = %v, want a hint to measure first", err)
	}
}

func TestRunUsage(t *testing.T) {
	for _, args := range [][]string{{"-runs", "0"}, {"-nope"}, {"extra"}, {"-only", "99", "-out", t.TempDir()}} {
		var stderr bytes.Buffer
		if code := Main(context.Background(), args, &bytes.Buffer{}, &stderr); code != 2 {
			t.Errorf("Main(%q) = %d, want 2 (usage); stderr: %s", args, code, stderr.String())
		}
	}
	if _, err := run(t, "-h"); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h = %v, want flag.ErrHelp", err)
	}
}
