package ingest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/cwlens/cwlens"
	"golang.org/x/sync/errgroup"
)

// Page and batch sizes of the ECS calls: ListClusters and ListServices
// return at most 100 ARNs a page (maxResults 1–100); DescribeServices takes
// at most 10 services (SDK ListClustersInput, ListServicesInput,
// DescribeServicesInput docs).
const (
	ecsListPageSize    = 100
	describeServicesBy = 10
)

// services reads the ECS services of the chosen clusters, their task
// definitions, and queues their utilisation metrics.
func (r *run) services(ctx context.Context) {
	clusters := r.s.opts.Clusters
	if len(clusters) == 0 {
		var ok bool
		if clusters, ok = r.listClusters(ctx); !ok {
			return
		}
	}
	var (
		mu       sync.Mutex
		found    []ecstypes.Service
		taskDefs = map[string]*ecstypes.TaskDefinition{}
	)
	var g errgroup.Group
	g.SetLimit(r.s.opts.Concurrency)
	for _, cl := range clusters {
		g.Go(func() error {
			arns, ok := r.listServices(ctx, cl)
			if !ok {
				return nil
			}
			for i := 0; i < len(arns); i += describeServicesBy {
				chunk := arns[i:min(i+describeServicesBy, len(arns))]
				out, err := r.s.c.ECS.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cl), Services: chunk})
				if err != nil {
					r.fail(ctx, "ecs:DescribeServices", clusterName(cl)+": "+strings.Join(serviceNames(chunk), ","), err)
					continue
				}
				r.reads.Add(1)
				for _, f := range out.Failures {
					r.gap("ecs:DescribeServices", aws.ToString(f.Arn), aws.ToString(f.Reason)+" "+aws.ToString(f.Detail))
				}
				mu.Lock()
				for _, s := range out.Services {
					found = append(found, s)
					taskDefs[aws.ToString(s.TaskDefinition)] = nil
				}
				mu.Unlock()
			}
			return nil
		})
	}
	g.Wait()

	arns := make([]string, 0, len(taskDefs))
	for arn := range taskDefs {
		if arn != "" {
			arns = append(arns, arn)
		}
	}
	var tg errgroup.Group
	tg.SetLimit(r.s.opts.Concurrency)
	for _, arn := range arns {
		tg.Go(func() error {
			out, err := r.s.c.ECS.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(arn)})
			if err != nil {
				r.fail(ctx, "ecs:DescribeTaskDefinition", arn, err)
				return nil
			}
			r.reads.Add(1)
			mu.Lock()
			taskDefs[arn] = out.TaskDefinition
			mu.Unlock()
			return nil
		})
	}
	tg.Wait()

	for _, s := range found {
		td := taskDefs[aws.ToString(s.TaskDefinition)]
		if td == nil && aws.ToString(s.TaskDefinition) != "" {
			// The service's size is unknown without its task definition;
			// the task definition's gap says why it is left out.
			continue
		}
		// A service of the EXTERNAL deployment controller may have no
		// task definition ("A task definition must be specified if the
		// service uses either the ECS or CODE_DEPLOY deployment
		// controllers", CreateService API reference,
		// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html):
		// it is listed with its size unknown.
		sv, err := toService(s, td)
		if err != nil {
			r.gap("ecs:DescribeTaskDefinition", aws.ToString(s.TaskDefinition), err.Error())
			continue
		}
		r.addService(sv)
	}
}

// listClusters returns every cluster ARN, or false when listing failed.
func (r *run) listClusters(ctx context.Context) ([]string, bool) {
	var arns []string
	in := &ecs.ListClustersInput{MaxResults: aws.Int32(ecsListPageSize)}
	ok := r.paginate(ctx, "ecs:ListClusters", "*", func() { arns = nil }, func(token *string) (*string, error) {
		in.NextToken = token
		out, err := r.s.c.ECS.ListClusters(ctx, in)
		if err != nil {
			return nil, err
		}
		arns = append(arns, out.ClusterArns...)
		return out.NextToken, nil
	})
	return arns, ok
}

// listServices returns the service ARNs of a cluster, or false.
func (r *run) listServices(ctx context.Context, cluster string) ([]string, bool) {
	var arns []string
	in := &ecs.ListServicesInput{Cluster: aws.String(cluster), MaxResults: aws.Int32(ecsListPageSize)}
	ok := r.paginate(ctx, "ecs:ListServices", clusterName(cluster), func() { arns = nil }, func(token *string) (*string, error) {
		in.NextToken = token
		out, err := r.s.c.ECS.ListServices(ctx, in)
		if err != nil {
			return nil, err
		}
		arns = append(arns, out.ServiceArns...)
		return out.NextToken, nil
	})
	return arns, ok
}

// clusterName returns the name of a cluster given by name or ARN.
func clusterName(c string) string {
	if i := strings.LastIndex(c, ":cluster/"); i >= 0 {
		return c[i+len(":cluster/"):]
	}
	return c
}

// serviceNames returns the names of services given by ARN
// (arn:...:service/cluster/name, or the older arn:...:service/name).
func serviceNames(arns []string) []string {
	out := make([]string, len(arns))
	for i, a := range arns {
		out[i] = a[strings.LastIndex(a, "/")+1:]
	}
	return out
}

// addService records a service and queues its utilisation metrics.
func (r *run) addService(sv *cwlens.Service) {
	tr := r.serviceRange()
	sv.CPUAverage = tr.series(cwlens.UnitPercent)
	sv.CPUMaximum = tr.series(cwlens.UnitPercent)
	sv.MemoryAverage = tr.series(cwlens.UnitPercent)
	sv.MemoryMaximum = tr.series(cwlens.UnitPercent)
	r.mu.Lock()
	r.svcs = append(r.svcs, sv)
	r.mu.Unlock()
	r.update(func(p *Progress) { p.Services++ })
	dims := []string{"ClusterName", sv.Cluster, "ServiceName", sv.Name}
	for _, q := range []struct {
		metric, stat string
		sink         *cwlens.Series
	}{
		{"CPUUtilization", "Average", &sv.CPUAverage},
		{"CPUUtilization", "Maximum", &sv.CPUMaximum},
		{"MemoryUtilization", "Average", &sv.MemoryAverage},
		{"MemoryUtilization", "Maximum", &sv.MemoryMaximum},
	} {
		r.batches.add(tr, metricQuery{ns: "AWS/ECS", name: q.metric, stat: q.stat, dims: dims, sinks: []*cwlens.Series{q.sink}, what: sv.ID(), subjects: []string{sv.ID()}})
	}
	r.queueTaskHours(tr, sv, dims)
}

// queueTaskHours reads the tasks the service ran: Container Insights'
// RunningTaskCount ("The number of tasks currently in the RUNNING state",
// ECS/ContainerInsights, dimensions ClusterName and ServiceName; Amazon
// ECS Container Insights metrics,
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html),
// whose hourly Average is the mean number of running tasks over the hour:
// the hour's task-hours. Without Container Insights there is no such
// metric and the service keeps no task-hours (pricing then uses the
// desired count, and says so). A missing hour stays unknown: the metric
// is not one published only when there is data.
func (r *run) queueTaskHours(tr timeRange, sv *cwlens.Service, dims []string) {
	raw := new(cwlens.Series)
	*raw = tr.series(cwlens.UnitTaskHours)
	r.mu.Lock()
	r.finishers = append(r.finishers, func() {
		if raw.Present() > 0 {
			sv.TaskHours, sv.TaskHoursSource = *raw, cwlens.TaskHoursContainerInsights
		}
	})
	r.mu.Unlock()
	r.batches.add(tr, metricQuery{ns: "ECS/ContainerInsights", name: "RunningTaskCount", stat: "Average", dims: dims,
		sinks: []*cwlens.Series{raw}, what: sv.ID(), subjects: []string{sv.ID()}})
}

// toService converts an ECS service and its task definition (nil when the
// service has none).
func toService(s ecstypes.Service, td *ecstypes.TaskDefinition) (*cwlens.Service, error) {
	sv := &cwlens.Service{
		Cluster:        clusterName(aws.ToString(s.ClusterArn)),
		Name:           aws.ToString(s.ServiceName),
		ARN:            aws.ToString(s.ServiceArn),
		LaunchType:     string(s.LaunchType),
		TaskDefinition: aws.ToString(s.TaskDefinition),
		DesiredCount:   int(s.DesiredCount),
		RunningCount:   int(s.RunningCount),
		PendingCount:   int(s.PendingCount),
	}
	if dc := s.DeploymentController; dc != nil && dc.Type != ecstypes.DeploymentControllerTypeEcs {
		sv.DeploymentController = string(dc.Type)
	}
	for _, c := range s.CapacityProviderStrategy {
		sv.CapacityProviderStrategy = append(sv.CapacityProviderStrategy, cwlens.CapacityProviderItem{
			CapacityProvider: aws.ToString(c.CapacityProvider), Base: int(c.Base), Weight: int(c.Weight),
		})
	}
	sv.Deployments = toDeployments(s.Deployments)
	if td == nil {
		return sv, nil
	}
	if err := taskSize(sv, td); err != nil {
		return nil, err
	}
	// A task definition without runtimePlatform runs as Linux on X86_64
	// (the RegisterTaskDefinition default).
	sv.Architecture, sv.OperatingSystem = cwlens.ArchX86_64, "LINUX"
	if rp := td.RuntimePlatform; rp != nil {
		if rp.CpuArchitecture != "" {
			sv.Architecture = string(rp.CpuArchitecture)
		}
		if rp.OperatingSystemFamily != "" {
			sv.OperatingSystem = string(rp.OperatingSystemFamily)
		}
	}
	if td.EphemeralStorage != nil {
		sv.EphemeralStorageGiB = int(td.EphemeralStorage.SizeInGiB)
	}
	containers(sv, td.ContainerDefinitions)
	return sv, nil
}

// taskSize reads the task-level CPU and memory. Fargate requires both;
// outside Fargate both are optional ("This field is optional for tasks
// using EC2 or External launch types", RegisterTaskDefinition cpu and
// memory, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html),
// and a task sized only per container has its task size unknown, 0.
func taskSize(sv *cwlens.Service, td *ecstypes.TaskDefinition) error {
	cpuText, memText := aws.ToString(td.Cpu), aws.ToString(td.Memory)
	if !sv.OnFargate() && cpuText == "" && memText == "" {
		return nil
	}
	var err error
	if !sv.OnFargate() && cpuText == "" {
		sv.MemoryMiB, err = memoryMiB(memText)
		return err
	}
	if sv.CPUUnits, err = cpuUnits(cpuText); err != nil {
		return err
	}
	if !sv.OnFargate() && memText == "" {
		return nil
	}
	sv.MemoryMiB, err = memoryMiB(memText)
	return err
}

func toDeployments(ds []ecstypes.Deployment) []cwlens.Deployment {
	var out []cwlens.Deployment
	for _, d := range ds {
		dep := cwlens.Deployment{
			ID: aws.ToString(d.Id), Status: aws.ToString(d.Status), RolloutState: string(d.RolloutState),
			TaskDefinition: aws.ToString(d.TaskDefinition),
			DesiredCount:   int(d.DesiredCount), RunningCount: int(d.RunningCount), PendingCount: int(d.PendingCount),
			FailedTasks: int(d.FailedTasks),
		}
		if d.CreatedAt != nil {
			dep.CreatedAt = d.CreatedAt.UTC()
		}
		if d.UpdatedAt != nil {
			dep.UpdatedAt = d.UpdatedAt.UTC()
		}
		out = append(out, dep)
	}
	return out
}

// containers reads the essential container's health check and the awslogs
// log group.
func containers(sv *cwlens.Service, cs []ecstypes.ContainerDefinition) {
	for _, c := range cs {
		if hc := c.HealthCheck; hc != nil && sv.HealthCheck == nil {
			// Absent members take ECS's defaults: interval 30 s, timeout
			// 5 s, 3 retries, no start period (SDK types.HealthCheck doc).
			sv.HealthCheck = &cwlens.HealthCheck{
				Container: aws.ToString(c.Name), Command: hc.Command,
				IntervalSeconds: int(orDefault(hc.Interval, 30)), TimeoutSeconds: int(orDefault(hc.Timeout, 5)),
				Retries: int(orDefault(hc.Retries, 3)), StartPeriodSeconds: int(orDefault(hc.StartPeriod, 0)),
			}
		}
		if lc := c.LogConfiguration; lc != nil && lc.LogDriver == ecstypes.LogDriverAwslogs && sv.LogGroup == "" {
			sv.LogGroup = lc.Options["awslogs-group"]
		}
	}
}

func orDefault(p *int32, def int32) int32 {
	if p == nil {
		return def
	}
	return *p
}

// cpuUnits parses a task definition's cpu: CPU units ("256") or vCPUs
// ("0.25 vCPU"), as RegisterTaskDefinition accepts either (1024 units =
// 1 vCPU; SDK TaskDefinition.Cpu doc).
func cpuUnits(s string) (int, error) {
	return parseSize(s, "vcpu", 1024, "cpu")
}

// memoryMiB parses a task definition's memory: MiB ("512") or GB ("1 GB").
func memoryMiB(s string) (int, error) {
	return parseSize(s, "gb", 1024, "memory")
}

func parseSize(s, unit string, perUnit float64, field string) (int, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "" {
		return 0, fmt.Errorf("task definition has no task-level %s", field)
	}
	if n, err := strconv.Atoi(t); err == nil && n > 0 {
		return n, nil
	}
	if v, ok := strings.CutSuffix(t, unit); ok {
		if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && f > 0 {
			return int(f*perUnit + 0.5), nil
		}
	}
	return 0, fmt.Errorf("task definition %s %q is not a size", field, s)
}
