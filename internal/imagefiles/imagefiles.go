// Package imagefiles reads an image's file list (imagetest.Image.Files) as the kernel would
// see the image's filesystem: links followed, so that a check can find the file a program in
// the container would open.
package imagefiles

import (
	"path"
	"strings"

	"github.com/go-docker-workshop/workshop/internal/imagetest"
)

// Tree is an image's files by absolute path.
type Tree map[string]imagetest.File

// New indexes a file list.
func New(files []imagetest.File) Tree {
	t := make(Tree, len(files))
	for _, f := range files {
		t[f.Path] = f
	}
	return t
}

// maxLinks is how many symbolic links one path may pass through, as on Linux.
const maxLinks = 40

// Open finds the regular file that opening name in the image would open: symbolic links are
// followed in every component of the path, a hard link leads to the file it shares. It
// reports false for a missing file, a dangling or looping link and a directory.
func (t Tree) Open(name string) (imagetest.File, bool) {
	pending := split(name)
	cur, links := "/", 0
	var f imagetest.File
	for len(pending) > 0 {
		next := path.Join(cur, pending[0])
		pending = pending[1:]
		var ok bool
		if f, ok = t[next]; !ok {
			return imagetest.File{}, false
		}
		if f.Symlink {
			if links++; links > maxLinks {
				return imagetest.File{}, false
			}
			target := f.Linkname
			if !path.IsAbs(target) {
				target = path.Join(cur, target)
			}
			pending = append(split(target), pending...)
			cur = "/"
			continue
		}
		cur = next
	}
	if !f.Dir && f.Linkname != "" { // a hard link: Linkname is the other name, from the root
		f, ok := t[path.Clean("/"+f.Linkname)]
		return f, ok && !f.Dir && !f.Symlink
	}
	return f, cur != "/" && !f.Dir
}

// split is the components of a path, without empty ones.
func split(p string) []string {
	return strings.FieldsFunc(path.Clean("/"+p), func(r rune) bool { return r == '/' })
}
