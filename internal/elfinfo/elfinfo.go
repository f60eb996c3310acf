// Package elfinfo answers the questions the lessons ask about a compiled Go server: for which
// architecture it is built, whether it is statically linked or needs a dynamic loader and
// shared libraries, and whether its symbol table was stripped. It reads the ELF file with
// debug/elf, so it works on a binary read out of an image (even a scratch image) without
// running anything.
package elfinfo

import (
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Info is what the ELF headers say about an executable.
type Info struct {
	Machine elf.Machine // e.g. elf.EM_X86_64
	// Arch is the machine's name as GOARCH spells it ("amd64", "arm64", …), or the
	// elf.Machine's own name for machines Go does not target.
	Arch string
	// Static is true when the file needs neither a dynamic loader (no PT_INTERP program
	// header) nor shared libraries (no DT_NEEDED entries).
	Static bool
	// Interpreter is the dynamic loader named in PT_INTERP, e.g. /lib64/ld-linux-x86-64.so.2.
	Interpreter string
	// Needed are the shared libraries from DT_NEEDED, e.g. libc.so.6.
	Needed []string
	// Stripped is true when there is no .symtab section (go build -ldflags="-s").
	Stripped bool
}

// ErrNotELF is wrapped when the data is not an ELF file at all.
var ErrNotELF = errors.New("не ELF-файл")

// Inspect reads the ELF headers of an executable.
func Inspect(r io.ReaderAt) (Info, error) {
	f, err := elf.NewFile(r)
	if err != nil {
		var fe *elf.FormatError
		if errors.As(err, &fe) {
			return Info{}, fmt.Errorf("%w: %v", ErrNotELF, err)
		}
		return Info{}, err
	}
	defer f.Close()
	info := Info{Machine: f.Machine, Arch: Arch(f.Machine, f.Class)}
	for _, p := range f.Progs {
		if p.Type != elf.PT_INTERP {
			continue
		}
		data, err := io.ReadAll(p.Open())
		if err != nil {
			return Info{}, fmt.Errorf("read PT_INTERP: %w", err)
		}
		info.Interpreter = strings.TrimRight(string(data), "\x00")
	}
	// A static binary has no dynamic section: DynString returns nothing then.
	libs, err := f.DynString(elf.DT_NEEDED)
	if err != nil {
		return Info{}, fmt.Errorf("read DT_NEEDED: %w", err)
	}
	info.Needed = libs
	info.Static = info.Interpreter == "" && len(info.Needed) == 0
	info.Stripped = f.Section(".symtab") == nil
	return info, nil
}

// Arch names an ELF machine as GOARCH does.
func Arch(m elf.Machine, class elf.Class) string {
	switch m {
	case elf.EM_X86_64:
		return "amd64"
	case elf.EM_386:
		return "386"
	case elf.EM_AARCH64:
		return "arm64"
	case elf.EM_ARM:
		return "arm"
	case elf.EM_RISCV:
		return "riscv64"
	case elf.EM_PPC64:
		return "ppc64le"
	case elf.EM_S390:
		return "s390x"
	case elf.EM_LOONGARCH:
		return "loong64"
	case elf.EM_MIPS:
		if class == elf.ELFCLASS64 {
			return "mips64"
		}
		return "mips"
	}
	return strings.ToLower(strings.TrimPrefix(m.String(), "EM_"))
}

// String describes the executable in Russian, in one line, e.g.
// «amd64, статический, символы удалены» or
// «amd64, динамический: загрузчик /lib64/ld-linux-x86-64.so.2, библиотеки libc.so.6».
func (i Info) String() string {
	var b strings.Builder
	b.WriteString(i.Arch)
	if i.Static {
		b.WriteString(", статический")
	} else {
		b.WriteString(", динамический")
		var parts []string
		if i.Interpreter != "" {
			parts = append(parts, "загрузчик "+i.Interpreter)
		}
		if len(i.Needed) > 0 {
			parts = append(parts, "библиотеки "+strings.Join(i.Needed, ", "))
		}
		if len(parts) > 0 {
			b.WriteString(": " + strings.Join(parts, "; "))
		}
	}
	if i.Stripped {
		b.WriteString(", символы удалены")
	} else {
		b.WriteString(", с таблицей символов")
	}
	return b.String()
}
