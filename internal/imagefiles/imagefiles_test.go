package imagefiles

import (
	"testing"

	"github.com/go-docker-workshop/workshop/internal/imagetest"
)

// Open opens a path in an image's listing as the kernel would: links in any component.
func TestOpen(t *testing.T) {
	tree := New([]imagetest.File{
		{Path: "/etc", Dir: true},
		{Path: "/etc/ssl", Dir: true},
		{Path: "/etc/ssl/certs", Dir: true},
		{Path: "/etc/ssl/certs/ca-certificates.crt", Size: 1},
		{Path: "/etc/ssl/cert.pem", Symlink: true, Linkname: "certs/ca-certificates.crt"},
		{Path: "/etc/pki", Symlink: true, Linkname: "/etc/ssl"},
		{Path: "/etc/hard.pem", Linkname: "etc/ssl/certs/ca-certificates.crt"},
		{Path: "/etc/dangling.pem", Symlink: true, Linkname: "/usr/share/ca-certificates/x.crt"},
		{Path: "/etc/loop", Symlink: true, Linkname: "loop"},
	})
	for _, tt := range []struct {
		name, want string // want "" when nothing opens
	}{
		{"/etc/ssl/certs/ca-certificates.crt", "/etc/ssl/certs/ca-certificates.crt"},
		{"/etc/ssl/cert.pem", "/etc/ssl/certs/ca-certificates.crt"},
		{"/etc/pki/certs/ca-certificates.crt", "/etc/ssl/certs/ca-certificates.crt"},
		{"/etc/hard.pem", "/etc/ssl/certs/ca-certificates.crt"},
		{"/etc/dangling.pem", ""},
		{"/etc/loop", ""},
		{"/etc/ssl/certs", ""}, // a directory is not a file to open
		{"/", ""},
		{"/etc/pki/tls/certs/ca-bundle.crt", ""},
	} {
		f, ok := tree.Open(tt.name)
		if got := map[bool]string{true: f.Path}[ok]; got != tt.want {
			t.Errorf("Open(%q) = %q, %v; want %q", tt.name, f.Path, ok, tt.want)
		}
	}
}
