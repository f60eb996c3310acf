package bench

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/go-docker-workshop/workshop/internal/ru"
)

// Numbers in the reports follow Russian typography: a decimal comma and units after a space.
// Sizes are decimal, as `docker images` shows them: 1 МБ = 1 000 000 байт.

// decimal formats v with prec digits after a decimal comma.
func decimal(v float64, prec int) string { return ru.Decimal(v, prec) }

// sig3 formats v with about three significant digits: 5,77 · 87,1 · 680.
func sig3(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100:
		return decimal(v, 0)
	case a >= 10:
		return decimal(v, 1)
	default:
		return decimal(v, 2)
	}
}

// fmtBytes formats a size: 5,77 МБ, 680 МБ, 1,21 ГБ, 950 КБ.
func fmtBytes(b float64) string {
	switch {
	case b >= 1e9:
		return sig3(b/1e9) + " ГБ"
	case b >= 1e6:
		return sig3(b/1e6) + " МБ"
	case b >= 1e3:
		return sig3(b/1e3) + " КБ"
	default:
		return decimal(b, 0) + " Б"
	}
}

// fmtMS formats milliseconds: 210 мс below a second, 19,8 с above.
func fmtMS(v float64) string {
	if v < 1000 {
		return decimal(v, 0) + " мс"
	}
	s := v / 1000
	if s >= 100 {
		return decimal(s, 0) + " с"
	}
	return decimal(s, 1) + " с"
}

func fmtDuration(d time.Duration) string { return fmtMS(ms(d)) }

// fmtRatio formats how many times an image is larger than its binary: 1,04×, 15,1×, 123×.
func fmtRatio(r float64) string {
	switch {
	case r >= 100:
		return decimal(r, 0) + "×"
	case r >= 10:
		return decimal(r, 1) + "×"
	default:
		return decimal(r, 2) + "×"
	}
}

// fmtSummary formats a median with its spread: "19,8 с (19,1–20,5)"; one value alone.
func fmtSummary(s Summary, f func(float64) string) string {
	if s.Empty() {
		return "—"
	}
	med := f(s.Median)
	if len(s.Values) == 1 || s.Min == s.Max {
		return med
	}
	lo, hi := stripUnit(f(s.Min)), stripUnit(f(s.Max))
	if unit(f(s.Min)) != unit(med) || unit(f(s.Max)) != unit(med) {
		lo, hi = f(s.Min), f(s.Max)
	}
	return fmt.Sprintf("%s (%s–%s)", med, lo, hi)
}

func unit(s string) string {
	_, u, _ := strings.Cut(s, " ")
	return u
}

func stripUnit(s string) string {
	v, _, _ := strings.Cut(s, " ")
	return v
}

// fmtSeconds formats seconds for the make test fields: 52 с, 60 с, 11 мин 5 с, 15 мин.
func fmtSeconds(s float64) string {
	if s <= 60 {
		return decimal(s, 0) + " с"
	}
	m, rest := int(s)/60, int(s)%60
	if rest == 0 {
		return fmt.Sprintf("%d мин", m)
	}
	return fmt.Sprintf("%d мин %d с", m, rest)
}

// trimZero drops a zero fraction: "5,0 с" → "5 с", "1,10×" → "1,1×"; for round limits.
func trimZero(s string) string {
	num, rest := s, ""
	if i := strings.IndexAny(s, " ×"); i >= 0 {
		num, rest = s[:i], s[i:]
	}
	if strings.Contains(num, ",") {
		num = strings.TrimRight(num, "0")
		num = strings.TrimSuffix(num, ",")
	}
	return num + rest
}
