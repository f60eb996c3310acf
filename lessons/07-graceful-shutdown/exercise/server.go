// Задание урока 7: научите сервер корректно завершаться по SIGTERM.
// Сейчас docker stop обрывает текущие запросы: сигнал обрабатывает среда выполнения Go,
// и процесс завершается сразу (в контейнере — с кодом 2).
// Запуск: go run ./lessons/07-graceful-shutdown/exercise (из корня репозитория).
// Проверка: go test ./lessons/07-graceful-shutdown/ -exercise или make check-7.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"time"
)

const maxSlow = 10 * time.Second // предел задержки GET /slow

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	addr := ":" + port // все интерфейсы: в контейнере 127.0.0.1 снаружи недоступен
	log.Printf("слушаю %s", addr)

	// TODO(1): до запуска сервера перехватите SIGTERM (его шлёт docker stop) и SIGINT (Ctrl+C):
	//   получите контекст, который отменится, когда придёт один из них
	//   (README урока, раздел «Корректное завершение в Go»).
	// TODO(2): создайте http.Server с этим адресом и обработчиком newHandler() и запустите его
	//   ListenAndServe в горутине; результат передайте в канал с буфером на одно значение.
	// TODO(3): дождитесь сигнала (или ошибки запуска из канала: например, порт занят) и вызовите
	//   Shutdown с тайм-аутом 5 с — меньше, чем 10 с, которые docker stop ждёт до SIGKILL.
	//   Контекст для Shutdown нужен новый: контекст сигнала к этому моменту уже отменён.
	// TODO(4): выходите из main, только когда Shutdown завершился: ListenAndServe вернёт
	//   http.ErrServerClosed сразу, как начнётся Shutdown, не дожидаясь текущих запросов.
	//   ErrServerClosed — не ошибка: код выхода 0. Ошибка Shutdown (вышел тайм-аут) — код 1.
	log.Fatal(http.ListenAndServe(addr, newHandler()))
}

// newHandler возвращает мультиплексор с обработчиками сервера.
func newHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		fmt.Fprintln(w, `{"message":"Привет из Go в Docker!"}`)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /slow", handleSlow)
	return mux
}

// handleSlow отвечает done через задержку из ?d= (длительность Go: 500ms, 2s; без d — 2s,
// не больше maxSlow). Это долгий запрос, которого сервер должен дождаться при остановке.
func handleSlow(w http.ResponseWriter, r *http.Request) {
	d := 2 * time.Second
	if s := r.URL.Query().Get("d"); s != "" {
		var err error
		d, err = time.ParseDuration(s)
		if err != nil || d < 0 {
			http.Error(w, fmt.Sprintf("d=%q: нужна неотрицательная длительность, например 2s или 500ms", s), http.StatusBadRequest)
			return
		}
	}
	d = min(d, maxSlow)
	select {
	case <-time.After(d):
	case <-r.Context().Done():
		return // клиент ушёл: отвечать некому
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "done")
}
