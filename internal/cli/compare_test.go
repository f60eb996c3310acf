package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-docker-workshop/workshop/internal/imagesize"
)

// compare.sh's table: the course's measure through ru, the times as the bench writes them.
func TestComparison(t *testing.T) {
	single, err := parseCompared("workshop/compare:single,file=Dockerfile.single,build=12345ms,ready=412ms")
	require.NoError(t, err)
	multi, err := parseCompared("workshop/compare:multi,file=Dockerfile,build=2.3s")
	require.NoError(t, err)
	assert.Equal(t, compared{ref: "workshop/compare:multi", file: "Dockerfile", build: 2300 * time.Millisecond}, multi)
	single.img = imagesize.Image{Ref: single.ref, Size: imagesize.Size{Bytes: 683_400_000, Layers: 4},
		Reported: imagesize.Report{Store: imagesize.StoreClassic, Size: 683_400_000}}
	multi.img = imagesize.Image{Ref: multi.ref, Size: imagesize.Size{Bytes: 87_400_000, Layers: 3},
		Reported: imagesize.Report{Store: imagesize.StoreClassic, Size: 87_400_000}}

	var b strings.Builder
	require.NoError(t, writeComparison(&b, []compared{single, multi}))
	out := b.String()
	for _, want := range []string{
		"Dockerfile           размер   слоёв   сборка   до ответа\n",
		"Dockerfile.single    683 МБ       4   12,3 с      412 мс\n",
		"Dockerfile          87,4 МБ       3    2,3 с           —\n",
		"Dockerfile.single " + strings.Repeat("█", 50) + " 683 МБ\n",
		"Dockerfile        " + strings.Repeat("█", 6) + " 87,4 МБ\n",
		"Образ из Dockerfile меньше образа из Dockerfile.single в 7,8 раза (596 МБ экономии).\n",
		"workshop/compare:multi    87,4 МБ без сжатия   docker images (классическое хранилище): SIZE 87,4 МБ\n",
	} {
		assert.Contains(t, out, want)
	}
	assert.NotContains(t, out, "MB", "no number in Docker's English format")

	_, err = parseCompared("workshop/compare:multi,build=soon")
	assert.Error(t, err)
}
