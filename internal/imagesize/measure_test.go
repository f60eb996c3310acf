package imagesize

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCacheKeepsAMeasureByImageID(t *testing.T) {
	CacheDir = t.TempDir()
	t.Cleanup(func() { CacheDir = defaultCacheDir() })
	const id = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	if _, ok := cached(id); ok {
		t.Fatal("an empty cache has a measure")
	}
	want := Size{Bytes: 87398191, Layers: 3, PerLayer: []int64{79000000, 0, 8398191}}
	store(id, want)
	got, ok := cached(id)
	if !ok || got.Bytes != want.Bytes || got.Layers != want.Layers || len(got.PerLayer) != 3 {
		t.Fatalf("cached() = %+v, %v; want %+v", got, ok, want)
	}
	for _, bad := range []string{"", "workshop:multi", "sha256:../../etc/passwd"} {
		if cacheFile(bad) != "" {
			t.Errorf("cacheFile(%q) names a file", bad)
		}
	}
	if err := os.WriteFile(filepath.Join(CacheDir, id[len("sha256:"):]+".json"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := cached(id); ok {
		t.Error("a broken cache file counts as a measure")
	}
}
