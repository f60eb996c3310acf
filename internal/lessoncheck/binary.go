package lessoncheck

import "github.com/go-docker-workshop/workshop/internal/imagebin"

// The server's executable in an image, as the checks of lessons 4, 5, 9 and 10 look at it;
// internal/imagebin finds it (the bench uses it too, without the checks).
type (
	Binary  = imagebin.Binary
	Program = imagebin.Program
)

var (
	// FindBinary finds the file the image runs and reads its ELF headers, once per image ID.
	FindBinary = imagebin.FindBinary
	// FindProgram finds a program by name in the image, as the image's PATH resolves it.
	FindProgram = imagebin.FindProgram
)
