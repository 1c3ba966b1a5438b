// Baseline for bench/promGo.ts: the Prometheus project's own text parser (expfmt.TextParser), and a
// client_golang exporter whose /metrics output becomes a test fixture.
//
//	promgo parse <file> <rounds> <iterations>   per-round wall and CPU ns of <iterations> parses, as JSON
//	promgo loop <file>...                        stdin "<file index> <iterations>" → "<wall ns> <cpu ns>"
//	promgo dump                                  an instrumented HTTP server's /metrics text on stdout
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/common/expfmt"
)

var sink int

// cpuNs is the CPU time of the whole process (every thread, the GC's included), user + system.
func cpuNs() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		fail(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// parseN parses data n times, each with a fresh parser, and returns the elapsed and CPU ns.
func parseN(data []byte, n int) (int64, int64, error) {
	runtime.GC()
	start, cpu := time.Now(), cpuNs()
	for i := 0; i < n; i++ {
		var p expfmt.TextParser
		families, err := p.TextToMetricFamilies(bytes.NewReader(data))
		if err != nil {
			return 0, 0, err
		}
		sink += len(families)
	}
	return time.Since(start).Nanoseconds(), cpuNs() - cpu, nil
}

func mustAtoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		fail(fmt.Errorf("not a positive count: %q", s))
	}
	return n
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func parseCmd(args []string) {
	if len(args) != 3 {
		fail(fmt.Errorf("usage: promgo parse <file> <rounds> <iterations>"))
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		fail(err)
	}
	rounds, iterations := mustAtoi(args[1]), mustAtoi(args[2])
	wall, cpu := make([]int64, 0, rounds), make([]int64, 0, rounds)
	for r := 0; r < rounds; r++ {
		w, c, err := parseN(data, iterations)
		if err != nil {
			fail(err)
		}
		wall, cpu = append(wall, w), append(cpu, c)
	}
	out, _ := json.Marshal(map[string]interface{}{"iterations": iterations, "wallNs": wall, "cpuNs": cpu})
	fmt.Println(string(out))
}

// loopCmd answers one request per stdin line so the caller can interleave Go rounds with its own.
func loopCmd(files []string) {
	payloads := make([][]byte, 0, len(files))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			fail(err)
		}
		payloads = append(payloads, data)
	}
	in := bufio.NewScanner(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	for in.Scan() {
		fields := strings.Fields(in.Text())
		if len(fields) != 2 {
			fail(fmt.Errorf("expected \"<file index> <iterations>\", got %q", in.Text()))
		}
		index, err := strconv.Atoi(fields[0])
		if err != nil || index < 0 || index >= len(payloads) {
			fail(fmt.Errorf("no file %q", fields[0]))
		}
		wall, cpu, err := parseN(payloads[index], mustAtoi(fields[1]))
		if err != nil {
			fail(err)
		}
		fmt.Fprintf(out, "%d %d\n", wall, cpu)
		out.Flush()
	}
}

// dumpCmd serves a small instrumented API on loopback, sends it a fixed set of requests, then
// scrapes its /metrics endpoint in the text format.
func dumpCmd() {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector())
	reg.MustRegister(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "http_requests_total", Help: "Total HTTP requests served."}, []string{"code", "method", "handler"})
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "http_request_duration_seconds", Help: "HTTP request latency.", Buckets: prometheus.DefBuckets}, []string{"handler"})
	inFlight := prometheus.NewGauge(prometheus.GaugeOpts{Name: "http_requests_in_flight", Help: "Requests being served."})
	sizes := prometheus.NewSummaryVec(prometheus.SummaryOpts{Name: "http_response_size_bytes", Help: "Response sizes.", Objectives: map[float64]float64{0.5: 0.05, 0.9: 0.01, 0.99: 0.001}}, []string{"handler"})
	pool := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "db_pool_connections", Help: "Database pool connections by state."}, []string{"state"})
	reg.MustRegister(requests, duration, inFlight, sizes, pool)
	pool.WithLabelValues("idle").Set(7)
	pool.WithLabelValues("in_use").Set(3)

	route := func(name string, status int, body string) http.Handler {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// Each request says how long to work, so the latency histogram spreads over its buckets.
			if ms, err := strconv.Atoi(r.URL.Query().Get("ms")); err == nil && ms > 0 && ms < 1000 {
				time.Sleep(time.Duration(ms) * time.Millisecond)
			}
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		})
		return promhttp.InstrumentHandlerInFlight(inFlight,
			promhttp.InstrumentHandlerDuration(duration.MustCurryWith(prometheus.Labels{"handler": name}),
				promhttp.InstrumentHandlerCounter(requests.MustCurryWith(prometheus.Labels{"handler": name}),
					promhttp.InstrumentHandlerResponseSize(sizes.MustCurryWith(prometheus.Labels{"handler": name}), h))))
	}
	mux := http.NewServeMux()
	mux.Handle("/api/users", route("/api/users", http.StatusOK, strings.Repeat("u", 512)))
	mux.Handle("/api/orders", route("/api/orders", http.StatusCreated, strings.Repeat("o", 128)))
	mux.Handle("/api/fail", route("/api/fail", http.StatusInternalServerError, "boom"))
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	go func() { _ = http.Serve(ln, mux) }()
	base := "http://" + ln.Addr().String()
	get := func(path string) []byte {
		res, err := http.Get(base + path)
		if err != nil {
			fail(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return body
	}
	for i := 0; i < 40; i++ {
		get(fmt.Sprintf("/api/users?ms=%d", 2+(i%4)*6))
	}
	for i := 0; i < 12; i++ {
		res, err := http.Post(fmt.Sprintf("%s/api/orders?ms=%d", base, 30+(i%3)*40), "application/json", strings.NewReader("{}"))
		if err != nil {
			fail(err)
		}
		res.Body.Close()
	}
	for i := 0; i < 3; i++ {
		get("/api/fail?ms=300")
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/metrics", nil)
	req.Header.Set("Accept", "text/plain")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		fail(err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(os.Stdout, res.Body)
}

func main() {
	if len(os.Args) < 2 {
		fail(fmt.Errorf("usage: promgo parse|loop|dump …"))
	}
	switch os.Args[1] {
	case "parse":
		parseCmd(os.Args[2:])
	case "loop":
		loopCmd(os.Args[2:])
	case "dump":
		dumpCmd()
	default:
		fail(fmt.Errorf("unknown command %q", os.Args[1]))
	}
}
