package gotoolchain

import (
	"strings"
	"testing"
)

func TestStampChangesWithTheBuildEnvironment(t *testing.T) {
	t.Setenv("GOFLAGS", "")
	before := Stamp()
	if !strings.HasPrefix(before, "go ") {
		t.Fatalf("no go command in the stamp: %q", before)
	}
	t.Setenv("GOFLAGS", "-trimpath")
	if after := Stamp(); after == before || !strings.Contains(after, "GOFLAGS=-trimpath\n") {
		t.Errorf("GOFLAGS is not in the stamp:\n%s", after)
	}
}
