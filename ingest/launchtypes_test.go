package ingest_test

import (
	"testing"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/internal/awsemu"
)

// EveryLaunchType turns four of an account's services into an EC2 service
// sized only by its containers, an EXTERNAL-controller service with no
// task definition, an EC2 service on a custom capacity provider with a
// task size, and a Windows Fargate service.
func everyLaunchType(snap *cwlens.Snapshot) *cwlens.Snapshot {
	ec2, ext, cp, win := &snap.Services[0], &snap.Services[1], &snap.Services[2], &snap.Services[3]
	ec2.LaunchType, ec2.CapacityProviderStrategy, ec2.CPUUnits, ec2.MemoryMiB = cwlens.LaunchEC2, nil, 0, 0
	ext.LaunchType, ext.CapacityProviderStrategy, ext.DeploymentController = cwlens.LaunchExternal, nil, "EXTERNAL"
	ext.TaskDefinition, ext.CPUUnits, ext.MemoryMiB, ext.Architecture, ext.OperatingSystem = "", 0, 0, "", ""
	ext.HealthCheck, ext.LogGroup = nil, ""
	cp.LaunchType, cp.CapacityProviderStrategy = "", []cwlens.CapacityProviderItem{{CapacityProvider: "my-asg-provider", Weight: 1}}
	cp.CPUUnits, cp.MemoryMiB = 384, 700
	win.LaunchType, win.CapacityProviderStrategy = cwlens.LaunchFargate, nil
	win.CPUUnits, win.MemoryMiB, win.Architecture, win.OperatingSystem = 1024, 2048, cwlens.ArchX86_64, "WINDOWS_SERVER_2022_CORE"
	return snap
}

// TestScanEveryLaunchType: through the real ECS client, services of every
// launch type are listed as the emulator serves them — sizes unknown where
// the task definition has none, no task definition for the EXTERNAL one —
// and none is a gap.
func TestScanEveryLaunchType(t *testing.T) {
	want := everyLaunchType(smallAccount())
	if err := want.Validate(); err != nil {
		t.Fatal(err)
	}
	got, _ := scan(t, want, "")
	if len(got.Gaps) != 0 {
		t.Fatalf("gaps: %+v", got.Gaps)
	}
	if d := awsemu.Diff(awsemu.Expected(want, want.Window.End), got); d != "" {
		t.Fatal(d)
	}
	ext := got.Service(want.Services[1].Cluster, want.Services[1].Name)
	if ext == nil || ext.DeploymentController != "EXTERNAL" || ext.TaskDefinition != "" || ext.CPUAverage.Present() == 0 {
		t.Errorf("EXTERNAL service %+v: want listed, no task definition, with its utilisation", ext)
	}
}

// TestScanTaskHours: services with Container Insights have their hourly
// RunningTaskCount read as task-hours, with its source; the others keep
// none (pricing falls back to the desired count); a missing hour stays
// missing.
func TestScanTaskHours(t *testing.T) {
	want := smallAccount()
	for _, i := range []int{0, 4} {
		s := &want.Services[i]
		s.TaskHours = s.CPUAverage
		s.TaskHours.Unit = cwlens.UnitTaskHours
		s.TaskHours.Values = make([]float64, len(s.CPUAverage.Values))
		for k := range s.TaskHours.Values {
			s.TaskHours.Values[k] = float64(k%3) * 0.5 // 0, 0.5, 1 tasks
		}
		s.TaskHours.Values[7] = cwlens.Missing()
		s.TaskHoursSource = cwlens.TaskHoursContainerInsights
	}
	got, _ := scan(t, want, "throttle=0.2,gmd-internal=0.2,seed=8")
	if d := awsemu.Diff(awsemu.Expected(want, want.Window.End), got); d != "" {
		t.Fatal(d)
	}
	for i, s := range got.Services {
		if has := s.TaskHoursSource != ""; has != (i == 0 || i == 4) {
			t.Errorf("service %d (%s): task-hours source %q", i, s.ID(), s.TaskHoursSource)
		}
	}
}
