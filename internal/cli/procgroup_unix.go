//go:build unix

package cli

import (
	"os/exec"
	"syscall"
)

// interruptGroup starts cmd in a process group of its own and makes its cancellation send
// SIGINT to the whole group: the go command and the test binary it runs.
func interruptGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); err != nil {
			return cmd.Process.Signal(syscall.SIGINT)
		}
		return nil
	}
}
