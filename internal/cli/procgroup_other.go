//go:build !unix

package cli

import (
	"os"
	"os/exec"
)

// interruptGroup makes cmd's cancellation interrupt it rather than kill it.
func interruptGroup(cmd *exec.Cmd) {
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
}
