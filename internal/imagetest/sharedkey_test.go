package imagetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Each context directory gets its own shared key, so BuildKit never syncs one directory
// into another's snapshot; the same directories always get the same key, so a rebuild
// sends only what changed.
func TestSharedKeyPerDirectory(t *testing.T) {
	a := sharedKey("testdata", "testdata")
	assert.Equal(t, a, sharedKey("testdata", "testdata"))
	assert.NotEqual(t, a, sharedKey(t.TempDir(), "testdata"))
	assert.NotEqual(t, a, sharedKey("testdata", t.TempDir()))
}
