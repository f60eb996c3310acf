package cli

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/go-docker-workshop/workshop/internal/verdict"
)

// A Problem is printed from its fields: what is wrong, then what to do, each once, and the
// words «Подсказка:» never come from the error's text.
func TestPrintErrorShowsAProblemsHint(t *testing.T) {
	for name, err := range map[string]error{
		"a Problem":         verdict.Failf("запустите Docker", "Docker не отвечает"),
		"a wrapped Problem": fmt.Errorf("size: %w", verdict.Failf("запустите Docker", "Docker не отвечает")),
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			assert.Equal(t, ExitFail, e.app.printError(err))
			assert.Equal(t, "ошибка: Docker не отвечает\nЧто делать: запустите Docker\n", e.stderr.String())
		})
	}
	t.Run("a plain error", func(t *testing.T) {
		e := newEnv(t)
		assert.Equal(t, ExitFail, e.app.printError(errors.New("что-то сломалось")))
		assert.Equal(t, "ошибка: что-то сломалось\n", e.stderr.String())
	})
}
