package buildcache

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-docker-workshop/workshop/internal/dockerfile"
)

// Which COPY brings which file of the context.
func TestBrings(t *testing.T) {
	for _, tc := range []struct {
		src  string
		file string
		want bool
	}{
		{".", "server.go", true},
		{"./", "gomod/go.mod", true},
		{"server.go", "server.go", true},
		{"./server.go", "server.go", true},
		{"*.go", "server.go", true},
		{"gomod/go.mod", "gomod/go.mod", true},
		{"gomod/", "gomod/go.mod", true},
		{"gomod/*", "gomod/go.mod", true},
		{"gomod/go.mod", "server.go", false},
		{"server.go", "gomod/go.mod", false},
		{"gomod/", "server.go", false},
	} {
		in := dockerfile.Instruction{Name: "COPY", Args: []string{tc.src, "./"}}
		if got := Brings(in, tc.file); got != tc.want {
			t.Errorf("COPY %s ./ brings %s: %v, want %v", tc.src, tc.file, got, tc.want)
		}
	}
	if Brings(dockerfile.Instruction{Name: "COPY", From: "builder", Args: []string{".", "./"}}, "server.go") {
		t.Error("COPY --from=builder brings nothing from the context")
	}
}

// Edit copies the context with its modes and makes the edited file differ in every run.
func TestEdit(t *testing.T) {
	src := t.TempDir()
	if err := os.MkdirAll(filepath.Join(src, "gomod"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, mode := range map[string]os.FileMode{"server.go": 0o644, "gomod/go.mod": 0o600, "run.sh": 0o755} {
		if err := os.WriteFile(filepath.Join(src, name), []byte("package main\n"), mode); err != nil {
			t.Fatal(err)
		}
	}
	var edits []string
	for range 2 {
		dir, err := Edit(src, "server.go")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(dir) })
		data, err := os.ReadFile(filepath.Join(dir, "server.go"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(data), "package main\n\n// Added by the build cache check (") {
			t.Errorf("edited server.go:\n%s", data)
		}
		edits = append(edits, string(data))
		for _, name := range []string{".", "gomod", "gomod/go.mod", "run.sh"} {
			got, err := os.Stat(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.Stat(filepath.Join(src, name))
			if err != nil {
				t.Fatal(err)
			}
			if got.Mode().Perm() != want.Mode().Perm() {
				t.Errorf("%s: mode %v, want the context's %v", name, got.Mode().Perm(), want.Mode().Perm())
			}
		}
	}
	if edits[0] == edits[1] {
		t.Error("two edits wrote the same line: the second would hit the cache")
	}
}

// Cut keeps an instruction with its continuation lines; CutBefore stops before one.
func TestCut(t *testing.T) {
	src := "FROM golang AS build\nCOPY go.mod ./\nRUN go mod download && \\\n    go build std\nCOPY server.go ./\nRUN go build -o /server .\n\nFROM scratch\nCOPY --from=build /server /server\n"
	f, err := dockerfile.ParseBytes("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(CutBefore([]byte(src), 5)), "FROM golang AS build\nCOPY go.mod ./\nRUN go mod download && \\\n    go build std\n"; got != want {
		t.Errorf("CutBefore(5) = %q, want %q", got, want)
	}
	if got, want := string(Cut(f, []byte(src), 3)), "FROM golang AS build\nCOPY go.mod ./\nRUN go mod download && \\\n    go build std\n"; got != want {
		t.Errorf("Cut(3) = %q, want %q", got, want)
	}
	if got, want := string(Cut(f, []byte(src), 6)), "FROM golang AS build\nCOPY go.mod ./\nRUN go mod download && \\\n    go build std\nCOPY server.go ./\nRUN go build -o /server .\n\n"; got != want {
		t.Errorf("Cut(6) = %q, want %q", got, want)
	}
	if got := string(Cut(f, []byte(src), 9)); got != src {
		t.Errorf("Cut(last) = %q, want the whole file", got)
	}
}
