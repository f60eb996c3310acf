package lessons

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"strings"
	"testing"
)

// sameServer are the lessons that share one server.go, byte for byte: lesson 1 writes the
// server, and lessons 2–5 package that same program into ever smaller images, changing only
// the Dockerfile (the file's own comment says so). Each lesson keeps a copy so that it stands
// alone (docs/authors.md); a fix made in one copy must reach the others. From lesson 6 on the
// copies differ on purpose: each lesson's server.go says what that lesson changes.
var sameServer = []int{1, 2, 3, 4, 5}

func TestServerCopiesAreIdentical(t *testing.T) {
	var files []string
	for _, n := range sameServer {
		l, err := ByNumber(n)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, path.Join(l.Slug, "server.go"))
	}
	first, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var differ []string
	for _, f := range files[1:] {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, first) {
			differ = append(differ, "lessons/"+f+": "+firstDifference(first, data))
		}
	}
	if len(differ) > 0 {
		t.Errorf("lessons %s must keep identical copies of server.go, but these differ from lessons/%s:\n  %s\n"+
			"Make the same change in every copy (or, if a lesson must differ on purpose, take it out of sameServer "+
			"and say why).", lessonRange(sameServer), files[0], strings.Join(differ, "\n  "))
	}
}

// firstDifference names the first line where b differs from a, with both versions.
func firstDifference(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	line := func(lines []string, i int) string {
		if i < len(lines) {
			return fmt.Sprintf("%q", lines[i])
		}
		return "the end of the file"
	}
	for i := range max(len(al), len(bl)) {
		if x, y := line(al, i), line(bl, i); x != y {
			return fmt.Sprintf("line %d is %s, want %s", i+1, y, x)
		}
	}
	return "differs" // not reached: the files differ, so some line does
}

func lessonRange(ns []int) string {
	return fmt.Sprintf("%d–%d", ns[0], ns[len(ns)-1])
}

func TestFirstDifference(t *testing.T) {
	for _, tc := range []struct{ a, b, want string }{
		{"x\ny\nz\n", "x\nY\nz\n", `line 2 is "Y", want "y"`},
		{"x\ny\n", "x\ny\nextra\n", `line 3 is "extra", want ""`},
		{"x\ny\n", "x\ny\n\n", `line 4 is "", want the end of the file`},
		{"x\ny\n", "x\n", `line 2 is "", want "y"`},
	} {
		if got := firstDifference([]byte(tc.a), []byte(tc.b)); got != tc.want {
			t.Errorf("firstDifference(%q, %q) = %s, want %s", tc.a, tc.b, got, tc.want)
		}
	}
}
