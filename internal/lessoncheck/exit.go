package lessoncheck

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/go-docker-workshop/workshop/internal/imagetest"
)

// RunToExit starts an image that is expected to fail at once (a binary its image can't
// start) and returns its exit code and log, within a minute. It is an error when the
// container still runs by then.
func RunToExit(ctx context.Context, img *imagetest.Image) (code int, log string, err error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	c, err := img.Run(ctx, imagetest.RunOptions{NoWait: true})
	if c != nil {
		defer func() { _ = c.Terminate(context.WithoutCancel(ctx)) }()
	}
	if c == nil {
		return 0, "", fmt.Errorf("start %s: %w", img.Ref, err)
	}
	// The process may exit before Run asks for the mapped port; that error is expected.
	for {
		st, err := c.State(ctx)
		if err != nil {
			return 0, "", err
		}
		if !st.Running {
			return st.ExitCode, strings.TrimSpace(c.Logs(ctx) + st.Error), nil
		}
		select {
		case <-ctx.Done():
			return 0, "", fmt.Errorf("%s still runs, want it to fail at once", img.Ref)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
