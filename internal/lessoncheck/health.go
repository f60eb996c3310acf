package lessoncheck

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"

	"github.com/go-docker-workshop/workshop/internal/dockerfile"
	"github.com/go-docker-workshop/workshop/internal/imagetest"
)

// HealthWait is how a wait for Docker's verdict on a container's health ended.
type HealthWait struct {
	// Health is the last state Docker reported: healthy, unhealthy, or still starting when
	// the time ran out.
	Health *container.Health
	// Config is the container's health check, Docker's defaults in place of unset values.
	Config dockerfile.Health
	Limit  time.Duration // how long the wait could last
	Waited time.Duration // how long it lasted
}

// TimedOut reports whether the time ran out before Docker said healthy or unhealthy.
func (w HealthWait) TimedOut() bool {
	return w.Health.Status != container.Healthy && w.Health.Status != container.Unhealthy
}

// healthPoll is how often WaitHealthy asks Docker.
const healthPoll = 250 * time.Millisecond

// WaitHealthy polls the container's health status through the Docker API, as docker ps shows
// it, until Docker reports healthy or unhealthy, or limit has passed; limit gets the
// container's health check, so that the wait can follow its interval. A container without a
// health check, or one that exits while it waits, is a Problem; fix is the HEALTHCHECK to
// advise for the first.
func WaitHealthy(ctx context.Context, c *imagetest.Container, fix string,
	limit func(cfg dockerfile.Health) time.Duration) (HealthWait, error) {
	return waitHealthy(ctx, c.Inspect, fix, limit, healthPoll)
}

func waitHealthy(ctx context.Context, inspect func(context.Context) (container.InspectResponse, error), fix string,
	limit func(dockerfile.Health) time.Duration, every time.Duration) (HealthWait, error) {
	first, err := inspect(ctx)
	if err != nil {
		return HealthWait{}, err
	}
	var cfg dockerfile.Health
	if first.Config != nil && first.Config.Healthcheck != nil {
		hc := first.Config.Healthcheck
		cfg = dockerfile.Health{Test: hc.Test, Interval: hc.Interval, Timeout: hc.Timeout,
			StartPeriod: hc.StartPeriod, StartInterval: hc.StartInterval, Retries: hc.Retries}
	}
	w := HealthWait{Config: cfg.WithDefaults()}
	w.Limit = limit(w.Config)
	ctx, cancel := context.WithTimeout(ctx, w.Limit+30*time.Second)
	defer cancel()
	start := time.Now()
	for {
		res, err := inspect(ctx)
		if err != nil {
			return w, err
		}
		w.Waited = time.Since(start)
		st := res.State
		if st == nil || st.Health == nil {
			return w, Failf(fix, "у контейнера нет проверки работоспособности: docker inspect не показывает State.Health")
		}
		w.Health = st.Health
		switch {
		case !st.Running:
			return w, Failf("прочтите журнал: docker logs <контейнер>",
				"контейнер завершился с кодом %d, не дождавшись проверки", st.ExitCode)
		case !w.TimedOut() || w.Waited > w.Limit:
			return w, nil
		}
		select {
		case <-ctx.Done():
			return w, ctx.Err()
		case <-time.After(every):
		}
	}
}

// LastProbe describes the last probe Docker ran: «код 1, вывод "…"»; "" before the first.
func LastProbe(h *container.Health) string {
	if h == nil || len(h.Log) == 0 {
		return ""
	}
	p := h.Log[len(h.Log)-1]
	return fmt.Sprintf("код %d, вывод %q", p.ExitCode, strings.TrimSpace(p.Output))
}
