package ru

import (
	"testing"
	"time"
)

func TestDecimal(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		prec int
		want string
	}{
		{7.834, 1, "7,8"},
		{0.13, 2, "0,13"},
		{680, 0, "680"},
		{1234.5, 1, "1\u00a0234,5"},
		{-2.5, 1, "-2,5"},
	} {
		if got := Decimal(tc.v, tc.prec); got != tc.want {
			t.Errorf("Decimal(%v, %d) = %q, want %q", tc.v, tc.prec, got, tc.want)
		}
	}
}

func TestNumber(t *testing.T) {
	for v, want := range map[float64]string{1.5: "1,5", 30: "30", 0.25: "0,25"} {
		if got := Number(v); got != want {
			t.Errorf("Number(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestUnits(t *testing.T) {
	if got, want := Seconds(130*time.Millisecond, 2), "0,13 с"; got != want {
		t.Errorf("Seconds = %q, want %q", got, want)
	}
	if got, want := Megabytes(87_412_345), "87,4 МБ"; got != want {
		t.Errorf("Megabytes = %q, want %q", got, want)
	}
	if got, want := Int(6176930), "6\u00a0176\u00a0930"; got != want {
		t.Errorf("Int = %q, want %q", got, want)
	}
}

func TestSizeAndTimes(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Size(680_300_000), "680 МБ"},
		{Size(87_140_000), "87,1 МБ"},
		{Size(5_767_352), "5,77 МБ"},
		{Size(1_210_000_000), "1,21 ГБ"},
		{Size(950_000), "950 КБ"},
		{Size(12), "12 Б"},
		{Times(1.0004), "1,00×"},
		{Times(15.08), "15,1×"},
		{Times(118.2), "118×"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestPlural(t *testing.T) {
	forms := func(n int) string { return Count(n, "проверка", "проверки", "проверок") }
	for n, want := range map[int]string{
		0: "0 проверок", 1: "1 проверка", 2: "2 проверки", 4: "4 проверки", 5: "5 проверок",
		11: "11 проверок", 12: "12 проверок", 14: "14 проверок", 21: "21 проверка",
		22: "22 проверки", 25: "25 проверок", 101: "101 проверка", 111: "111 проверок",
	} {
		if got := forms(n); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		5 * time.Second: "5 с", 1500 * time.Millisecond: "1,5 с", 90 * time.Second: "90 с",
		5 * time.Minute: "5 мин", 250 * time.Millisecond: "0,25 с", 2 * time.Hour: "120 мин",
	} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}

// Elapsed is the format of the CLI's progress: tenths under 10 s, whole seconds under a
// minute, then minutes and seconds.
func TestElapsed(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0,0 с"},
		{400 * time.Millisecond, "0,4 с"},
		{9900 * time.Millisecond, "9,9 с"},
		{10 * time.Second, "10 с"},
		{12900 * time.Millisecond, "12 с"},
		{59 * time.Second, "59 с"},
		{time.Minute, "1 мин 0 с"},
		{65 * time.Second, "1 мин 5 с"},
		{61*time.Minute + 9*time.Second, "61 мин 9 с"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			if got := Elapsed(tc.d); got != tc.want {
				t.Errorf("Elapsed(%v) = %q, want %q", tc.d, got, tc.want)
			}
		})
	}
}

func TestMilliseconds(t *testing.T) {
	for ms, want := range map[float64]string{0: "0 мс", 210.4: "210 мс", 999: "999 мс", 1000: "1,0 с",
		19_840: "19,8 с", 99_940: "99,9 с", 125_300: "125 с"} {
		if got := Milliseconds(ms); got != want {
			t.Errorf("Milliseconds(%v) = %q, want %q", ms, got, want)
		}
	}
}
