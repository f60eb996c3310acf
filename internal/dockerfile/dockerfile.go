// Package dockerfile reads a Dockerfile with BuildKit's own parser and answers the questions
// the lesson checks ask before anything is built: how many stages, which base images, which
// form CMD takes, what crosses from one stage to another. It hands on BuildKit's typed view
// of an instruction (a RUN's flags and mounts, a HEALTHCHECK's settings, a LABEL's keys) and
// expands build variables with BuildKit's own shell.Lex, so that checks never parse
// Dockerfile text again.
package dockerfile

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// File is a parsed Dockerfile.
type File struct {
	Path   string
	Stages []Stage
	// Args are the ARG instructions before the first FROM, name → default value as written
	// ("" when there is none).
	Args map[string]string

	globals []instructions.KeyValuePairOptional // the same ARGs in their order, for GlobalVars
	escape  rune                                // the escape character: \ unless a directive says `
}

// Stage is one FROM and the instructions that follow it.
type Stage struct {
	Index        int
	Name         string // lower-case stage name from AS, "" when unnamed
	Base         string // image or stage named in FROM, as written
	Platform     string // value of FROM --platform, as written
	Line         int
	Instructions []Instruction
}

// Instruction is one instruction of a stage.
type Instruction struct {
	Name     string            // upper-case: RUN, COPY, CMD …
	Args     []string          // arguments; for exec form the JSON array's items
	ExecForm bool              // JSON (exec) form of RUN, CMD, ENTRYPOINT
	From     string            // COPY --from value
	Env      map[string]string // ENV: name → value as written
	Line     int
	Source   string // the instruction as written

	// Labels are a LABEL's keys and values as the image gets them: quotes removed and
	// variables expanded with the Dockerfile's defaults (no --build-arg).
	Labels map[string]string
	// Health is a HEALTHCHECK's settings; nil for any other instruction.
	Health *Health
	// RunFlags are a RUN's flags; nil for any other instruction.
	RunFlags *RunFlags
	// Command is BuildKit's typed instruction (*instructions.RunCommand, …), for what the
	// fields above leave out.
	Command instructions.Command
}

// Health is what a HEALTHCHECK sets, as BuildKit reads it. A zero duration or Retries is
// unset: Docker uses its default (WithDefaults).
type Health struct {
	Test          []string // ["CMD", argv…], ["CMD-SHELL", command] or ["NONE"]
	Interval      time.Duration
	Timeout       time.Duration
	StartPeriod   time.Duration
	StartInterval time.Duration // how often to probe during StartPeriod (Docker 25 and later)
	Retries       int
}

// HealthDefaults are the values Docker uses for what a HEALTHCHECK leaves unset.
var HealthDefaults = Health{
	Interval: 30 * time.Second, Timeout: 30 * time.Second, StartInterval: 5 * time.Second, Retries: 3,
}

// WithDefaults returns h with Docker's defaults (HealthDefaults) in place of unset values.
func (h Health) WithDefaults() Health {
	d := HealthDefaults
	if h.Interval == 0 {
		h.Interval = d.Interval
	}
	if h.Timeout == 0 {
		h.Timeout = d.Timeout
	}
	if h.StartInterval == 0 {
		h.StartInterval = d.StartInterval
	}
	if h.Retries == 0 {
		h.Retries = d.Retries
	}
	return h
}

// RunFlags are what a RUN's flags ask of BuildKit, as BuildKit reads them.
type RunFlags struct {
	Used []string // the flags written, by name and sorted: "device", "mount", "network", "security"
	// Mounts are the --mount flags, their values expanded with the stage's variables (the
	// Dockerfile's defaults): cache, bind, secret, ssh or tmpfs, target, source, cache id…
	Mounts   []*instructions.Mount
	Network  string // --network: "default", "none" or "host"
	Security string // --security: "sandbox" or "insecure"
}

// Parse reads and parses a Dockerfile. Its errors are meant for students.
func Parse(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("не удалось прочитать %s: %w", path, err)
	}
	return ParseBytes(path, data)
}

// ParseBytes parses Dockerfile contents; name is used in messages.
func ParseBytes(name string, data []byte) (*File, error) {
	res, err := parser.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: Dockerfile не разбирается: %v", name, err)
	}
	stages, metaArgs, err := instructions.Parse(res.AST, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: Dockerfile не разбирается: %v", name, err)
	}
	if len(stages) == 0 {
		return nil, fmt.Errorf("%s: в Dockerfile нет ни одной инструкции FROM", name)
	}
	f := &File{Path: name, Args: map[string]string{}, escape: res.EscapeToken}
	for _, a := range metaArgs {
		for _, kv := range a.Args {
			f.Args[kv.Key] = kv.ValueString()
			f.globals = append(f.globals, kv)
		}
	}
	for i, s := range stages {
		st := Stage{Index: i, Name: strings.ToLower(s.Name), Base: s.BaseName, Platform: s.Platform, Line: line(s.Location)}
		for _, c := range s.Commands {
			st.Instructions = append(st.Instructions, convert(c))
		}
		f.Stages = append(f.Stages, st)
	}
	// What BuildKit expands as it dispatches an instruction (a RUN's mounts, a LABEL's keys
	// and values) needs the stage's variables at that instruction: a second pass.
	for _, st := range f.Stages {
		for i := range st.Instructions {
			if err := f.expandTyped(st, i); err != nil {
				return nil, fmt.Errorf("%s: Dockerfile не разбирается: строка %d: %v", name, st.Instructions[i].Line, err)
			}
		}
	}
	return f, nil
}

// expandTyped fills the typed fields of the stage's i-th instruction that depend on the
// stage's variables.
func (f *File) expandTyped(s Stage, i int) error {
	in := &s.Instructions[i]
	expand := func(word string) (string, error) {
		v, _, err := f.Expand(word, f.VarsAt(s, i, nil))
		return v, err
	}
	switch c := in.Command.(type) {
	case *instructions.RunCommand:
		if err := c.Expand(expand); err != nil {
			return err
		}
		// BuildKit fills FlagsUsed from a map, so its order changes from run to run.
		used := slices.Clone(c.FlagsUsed)
		slices.Sort(used)
		in.RunFlags = &RunFlags{
			Used: used, Mounts: instructions.GetMounts(c),
			Network: instructions.GetNetwork(c), Security: instructions.GetSecurity(c),
		}
	case *instructions.LabelCommand:
		in.Labels = map[string]string{}
		for _, kv := range c.Labels {
			k, err := expand(kv.Key)
			if err != nil {
				return err
			}
			v, err := expand(kv.Value)
			if err != nil {
				return err
			}
			in.Labels[k] = v
		}
	}
	return nil
}

func line(r []parser.Range) int {
	if len(r) == 0 {
		return 0
	}
	return r[0].Start.Line
}

func convert(c instructions.Command) Instruction {
	in := Instruction{Name: strings.ToUpper(c.Name()), Line: line(c.Location()), Command: c}
	if s, ok := c.(fmt.Stringer); ok {
		in.Source = s.String()
	}
	switch c := c.(type) {
	case *instructions.RunCommand:
		in.Args, in.ExecForm = c.CmdLine, !c.PrependShell
		// A heredoc (RUN <<EOF … EOF) is the script itself: its lines are the arguments
		// a check reads, as if written on the RUN line.
		for _, f := range c.Files {
			in.Args = append(append([]string{}, in.Args...), f.Data)
			in.Source += "\n" + f.Data + f.Name // as written: the body and its end marker
		}
	case *instructions.CmdCommand:
		in.Args, in.ExecForm = c.CmdLine, !c.PrependShell
	case *instructions.EntrypointCommand:
		in.Args, in.ExecForm = c.CmdLine, !c.PrependShell
	case *instructions.CopyCommand:
		in.Args, in.From = append(append([]string{}, c.SourcePaths...), c.DestPath), c.From
	case *instructions.AddCommand:
		in.Args = append(append([]string{}, c.SourcePaths...), c.DestPath)
	case *instructions.WorkdirCommand:
		in.Args = []string{c.Path}
	case *instructions.UserCommand:
		in.Args = []string{c.User}
	case *instructions.EnvCommand:
		in.Env = map[string]string{}
		for _, kv := range c.Env {
			in.Env[kv.Key] = kv.Value
			in.Args = append(in.Args, kv.Key+"="+kv.Value)
		}
	case *instructions.ArgCommand:
		for _, kv := range c.Args {
			in.Args = append(in.Args, kv.Key)
		}
	case *instructions.ExposeCommand:
		in.Args = c.Ports
	case *instructions.HealthCheckCommand:
		in.Args = strings.Fields(strings.TrimSpace(strings.TrimPrefix(in.Source, c.Name())))
		if h := c.Health; h != nil {
			in.Health = &Health{
				Test: h.Test, Interval: h.Interval, Timeout: h.Timeout,
				StartPeriod: h.StartPeriod, StartInterval: h.StartInterval, Retries: h.Retries,
			}
		}
	default:
		in.Args = strings.Fields(strings.TrimSpace(strings.TrimPrefix(in.Source, c.Name())))
	}
	return in
}

// Final returns the last stage: the one `docker build` produces without --target.
func (f *File) Final() Stage { return f.Stages[len(f.Stages)-1] }

// Stage returns the stage with the given name or index (as COPY --from accepts both).
func (f *File) Stage(ref string) (Stage, bool) {
	for _, s := range f.Stages {
		if s.Name != "" && s.Name == strings.ToLower(ref) || fmt.Sprint(s.Index) == ref {
			return s, true
		}
	}
	return Stage{}, false
}

// Find returns the stage's instructions with the given name.
func (s Stage) Find(name string) []Instruction {
	var out []Instruction
	for _, in := range s.Instructions {
		if in.Name == strings.ToUpper(name) {
			out = append(out, in)
		}
	}
	return out
}

// Last returns the stage's last instruction with the given name: the one that takes effect
// for CMD, ENTRYPOINT, WORKDIR, USER.
func (s Stage) Last(name string) (Instruction, bool) {
	all := s.Find(name)
	if len(all) == 0 {
		return Instruction{}, false
	}
	return all[len(all)-1], true
}

// Label returns how messages name the stage: «этап builder (строка 3)».
func (s Stage) Label() string {
	if s.Name != "" {
		return fmt.Sprintf("этап %s (строка %d)", s.Name, s.Line)
	}
	return fmt.Sprintf("этап №%d (строка %d)", s.Index+1, s.Line)
}

// IsStage reports whether the stage's FROM names an earlier stage rather than an image.
func (f *File) IsStage(s Stage) bool {
	for _, prev := range f.Stages[:s.Index] {
		if prev.Name != "" && prev.Name == strings.ToLower(s.Base) {
			return true
		}
	}
	return false
}

// BaseImage follows FROM through earlier stages to the image the stage really starts from,
// global ARG defaults expanded. A variable without a value stays as written: golang:${GO}.
func (f *File) BaseImage(s Stage) string {
	for f.IsStage(s) {
		s, _ = f.Stage(s.Base)
	}
	base, _, err := f.lex(true).ProcessWord(s.Base, envOf(f.GlobalVars(nil)))
	if err != nil {
		return s.Base
	}
	return base
}

// Health returns the HEALTHCHECK that takes effect in the final image (as Effective finds
// it) with its instruction; ok is false when there is none.
func (f *File) Health() (h Health, in Instruction, ok bool) {
	in, ok = f.Effective("HEALTHCHECK")
	if !ok || in.Health == nil {
		return Health{}, in, false
	}
	return *in.Health, in, true
}

// Effective returns the instruction with the given name that takes effect in the final
// image (CMD, ENTRYPOINT, USER, WORKDIR): the last one in the final stage or, when that stage
// starts FROM an earlier stage and sets none, in that stage, and so on.
func (f *File) Effective(name string) (Instruction, bool) {
	s := f.Final()
	for {
		if in, ok := s.Last(name); ok {
			return in, true
		}
		if !f.IsStage(s) {
			return Instruction{}, false
		}
		s, _ = f.Stage(s.Base)
	}
}

// SplitRef splits an image reference into its name, tag and digest:
// "golang:1.26-bookworm" → "golang", "1.26-bookworm", "".
func SplitRef(ref string) (name, tag, digest string) {
	name, digest, _ = strings.Cut(ref, "@")
	if i := strings.LastIndex(name, ":"); i > strings.LastIndex(name, "/") {
		name, tag = name[:i], name[i+1:]
	}
	return name, tag, digest
}

// ShortName is the last component of an image name: golang for docker.io/library/golang.
func ShortName(name string) string { return name[strings.LastIndex(name, "/")+1:] }

// StepLine finds the line of the instruction that BuildKit reports as step k of the stage it
// calls stage ("builder", or "stage-1" for an unnamed second stage; "" for a Dockerfile of one
// stage), whose text is instruction (e.g. "RUN go build -o server ."). BuildKit counts FROM
// (unless the stage starts from scratch or another stage), then each ADD, COPY, RUN and
// WORKDIR. The text decides where it matches; the count where it does not (BuildKit may show
// ARG values expanded). It returns 0 when the step is not found.
func (f *File) StepLine(stage string, k int, instruction string) int {
	var st *Stage
	for i := range f.Stages {
		s := &f.Stages[i]
		if s.Name == strings.ToLower(stage) || fmt.Sprintf("stage-%d", s.Index) == stage ||
			(stage == "" && len(f.Stages) == 1) {
			st = s
			break
		}
	}
	if st == nil {
		return 0
	}
	want := normalizeSpace(instruction)
	if strings.HasPrefix(strings.ToUpper(want), "FROM ") {
		return st.Line
	}
	var counted []Instruction
	if st.Base != "scratch" && !f.IsStage(*st) {
		counted = append(counted, Instruction{Name: "FROM", Line: st.Line})
	}
	for _, in := range st.Instructions {
		switch in.Name {
		case "ADD", "COPY", "RUN", "WORKDIR":
			if normalizeSpace(in.Source) == want {
				return in.Line
			}
			counted = append(counted, in)
		}
	}
	if k >= 1 && k <= len(counted) {
		return counted[k-1].Line
	}
	return 0
}

func normalizeSpace(s string) string { return strings.Join(strings.Fields(s), " ") }
