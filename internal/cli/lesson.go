package cli

import (
	"context"
	"fmt"
	"path"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/go-docker-workshop/workshop/internal/imagesize"
	"github.com/moby/moby/client"
)

// cmdLesson is the instructor's run-through of a lesson: the README, the reference checks
// and the sizes of the images those checks built.
func (a *App) cmdLesson(ctx context.Context, f *flags, args []string) error {
	l, err := a.lessonArg("lesson", args, 0)
	if err != nil {
		return err
	}
	if err := a.needRoot("прогон урока"); err != nil {
		return err
	}
	src, err := a.readLessonREADME(l)
	if err != nil {
		return err
	}
	if err := a.show(src, path.Join(l.Dir(), "README.md"), f, false); err != nil {
		return err
	}
	if err := a.dockerAnswers(ctx, l); err != nil {
		return err
	}
	fmt.Fprintf(a.Stdout, "Эталонные проверки урока %d «%s»: go test %s -count=1\n", l.Number, l.Title, l.Package())
	res, err := a.runChecks(ctx, l, false)
	if err != nil {
		return err
	}
	result := a.summary(a.Stdout, res, false)
	if l.Docker {
		a.printImages(ctx, l.Slug)
	}
	if result != outcomePassed {
		return errSilent
	}
	return nil
}

// printImages lists the images labelled workshop.lesson=<slug> with the course's measure of
// each and what `docker images` prints for it on this engine.
func (a *App) printImages(ctx context.Context, slug string) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	fmt.Fprintln(a.Stdout)
	images, err := a.Images(ctx, slug)
	if err != nil {
		fmt.Fprintf(a.Stdout, "Размеры образов не получены: %s\n", firstLine(err.Error()))
		return
	}
	if len(images) == 0 {
		fmt.Fprintf(a.Stdout, "Образов с меткой workshop.lesson=%s нет: тесты урока их не собрали.\n", slug)
		return
	}
	fmt.Fprintf(a.Stdout, "Образы урока (метка workshop.lesson=%s):\n", slug)
	tw := tabwriter.NewWriter(a.Stdout, 0, 0, 3, ' ', 0)
	for _, img := range images {
		fmt.Fprintf(tw, "  %s\t%s\n", img.Ref, sizeText(img))
	}
	tw.Flush()
}

// lessonImages measures every tagged image that carries the lesson's label, sorted by name.
func lessonImages(ctx context.Context, slug string) ([]imagesize.Image, error) {
	cli, err := dockerAPI(ctx)
	if err != nil {
		return nil, err
	}
	defer cli.Close()
	list, err := cli.ImageList(ctx, client.ImageListOptions{Filters: client.Filters{}.Add("label", "workshop.lesson="+slug)})
	if err != nil {
		return nil, err
	}
	var refs []string
	for _, s := range list.Items {
		for _, tag := range s.RepoTags {
			if tag != "<none>:<none>" {
				refs = append(refs, tag)
			}
		}
	}
	slices.Sort(refs)
	var images []imagesize.Image
	for _, ref := range refs {
		img, err := imagesize.Measure(ctx, cli, ref)
		if err != nil {
			return nil, err
		}
		images = append(images, img)
	}
	return images, nil
}
