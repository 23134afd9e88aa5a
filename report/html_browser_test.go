//go:build e2e

// This end-to-end test opens the HTML report in headless Chromium (chromedp,
// a large dependency to compile). It runs with -tags e2e (.ci/run), to keep
// go test ./... fast on a fresh machine.

package report

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// screenshotDirEnv names a directory where the browser test keeps its
// screenshots; without it they go to the test's temporary directory.
const screenshotDirEnv = "CWLENS_SCREENSHOT_DIR"

// chromiumPath returns Debian's chromium, skipping the test when it is absent
// on a developer's machine. CI installs it (.ci/run), so there its absence
// fails the test instead of passing it unseen.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed, and CI is set: .ci/run must install it (apt-get install -y chromium)")
	}
	t.Skip("chromium is not installed (apt-get install -y chromium); CI runs this test")
	return ""
}

// browserLog is what the page did that a self-contained, script-free report
// must never do.
type browserLog struct {
	mu       sync.Mutex
	requests []string
	console  []string
	dialogs  []string
}

func (b *browserLog) add(to *[]string, s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	*to = append(*to, s)
}

func (b *browserLog) snapshot() (requests, console, dialogs []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.requests...), append([]string(nil), b.console...), append([]string(nil), b.dialogs...)
}

// openInChromium loads the HTML file at path in headless Chromium and returns
// the tab's context with every request, console message and dialog of the
// page being recorded into the returned log.
func openInChromium(t *testing.T, path string) (context.Context, *browserLog) {
	t.Helper()
	bin := chromiumPath(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "profile")),
		chromedp.WindowSize(1024, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelCtx)
	if err := chromedp.Do(ctx); err != nil { // starts the browser, unbounded by a timeout
		t.Fatalf("start chromium: %v", err)
	}

	bl := &browserLog{}
	dialogs := make(chan struct{}, 8)
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			bl.add(&bl.requests, ev.Request.URL)
		case *cdpruntime.EventConsoleAPICalled:
			var args []string
			for _, a := range ev.Args {
				args = append(args, string(a.Value))
			}
			bl.add(&bl.console, fmt.Sprintf("console.%s(%s)", ev.Type, strings.Join(args, ", ")))
		case *cdpruntime.EventExceptionThrown:
			bl.add(&bl.console, "exception: "+ev.ExceptionDetails.Text)
		case *cdplog.EventEntryAdded:
			bl.add(&bl.console, fmt.Sprintf("log %s %s: %s %s", ev.Entry.Level, ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
		case *page.EventJavascriptDialogOpening:
			bl.add(&bl.dialogs, fmt.Sprintf("%s: %s", ev.Type, ev.Message))
			select {
			case dialogs <- struct{}{}:
			default:
			}
		}
	})
	if err != nil {
		t.Fatalf("listen to chromium: %v", err)
	}
	// A dialog blocks the page until answered; dismiss it (off the event
	// loop, as Listen requires) so the test reports it instead of hanging.
	go func() {
		for range dialogs {
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()

	runCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	enable := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, cdplog.Enable, cdp.Empty{})
		return err
	})
	u := (&url.URL{Scheme: "file", Path: path}).String()
	if err := chromedp.Do(runCtx, enable, chromedp.Navigate(u)); err != nil {
		t.Fatalf("open %s in chromium: %v", u, err)
	}
	return ctx, bl
}

// setMedia emulates a media type ("print" or "") and colour scheme.
func setMedia(t *testing.T, ctx context.Context, media, scheme string) {
	t.Helper()
	p := emulation.SetEmulatedMediaParams{Media: media}
	if scheme != "" {
		p.Features = []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, p); err != nil {
		t.Fatalf("emulate media %q %q: %v", media, scheme, err)
	}
}

func evaluate[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(cctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// screenshot saves a full-page PNG named name and returns its path.
func screenshot(t *testing.T, ctx context.Context, name string) string {
	t.Helper()
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(cctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("screenshot %s is not a PNG", name)
	}
	dir := os.Getenv(screenshotDirEnv)
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", p, len(png))
	return p
}

// printPDF prints the page as Chromium's print dialog would (A4, no
// background graphics) and saves the PDF beside the screenshots.
func printPDF(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	res, err := chromedp.Call(cctx, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69, PreferCSSPageSize: new(true)})
	if err != nil {
		t.Fatalf("print %s: %v", name, err)
	}
	if !bytes.HasPrefix(res.Data, []byte("%PDF-")) {
		t.Fatalf("print %s: not a PDF", name)
	}
	dir := os.Getenv(screenshotDirEnv)
	if dir == "" {
		dir = t.TempDir()
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, res.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("printed: %s (%d bytes)", p, len(res.Data))
}

// checkBrowserPage opens the report written to path and asserts what a
// self-contained report must be in a real browser: the file:// document is
// the only request, nothing reaches the console, no script exists or runs,
// the page fits its width, and the light, dark and print themes apply. It
// leaves screenshots named prefix-{light,dark,print}.png.
func checkBrowserPage(t *testing.T, path, prefix string) (context.Context, *browserLog) {
	t.Helper()
	ctx, bl := openInChromium(t, path)

	if n := evaluate[int](t, ctx, `document.scripts.length`); n != 0 {
		t.Errorf("the page has %d <script> elements, want none", n)
	}
	if n := evaluate[int](t, ctx, `document.querySelectorAll("svg.chart").length`); n == 0 {
		t.Error("the page has no chart")
	}
	// Every chart is an image with a text alternative.
	if bad := evaluate[[]string](t, ctx, `[...document.querySelectorAll("svg:not([aria-hidden=true])")].filter(s =>
		s.getAttribute("role") !== "img" || !s.querySelector(":scope > title")?.textContent.trim() ||
		!s.querySelector(":scope > desc")?.textContent.trim()).map(s => s.id || s.outerHTML.slice(0, 80))`); len(bad) != 0 {
		t.Errorf("charts without role=img, <title> and <desc>: %q", bad)
	}
	if over := evaluate[bool](t, ctx, `document.documentElement.scrollWidth > window.innerWidth`); over {
		t.Error("the page is wider than the window")
	}

	bg := `getComputedStyle(document.documentElement).backgroundColor`
	ink := `getComputedStyle(document.querySelector("svg.chart")).fill`
	setMedia(t, ctx, "", "light")
	if got := evaluate[string](t, ctx, bg); got != "rgb(255, 255, 255)" {
		t.Errorf("light background = %s, want white", got)
	}
	lightInk := evaluate[string](t, ctx, ink)
	screenshot(t, ctx, prefix+"-light.png")

	setMedia(t, ctx, "", "dark")
	if got := evaluate[string](t, ctx, bg); got != "rgb(13, 17, 23)" {
		t.Errorf("dark background = %s, want rgb(13, 17, 23)", got)
	}
	if darkInk := evaluate[string](t, ctx, ink); darkInk == lightInk {
		t.Errorf("chart ink is %s in both light and dark mode", darkInk)
	}
	screenshot(t, ctx, prefix+"-dark.png")

	// Finance prints it: print is light even when the reader's system is dark.
	setMedia(t, ctx, "print", "dark")
	if got := evaluate[string](t, ctx, bg); got != "rgb(255, 255, 255)" {
		t.Errorf("print background = %s, want white", got)
	}
	if got := evaluate[string](t, ctx, ink); got != "rgb(0, 0, 0)" {
		t.Errorf("print chart ink = %s, want black", got)
	}
	screenshot(t, ctx, prefix+"-print.png")
	setMedia(t, ctx, "", "")
	printPDF(t, ctx, prefix+".pdf")

	requests, console, dialogs := bl.snapshot()
	want := (&url.URL{Scheme: "file", Path: path}).String()
	for _, r := range requests {
		if r != want {
			t.Errorf("the page requested %s; the only request allowed is the document %s", r, want)
		}
	}
	if len(requests) == 0 {
		t.Errorf("no request recorded, not even the document: the network listener is not working")
	}
	for _, c := range console {
		t.Errorf("console: %s", c)
	}
	for _, d := range dialogs {
		t.Errorf("a dialog opened: %s", d)
	}
	return ctx, bl
}

// TestReferenceHTMLInChromium opens the reference account's report, as the
// demo writes it, in real headless Chromium.
func TestReferenceHTMLInChromium(t *testing.T) {
	chromiumPath(t)
	path := filepath.Join(t.TempDir(), "reference.html")
	writeHTMLFile(t, path, htmlReferenceReport(t))
	ctx, _ := checkBrowserPage(t, path, "reference")
	// The headline figures are on screen, not only in the markup.
	for _, label := range []string{"Monthly cost now", "After the scenario", "The flood's monthly cost"} {
		if !evaluate[bool](t, ctx, fmt.Sprintf(`[...document.querySelectorAll(".kpi")].some(k =>
			k.innerText.includes(%q) && /\$[0-9]/.test(k.innerText) && k.getBoundingClientRect().height > 0)`, label)) {
			t.Errorf("the headline %q shows no amount", label)
		}
	}
}

// TestHTMLInChromium opens a report with every section, and a log group
// named like a script, in real headless Chromium.
func TestHTMLInChromium(t *testing.T) {
	chromiumPath(t)
	path := filepath.Join(t.TempDir(), "fixture.html")
	writeHTMLFile(t, path, htmlFixtureReport())
	ctx, bl := checkBrowserPage(t, path, "fixture")

	// The hostile name is on the page as text, visibly, and ran nothing.
	visible := evaluate[bool](t, ctx, fmt.Sprintf(`[...document.querySelectorAll("th.name")].some(e =>
		e.textContent === %q && e.getBoundingClientRect().width > 0 && getComputedStyle(e).visibility === "visible")`, xssName))
	if !visible {
		t.Errorf("the log group %q is not visible as text in the table", xssName)
	}
	if !evaluate[bool](t, ctx, fmt.Sprintf(`document.body.innerText.includes(%q)`, xssName)) {
		t.Errorf("the page text lacks %q", xssName)
	}
	if n := evaluate[int](t, ctx, `document.querySelectorAll("img, iframe, object, embed, [onerror], [onload]").length`); n != 0 {
		t.Errorf("user data became %d elements or handlers", n)
	}
	// A dialog would have been recorded by now; give a late one a moment.
	time.Sleep(200 * time.Millisecond)
	if _, _, dialogs := bl.snapshot(); len(dialogs) != 0 {
		t.Errorf("dialogs opened: %q", dialogs)
	}
}

func writeHTMLFile(t *testing.T, path string, r *Report) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, r, FormatHTML, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// phoneWidth is the viewport of a common phone (an iPhone 12 to 15), in CSS
// pixels.
const phoneWidth = 390

// minLabelPx is the smallest chart label, in CSS pixels, counted readable on
// a phone: WCAG sets no minimum, and Apple's and Google's guides put
// secondary text at 11 to 12 pt; 9 px is the floor the charts must clear.
const minLabelPx = 9

// TestHTMLOnAPhone opens both reports at a phone's width: the page does not
// scroll sideways, every chart label shown is at least minLabelPx high on
// screen, and every dollar amount in a table is on screen without scrolling
// its table.
func TestHTMLOnAPhone(t *testing.T) {
	chromiumPath(t)
	for _, c := range []struct {
		name string
		r    *Report
	}{
		{"reference", htmlReferenceReport(t)},
		{"fixture", htmlFixtureReport()},
		{"reconciliation", func() *Report { r := htmlFixtureReport(); r.Reconciliation = testReconciliation(); return r }()},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), c.name+".html")
			writeHTMLFile(t, path, c.r)
			ctx, _ := openInChromium(t, path)
			metrics := emulation.SetDeviceMetricsOverrideParams{Width: phoneWidth, Height: 844, DeviceScaleFactor: 3, Mobile: true}
			if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, metrics); err != nil {
				t.Fatalf("emulate a phone: %v", err)
			}
			if w := evaluate[int](t, ctx, `window.innerWidth`); w != phoneWidth {
				t.Fatalf("the window is %d px wide, want %d", w, phoneWidth)
			}
			if over := evaluate[bool](t, ctx, `document.documentElement.scrollWidth > window.innerWidth`); over {
				t.Error("the page is wider than the phone")
			}
			// A label's size on screen: its font size times the chart's scale.
			labels := evaluate[[]struct {
				Text string  `json:"text"`
				Px   float64 `json:"px"`
			}](t, ctx, `[...document.querySelectorAll("svg.chart text")].filter(e => e.getClientRects().length > 0)
				.map(e => ({text: e.textContent, px: parseFloat(e.getAttribute("font-size")) * e.getScreenCTM().a}))`)
			if len(labels) == 0 {
				t.Fatal("no chart label is shown")
			}
			for _, l := range labels {
				if l.Px < minLabelPx {
					t.Errorf("chart label %q is %.1f px high on a %d-px screen, want %d or more", l.Text, l.Px, phoneWidth, minLabelPx)
				}
			}
			// Every amount shown in a table lies inside the table's scroll box
			// and the window, as it is first shown.
			money := evaluate[[]struct {
				Text  string  `json:"text"`
				Right float64 `json:"right"`
				Box   float64 `json:"box"`
			}](t, ctx, `[...document.querySelectorAll("td.num")].filter(e => e.getClientRects().length > 0 && e.textContent.includes("$"))
				.map(e => ({text: e.textContent, right: e.getBoundingClientRect().right,
					box: Math.min(window.innerWidth, (e.closest(".table-scroll") || document.body).getBoundingClientRect().right)}))`)
			if len(money) == 0 {
				t.Fatal("no dollar amount is shown in a table")
			}
			for _, m := range money {
				if m.Right > m.Box+0.5 {
					t.Errorf("the amount %q ends at %.0f px, past its table's visible edge at %.0f px: it needs scrolling", m.Text, m.Right, m.Box)
				}
			}
			// A total stays under its column when lesser columns are left out.
			misaligned := evaluate[[]string](t, ctx, `[...document.querySelectorAll("tfoot td.num")].filter(e => e.getClientRects().length > 0)
				.filter(e => { const r = e.getBoundingClientRect().right;
					return ![...e.closest("table").querySelectorAll("thead th")].some(h => h.getClientRects().length > 0 && Math.abs(h.getBoundingClientRect().right - r) < 1) })
				.map(e => e.closest("table").className + ": " + e.textContent)`)
			for _, m := range misaligned {
				t.Errorf("the total %s is not under a column of its table", m)
			}
			screenshot(t, ctx, c.name+"-phone.png")
		})
	}
}
