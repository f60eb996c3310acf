package elfinfo

import (
	"bytes"
	"debug/elf"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// server is a tiny program that uses the net package: with cgo on, Go links it against
// libc for the system resolver, so the result is dynamically linked.
const server = `package main

import (
	"fmt"
	"net"
)

func main() { fmt.Println(net.JoinHostPort("localhost", "8080")) }
`

// build compiles server with the given environment and flags and returns the binary's path.
func build(t *testing.T, env []string, flags ...string) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte(server), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "server")
	args := append(append([]string{"build", "-o", out}, flags...), src)
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), append([]string{"GOOS=linux", "GOFLAGS="}, env...)...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s (%s): %v\n%s", strings.Join(args, " "), strings.Join(env, " "), err, msg)
	}
	return out
}

func inspect(t *testing.T, path string) Info {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, err := Inspect(f)
	if err != nil {
		t.Fatalf("Inspect(%s): %v", path, err)
	}
	t.Logf("%s: %s", filepath.Base(path), info)
	return info
}

func TestStaticAmd64(t *testing.T) {
	got := inspect(t, build(t, []string{"CGO_ENABLED=0", "GOARCH=amd64"}))
	if got.Machine != elf.EM_X86_64 || got.Arch != "amd64" {
		t.Errorf("machine = %v (%s), want EM_X86_64 (amd64)", got.Machine, got.Arch)
	}
	if !got.Static || got.Interpreter != "" || len(got.Needed) != 0 {
		t.Errorf("got static=%v interp=%q needed=%v, want a static binary", got.Static, got.Interpreter, got.Needed)
	}
	if got.Stripped {
		t.Error("a default go build keeps .symtab, got Stripped")
	}
}

func TestStaticArm64(t *testing.T) {
	got := inspect(t, build(t, []string{"CGO_ENABLED=0", "GOARCH=arm64"}))
	if got.Machine != elf.EM_AARCH64 || got.Arch != "arm64" {
		t.Errorf("machine = %v (%s), want EM_AARCH64 (arm64)", got.Machine, got.Arch)
	}
	if !got.Static {
		t.Errorf("want static, got %s", got)
	}
}

func TestDynamicCgo(t *testing.T) {
	if _, err := exec.LookPath("gcc"); err != nil || runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skip("cgo for linux/amd64 needs gcc on a linux/amd64 host")
	}
	got := inspect(t, build(t, []string{"CGO_ENABLED=1", "GOARCH=amd64"}))
	if got.Static {
		t.Fatalf("a cgo build of a program importing net must be dynamic, got %s", got)
	}
	if got.Interpreter != "/lib64/ld-linux-x86-64.so.2" {
		t.Errorf("interpreter = %q, want /lib64/ld-linux-x86-64.so.2", got.Interpreter)
	}
	if !slices.Contains(got.Needed, "libc.so.6") {
		t.Errorf("needed = %v, want libc.so.6 among them", got.Needed)
	}
	for _, want := range []string{"amd64, динамический", "загрузчик /lib64/ld-linux-x86-64.so.2", "libc.so.6"} {
		if !strings.Contains(got.String(), want) {
			t.Errorf("String() = %q, want it to contain %q", got.String(), want)
		}
	}
}

func TestStripped(t *testing.T) {
	got := inspect(t, build(t, []string{"CGO_ENABLED=0"}, "-trimpath", "-ldflags=-s -w"))
	if !got.Stripped {
		t.Errorf("-ldflags=-s -w must drop .symtab, got %s", got)
	}
	if !strings.Contains(got.String(), "символы удалены") {
		t.Errorf("String() = %q", got.String())
	}
}

func TestNotELF(t *testing.T) {
	_, err := Inspect(bytes.NewReader([]byte("#!/bin/sh\necho hi\n")))
	if !errors.Is(err, ErrNotELF) {
		t.Errorf("Inspect(shell script) error = %v, want ErrNotELF", err)
	}
}

func TestArch(t *testing.T) {
	for m, want := range map[elf.Machine]string{
		elf.EM_X86_64: "amd64", elf.EM_AARCH64: "arm64", elf.EM_386: "386", elf.EM_RISCV: "riscv64",
	} {
		if got := Arch(m, elf.ELFCLASS64); got != want {
			t.Errorf("Arch(%v) = %q, want %q", m, got, want)
		}
	}
}
