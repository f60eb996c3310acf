package bench

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bench", ResultsFile)
	want := fixture()
	want.MakeTest.WarmSeconds = f64(48)
	if err := want.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Load(Save(r)) differs from r")
	}
	if len(got.Targets) != 6 {
		t.Errorf("saved %d targets, want 6 (Save evaluates them)", len(got.Targets))
	}
	data, _ := os.ReadFile(path)
	for _, key := range []string{`"environment"`, `"docker_server_version": "20.10.24+dfsg1"`, `"stand_in": true`, `"median"`, `"warm_seconds": 48`, `"cold_seconds": null`} {
		if !strings.Contains(string(data), key) {
			t.Errorf("results.json has no %s", key)
		}
	}
}

func TestLoadOtherSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), ResultsFile)
	os.WriteFile(path, []byte(`{"schema": 99}`), 0o644)
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "Подсказка") {
		t.Errorf("Load of another schema = %v, want an error with a hint", err)
	}
}

func TestMerge(t *testing.T) {
	r := fixture()
	r.Images = []ImageResult{r.Images[5], r.Images[0]} // root, 02
	fresh := fixture().Images
	fresh[3].Runs = 1
	r.Merge([]ImageResult{fresh[3], fresh[0]}) // 05 is new, 02 replaces the old one
	var names []string
	for _, img := range r.Images {
		names = append(names, img.Name)
	}
	if got := strings.Join(names, ","); got != "02-single-stage,05-scratch,root" {
		t.Errorf("after Merge: %s, want lessons in order and then root", got)
	}
	if r.Image("05-scratch").Runs != 1 {
		t.Errorf("Merge did not keep the new image")
	}
}
