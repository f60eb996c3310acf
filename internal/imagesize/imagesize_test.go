package imagesize

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/klauspost/compress/zstd"
	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// entry is one tar entry: a regular file (body), a symlink or hard link
// (link), a directory or a device, by typ.
type entry struct {
	name string
	typ  byte
	body string
	link string
}

func tarOf(t *testing.T, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Typeflag: e.typ, Linkname: e.link, Mode: 0o644}
		if e.typ == tar.TypeReg {
			h.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func reg(name, body string) entry { return entry{name: name, typ: tar.TypeReg, body: body} }
func dir(name string) entry       { return entry{name: name, typ: tar.TypeDir} }

func gzipOf(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func zstdOf(t *testing.T, b []byte) []byte {
	t.Helper()
	zw, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer zw.Close()
	return zw.EncodeAll(b, nil)
}

// Layer sizes as the classic store counts them.
const (
	sizeA int64 = 100 + int64(len("/bin/busybox")) // file + symlink; hard link, dirs, whiteout, devices 0
	sizeB int64 = 50                               // overwrites etc/hello: counted again
	sizeC int64 = 7
)

func layerA(t *testing.T) []byte {
	return tarOf(t,
		dir("etc/"),
		reg("etc/hello", strings.Repeat("a", 100)),
		entry{name: "etc/hello-again", typ: tar.TypeLink, link: "etc/hello"},
		dir("bin/"),
		entry{name: "bin/sh", typ: tar.TypeSymlink, link: "/bin/busybox"},
		reg(".wh.x", ""),
		entry{name: "dev/null", typ: tar.TypeChar},
		entry{name: "run/fifo", typ: tar.TypeFifo},
	)
}

func layerB(t *testing.T) []byte {
	return tarOf(t, dir("etc/"), reg("etc/hello", strings.Repeat("b", 50)), reg("etc/.wh..wh..opq", ""))
}

func layerC(t *testing.T) []byte { return tarOf(t, reg("bin/app", "arm64!!")) }

// jsonBlob is a JSON document larger than a tar header block, so that it
// reaches the tar reader's checksum test, not just a short read.
func jsonBlob(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// file is one entry of a `docker save` archive.
type file struct {
	name    string
	data    []byte
	symlink string
}

func saveOf(t *testing.T, files []file) []byte {
	t.Helper()
	entries := make([]entry, 0, len(files))
	for _, f := range files {
		if f.symlink != "" {
			entries = append(entries, entry{name: f.name, typ: tar.TypeSymlink, link: f.symlink})
			continue
		}
		entries = append(entries, reg(f.name, string(f.data)))
	}
	return tarOf(t, entries...)
}

// ociBuilder collects the blobs of an OCI layout.
type ociBuilder struct {
	t     *testing.T
	blobs []file
}

func (o *ociBuilder) blob(mediaType string, data []byte) ocispec.Descriptor {
	d := digest.FromBytes(data)
	path := "blobs/sha256/" + d.Encoded()
	if !slices.ContainsFunc(o.blobs, func(f file) bool { return f.name == path }) {
		o.blobs = append(o.blobs, file{name: path, data: data})
	}
	return ocispec.Descriptor{MediaType: mediaType, Digest: d, Size: int64(len(data))}
}

// image adds config, layers and manifest; it returns the manifest's
// descriptor (with the platform, as in an index) and the layer paths.
func (o *ociBuilder) image(arch string, layers ...[]byte) (ocispec.Descriptor, []string) {
	cfg := o.blob(ocispec.MediaTypeImageConfig, jsonBlob(o.t, map[string]any{
		"architecture": arch, "os": "linux",
		"config":  map[string]any{"Env": []string{"PATH=/usr/local/bin:/usr/bin:/bin"}},
		"rootfs":  map[string]any{"type": "layers", "diff_ids": []string{}},
		"history": []any{map[string]string{"created_by": strings.Repeat("RUN something long ", 40)}},
	}))
	m := ocispec.Manifest{MediaType: ocispec.MediaTypeImageManifest, Config: cfg}
	m.SchemaVersion = 2
	var paths []string
	for _, l := range layers {
		d := o.blob(ocispec.MediaTypeImageLayer, l)
		m.Layers = append(m.Layers, d)
		paths = append(paths, "blobs/sha256/"+d.Digest.Encoded())
	}
	desc := o.blob(ocispec.MediaTypeImageManifest, jsonBlob(o.t, m))
	desc.Platform = &ocispec.Platform{OS: "linux", Architecture: arch}
	return desc, paths
}

// attestation adds a BuildKit-style attestation manifest for img.
func (o *ociBuilder) attestation(img ocispec.Descriptor) ocispec.Descriptor {
	cfg := o.blob(ocispec.MediaTypeImageConfig, []byte(`{"architecture":"unknown","os":"unknown","config":{},"rootfs":{"type":"layers","diff_ids":[]}}`))
	stmt := o.blob("application/vnd.in-toto+json", jsonBlob(o.t, map[string]any{
		"_type":         "https://in-toto.io/Statement/v0.1",
		"predicateType": "https://slsa.dev/provenance/v0.2",
		"subject":       []any{map[string]any{"name": "pkg:docker/workshop/app", "digest": map[string]string{"sha256": img.Digest.Encoded()}}},
		"predicate":     map[string]any{"buildType": "https://mobyproject.org/buildkit@v1", "metadata": strings.Repeat("x", 700)},
	}))
	m := ocispec.Manifest{MediaType: ocispec.MediaTypeImageManifest, Config: cfg, Layers: []ocispec.Descriptor{stmt}}
	m.SchemaVersion = 2
	desc := o.blob(ocispec.MediaTypeImageManifest, jsonBlob(o.t, m))
	desc.Platform = &ocispec.Platform{OS: "unknown", Architecture: "unknown"}
	desc.Annotations = map[string]string{
		"vnd.docker.reference.digest": img.Digest.String(),
		"vnd.docker.reference.type":   "attestation-manifest",
	}
	return desc
}

func (o *ociBuilder) index(manifests ...ocispec.Descriptor) ocispec.Descriptor {
	idx := ocispec.Index{MediaType: ocispec.MediaTypeImageIndex, Manifests: manifests}
	idx.SchemaVersion = 2
	return o.blob(ocispec.MediaTypeImageIndex, jsonBlob(o.t, idx))
}

// archive lays out the OCI layout; manifest.json (if layers is not nil) goes
// first or last.
func (o *ociBuilder) archive(top ocispec.Descriptor, manifestJSON []legacyManifest, manifestFirst bool) []byte {
	top.Annotations = map[string]string{"io.containerd.image.name": "docker.io/workshop/app:latest"}
	idx := ocispec.Index{MediaType: ocispec.MediaTypeImageIndex, Manifests: []ocispec.Descriptor{top}}
	idx.SchemaVersion = 2
	files := []file{{name: "oci-layout", data: []byte(`{"imageLayoutVersion":"1.0.0"}`)}}
	files = append(files, o.blobs...)
	files = append(files, file{name: "index.json", data: jsonBlob(o.t, idx)})
	if manifestJSON != nil {
		mf := file{name: "manifest.json", data: jsonBlob(o.t, manifestJSON)}
		if manifestFirst {
			files = append([]file{mf}, files...)
		} else {
			files = append(files, mf)
		}
	}
	return saveOf(o.t, files)
}

func oneImage(layers []string) []legacyManifest {
	return []legacyManifest{{Config: "blobs/sha256/cfg", RepoTags: []string{"workshop/app:latest"}, Layers: layers}}
}

func TestLayerSize(t *testing.T) {
	tests := []struct {
		name    string
		blob    []byte
		want    int64
		wantErr error
	}{
		{name: "plain tar", blob: layerA(t), want: sizeA},
		{name: "gzip", blob: gzipOf(t, layerA(t)), want: sizeA},
		{name: "zstd", blob: zstdOf(t, layerB(t)), want: sizeB},
		{name: "empty layer", blob: tarOf(t), want: 0},
		{name: "short text", blob: []byte("hello"), wantErr: ErrNotTar},
		{name: "json", blob: jsonBlob(t, map[string]string{"a": strings.Repeat("b", 1000)}), wantErr: ErrNotTar},
		{name: "truncated gzip", blob: gzipOf(t, layerA(t))[:40], wantErr: errAny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LayerSize(iotest.HalfReader(bytes.NewReader(tt.blob)))
			checkErr(t, err, tt.wantErr)
			if got != tt.want {
				t.Errorf("LayerSize() = %d, want %d", got, tt.want)
			}
		})
	}
}

// errAny stands for "some error" in test tables.
var errAny = errors.New("any error")

func checkErr(t *testing.T, err, want error) {
	t.Helper()
	if err != nil {
		t.Logf("error: %v", err)
	}
	switch {
	case want == nil && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want == errAny && err == nil:
		t.Fatal("expected an error, got nil")
	case want != nil && want != errAny && !errors.Is(err, want):
		t.Fatalf("error = %v, want %v", err, want)
	}
}

func TestFromSave(t *testing.T) {
	a, b, c := layerA(t), layerB(t), layerC(t)
	both := sizeA + sizeB

	// Docker 20.10: <id>/layer.tar; a repeated layer is a symlink.
	legacy := saveOf(t, []file{
		{name: "1111/VERSION", data: []byte("1.0")},
		{name: "1111/json", data: []byte(`{"id":"1111"}`)},
		{name: "1111/layer.tar", data: a},
		{name: "2222/VERSION", data: []byte("1.0")},
		{name: "2222/json", data: []byte(`{"id":"2222","parent":"1111"}`)},
		{name: "2222/layer.tar", data: b},
		{name: "3333/layer.tar", symlink: "../1111/layer.tar"},
		{name: "cfg.json", data: jsonBlob(t, map[string]any{"architecture": "amd64", "os": "linux"})},
		{name: "manifest.json", data: jsonBlob(t, oneImage([]string{"1111/layer.tar", "2222/layer.tar", "3333/layer.tar"}))},
		{name: "repositories", data: []byte(`{"workshop/app":{"latest":"3333"}}`)},
	})

	// Engine 25+, classic store: OCI layout with uncompressed layers.
	plain := &ociBuilder{t: t}
	plainImg, plainLayers := plain.image("amd64", a, b)

	// Engine 25+, containerd store: gzip and zstd blobs, an attestation,
	// a nested index.
	cd := &ociBuilder{t: t}
	cdImg, cdLayers := cd.image("amd64", gzipOf(t, a), zstdOf(t, b))
	cdIndex := cd.index(cdImg, cd.attestation(cdImg))

	// Two platforms, both present.
	multi := &ociBuilder{t: t}
	amd, _ := multi.image("amd64", gzipOf(t, a), zstdOf(t, b))
	arm, _ := multi.image("arm64", gzipOf(t, c))
	multiIndex := multi.index(amd, multi.attestation(amd), arm, multi.attestation(arm))

	// Two platforms in the index, only amd64 pulled: arm64's blobs absent.
	partial := &ociBuilder{t: t}
	pAmd, _ := partial.image("amd64", gzipOf(t, a), zstdOf(t, b))
	missing := &ociBuilder{t: t}
	pArm, _ := missing.image("arm64", c)
	partialIndex := partial.index(pAmd, partial.attestation(pAmd), pArm)

	// A single-platform manifest straight in index.json, without platform:
	// the platform comes from the config.
	bare := &ociBuilder{t: t}
	bareImg, _ := bare.image("amd64", a, b)
	bareImg.Platform = nil

	// Errors.
	missingLayer := &ociBuilder{t: t}
	mlImg, mlLayers := missingLayer.image("amd64", a)
	mlLayers = append(mlLayers, "blobs/sha256/"+strings.Repeat("0", 64))
	twoImages := append(oneImage(plainLayers), oneImage(plainLayers[:1])...)
	cfgAsLayer := &ociBuilder{t: t}
	calImg, _ := cfgAsLayer.image("amd64", a)
	junk := &ociBuilder{t: t}
	junkLayer := junk.blob(ocispec.MediaTypeImageLayer, bytes.Repeat([]byte{7}, 600))
	junkImg, _ := junk.image("amd64", a)

	tests := []struct {
		name     string
		archive  []byte
		platform string
		want     Size
		wantErr  error
	}{
		{name: "docker 20.10 legacy", archive: legacy, want: Size{Bytes: both + sizeA, Layers: 3, PerLayer: []int64{sizeA, sizeB, sizeA}}},
		{name: "oci uncompressed, manifest.json last", archive: plain.archive(plainImg, oneImage(plainLayers), false), want: Size{Bytes: both, Layers: 2, PerLayer: []int64{sizeA, sizeB}}},
		{name: "oci uncompressed, manifest.json first", archive: plain.archive(plainImg, oneImage(plainLayers), true), want: Size{Bytes: both, Layers: 2, PerLayer: []int64{sizeA, sizeB}}},
		{name: "containerd gzip+zstd, manifest.json last", archive: cd.archive(cdIndex, oneImage(cdLayers), false), want: Size{Bytes: both, Layers: 2, PerLayer: []int64{sizeA, sizeB}}},
		{name: "containerd gzip+zstd, manifest.json first", archive: cd.archive(cdIndex, oneImage(cdLayers), true), want: Size{Bytes: both, Layers: 2, PerLayer: []int64{sizeA, sizeB}}},
		{name: "index.json only, any platform", archive: cd.archive(cdIndex, nil, false), want: Size{Bytes: both, Layers: 2, PerLayer: []int64{sizeA, sizeB}}},
		{name: "index.json only, linux/amd64", archive: cd.archive(cdIndex, nil, false), platform: "linux/amd64", want: Size{Bytes: both, Layers: 2, PerLayer: []int64{sizeA, sizeB}}},
		{name: "two platforms, linux/amd64", archive: multi.archive(multiIndex, nil, false), platform: "linux/amd64", want: Size{Bytes: both, Layers: 2, PerLayer: []int64{sizeA, sizeB}}},
		{name: "two platforms, linux/arm64", archive: multi.archive(multiIndex, nil, false), platform: "linux/arm64", want: Size{Bytes: sizeC, Layers: 1, PerLayer: []int64{sizeC}}},
		{name: "two platforms, none chosen", archive: multi.archive(multiIndex, nil, false), wantErr: ErrSeveralImages},
		{name: "two platforms, absent one", archive: multi.archive(multiIndex, nil, false), platform: "linux/s390x", wantErr: ErrNoImage},
		{name: "only pulled platform counts", archive: partial.archive(partialIndex, nil, false), want: Size{Bytes: both, Layers: 2, PerLayer: []int64{sizeA, sizeB}}},
		{name: "platform from config", archive: bare.archive(bareImg, nil, false), platform: "linux/amd64", want: Size{Bytes: both, Layers: 2, PerLayer: []int64{sizeA, sizeB}}},
		{name: "platform from config, other platform", archive: bare.archive(bareImg, nil, false), platform: "linux/arm64", wantErr: ErrNoImage},
		{name: "not a tar", archive: []byte("this is not a tar archive"), wantErr: ErrNotTar},
		{name: "json, not a tar", archive: jsonBlob(t, map[string]string{"a": strings.Repeat("b", 1000)}), wantErr: ErrNotTar},
		{name: "no manifest.json nor index.json", archive: saveOf(t, []file{{name: "1111/layer.tar", data: a}}), wantErr: ErrNoManifest},
		{name: "layer listed but missing", archive: missingLayer.archive(mlImg, oneImage(mlLayers), false), wantErr: ErrMissingLayer},
		{name: "two images in manifest.json", archive: plain.archive(plainImg, twoImages, false), wantErr: ErrSeveralImages},
		{name: "config listed as layer", archive: cfgAsLayer.archive(calImg, oneImage([]string{cfgAsLayer.blobs[0].name}), false), wantErr: ErrNotTar},
		{name: "junk listed as layer", archive: junk.archive(junkImg, oneImage([]string{"blobs/sha256/" + junkLayer.Digest.Encoded()}), false), wantErr: ErrNotTar},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromSave(iotest.HalfReader(bytes.NewReader(tt.archive)), tt.platform)
			checkErr(t, err, tt.wantErr)
			if got.Bytes != tt.want.Bytes || got.Layers != tt.want.Layers || !slices.Equal(got.PerLayer, tt.want.PerLayer) {
				t.Errorf("FromSave() = %+v, want %+v", got, tt.want)
			}
		})
	}
}
