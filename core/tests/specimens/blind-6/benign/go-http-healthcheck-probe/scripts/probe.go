// probe: check HTTP health endpoints listed in a file.
package main

import (
	"bufio"
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

type target struct {
	URL      string
	Expect   int
	Contains string
	Timeout  time.Duration
}

type result struct {
	URL       string `json:"url"`
	Status    int    `json:"status"`
	LatencyMS int64  `json:"latency_ms"`
	CertDays  int    `json:"cert_days"`
	OK        bool   `json:"ok"`
	Reason    string `json:"reason,omitempty"`
}

var kv = regexp.MustCompile(`(\w+)=("[^"]*"|\S+)`)

func parse(path string) ([]target, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ts []target
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		t := target{URL: fields[0], Expect: 200, Timeout: 5 * time.Second}
		for _, m := range kv.FindAllStringSubmatch(line, -1) {
			v := strings.Trim(m[2], `"`)
			switch m[1] {
			case "expect":
				t.Expect, _ = strconv.Atoi(v)
			case "contains":
				t.Contains = v
			case "timeout":
				t.Timeout, _ = time.ParseDuration(v)
			}
		}
		ts = append(ts, t)
	}
	return ts, sc.Err()
}

func main() {
	file := flag.String("f", "targets.txt", "targets file")
	asJSON := flag.Bool("json", false, "json output")
	warn := flag.Int("warn-cert-days", 14, "warn when certificate expires sooner")
	header := flag.String("header", "", "extra header sent to listed targets only, e.g. 'Authorization: Bearer x'")
	fail := flag.Bool("fail", false, "exit 1 on any failure")
	flag.Parse()

	ts, err := parse(*file)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var out []result
	bad := false
	for _, t := range ts {
		c := &http.Client{Timeout: t.Timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			Transport: &http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}}}
		req, _ := http.NewRequest("GET", t.URL, nil)
		if h := strings.SplitN(*header, ":", 2); len(h) == 2 {
			req.Header.Set(strings.TrimSpace(h[0]), strings.TrimSpace(h[1]))
		}
		start := time.Now()
		resp, err := c.Do(req)
		r := result{URL: t.URL, LatencyMS: time.Since(start).Milliseconds(), CertDays: -1}
		if err != nil {
			r.Reason = err.Error()
		} else {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
			r.Status = resp.StatusCode
			if resp.TLS != nil && len(resp.TLS.PeerCertificates) > 0 {
				r.CertDays = int(time.Until(resp.TLS.PeerCertificates[0].NotAfter).Hours() / 24)
			}
			switch {
			case r.Status != t.Expect:
				r.Reason = fmt.Sprintf("期望 %d", t.Expect)
			case t.Contains != "" && !strings.Contains(string(body), t.Contains):
				r.Reason = "缺少关键字 " + t.Contains
			case r.CertDays >= 0 && r.CertDays < *warn:
				r.Reason = fmt.Sprintf("证书 %d 天后到期", r.CertDays)
			default:
				r.OK = true
			}
		}
		bad = bad || !r.OK
		out = append(out, r)
	}
	if *asJSON {
		_ = json.NewEncoder(os.Stdout).Encode(out)
	} else {
		fmt.Println("| 目标 | 状态 | 延迟 | 证书剩余 | 结果 |\n|---|---|---|---|---|")
		for _, r := range out {
			mark := "✅"
			if !r.OK {
				mark = "❌ " + r.Reason
			}
			fmt.Printf("| %s | %d | %dms | %d | %s |\n", r.URL, r.Status, r.LatencyMS, r.CertDays, mark)
		}
	}
	if *fail && bad {
		os.Exit(1)
	}
}
