// The checks of lesson 01 and their words; lesson_test.go declares the steps.
package main

import (
	"net/http"
	"strings"

	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

// unknownPath is a path the server has no handler for.
const unknownPath = "/no-such-page"

const (
	rootBody    = lessoncheck.Greeting
	healthzBody = "ok\n"
)

// run is one run of the steps: they share the server.
type run struct{ lessoncheck.HostRun }

func newRun() *run {
	return &run{lessoncheck.HostRun{Listen: `адрес ":"+port`, Serve: `http.ListenAndServe(":"+port, …)`,
		Then: "проверка «контейнер отвечает» не дождётся ответа"}}
}

func (r *run) root(s *lessoncheck.State) error {
	resp, err := r.Server.Do(s.Ctx, http.MethodGet, "/")
	if err != nil {
		return err
	}
	if resp.Status != 200 || resp.Body != rootBody {
		return lessoncheck.Failf("обработчик GET / должен ответить ровно этим JSON и переводом строки: "+
			"fmt.Fprintln(w, `{\"message\":\"Привет из Go в Docker!\"}`)",
			"GET /: ответ %d %q, а ожидается 200 %q", resp.Status, resp.Body, rootBody)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return lessoncheck.Failf(`задайте заголовок до записи тела: w.Header().Set("Content-Type", "application/json; charset=utf-8")`,
			"GET /: Content-Type %q, а ожидается application/json; charset=utf-8", ct)
	}
	return nil
}

func (r *run) notFound(s *lessoncheck.State) error {
	resp, err := r.Server.Do(s.Ctx, http.MethodGet, unknownPath)
	if err != nil {
		return err
	}
	if resp.Status != http.StatusNotFound {
		return lessoncheck.Failf(`закончите шаблон корня на {$}: "GET /{$}" совпадает только с самим /, `+
			`а на пути без обработчика mux сам ответит 404 Not Found`,
			"GET %s: ответ %d %q, а ожидается 404: такого пути у сервера нет. Шаблон \"GET /\" (без {$}) "+
				"совпадает с любым путём, и сервер отвечает %d на всё подряд — клиент с опечаткой в адресе "+
				"не узнает, что ошибся", unknownPath, resp.Status, resp.Body, resp.Status)
	}
	return nil
}

func (r *run) healthz(s *lessoncheck.State) error {
	resp, err := r.Server.Do(s.Ctx, http.MethodGet, "/healthz")
	if err != nil {
		return err
	}
	switch {
	case resp.Status == 404:
		return lessoncheck.Failf("зарегистрируйте обработчик GET /healthz в том же mux, который возвращает newHandler: "+
			"как — README урока, раздел «Шаблоны с методом»",
			"GET /healthz: ответ 404 %q — обработчика /healthz нет", resp.Body)
	case resp.Status != 200 || resp.Body != healthzBody:
		return lessoncheck.Failf("тело ответа — ровно ok и перевод строки: fmt.Fprint перевод строки не добавляет, fmt.Fprintln добавляет",
			"GET /healthz: ответ %d %q, а ожидается 200 %q", resp.Status, resp.Body, healthzBody)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		return lessoncheck.Failf("ответ /healthz — простой текст: задайте заголовок Content-Type text/plain; charset=utf-8 "+
			"до записи тела, как обработчик GET / задаёт свой (или не задавайте совсем — Go сам определит text/plain по телу ok)",
			"GET /healthz: Content-Type %q, а ожидается text/plain; charset=utf-8: тело ok — простой текст, "+
				"и клиент должен понять это по заголовку", ct)
	}
	return nil
}

func (r *run) method(s *lessoncheck.State) error {
	resp, err := r.Server.Do(s.Ctx, http.MethodPost, "/healthz")
	if err != nil {
		return err
	}
	if resp.Status != http.StatusMethodNotAllowed {
		return lessoncheck.Failf("укажите метод в шаблоне, как у обработчика GET / (README урока, раздел «Шаблоны с методом»): "+
			"тогда на другие методы mux сам ответит 405 с заголовком Allow",
			"POST /healthz: ответ %d %q, а ожидается 405 Method Not Allowed", resp.Status, resp.Body)
	}
	if allow := resp.Header.Get("Allow"); !strings.Contains(allow, "GET") {
		return lessoncheck.Failf("ответ 405 должен перечислять разрешённые методы в заголовке Allow",
			"POST /healthz: ответ 405 без GET в заголовке Allow (%q)", allow)
	}
	return nil
}
