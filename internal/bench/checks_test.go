package bench

import (
	"strings"
	"testing"
)

func checkByID(t *testing.T, checks []TargetCheck, id string) TargetCheck {
	t.Helper()
	for _, c := range checks {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no target %q", id)
	return TargetCheck{}
}

func met(c TargetCheck) string {
	if c.Met == nil {
		return "nil"
	}
	if *c.Met {
		return "true"
	}
	return "false"
}

func TestEvaluate(t *testing.T) {
	checks := Evaluate(fixture())
	tests := []struct {
		id, met, measured string
	}{
		{"final-image-ratio", "true", "05-scratch: 5,77 МБ при бинарнике 5,77 МБ — 1,00×"},
		{"warm-rebuild", "false", "выполнена для 0 из 6"},
		{"ready", "true", "выполнена для 6 из 6"},
		{"graceful-stop", "true", "root-single: 180 мс, код 0; root: 176 мс, код 0"},
		{"make-test-warm", "nil", "не измеряется этой командой"},
		{"make-test-cold", "nil", "не измеряется этой командой"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			c := checkByID(t, checks, tt.id)
			if got := met(c); got != tt.met {
				t.Errorf("met = %s, want %s (measured: %s)", got, tt.met, c.Measured)
			}
			if !strings.Contains(c.Measured, tt.measured) {
				t.Errorf("measured = %q, want it to contain %q", c.Measured, tt.measured)
			}
			if (c.Met != nil && !*c.Met) != (c.Holdback != "") {
				t.Errorf("a target that is not met needs a holdback and only then: met %s, holdback %q", met(c), c.Holdback)
			}
		})
	}
}

func TestEvaluateFinalImageTooLarge(t *testing.T) {
	r := fixture()
	r.Images = r.Images[:3] // the last lesson is now 04 on scratch with an unstripped binary
	r.Images[2].Binary.ImageStripped = false
	r.Images[2].Binary.ImageBytes = 8_300_000
	c := checkByID(t, Evaluate(r), "final-image-ratio")
	if met(c) != "false" || !strings.Contains(c.Applies, "04-static-binary") {
		t.Fatalf("want 04-static-binary judged and not met, got %s for %q", met(c), c.Applies)
	}
	for _, want := range []string{"2,59 МБ", "не очищен от символов"} {
		if !strings.Contains(c.Holdback, want) {
			t.Errorf("holdback %q should contain %q", c.Holdback, want)
		}
	}
}

func TestEvaluateStop(t *testing.T) {
	r := fixture()
	root := r.Image(RootMulti)
	root.StopMS = Summarize([]float64{10_100, 10_200, 10_150})
	root.StopExitCodes = []int{137, 137, 137}
	c := checkByID(t, Evaluate(r), "graceful-stop")
	if met(c) != "false" || !strings.Contains(c.Holdback, "137") {
		t.Errorf("a graceful image killed after 10 s must fail with an explanation, got %s: %q", met(c), c.Holdback)
	}

	r = fixture()
	r.Images = r.Images[:4] // lessons only: none handles SIGTERM
	if c := checkByID(t, Evaluate(r), "graceful-stop"); c.Met != nil {
		t.Errorf("without a graceful image the target is not measured, got %s", met(c))
	}
}

func TestEvaluateReadyNotMet(t *testing.T) {
	r := fixture()
	for i := range r.Images {
		r.Images[i].ReadyMS = Summarize([]float64{420})
	}
	c := checkByID(t, Evaluate(r), "ready")
	if met(c) != "false" {
		t.Fatalf("met = %s, want false", met(c))
	}
	if !strings.Contains(c.Holdback, "размер образа на запуск почти не влияет") {
		t.Errorf("equal times for 5 МБ and 680 МБ images should say size does not matter: %q", c.Holdback)
	}
}

func TestEvaluateMakeTest(t *testing.T) {
	r := fixture()
	r.MakeTest = MakeTest{WarmSeconds: f64(52), ColdSeconds: f64(1000), Source: "CI"}
	checks := Evaluate(r)
	if c := checkByID(t, checks, "make-test-warm"); met(c) != "true" || c.Measured != "52 с (CI)" {
		t.Errorf("warm: met %s, measured %q; want true, «52 с (CI)»", met(c), c.Measured)
	}
	if c := checkByID(t, checks, "make-test-cold"); met(c) != "false" || c.Measured != "16 мин 40 с (CI)" {
		t.Errorf("cold: met %s, measured %q; want false, «16 мин 40 с (CI)»", met(c), c.Measured)
	}
}

func TestEvaluateNothingMeasured(t *testing.T) {
	for _, c := range Evaluate(&Results{}) {
		if c.Met != nil {
			t.Errorf("%s: met %s without measurements", c.ID, met(c))
		}
	}
}
