package bench

import "testing"

func TestFormat(t *testing.T) {
	tests := []struct{ got, want string }{
		{fmtBytes(680_300_000), "680 МБ"},
		{fmtBytes(87_140_000), "87,1 МБ"},
		{fmtBytes(5_767_352), "5,77 МБ"},
		{fmtBytes(1_210_000_000), "1,21 ГБ"},
		{fmtBytes(950_000), "950 КБ"},
		{fmtBytes(12), "12 Б"},
		{fmtMS(261.4), "261 мс"},
		{fmtMS(20_940), "20,9 с"},
		{fmtMS(125_000), "125 с"},
		{fmtRatio(1.0004), "1,00×"},
		{fmtRatio(15.08), "15,1×"},
		{fmtRatio(118.2), "118×"},
		{trimZero(fmtRatio(1.1)), "1,1×"},
		{trimZero(fmtMS(5000)), "5 с"},
		{trimZero(fmtMS(300)), "300 мс"},
		{fmtSeconds(52), "52 с"},
		{fmtSeconds(60), "60 с"},
		{fmtSeconds(665), "11 мин 5 с"},
		{fmtSeconds(900), "15 мин"},
		{fmtSummary(Summarize([]float64{19100, 19800, 20500}), fmtMS), "19,8 с (19,1–20,5)"},
		{fmtSummary(Summarize([]float64{950, 1200, 990}), fmtMS), "990 мс (950 мс–1,2 с)"},
		{fmtSummary(Summarize([]float64{3, 3}), fmtMS), "3 мс"},
		{fmtSummary(Summary{}, fmtMS), "—"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
