package render

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/muesli/termenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites the file under -update.
func golden(t testing.TB, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./internal/render/ -update to create it")
	assert.Equal(t, string(want), got, "rendered text differs from %s (go test -update rewrites it)", path)
}

func TestMarkdownGolden(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "lesson.md"))
	require.NoError(t, err)

	tests := []struct {
		golden string
		opt    Options
	}{
		{"lesson.notty.golden", Options{Style: NoTTY, Width: 80}},
		{"lesson.dark.golden", Options{Style: "dark", Width: 80, Profile: termenv.ANSI256}},
		{"lesson.notty-60.golden", Options{Style: NoTTY, Width: 60}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			got, err := Markdown(src, "lessons/03-multi-stage/README.md", tt.opt)
			require.NoError(t, err)
			golden(t, tt.golden, got)
		})
	}
}

func TestMarkdownPlainHasNoEscapes(t *testing.T) {
	got, err := Markdown([]byte("# Заголовок\n\n**жирный** и `код`\n"), "README.md", Options{Style: NoTTY})
	require.NoError(t, err)
	assert.NotContains(t, got, "\x1b[", "notty output must be plain text for pipes")
	assert.Contains(t, got, "Заголовок")
}

func TestMarkdownWraps(t *testing.T) {
	long := strings.Repeat("слово ", 40)
	got, err := Markdown([]byte(long), "README.md", Options{Style: NoTTY, Width: 40})
	require.NoError(t, err)
	for line := range strings.SplitSeq(got, "\n") {
		assert.LessOrEqual(t, len([]rune(strings.TrimRight(line, " "))), 40, "line %q", line)
	}
}

func TestMarkdownUnknownStyle(t *testing.T) {
	_, err := Markdown([]byte("x"), "README.md", Options{Style: "no-such-style"})
	require.Error(t, err)
}

func TestRewriteLinks(t *testing.T) {
	const doc = "lessons/03-multi-stage/README.md"
	tests := []struct {
		name, in, want string
	}{
		{"up to the glossary", "[глоссарий](../../ru/dockerfile.md)", "глоссарий (`ru/dockerfile.md`)"},
		{"fragment kept", "[этап](../../ru/dockerfile.md#этап-1)", "этап (`ru/dockerfile.md#этап-1`)"},
		{"beside the lesson", "[файл](exercise/Dockerfile)", "файл (`lessons/03-multi-stage/exercise/Dockerfile`)"},
		{"dot slash", "[файл](./exercise/Dockerfile)", "файл (`lessons/03-multi-stage/exercise/Dockerfile`)"},
		{"text that is the path", "[exercise/Dockerfile](exercise/Dockerfile)", "`lessons/03-multi-stage/exercise/Dockerfile`"},
		{"code text that is the path", "[`exercise/`](exercise/)", "`lessons/03-multi-stage/exercise/`"},
		{"sibling lesson", "[урок 2](../02-single-stage/README.md)", "урок 2 (`lessons/02-single-stage/README.md`)"},
		{"image", "![схема](img/stages.png)", "схема (`lessons/03-multi-stage/img/stages.png`)"},
		{"title dropped", `[r](../../README.md "корень")`, "r (`README.md`)"},
		{"absolute URL untouched", "[docs](https://docs.docker.com/)", "[docs](https://docs.docker.com/)"},
		{"mailto untouched", "[почта](mailto:a@b.c)", "[почта](mailto:a@b.c)"},
		{"anchor untouched", "[выше](#задание)", "[выше](#задание)"},
		{"outside the repository untouched", "[x](../../../x.md)", "[x](../../../x.md)"},
		{"code span untouched", "`[x](y.md)` и [y](y.md)", "`[x](y.md)` и y (`lessons/03-multi-stage/y.md`)"},
		{"reference definition", "[gl]: ../../ru/glossary.md", "[gl]: ru/glossary.md"},
		{"directory keeps its slash", "[каталог](exercise/)", "каталог (`lessons/03-multi-stage/exercise/`)"},
		{"two links on a line", "[a](a.md), [b](../b.md)", "a (`lessons/03-multi-stage/a.md`), b (`lessons/b.md`)"},
		{
			"fenced code untouched",
			"```md\n[x](y.md)\n```\n[x](y.md)\n",
			"```md\n[x](y.md)\n```\nx (`lessons/03-multi-stage/y.md`)\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(RewriteLinks([]byte(tt.in), doc))
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestRewriteLinksAtRoot(t *testing.T) {
	got := string(RewriteLinks([]byte("[урок](lessons/01-server/README.md) [ru](./ru/dockerfile.md)"), "README.md"))
	assert.Equal(t, "урок (`lessons/01-server/README.md`) ru (`ru/dockerfile.md`)", got)
}

func TestCodeDocument(t *testing.T) {
	t.Run("Dockerfile", func(t *testing.T) {
		got := string(CodeDocument([]byte("FROM scratch\n"), "lessons/05-scratch/exercise/Dockerfile"))
		want := "# lessons/05-scratch/exercise/Dockerfile\n\n```dockerfile\nFROM scratch\n```\n"
		assert.Equal(t, want, got)
	})
	t.Run("backticks inside get a longer fence", func(t *testing.T) {
		got := string(CodeDocument([]byte("s := \"```\""), "x.go"))
		want := "# x.go\n\n````go\ns := \"```\"\n````\n"
		assert.Equal(t, want, got)
	})
}

func TestLanguage(t *testing.T) {
	tests := map[string]string{
		"Dockerfile":        "dockerfile",
		"Dockerfile.single": "dockerfile",
		"build.Dockerfile":  "dockerfile",
		"server.go":         "go",
		"docker.sh":         "bash",
		"notes.txt":         "",
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, want, Language(name))
		})
	}
}
