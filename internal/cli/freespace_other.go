//go:build !unix

package cli

import "errors"

func freeSpace(string) (uint64, error) {
	return 0, errors.New("free space is only measured on unix systems")
}
