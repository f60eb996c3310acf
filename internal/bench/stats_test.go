package bench

import (
	"testing"
)

func TestSummarize(t *testing.T) {
	tests := []struct {
		name             string
		in               []float64
		median, min, max float64
	}{
		{"one value", []float64{7}, 7, 7, 7},
		{"odd count, unsorted", []float64{30, 10, 20}, 20, 10, 30},
		{"even count: mean of the middle two", []float64{4, 1, 3, 2}, 2.5, 1, 4},
		{"outlier does not move the median", []float64{100, 101, 5000}, 101, 100, 5000},
		{"equal values", []float64{3, 3, 3}, 3, 3, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Summarize(tt.in)
			if got.Median != tt.median || got.Min != tt.min || got.Max != tt.max {
				t.Errorf("Summarize(%v) = median %v, min %v, max %v; want %v, %v, %v",
					tt.in, got.Median, got.Min, got.Max, tt.median, tt.min, tt.max)
			}
			if len(got.Values) != len(tt.in) {
				t.Errorf("Values has %d items, want %d", len(got.Values), len(tt.in))
			}
		})
	}
}

func TestSummarizeKeepsOrderAndInput(t *testing.T) {
	in := []float64{3, 1, 2}
	got := Summarize(in)
	if in[0] != 3 || in[1] != 1 || in[2] != 2 {
		t.Errorf("Summarize sorted its input: %v", in)
	}
	if got.Values[0] != 3 || got.Values[2] != 2 {
		t.Errorf("Values = %v, want the measured order [3 1 2]", got.Values)
	}
}

func TestSummarizeEmpty(t *testing.T) {
	got := Summarize(nil)
	if !got.Empty() || got.Median != 0 {
		t.Errorf("Summarize(nil) = %+v, want the empty Summary", got)
	}
}

func TestSpread(t *testing.T) {
	s := Summarize([]float64{90, 100, 110})
	if got, want := s.Spread(), 20.0; got != want {
		t.Errorf("Spread() = %v, want %v", got, want)
	}
	if got, want := s.RelSpread(), 0.2; got != want {
		t.Errorf("RelSpread() = %v, want %v", got, want)
	}
	if got := Summarize([]float64{0, 0}).RelSpread(); got != 0 {
		t.Errorf("RelSpread of a zero median = %v, want 0", got)
	}
}
