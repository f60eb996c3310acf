package lessoncheck

import (
	"testing"
	"time"
)

func TestNotRun(t *testing.T) {
	for n, want := range map[int]string{1: "проверка не запускалась", 3: "проверки не запускались",
		11: "проверок не запускались", 21: "проверка не запускалась"} {
		if got := notRun(n); got != want {
			t.Errorf("notRun(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestSeconds(t *testing.T) {
	if got := Seconds(130 * time.Millisecond); got != "0,13 с" {
		t.Errorf("Seconds = %q, want «0,13 с»", got)
	}
}

var serverCmd = ExecForm(CommandText{
	NoCommand: "контейнер запустит bash",
	ShellForm: "PID 1 станет оболочка",
})

func TestExecForm(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string // want: "" for a pass, else a part of the message
	}{
		{"cmd", "FROM debian\nCMD [\"./server\"]\n", ""},
		{"entrypoint", "FROM debian\nENTRYPOINT [\"/go/server\"]\n", ""},
		{"inherited from an earlier stage", "FROM debian AS base\nCMD [\"./server\"]\nFROM base\n", ""},
		{"none", "FROM debian\n", "нет ни CMD, ни ENTRYPOINT — контейнер запустит bash"},
		{"only in the builder", "FROM golang AS b\nCMD [\"./server\"]\nFROM debian\n", "нет ни CMD, ни ENTRYPOINT"},
		{"shell form", "FROM debian\nCMD ./server\n", "CMD ./server (строка 2) в shell-форме: PID 1 станет оболочка"},
		{"single quotes", "FROM debian\nCMD ['./server']\n", "в shell-форме"},
	} {
		t.Run(tc.name, func(t *testing.T) { WantStatic(t, tc.src, serverCmd, tc.want) })
	}
}
