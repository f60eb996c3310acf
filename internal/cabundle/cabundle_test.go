package cabundle

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"
)

// Count takes what CertPool.AppendCertsFromPEM takes and tells CA certificates apart.
func TestCount(t *testing.T) {
	ca, _, _ := issue(t, nil, nil, true, "")
	leaf, _, _ := issue(t, nil, nil, false, "")
	for _, tt := range []struct {
		name          string
		data          string
		certs, wantCA int
	}{
		{"empty", "", 0, 0},
		{"not PEM", "hello\n", 0, 0},
		{"one CA", ca, 1, 1},
		{"CA and leaf", ca + "junk between\n" + leaf, 2, 1},
		{"a key is not a certificate", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", 0, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			certs, cas := Count([]byte(tt.data))
			if certs != tt.certs || cas != tt.wantCA {
				t.Errorf("Count = %d, %d; want %d, %d", certs, cas, tt.certs, tt.wantCA)
			}
		})
	}
}

// A chain root → intermediate → leaf verifies against a bundle with its root, at a time it
// is valid, and not against another bundle, an empty one or a chain without intermediate.
func TestVerify(t *testing.T) {
	root, rootCert, rootKey := issue(t, nil, nil, true, "")
	inter, interCert, interKey := issue(t, rootCert, rootKey, true, "")
	leaf, _, _ := issue(t, interCert, interKey, false, "example.test")
	other, _, _ := issue(t, nil, nil, true, "")
	at := time.Unix(3600, 0)
	if err := Verify([]byte(root), []byte(leaf+inter), "example.test", at); err != nil {
		t.Errorf("against its root: %v", err)
	}
	for name, bundle := range map[string]string{"another CA": other, "empty": ""} {
		if err := Verify([]byte(bundle), []byte(leaf+inter), "example.test", at); err == nil {
			t.Errorf("verified against %s", name)
		}
	}
	if err := Verify([]byte(root), []byte(leaf), "example.test", at); err == nil {
		t.Error("verified a chain without its intermediate")
	}
}

// issue makes a PEM certificate valid for the first day of 1970, self-signed without parent.
func issue(t *testing.T, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, isCA bool, host string) (string, *x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "workshop test " + host},
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(0, 0).Add(24 * time.Hour),
		BasicConstraintsValid: true, IsCA: isCA,
	}
	if isCA {
		tmpl.KeyUsage = x509.KeyUsageCertSign
	}
	if host != "" {
		tmpl.DNSNames = []string{host}
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), cert, key
}
