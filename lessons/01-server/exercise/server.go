// Задание урока 1: сервер уже отвечает на GET /, но у него нет проверки работоспособности.
// Запуск: go run ./lessons/01-server/exercise (из корня репозитория).
// Проверка: go test ./lessons/01-server/ -exercise или make check-1.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	addr := ":" + port // все интерфейсы: в контейнере 127.0.0.1 снаружи недоступен
	log.Printf("listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, newHandler()))
}

// newHandler возвращает мультиплексор с обработчиками сервера.
func newHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		fmt.Fprintln(w, `{"message":"Привет из Go в Docker!"}`)
	})
	// TODO: добавьте проверку работоспособности — обработчик GET /healthz в этом же mux.
	//   Он отвечает статусом 200, с заголовком Content-Type: text/plain; charset=utf-8 и телом
	//   ровно из ok и перевода строки. На POST /healthz сервер должен ответить 405 — это сделает
	//   сам mux, если метод указан в шаблоне. Как это записать — README урока, разделы
	//   «Шаблоны с методом» и «Проверка работоспособности».
	return mux
}
