package bench

import (
	"math"
	"slices"
)

// Summary is what several runs of one measurement come to: the median, the spread (min–max)
// and the values themselves, in the order they were measured.
type Summary struct {
	Median float64   `json:"median"`
	Min    float64   `json:"min"`
	Max    float64   `json:"max"`
	Values []float64 `json:"values"`
}

// Summarize computes the median and spread of values. The median of an even number of
// values is the mean of the two middle ones. An empty input gives the zero Summary.
func Summarize(values []float64) Summary {
	if len(values) == 0 {
		return Summary{}
	}
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	n := len(sorted)
	median := sorted[n/2]
	if n%2 == 0 {
		median = (sorted[n/2-1] + sorted[n/2]) / 2
	}
	return Summary{Median: median, Min: sorted[0], Max: sorted[n-1], Values: slices.Clone(values)}
}

// Empty reports whether nothing was measured.
func (s Summary) Empty() bool { return len(s.Values) == 0 }

// Spread is max − min.
func (s Summary) Spread() float64 { return s.Max - s.Min }

// RelSpread is the spread relative to the median (0.1 = 10 %), or 0 for a zero median.
func (s Summary) RelSpread() float64 {
	if s.Median == 0 {
		return 0
	}
	return math.Abs(s.Spread() / s.Median)
}
