package auth_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestAlgNoneRejected(t *testing.T) {
	tok := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"sub": "u1", "exp": time.Now().Add(time.Hour).Unix()})
	s, _ := tok.SignedString(jwt.UnsafeAllowNoneSignatureType)
	if code := call(t, s, nil); code != http.StatusUnauthorized {
		t.Fatalf("alg none accepted: %d", code)
	}
}

func TestSpoofedInternalHeaderRejected(t *testing.T) {
	if code := call(t, "", map[string]string{"X-Internal-Caller": "yes"}); code != http.StatusUnauthorized {
		t.Fatalf("header bypass: %d", code)
	}
}

func call(t *testing.T, token string, headers map[string]string) int {
	t.Helper()
	req := httptest.NewRequest("GET", "/api/orders", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	testRouter().ServeHTTP(w, req)
	return w.Code
}
