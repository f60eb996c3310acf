// Package cabundle judges a file of CA certificates the way Go's crypto/x509 reads it: which
// files Go tries, how many certificates it takes, and whether a server's chain verifies
// against it.
package cabundle

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"time"
)

// GoFiles are the CA bundles Go's crypto/x509 tries on Linux, in its order
// (crypto/x509/root_linux.go): it reads the first one it can and stops. SSL_CERT_FILE
// replaces the list. Go also reads every file of /etc/ssl/certs and /etc/pki/tls/certs (or
// of SSL_CERT_DIR); the checks do not count on those: a bundle is what the lessons copy.
var GoFiles = []string{
	"/etc/ssl/certs/ca-certificates.crt", // Debian, Ubuntu, distroless: the one the lessons copy
	"/etc/pki/tls/certs/ca-bundle.crt",
	"/etc/ssl/ca-bundle.pem",
	"/etc/pki/tls/cacert.pem",
	"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
	"/etc/ssl/cert.pem", // Alpine
}

// Count counts the certificates Go's CertPool.AppendCertsFromPEM would take from data and,
// among them, CA certificates.
func Count(data []byte) (certs, cas int) {
	for len(data) > 0 {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" || len(block.Headers) != 0 {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			continue
		}
		certs++
		if cert.IsCA {
			cas++
		}
	}
	return certs, cas
}

// Verify verifies a server's chain (PEM: the leaf, then intermediates) for host at the time
// it was served against the CA certificates in bundle, as crypto/tls would in a handshake.
func Verify(bundle, chainPEM []byte, host string, at time.Time) error {
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(bundle)
	var chain []*x509.Certificate
	for rest := chainPEM; ; {
		var block *pem.Block
		if block, rest = pem.Decode(rest); block == nil {
			break
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return fmt.Errorf("the chain: %w", err)
		}
		chain = append(chain, cert)
	}
	if len(chain) < 2 {
		return errors.New("the chain: want a leaf and an intermediate")
	}
	intermediates := x509.NewCertPool()
	for _, c := range chain[1:] {
		intermediates.AddCert(c)
	}
	_, err := chain[0].Verify(x509.VerifyOptions{
		DNSName: host, Roots: roots, Intermediates: intermediates, CurrentTime: at,
	})
	return err
}
