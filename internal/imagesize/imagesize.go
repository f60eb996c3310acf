// Package imagesize measures Docker images in one way that gives the same
// number on every engine and image store.
//
// The course's measure is the uncompressed size of all layers, counted the way
// the classic image store (overlay2) counts a layer's diff: the sizes of
// regular files plus the target lengths of symlinks; directories, hard links,
// whiteouts and device nodes count 0. Files deleted or overwritten by an upper
// layer still count in the layer that added them. The measure is computed from
// the layer tar archives, which are byte-identical on any engine, so it does
// not depend on what `docker images` happens to print (see [Reported]).
package imagesize

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/containerd/platforms"
	"github.com/klauspost/compress/zstd"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// Errors that callers may check with errors.Is.
var (
	ErrNotTar        = errors.New("это не tar-архив")
	ErrNoManifest    = errors.New("в архиве нет ни manifest.json, ни index.json")
	ErrNoImage       = errors.New("в архиве нет образа")
	ErrSeveralImages = errors.New("в архиве больше одного образа")
	ErrMissingLayer  = errors.New("нет в архиве")
)

// Size is the course's measure of one image.
type Size struct {
	Bytes    int64   // uncompressed size of all layers, counted as the classic store does
	Layers   int     // number of layers
	PerLayer []int64 // size of each layer, bottom layer first
}

var (
	gzipMagic = []byte{0x1f, 0x8b}
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// maxJSON bounds the JSON documents (manifests, indexes, configs) kept in
// memory while streaming; larger blobs are only ever tried as layers.
const maxJSON = 4 << 20

// LayerSize returns the measure of one layer blob: a tar archive, plain or
// compressed with gzip or zstd (detected by magic bytes).
func LayerSize(r io.Reader) (int64, error) {
	return layerSize(bufio.NewReaderSize(r, 64<<10))
}

func layerSize(br *bufio.Reader) (int64, error) {
	magic, _ := br.Peek(len(zstdMagic))
	var src io.Reader = br
	compressed := true
	switch {
	case bytes.HasPrefix(magic, gzipMagic):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return 0, fmt.Errorf("распаковка gzip: %w", err)
		}
		defer zr.Close()
		src = zr
	case bytes.HasPrefix(magic, zstdMagic):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return 0, fmt.Errorf("распаковка zstd: %w", err)
		}
		defer zr.Close()
		src = zr
	default:
		compressed = false
	}

	tr := tar.NewReader(src)
	var total int64
	for first := true; ; first = false {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if first && !compressed && (errors.Is(err, tar.ErrHeader) || errors.Is(err, io.ErrUnexpectedEOF)) {
				return 0, fmt.Errorf("%w: %w", ErrNotTar, err)
			}
			return 0, fmt.Errorf("tar повреждён: %w", err)
		}
		total += entrySize(hdr)
	}
	// Read the padding after the end-of-archive marker, so that a compressed
	// stream is read to its end and its checksum is verified.
	if _, err := io.Copy(io.Discard, src); err != nil {
		return 0, fmt.Errorf("tar повреждён: %w", err)
	}
	return total, nil
}

// entrySize is what the entry adds to overlay2's diff size: st_size of every
// non-directory inode, each inode once. A hard link points to an inode already
// counted; a whiteout becomes a 0/0 character device.
func entrySize(h *tar.Header) int64 {
	switch h.Typeflag {
	case tar.TypeReg, tar.TypeGNUSparse:
		return h.Size
	case tar.TypeSymlink:
		return int64(len(h.Linkname))
	}
	return 0
}

// legacyManifest is one entry of manifest.json as written by `docker save`.
type legacyManifest struct {
	Config   string
	RepoTags []string
	Layers   []string
}

// ociDoc holds the fields we need from an OCI/Docker index, image manifest or
// image config; which fields are set tells which one it is.
type ociDoc struct {
	Manifests    []ocispec.Descriptor `json:"manifests"`
	Layers       []ocispec.Descriptor `json:"layers"`
	Config       ocispec.Descriptor   `json:"config"`
	Architecture string               `json:"architecture"`
	OS           string               `json:"os"`
	Variant      string               `json:"variant"`
}

type layerResult struct {
	size int64
	err  error
}

// archive is what FromSave remembers while streaming: sizes of every blob
// that might be a layer, small JSON documents, and links between entries.
type archive struct {
	manifest *[]legacyManifest
	index    *ociDoc
	docs     map[string]ociDoc
	layers   map[string]layerResult
	links    map[string]string
}

// FromSave measures the image in the stream of `docker save` (or the client's
// ImageSave) of one image reference. It reads the stream once, never holding a
// layer in memory, and understands the Docker 20.10 format (<id>/layer.tar)
// and the OCI layout of Engine 25+ with plain, gzip or zstd blobs.
//
// The layers are taken from manifest.json when present (platform is then not
// used: the engine wrote the layers of the platform it saved); otherwise
// index.json is walked to the image manifest for platform (like "linux/amd64";
// empty means the only image in the archive). Attestation manifests and
// platforms whose manifests are not in the archive are skipped.
func FromSave(r io.Reader, platform string) (Size, error) {
	a := &archive{
		docs:   map[string]ociDoc{},
		layers: map[string]layerResult{},
		links:  map[string]string{},
	}
	tr := tar.NewReader(r)
	br := bufio.NewReaderSize(nil, 64<<10)
	for first := true; ; first = false {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if first && (errors.Is(err, tar.ErrHeader) || errors.Is(err, io.ErrUnexpectedEOF)) {
				return Size{}, fmt.Errorf("архив docker save: %w: %w", ErrNotTar, err)
			}
			return Size{}, fmt.Errorf("чтение архива docker save: %w", err)
		}
		name := cleanPath(hdr.Name)
		switch hdr.Typeflag {
		case tar.TypeSymlink:
			target := hdr.Linkname
			if !path.IsAbs(target) {
				target = path.Join(path.Dir(name), target)
			}
			a.links[name] = cleanPath(target)
		case tar.TypeLink:
			a.links[name] = cleanPath(hdr.Linkname)
		case tar.TypeReg:
			br.Reset(tr)
			if err := a.add(name, hdr.Size, br); err != nil {
				return Size{}, err
			}
		}
	}
	return a.size(platform)
}

func cleanPath(p string) string {
	return strings.TrimPrefix(path.Clean("/"+p), "/")
}

// add consumes one regular file of the archive.
func (a *archive) add(name string, size int64, br *bufio.Reader) error {
	switch name {
	case "manifest.json":
		a.manifest = new([]legacyManifest)
		return readJSON(name, size, br, a.manifest)
	case "index.json":
		a.index = new(ociDoc)
		return readJSON(name, size, br, a.index)
	}
	// JSON blobs (manifests, configs, attestations) are never layers; keep
	// the small ones that describe images. A JSON blob is not a valid tar
	// header anyway, so a failing candidate below is recorded, not fatal.
	if b, _ := br.Peek(1); len(b) == 1 && b[0] == '{' && size <= maxJSON {
		data, err := io.ReadAll(br)
		if err != nil {
			return fmt.Errorf("чтение архива docker save: %w", err)
		}
		var d ociDoc
		if json.Unmarshal(data, &d) == nil {
			if d.Manifests != nil || d.Layers != nil || d.OS != "" {
				a.docs[name] = d
			}
			a.layers[name] = layerResult{err: fmt.Errorf("%w, а JSON", ErrNotTar)}
			return nil
		}
		br = bufio.NewReader(bytes.NewReader(data))
	}
	n, err := layerSize(br)
	a.layers[name] = layerResult{size: n, err: err}
	return nil
}

func readJSON(name string, size int64, r io.Reader, v any) error {
	if size > maxJSON {
		return fmt.Errorf("%s: слишком большой файл (%d байт)", name, size)
	}
	if err := json.NewDecoder(r).Decode(v); err != nil {
		return fmt.Errorf("разбор %s: %w", name, err)
	}
	return nil
}

// size picks the image's layers and sums their sizes.
func (a *archive) size(platform string) (Size, error) {
	var layers []string
	switch {
	case a.manifest != nil:
		m := *a.manifest
		if len(m) == 0 {
			return Size{}, fmt.Errorf("manifest.json: %w", ErrNoImage)
		}
		if len(m) > 1 {
			return Size{}, fmt.Errorf("manifest.json: %w (%d)", ErrSeveralImages, len(m))
		}
		layers = m[0].Layers
	case a.index != nil:
		var err error
		if layers, err = a.ociLayers(platform); err != nil {
			return Size{}, err
		}
	default:
		return Size{}, ErrNoManifest
	}

	s := Size{Layers: len(layers), PerLayer: make([]int64, 0, len(layers))}
	for _, p := range layers {
		res, ok := a.layers[a.resolve(cleanPath(p))]
		if !ok {
			return Size{}, fmt.Errorf("слой %s: %w", p, ErrMissingLayer)
		}
		if res.err != nil {
			return Size{}, fmt.Errorf("слой %s: %w", p, res.err)
		}
		s.Bytes += res.size
		s.PerLayer = append(s.PerLayer, res.size)
	}
	return s, nil
}

// resolve follows symlinks and hard links between archive entries: Docker
// 20.10 writes a layer that repeats an earlier one as a symlink to its
// layer.tar.
func (a *archive) resolve(p string) string {
	for range 16 {
		next, ok := a.links[p]
		if !ok {
			break
		}
		p = next
	}
	return p
}

// ociLayers walks index.json (and nested indexes) to the one image manifest
// that matches platform and returns the paths of its layer blobs. Manifests
// whose blobs are absent (platforms not pulled) are skipped.
func (a *archive) ociLayers(platform string) ([]string, error) {
	var want platforms.Matcher
	if platform != "" {
		p, err := platforms.Parse(platform)
		if err != nil {
			return nil, fmt.Errorf("платформа %q: %w", platform, err)
		}
		want = platforms.NewMatcher(p)
	}

	var found []ociDoc
	seen := map[string]bool{}
	var walk func(descs []ocispec.Descriptor, depth int)
	walk = func(descs []ocispec.Descriptor, depth int) {
		for _, d := range descs {
			blob := blobPath(d)
			doc, ok := a.docs[blob]
			if !ok || seen[blob] || depth > 8 || isAttestation(d) {
				continue
			}
			seen[blob] = true
			if doc.Manifests != nil {
				walk(doc.Manifests, depth+1)
				continue
			}
			p := a.platformOf(d, doc)
			if doc.Layers == nil || (p.OS == "unknown" && p.Architecture == "unknown") {
				continue
			}
			if want == nil || want.Match(p) {
				found = append(found, doc)
			}
		}
	}
	walk(a.index.Manifests, 0)

	switch {
	case len(found) == 0 && platform == "":
		return nil, fmt.Errorf("index.json: %w", ErrNoImage)
	case len(found) == 0:
		return nil, fmt.Errorf("index.json: %w для платформы %s", ErrNoImage, platform)
	case len(found) > 1 && platform == "":
		return nil, fmt.Errorf("index.json: %w (%d): укажите платформу", ErrSeveralImages, len(found))
	case len(found) > 1:
		return nil, fmt.Errorf("index.json: %w для платформы %s", ErrSeveralImages, platform)
	}
	layers := make([]string, 0, len(found[0].Layers))
	for _, l := range found[0].Layers {
		layers = append(layers, blobPath(l))
	}
	return layers, nil
}

// platformOf is the descriptor's platform or, if it has none, the one in the
// image config.
func (a *archive) platformOf(d ocispec.Descriptor, manifest ociDoc) ocispec.Platform {
	if d.Platform != nil {
		return *d.Platform
	}
	cfg := a.docs[blobPath(manifest.Config)]
	return ocispec.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant}
}

func isAttestation(d ocispec.Descriptor) bool {
	return d.Annotations["vnd.docker.reference.type"] == "attestation-manifest" ||
		(d.Platform != nil && d.Platform.OS == "unknown" && d.Platform.Architecture == "unknown")
}

// blobPath is where the OCI layout stores the blob of d ("" if d has no
// valid digest; go-digest's accessors would panic on one).
func blobPath(d ocispec.Descriptor) string {
	alg, hex, ok := strings.Cut(string(d.Digest), ":")
	if !ok {
		return ""
	}
	return "blobs/" + alg + "/" + hex
}
