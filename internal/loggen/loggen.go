// Package loggen generates log events of the kinds ECS tasks and Lambda
// functions send to CloudWatch Logs, each labelled with the logging
// statement that wrote it, to score and time template miners on.
package loggen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Line is one generated event and the logging statement that wrote it.
type Line struct {
	Truth, Text string
}

// userAgents differ in word count, as real ones do.
var userAgents = []string{
	"curl/8.4.0",
	"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
	"python-requests/2.31.0",
	"ELB-HealthChecker/2.0",
	"Go-http-client/1.1",
}

// Mix generates n events of the kinds ECS tasks and Lambda functions
// send to CloudWatch Logs, each labelled with the statement that wrote
// it: JSON application logs (compact, spaced, reordered, nested, after a
// text prefix), nginx and ALB access logs, Lambda platform lines in text
// and JSON format, Lambda application lines, logfmt workers, ECS agent
// lines, and errors carrying Java, Go, Python and Node.js stack traces.
func Mix(n int, seed uint64) []Line {
	r := rand.New(rand.NewPCG(seed, 1))
	id := func(prefix string, k int) string {
		const al = "abcdefghijklmnopqrstuvwxyz0123456789"
		b := []byte(prefix)
		for i := 0; i < k; i++ {
			b = append(b, al[r.IntN(len(al))])
		}
		return string(b)
	}
	uuid := func() string {
		return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", r.Uint32(), r.IntN(1<<16), r.IntN(1<<16), r.IntN(1<<16), r.Uint64()&(1<<48-1))
	}
	ts := func() string {
		return fmt.Sprintf("2026-12-07T%02d:%02d:%02d.%03dZ", r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1000))
	}
	ip := func() string { return fmt.Sprintf("10.%d.%d.%d", r.IntN(256), r.IntN(256), r.IntN(256)) }
	frames := func(format string, lo, hi int) string {
		var b strings.Builder
		for i, k := 0, lo+r.IntN(hi-lo+1); i < k; i++ {
			b.WriteString(fmt.Sprintf(format, id("", 5), r.IntN(500)+1))
		}
		return b.String()
	}
	out := make([]Line, 0, n)
	add := func(truth, text string) { out = append(out, Line{truth, text}) }
	for len(out) < n {
		switch k := r.IntN(30); k {
		case 0, 1, 2:
			// One statement, written compact, spaced or reordered.
			switch r.IntN(3) {
			case 0:
				add("json-request-done", fmt.Sprintf(`{"level":"info","ts":"%s","logger":"api","msg":"request done","order_id":"%s","ms":%d}`, ts(), id("ord_", 10), r.IntN(900)))
			case 1:
				add("json-request-done", fmt.Sprintf(`{"level": "info", "ts": "%s", "logger": "api", "msg": "request done", "order_id": "%s", "ms": %d}`, ts(), id("ord_", 10), r.IntN(900)))
			default:
				add("json-request-done", fmt.Sprintf(`{"msg":"request done","ms":%d,"level":"info","order_id":"%s","logger":"api","ts":"%s"}`, r.IntN(900), id("ord_", 10), ts()))
			}
		case 3:
			errs := []string{"card declined", "insufficient funds", "expired card"}
			add("json-payment-failed", fmt.Sprintf(`{"level":"error","ts":"%s","logger":"payments","msg":"payment failed for customer","customer":"%s","error":"%s","attempt":%d}`, ts(), id("cus_", 12), errs[r.IntN(3)], r.IntN(4)))
		case 4:
			add("json-slow-query", fmt.Sprintf(`{"level":"warn","msg":"slow query","db":{"table":"%s","rows":%d,"ms":%d},"trace_id":"%s"}`, []string{"orders", "customers", "items"}[r.IntN(3)], r.IntN(1e5), r.IntN(5000), uuid()))
		case 5:
			add("prefix-json-job-started", fmt.Sprintf(`%s INFO worker {"msg":"job started","job":"%s","queue":"emails"}`, ts(), id("job_", 8)))
		case 6:
			add("json-cache", fmt.Sprintf(`{"level":"debug","msg":"cache %s","key":"user:%d","hit":%v}`, []string{"lookup"}[0], r.IntN(1e6), r.IntN(2) == 0))
		case 7, 8:
			m := "GET"
			if r.IntN(3) == 0 {
				m = "POST"
			}
			path := []string{"/api/orders/%d", "/api/cart/%d/items", "/health", "/static/app.%d.js"}[r.IntN(4)]
			if strings.Contains(path, "%d") {
				path = fmt.Sprintf(path, r.IntN(1e5))
			}
			add("nginx-"+m, fmt.Sprintf(`%s - - [07/Dec/2026:%02d:%02d:%02d +0000] "%s %s HTTP/1.1" %d %d "-" "%s"`, ip(), r.IntN(24), r.IntN(60), r.IntN(60), m, path, []int{200, 201, 304, 404, 500}[r.IntN(5)], r.IntN(1e5), userAgents[r.IntN(len(userAgents))]))
		case 9:
			add("alb", fmt.Sprintf(`https %s app/shop-alb/50dc6c495c0c9188 %s:%d 10.0.2.3:8080 0.000 0.%03d 0.000 200 200 %d %d "GET https://shop.example.com:443/api/cart/%d HTTP/1.1" "%s" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop/73e2d6bc24d8a067 "Root=1-%08x-%024x" "shop.example.com" "-" 0 %s "forward" "-" "-" "10.0.2.3:8080" "200" "-" "-"`,
				ts(), ip(), 1024+r.IntN(60000), r.IntN(1000), r.IntN(2000), r.IntN(1e5), r.IntN(1e4), userAgents[r.IntN(len(userAgents))], r.Uint32(), r.Uint64(), ts()))
		case 10:
			req := uuid()
			add("lambda-start", fmt.Sprintf("START RequestId: %s Version: $LATEST", req))
			add("lambda-end", fmt.Sprintf("END RequestId: %s", req))
			if r.IntN(5) == 0 {
				add("lambda-report-init", fmt.Sprintf("REPORT RequestId: %s\tDuration: %d.%02d ms\tBilled Duration: %d ms\tMemory Size: 512 MB\tMax Memory Used: %d MB\tInit Duration: %d.%02d ms", req, r.IntN(900), r.IntN(100), r.IntN(900)+1, 60+r.IntN(100), r.IntN(900), r.IntN(100)))
			} else {
				add("lambda-report", fmt.Sprintf("REPORT RequestId: %s\tDuration: %d.%02d ms\tBilled Duration: %d ms\tMemory Size: 512 MB\tMax Memory Used: %d MB", req, r.IntN(900), r.IntN(100), r.IntN(900)+1, 60+r.IntN(100)))
			}
		case 11:
			add("lambda-init-start", fmt.Sprintf("INIT_START Runtime Version: python:3.12.v%d\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:%064x", 10+r.IntN(20), r.Uint64()))
		case 12:
			req := uuid()
			add("lambda-json-start", fmt.Sprintf(`{"time":"%s","type":"platform.start","record":{"requestId":"%s","version":"$LATEST"}}`, ts(), req))
			add("lambda-json-report", fmt.Sprintf(`{"time":"%s","type":"platform.report","record":{"requestId":"%s","metrics":{"durationMs":%d.%d,"billedDurationMs":%d,"memorySizeMB":512,"maxMemoryUsedMB":%d},"status":"success"}}`, ts(), req, r.IntN(900), r.IntN(10), r.IntN(900), r.IntN(200)))
		case 13, 14:
			add("lambda-py-processing", fmt.Sprintf("[INFO]\t%s\t%s\tProcessing order %d for tenant %s", ts(), uuid(), r.IntN(1e6), id("t", 6)))
		case 15:
			add("lambda-py-throttled", fmt.Sprintf("[ERROR]\t%s\t%s\tFailed to write record %s: throttled, retrying in %d ms", ts(), uuid(), id("rec-", 12), r.IntN(1000)))
		case 16, 17:
			add("lambda-node-fetched", fmt.Sprintf("%s\t%s\tINFO\tfetched %d items from %s", ts(), uuid(), r.IntN(500), []string{"inventory", "catalog", "pricing", "carts", "sessions", "coupons", "reviews", "wishlists"}[r.IntN(8)]))
		case 18:
			add("lambda-node-invoke-error", fmt.Sprintf(`%s	%s	ERROR	Invoke Error 	{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading 'id')","stack":["TypeError: Cannot read properties of undefined (reading 'id')","    at Runtime.handler (file:///var/task/index.mjs:%d:%d)"]}`, ts(), uuid(), r.IntN(100), r.IntN(40)))
		case 19, 20:
			add("logfmt-job-finished", fmt.Sprintf(`time=%s level=info msg="job finished" job_id=%s queue=%s duration=%d.%03ds attempts=%d`, ts(), id("job_", 10), []string{"emails", "invoices", "exports", "thumbnails", "webhooks", "reports", "search"}[r.IntN(7)], r.IntN(10), r.IntN(1000), 1+r.IntN(3)))
		case 21:
			add("logfmt-job-failed", fmt.Sprintf(`time=%s level=error msg="job failed" job_id=%s error="smtp timeout after %ds" retry=%v`, ts(), id("job_", 10), r.IntN(60), r.IntN(2) == 0))
		case 22:
			add("ecs-agent-logfmt", fmt.Sprintf(`level=info time=%s msg="Task engine [arn:aws:ecs:us-east-1:123456789012:task/prod/%032x]: pulled container image for container web" module=docker_task_engine.go`, ts(), r.Uint64()))
		case 23:
			add("ecs-agent-seelog", fmt.Sprintf(`%s [INFO] Managed task [arn:aws:ecs:us-east-1:123456789012:task/prod/%032x]: sending container change event [web]: RUNNING`, ts(), r.Uint64()))
		case 24:
			add("java-order-failed", fmt.Sprintf("2026-12-07 %02d:%02d:%02d.%03d ERROR [http-nio-8080-exec-%d] c.e.OrderController - Order %d failed\njava.lang.IllegalStateException: stock exhausted for sku %d\n%s\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:%d)\nCaused by: java.sql.SQLException: lock timeout\n\t... %d more",
				r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1000), r.IntN(200), r.IntN(1e6), r.IntN(1e4), frames("\tat com.example.shop.%s.handle(Order.java:%d)\n", 2, 12), r.IntN(900), r.IntN(40)))
		case 25:
			add("go-panic", fmt.Sprintf("panic: runtime error: index out of range [%d] with length %d\n\ngoroutine %d [running]:\n%smain.main()\n\t/app/main.go:%d +0x1d\nexit status 2",
				r.IntN(10), r.IntN(10), r.IntN(500), frames("main.%s(...)\n\t/app/handler.go:%d +0x65\n", 1, 10), r.IntN(100)))
		case 26:
			add("python-keyerror", fmt.Sprintf("[ERROR]\t%s\t%s\tunhandled error in handler\nTraceback (most recent call last):\n%sKeyError: 'amount'",
				ts(), uuid(), frames("  File \"/var/task/%s.py\", line %d, in handler\n    charge(order)\n", 1, 6)))
		case 27:
			add("node-econnrefused", fmt.Sprintf("Error: connect ECONNREFUSED %s:5432\n%s", ip(), frames("    at %s.afterConnect (node:net:%d:16)\n", 1, 8)))
		default:
			add("json-health", fmt.Sprintf(`{"level":"info","msg":"health check ok","uptime_s":%d,"goroutines":%d}`, r.IntN(1e6), r.IntN(300)))
		}
	}
	return out[:n]
}
