package dockerfile

import (
	"maps"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// Build variables (ARG and ENV) as BuildKit sees them. A FROM line sees the automatic
// platform arguments and the ARGs before the first FROM (GlobalVars); an instruction inside a
// stage sees the ARGs the stage has declared above it and the ENV set in the stage or in the
// stages it starts FROM (VarsAt). A variable map goes from name to value; expansion is
// BuildKit's own shell.Lex, as docker build does it.

// Expand substitutes build variables in word as BuildKit does in the instructions it expands
// itself (FROM, ENV, LABEL, COPY, WORKDIR, USER, a RUN's --mount): $VAR, ${VAR},
// ${VAR:-default}, ${VAR:+alternative}, quotes and the Dockerfile's escape character. A
// variable vars lacks becomes empty, and unset lists such names, sorted. A RUN's command is
// expanded by the shell when it runs, not by BuildKit, but in the same syntax: Expand finds
// the variables it uses, and single quotes hide them as they do from the shell.
func (f *File) Expand(word string, vars map[string]string) (result string, unset []string, err error) {
	res, err := f.lex(false).ProcessWordWithMatches(word, envOf(vars))
	if err != nil {
		return "", nil, err
	}
	return res.Result, slices.Sorted(maps.Keys(res.Unmatched)), nil
}

// lex is BuildKit's word expander with the Dockerfile's escape character; keepUnset leaves
// a variable without a value as written instead of empty.
func (f *File) lex(keepUnset bool) *shell.Lex {
	escape := f.escape
	if escape == 0 {
		escape = '\\'
	}
	l := shell.NewLex(escape)
	l.SkipUnsetEnv = keepUnset
	return l
}

func envOf(vars map[string]string) shell.EnvGetter {
	kv := make([]string, 0, len(vars))
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		kv = append(kv, k+"="+vars[k])
	}
	return shell.EnvsFromSlice(kv)
}

// platformArgs are the names of the build arguments BuildKit sets by itself.
var platformArgs = []string{
	"BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
	"TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
}

// PlatformArgs are the build arguments BuildKit sets by itself for a build on the platform
// build for the platform target, e.g. PlatformArgs("linux/amd64", "linux/arm64/v8"):
// BUILDPLATFORM=linux/amd64, BUILDOS=linux, BUILDARCH=amd64, BUILDVARIANT= and the same four
// TARGET… for linux/arm64/v8.
func PlatformArgs(build, target string) map[string]string {
	args := map[string]string{}
	for prefix, p := range map[string]string{"BUILD": build, "TARGET": target} {
		os, rest, _ := strings.Cut(p, "/")
		arch, variant, _ := strings.Cut(rest, "/")
		args[prefix+"PLATFORM"], args[prefix+"OS"], args[prefix+"ARCH"], args[prefix+"VARIANT"] = p, os, arch, variant
	}
	return args
}

// GlobalVars are the variables FROM lines see for a build with the given arguments (the
// --build-arg values and the automatic ones of PlatformArgs; nil for none): the automatic
// arguments, then each ARG before the first FROM, in order, with its --build-arg value or else
// its default, expanded. An ARG with neither is left out, as are --build-arg values no global
// ARG declares.
func (f *File) GlobalVars(args map[string]string) map[string]string {
	vars := map[string]string{}
	for _, name := range platformArgs {
		if v, ok := args[name]; ok {
			vars[name] = v
		}
	}
	for _, kv := range f.globals {
		if v, ok := args[kv.Key]; ok {
			vars[kv.Key] = v
		} else if kv.Value != nil {
			vars[kv.Key] = f.expandOr(*kv.Value, vars)
		}
	}
	return vars
}

// VarsAt are the variables set when the stage's i-th instruction runs, for a build with the
// given arguments (as for GlobalVars): the ENV of the stages it starts FROM, then each ARG
// and ENV of the stage above instruction i. An ARG takes its --build-arg value, else its
// default, else the value of the global ARG of that name, else it is declared but empty ("").
// The ENV of the base image itself is unknown here and not included.
func (f *File) VarsAt(s Stage, i int, args map[string]string) map[string]string {
	vars, _ := f.scan(s, i, args)
	return vars
}

// scan walks the stage's first n instructions and returns the variables set after them and,
// among them, those that ENV set: a stage that starts FROM this one inherits only those.
func (f *File) scan(s Stage, n int, args map[string]string) (vars, env map[string]string) {
	env = map[string]string{}
	if f.IsStage(s) {
		parent, _ := f.Stage(s.Base)
		_, env = f.scan(parent, len(parent.Instructions), args)
	}
	vars = maps.Clone(env)
	var global map[string]string // computed on the first ARG that needs it
	for _, in := range s.Instructions[:min(n, len(s.Instructions))] {
		switch c := in.Command.(type) {
		case *instructions.ArgCommand:
			for _, kv := range c.Args {
				switch v, ok := args[kv.Key]; {
				case ok:
					vars[kv.Key] = v
				case kv.Value != nil:
					vars[kv.Key] = f.expandOr(*kv.Value, vars)
				default:
					if global == nil {
						global = f.GlobalVars(args)
					}
					vars[kv.Key] = global[kv.Key]
				}
			}
		case *instructions.EnvCommand:
			before := maps.Clone(vars) // ENV A=1 B=$A: B sees A as it was before the line
			for _, kv := range c.Env {
				v := f.expandOr(kv.Value, before)
				vars[kv.Key], env[kv.Key] = v, v
			}
		}
	}
	return vars, env
}

// expandOr expands word with vars, or returns it as written when BuildKit could not.
func (f *File) expandOr(word string, vars map[string]string) string {
	v, _, err := f.Expand(word, vars)
	if err != nil {
		return word
	}
	return v
}
