// Package ru writes numbers and counted nouns the way a Russian text does: a decimal comma,
// thousands apart («1 234,5»), and a noun that agrees with its number («1 проверка,
// 2 проверки, 5 проверок»). Every number a student reads goes through it.
package ru

import (
	"math"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

var printer = message.NewPrinter(language.Russian)

// Decimal formats v with prec digits after the decimal comma: Decimal(7.834, 1) is «7,8».
func Decimal(v float64, prec int) string {
	return printer.Sprintf("%.*f", prec, v)
}

// Number formats v with as many decimals as it needs and no more: «1,5», «30», «0,25».
func Number(v float64) string { return printer.Sprintf("%v", v) }

// Int formats n with its thousands apart: «12 345».
func Int(n int64) string { return printer.Sprintf("%d", n) }

// Seconds formats a duration in seconds with prec decimals: Seconds(130*time.Millisecond, 2)
// is «0,13 с».
func Seconds(d time.Duration, prec int) string { return Decimal(d.Seconds(), prec) + " с" }

// Duration formats a duration the way a setting is read: whole minutes as «5 мин», anything
// else in seconds with as many decimals as it needs: «30 с», «1,5 с», «90 с».
func Duration(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		return Int(int64(d/time.Minute)) + " мин"
	}
	return Number(d.Seconds()) + " с"
}

// Elapsed formats how long something took, as progress lines show it: tenths of a second
// under 10 s («0,4 с», «9,9 с»), whole seconds under a minute («12 с»), then minutes and
// seconds («1 мин 5 с»).
func Elapsed(d time.Duration) string {
	switch {
	case d < 10*time.Second:
		return Seconds(d, 1)
	case d < time.Minute:
		return Int(int64(d/time.Second)) + " с"
	}
	return Int(int64(d/time.Minute)) + " мин " + Int(int64(d%time.Minute/time.Second)) + " с"
}

// Milliseconds formats a time measured in milliseconds, as the bench reports it: «210 мс»
// below a second, «19,8 с» below 100 s, «125 с» above.
func Milliseconds(ms float64) string {
	switch {
	case ms < 1000:
		return Decimal(ms, 0) + " мс"
	case ms < 100_000:
		return Decimal(ms/1000, 1) + " с"
	}
	return Decimal(ms/1000, 0) + " с"
}

// Megabytes formats a size in Docker's decimal megabytes (10⁶ bytes, as docker images shows
// them) with one decimal: «87,4 МБ».
func Megabytes(n int64) string { return Decimal(float64(n)/1e6, 1) + " МБ" }

// Size formats a size in Docker's decimal units (1 МБ = 10⁶ bytes) with about three
// significant digits: «950 КБ», «5,77 МБ», «87,1 МБ», «680 МБ», «1,21 ГБ».
func Size(bytes float64) string {
	switch {
	case bytes >= 1e9:
		return sig3(bytes/1e9) + " ГБ"
	case bytes >= 1e6:
		return sig3(bytes/1e6) + " МБ"
	case bytes >= 1e3:
		return sig3(bytes/1e3) + " КБ"
	}
	return Decimal(bytes, 0) + " Б"
}

// Times formats how many times one thing is another, with about three significant digits:
// «1,00×», «15,1×», «118×».
func Times(r float64) string { return sig3(r) + "×" }

func sig3(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100:
		return Decimal(v, 0)
	case a >= 10:
		return Decimal(v, 1)
	}
	return Decimal(v, 2)
}

// Plural picks the form of a noun that agrees with n: one for 1, 21, 101…; few for 2–4,
// 22–24…; many for 0, 5–20, 25–30… and 11–14 of every hundred.
func Plural(n int, one, few, many string) string {
	if n < 0 {
		n = -n
	}
	switch {
	case n%100 >= 11 && n%100 <= 14:
		return many
	case n%10 == 1:
		return one
	case n%10 >= 2 && n%10 <= 4:
		return few
	default:
		return many
	}
}

// Count is n followed by the agreeing noun: Count(5, "проверка", "проверки", "проверок") is
// «5 проверок».
func Count(n int, one, few, many string) string {
	return Int(int64(n)) + " " + Plural(n, one, few, many)
}
