// Checks of lesson 01: they judge the running program, not its source. Each check builds the
// target's Go package, starts it on a free loopback port and asks it over HTTP.
//
//	go test ./lessons/01-server/            the reference solution (server.go)
//	go test ./lessons/01-server/ -exercise  the student's exercise (exercise/server.go)
package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-docker-workshop/workshop/internal/lessoncheck"
)

func TestLesson(t *testing.T) { lessoncheck.Run(t, lessoncheck.Lesson(t, ""), steps()) }

// The starter as committed must fail, and for the intended reason: no /healthz yet.
func TestStarterFails(t *testing.T) {
	lessoncheck.SkipInExercise(t)
	target := lessoncheck.Starter(t, "", "exercise/server.go")
	step, err := lessoncheck.FirstProblem(context.Background(), target, steps())
	if err == nil {
		t.Fatal("the starter passes every check: the exercise ships solved")
	}
	t.Logf("the starter fails as intended at %q:\n%v", step, err)
	if step != stepHealthz {
		t.Errorf("starter fails at step %q, want %q", step, stepHealthz)
	}
	for _, want := range []string{"GET /healthz: ответ 404", "Подсказка:", "«Шаблоны с методом»"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("starter's message lacks %q:\n%v", want, err)
		}
	}
}

// Other correct servers pass (ok-*.go), typical mistakes fail with their `// want:` text.
func TestVariants(t *testing.T) {
	lessoncheck.SkipInExercise(t)
	lessoncheck.GoVariants(t, "", false, func(*testing.T) []lessoncheck.Step { return steps() })
}

// Step names; the starter's test refers to the one it must fail at.
const (
	stepBuild    = "сервер компилируется"
	stepStart    = "сервер запускается и слушает PORT на всех интерфейсах"
	stepRoot     = "GET / отвечает JSON"
	stepNotFound = "неизвестный путь отвечает 404"
	stepHealthz  = "GET /healthz отвечает ok"
	stepMethod   = "POST /healthz отвечает 405"
)

// unknownPath is a path the server has no handler for.
const unknownPath = "/no-such-page"

// listenAddr is what a failed listen check asks for: the address a server in a container
// must listen on.
const listenAddr = `слушайте все интерфейсы: адрес ":"+port (то же, что "0.0.0.0:8080"), ` +
	`а не "127.0.0.1:8080" и не "localhost:8080"`

const (
	rootBody    = `{"message":"Привет из Go в Docker!"}` + "\n"
	healthzBody = "ok\n"
)

func steps() []lessoncheck.Step {
	// One server per run: the steps below share it.
	var srv *lessoncheck.HostServer
	return []lessoncheck.Step{
		{Name: stepBuild, Check: func(s *lessoncheck.State) error {
			bin, err := lessoncheck.BuildServer(s.Ctx, s.Target.Dir, "")
			if err != nil {
				return err
			}
			srv = &lessoncheck.HostServer{Bin: bin, ListenHint: "сервер слушает порт из переменной окружения PORT (по умолчанию 8080) " +
				"на всех интерфейсах: http.ListenAndServe(\":\"+port, …); " + listenAddr}
			return nil
		}},
		{Name: stepStart, Check: func(s *lessoncheck.State) error {
			s.Defer(srv.Stop) // always, whatever happens below
			if err := srv.Start(s.Ctx); err != nil {
				return err
			}
			return srv.ListensOnAllInterfaces(listenAddr, "проверка «контейнер отвечает» не дождётся ответа")
		}},
		{Name: stepRoot, Check: func(s *lessoncheck.State) error {
			resp, err := do(s.Ctx, srv, http.MethodGet, "/")
			if err != nil {
				return err
			}
			if resp.status != 200 || resp.body != rootBody {
				return lessoncheck.Failf("обработчик GET / должен ответить ровно этим JSON и переводом строки: "+
					"fmt.Fprintln(w, `{\"message\":\"Привет из Go в Docker!\"}`)",
					"GET /: ответ %d %q, а ожидается 200 %q", resp.status, resp.body, rootBody)
			}
			if ct := resp.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				return lessoncheck.Failf(`задайте заголовок до записи тела: w.Header().Set("Content-Type", "application/json; charset=utf-8")`,
					"GET /: Content-Type %q, а ожидается application/json; charset=utf-8", ct)
			}
			return nil
		}},
		{Name: stepNotFound, Check: func(s *lessoncheck.State) error {
			resp, err := do(s.Ctx, srv, http.MethodGet, unknownPath)
			if err != nil {
				return err
			}
			if resp.status != http.StatusNotFound {
				return lessoncheck.Failf(`закончите шаблон корня на {$}: "GET /{$}" совпадает только с самим /, `+
					`а на пути без обработчика mux сам ответит 404 Not Found`,
					"GET %s: ответ %d %q, а ожидается 404: такого пути у сервера нет. Шаблон \"GET /\" (без {$}) "+
						"совпадает с любым путём, и сервер отвечает %d на всё подряд — клиент с опечаткой в адресе "+
						"не узнает, что ошибся", unknownPath, resp.status, resp.body, resp.status)
			}
			return nil
		}},
		{Name: stepHealthz, Check: func(s *lessoncheck.State) error {
			resp, err := do(s.Ctx, srv, http.MethodGet, "/healthz")
			if err != nil {
				return err
			}
			switch {
			case resp.status == 404:
				return lessoncheck.Failf("зарегистрируйте обработчик GET /healthz в том же mux, который возвращает newHandler: "+
					"как — README урока, раздел «Шаблоны с методом»",
					"GET /healthz: ответ 404 %q — обработчика /healthz нет", resp.body)
			case resp.status != 200 || resp.body != healthzBody:
				return lessoncheck.Failf("тело ответа — ровно ok и перевод строки: fmt.Fprint перевод строки не добавляет, fmt.Fprintln добавляет",
					"GET /healthz: ответ %d %q, а ожидается 200 %q", resp.status, resp.body, healthzBody)
			}
			if ct := resp.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
				return lessoncheck.Failf("ответ /healthz — простой текст: задайте заголовок Content-Type text/plain; charset=utf-8 "+
					"до записи тела, как обработчик GET / задаёт свой (или не задавайте совсем — Go сам определит text/plain по телу ok)",
					"GET /healthz: Content-Type %q, а ожидается text/plain; charset=utf-8: тело ok — простой текст, "+
						"и клиент должен понять это по заголовку", ct)
			}
			return nil
		}},
		{Name: stepMethod, Check: func(s *lessoncheck.State) error {
			resp, err := do(s.Ctx, srv, http.MethodPost, "/healthz")
			if err != nil {
				return err
			}
			if resp.status != http.StatusMethodNotAllowed {
				return lessoncheck.Failf("укажите метод в шаблоне, как у обработчика GET / (README урока, раздел «Шаблоны с методом»): "+
					"тогда на другие методы mux сам ответит 405 с заголовком Allow",
					"POST /healthz: ответ %d %q, а ожидается 405 Method Not Allowed", resp.status, resp.body)
			}
			if allow := resp.header.Get("Allow"); !strings.Contains(allow, "GET") {
				return lessoncheck.Failf("ответ 405 должен перечислять разрешённые методы в заголовке Allow",
					"POST /healthz: ответ 405 без GET в заголовке Allow (%q)", allow)
			}
			return nil
		}},
	}
}

type response struct {
	status int
	header http.Header
	body   string
}

// The client never uses a proxy: the server is on this machine.
var client = &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{Proxy: nil}}

func do(ctx context.Context, srv *lessoncheck.HostServer, method, path string) (response, error) {
	req, err := http.NewRequestWithContext(ctx, method, srv.URL(path), nil)
	if err != nil {
		return response{}, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return response{}, lessoncheck.Failf("прочтите вывод сервера выше: возможно, он упал на этом запросе",
			"%s %s: запрос не удался: %v. Вывод сервера:\n%s", method, path, lessoncheck.UnwrapURL(err), srv.Output())
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, fmt.Errorf("%s %s: чтение ответа: %w", method, path, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(body)}, nil
}
