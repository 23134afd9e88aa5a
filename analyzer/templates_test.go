package analyzer

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
)

// TestIngestionFindingTemplates: a level shift in a group whose sample
// spans the shift lists the templates of the flood, the new error first,
// with the health check's share shrinking as the errors crowd in.
func TestIngestionFindingTemplates(t *testing.T) {
	snap := dailySnapshot(t, "["+week+"]x4 5.1 5.2 5.0 5.1 555 2886 150")
	g := &snap.LogGroups[0]
	shift := evalAt.Add(-3 * cwlens.Day)
	for i := 0; i < 400; i++ {
		ts := shift.Add(-time.Duration(400-i) * time.Minute)
		g.Sample = append(g.Sample, cwlens.LogEvent{Timestamp: ts, Message: fmt.Sprintf("GET /health 200 %dms", i%30)})
	}
	for i := 0; i < 400; i++ {
		ts := shift.Add(time.Duration(i) * time.Minute)
		msg := fmt.Sprintf("GET /health 200 %dms", i%30)
		if i%4 != 0 {
			msg = fmt.Sprintf("ERROR execution reverted: FiatTokenV2: invalid signature tx=0x%032x", i)
		}
		g.Sample = append(g.Sample, cwlens.LogEvent{Timestamp: ts, Message: msg})
	}
	fs := ingestionFindings(t, snap, DefaultConfig())
	if len(fs) != 1 || fs[0].Kind != cwlens.KindIngestionLevelShift {
		t.Fatalf("findings %+v", fs)
	}
	ts := fs[0].Templates
	if len(ts) != 2 {
		t.Fatalf("templates %+v", ts)
	}
	if ts[0].Template != "ERROR execution reverted: FiatTokenV2: invalid signature tx=<*>" || ts[0].Events != 300 || ts[0].GrowthRate != 0 {
		t.Errorf("first template %+v", ts[0])
	}
	if ts[1].Template != "GET /health <*> <*>" || ts[1].Events != 100 || !(ts[1].GrowthRate > 0 && ts[1].GrowthRate < 1) {
		t.Errorf("second template %+v", ts[1])
	}
	if s := ts[0].ByteShare + ts[1].ByteShare; math.Abs(s-1) > 1e-9 {
		t.Errorf("shares sum to %v", s)
	}
}

func TestNoTemplatesWithoutSample(t *testing.T) {
	fs := ingestionFindings(t, dailySnapshot(t, "["+week+"]x4 5.1 5.2 5.0 5.1 555 2886 150"), DefaultConfig())
	if len(fs) != 1 || fs[0].Templates != nil {
		t.Fatalf("findings %+v", fs)
	}
}
