package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestZZShots(t *testing.T) {
	if os.Getenv("ZZ_SEL") == "" {
		t.Skip()
	}
	src := os.Getenv("ZZ_HTML")
	if src == "" {
		src = filepath.Join(t.TempDir(), "f.html")
		writeHTMLFile(t, src, htmlFixtureReport())
	}
	ctx, _ := openInChromium(t, src)
	for _, mode := range strings.Split(os.Getenv("ZZ_MODES"), ",") {
		switch mode {
		case "dark":
			setMedia(t, ctx, "", "dark")
		case "print":
			setMedia(t, ctx, "print", "")
		default:
			setMedia(t, ctx, "", "light")
		}
		for _, sel := range strings.Split(os.Getenv("ZZ_SEL"), ",") {
			png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(sel)))
			if err != nil {
				t.Fatal(err)
			}
			name := strings.NewReplacer("#", "", " ", "_", ">", "", ".", "").Replace(sel)
			os.WriteFile("/tmp/shots/el-"+mode+"-"+name+".png", png, 0o644)
		}
	}
}
