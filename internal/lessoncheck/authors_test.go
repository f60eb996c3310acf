package lessoncheck

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// exampleLesson is the lesson 11 that docs/authors.md shows; it must compile as it stands.
const exampleLesson = "testdata/lesson11/lesson_test.go"

// The example in docs/authors.md («Новый урок за одну страницу», step 4) is the text of
// testdata/lesson11/lesson_test.go, and that file compiles against today's lessoncheck: the
// page can't show an API that no longer exists.
func TestAuthorsExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/authors.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(exampleLesson)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := exampleBlock(string(doc))
	if !ok {
		t.Fatal("docs/authors.md: no ```go block after «4. **`lesson_test.go`**»")
	}
	if got != string(want) {
		t.Errorf("the example in docs/authors.md differs from %s; copy the file into the page "+
			"(indented by 3 spaces).\npage:\n%s\nfile:\n%s", exampleLesson, got, want)
	}
	if testing.Short() {
		t.Skip("-short: the example is not compiled")
	}
	out, err := exec.Command("go", "vet", "./testdata/lesson11/").CombinedOutput()
	if err != nil {
		t.Errorf("go vet %s: %v\n%s", exampleLesson, err, out)
	}
}

// exampleBlock is the first ```go block after step 4 of the page, its 3-space list indent
// taken off.
func exampleBlock(doc string) (string, bool) {
	_, after, ok := strings.Cut(doc, "4. **`lesson_test.go`**")
	if !ok {
		return "", false
	}
	_, after, ok = strings.Cut(after, "   ```go\n")
	if !ok {
		return "", false
	}
	block, _, ok := strings.Cut(after, "   ```\n")
	if !ok {
		return "", false
	}
	var b strings.Builder
	for line := range strings.Lines(block) {
		b.WriteString(strings.TrimPrefix(line, "   "))
	}
	return b.String(), true
}
