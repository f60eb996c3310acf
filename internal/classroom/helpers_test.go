package classroom

import "github.com/go-docker-workshop/workshop/lessons"

func sampleLessons(r Report) []lessons.Lesson {
	var all []lessons.Lesson
	for _, res := range r.Results {
		all = append(all, lessons.Lesson{Number: res.Number, Slug: res.Slug, Title: res.Title})
	}
	return all
}
