module workshop/server

go 1.26
