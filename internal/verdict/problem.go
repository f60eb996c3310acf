// Package verdict is what a check says and how it travels: a Problem is the course's one
// error with a hint, and a Report is the record of a check run (its steps, each problem with
// its hint, build events, times) that the checks write as JSON lines to a file the CLI names
// and the CLI reads back, live and at the end. Nothing in it is matched as text.
package verdict

import (
	"errors"
	"fmt"
)

// HintWord starts the hint's line when a Problem is printed as text (go test -v).
const HintWord = "Подсказка: "

// Problem is what is wrong and what to do about it.
type Problem struct {
	What string `json:"what"`
	Hint string `json:"hint,omitempty"`
	// Err is the cause, for errors.Is and errors.As; What already says it in words.
	Err error `json:"-"`
}

// Error is the problem as text: the mark, what is wrong and, on its own line, the hint.
func (p *Problem) Error() string {
	if p.Hint == "" {
		return "✗ " + p.What
	}
	return "✗ " + p.What + "\n" + HintWord + p.Hint
}

func (p *Problem) Unwrap() error { return p.Err }

// Failf returns a Problem; hint says how to fix it.
func Failf(hint, format string, args ...any) *Problem {
	return &Problem{What: fmt.Sprintf(format, args...), Hint: hint}
}

// Wrapf returns err with a hint, the cause put in words: the text says what happened, err is
// kept for errors.Is. format may use %v or %w for err as fmt.Errorf does.
func Wrapf(err error, hint, format string, args ...any) *Problem {
	return &Problem{What: fmt.Errorf(format, args...).Error(), Hint: hint, Err: err}
}

// As returns the Problem in err's chain; a plain error becomes a Problem without a hint.
func As(err error) *Problem {
	if err == nil {
		return nil
	}
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	return &Problem{What: err.Error(), Err: err}
}
