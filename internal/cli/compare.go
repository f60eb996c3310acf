package cli

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/go-docker-workshop/workshop/internal/imagesize"
	"github.com/go-docker-workshop/workshop/internal/ru"
)

// compared is one image of `size --compare`: what compare.sh built and how long it took.
type compared struct {
	ref   string
	file  string        // the Dockerfile it was built from, the row's name
	build time.Duration // docker build's wall time; 0: not measured
	ready time.Duration // docker run to the first 200 of /healthz; 0: not measured
	img   imagesize.Image
}

// parseCompared reads an argument of `size --compare`: the image, then the facts compare.sh
// measured around its own docker commands, e.g.
// "workshop/compare:multi,file=Dockerfile,build=2345ms,ready=120ms".
func parseCompared(arg string) (compared, error) {
	ref, rest, _ := strings.Cut(arg, ",")
	c := compared{ref: ref, file: ref}
	for kv := range strings.SplitSeq(rest, ",") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		var err error
		switch k {
		case "file":
			c.file = v
		case "build":
			c.build, err = time.ParseDuration(v)
		case "ready":
			c.ready, err = time.ParseDuration(v)
		default:
			err = fmt.Errorf("неизвестное поле «%s»", k)
		}
		if err != nil {
			return c, usageError("пишите образ и поля через запятую: ОБРАЗ,file=Dockerfile,build=2345ms,ready=120ms.",
				"аргумент «%s»: %v", arg, err)
		}
	}
	return c, nil
}

// writeComparison is compare.sh's table: each image's measure (the one the checks and the
// bench judge), layers, build and start times; a bar per image on a linear scale; how many
// times the first image is larger than each other; and what docker images shows for them.
// Every number goes through ru, as the bench's report does.
func writeComparison(w io.Writer, images []compared) error {
	largest, nameW := int64(1), len([]rune("Dockerfile"))
	for _, c := range images {
		largest, nameW = max(largest, c.img.Bytes), max(nameW, len([]rune(c.file)))
	}
	name := func(s string) string { return s + strings.Repeat(" ", nameW-len([]rune(s))) } // left-aligned

	fmt.Fprintln(w, "Размер — без сжатия: сумма файлов всех слоёв образа (как колонка SIZE классического хранилища).")
	// Numbers are right-aligned; each cell brings its own gap, so the names stay at the margin.
	tw := tabwriter.NewWriter(w, 0, 0, 0, ' ', tabwriter.AlignRight)
	row := func(cells ...string) { fmt.Fprintln(tw, strings.Join(cells, "\t   ")+"\t") }
	row(name("Dockerfile"), "размер", "слоёв", "сборка", "до ответа")
	for _, c := range images {
		row(name(c.file), ru.Size(float64(c.img.Bytes)), ru.Int(int64(c.img.Layers)), msText(c.build), msText(c.ready))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)

	// A linear scale: the longest bar is the largest image, 50 characters.
	for _, c := range images {
		n := max(1, int(math.Round(float64(c.img.Bytes)/float64(largest)*50)))
		fmt.Fprintf(w, "%s %s %s\n", name(c.file), strings.Repeat("█", n), ru.Size(float64(c.img.Bytes)))
	}
	if len(images) > 1 {
		fmt.Fprintln(w)
	}
	first := images[0]
	for _, c := range images[1:] {
		if c.img.Bytes <= 0 || c.img.Bytes >= first.img.Bytes {
			fmt.Fprintf(w, "Образ из %s не меньше образа из %s.\n", c.file, first.file)
			continue
		}
		fmt.Fprintf(w, "Образ из %s меньше образа из %s в %s раза (%s экономии).\n", c.file, first.file,
			ru.Decimal(float64(first.img.Bytes)/float64(c.img.Bytes), 1), ru.Size(float64(first.img.Bytes-c.img.Bytes)))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Те же образы в docker images на этом движке:")
	tw = tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	for _, c := range images {
		fmt.Fprintf(tw, "%s\t%s\n", c.img.Ref, sizeText(c.img))
	}
	return tw.Flush()
}

// msText is a measured time as the bench reports it; «—» when not measured.
func msText(d time.Duration) string {
	if d <= 0 {
		return "—"
	}
	return ru.Milliseconds(float64(d.Microseconds()) / 1000)
}

// cmdCompare is `size --compare`: measure the images compare.sh built and print its table.
func (a *App) cmdCompare(ctx context.Context, args []string) error {
	var images []compared
	for _, arg := range args {
		c, err := parseCompared(arg)
		if err != nil {
			return err
		}
		images = append(images, c)
	}
	cli, err := dockerAPI(ctx)
	if err != nil {
		return err
	}
	defer cli.Close()
	for i := range images {
		if images[i].img, err = imagesize.Measure(ctx, cli, images[i].ref); err != nil {
			return err
		}
	}
	return writeComparison(a.Stdout, images)
}
