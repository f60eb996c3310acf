package classroom

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/go-docker-workshop/workshop/internal/verdict"
)

// JUnit XML as GitLab, GitHub's test reporters and Jenkins read it: one test suite per
// lesson, holding a test case for the lesson as a whole and one for each check step.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

func junitTime(r Result) string { return fmt.Sprintf("%.3f", r.Elapsed.Seconds()) }

// WriteJUnit writes the report as JUnit XML; name names the whole run.
func WriteJUnit(w io.Writer, name string, r Report) error {
	all := junitSuites{Name: name, Time: fmt.Sprintf("%.3f", r.Elapsed.Seconds())}
	for _, res := range r.Results {
		classname := "lessons." + res.Slug
		s := junitSuite{Name: res.Name(), Time: junitTime(res)}
		lesson := junitCase{Name: fmt.Sprintf("урок %d: задание", res.Number), Classname: classname, Time: junitTime(res)}
		if res.Status != Passed {
			text := strings.Join(res.Detail, "\n")
			if text == "" {
				text = res.Problem
			}
			msg := res.Status.Word()
			if res.Problem != "" {
				msg += ": " + oneLine(res.Problem, 0)
			}
			lesson.Failure = &junitFailure{Message: msg, Type: string(res.Status), Text: text}
		}
		s.Cases = append(s.Cases, lesson)
		for _, st := range res.Steps {
			c := junitCase{Name: st.Name, Classname: classname, Time: fmt.Sprintf("%.3f", st.Elapsed.Seconds())}
			switch st.Status {
			case verdict.Failed:
				p := st.Problem
				if p == nil {
					p = &verdict.Problem{What: "проверка не пройдена"}
				}
				c.Failure = &junitFailure{Message: oneLine(p.What, 0), Type: verdict.Failed, Text: strings.TrimPrefix(p.Error(), "✗ ")}
			case verdict.Passed:
			default:
				c.Skipped = &junitSkipped{Message: "не запускалась: раньше не прошла другая проверка"}
			}
			s.Cases = append(s.Cases, c)
		}
		for _, c := range s.Cases {
			s.Tests++
			if c.Failure != nil {
				s.Failures++
			}
			if c.Skipped != nil {
				s.Skipped++
			}
		}
		all.Tests += s.Tests
		all.Failures += s.Failures
		all.Skipped += s.Skipped
		all.Suites = append(all.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(all); err != nil {
		return fmt.Errorf("write JUnit XML: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
