package awsemu

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/cwlens/cwlens"
)

// ecs emulates Amazon ECS (AWS JSON 1.1, target
// AmazonEC2ContainerServiceV20141113): ListClusters, ListServices,
// DescribeServices and DescribeTaskDefinition. Task definitions are derived
// from the services' sizes, platform, health check and log group.
type ecs struct {
	JSON11
	region, account string
	clusters        []string                    // names, sorted
	services        map[string][]cwlens.Service // by cluster name, sorted by name
	taskDefs        map[string]cwlens.Service   // by task definition ARN
}

func newECS(snap *cwlens.Snapshot) *ecs {
	e := &ecs{
		JSON11:   JSON11{Target: "AmazonEC2ContainerServiceV20141113"},
		region:   snap.Region,
		account:  snap.AccountID,
		services: map[string][]cwlens.Service{},
		taskDefs: map[string]cwlens.Service{},
	}
	for _, s := range snap.Services {
		if _, ok := e.services[s.Cluster]; !ok {
			e.clusters = append(e.clusters, s.Cluster)
		}
		e.services[s.Cluster] = append(e.services[s.Cluster], s)
		if arn := e.taskDefARN(s); arn != "" {
			e.taskDefs[arn] = s
		}
	}
	sort.Strings(e.clusters)
	for _, ss := range e.services {
		sort.Slice(ss, func(i, j int) bool { return ss[i].Name < ss[j].Name })
	}
	return e
}

func (*ecs) Prefix() string                              { return "ecs" }
func (e *ecs) Protocol() Protocol                        { return e.JSON11 }
func (e *ecs) Route(r *http.Request, body []byte) string { return e.JSON11.Route(r) }

func (e *ecs) Error(kind ErrorKind, msg string) *APIError {
	switch kind {
	case ErrThrottle:
		return &APIError{Status: 400, Code: "ThrottlingException", Message: msg}
	case ErrInternal:
		return &APIError{Status: 500, Code: "ServerException", Message: msg}
	case ErrAccessDenied:
		return &APIError{Status: 400, Code: "AccessDeniedException", Message: msg}
	case ErrNotFound:
		return &APIError{Status: 400, Code: "ClusterNotFoundException", Message: msg}
	}
	return &APIError{Status: 400, Code: "InvalidParameterException", Message: msg}
}

func (e *ecs) Call(_ context.Context, op string, body []byte) (any, error) {
	switch op {
	case "ListClusters":
		return e.listClusters(body)
	case "ListServices":
		return e.listServices(body)
	case "DescribeServices":
		return e.describeServices(body)
	case "DescribeTaskDefinition":
		return e.describeTaskDefinition(body)
	}
	return nil, &APIError{Status: 400, Code: "UnknownOperationException", Message: "operation " + op + " is not emulated"}
}

func (e *ecs) clusterARN(name string) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:cluster/%s", e.region, e.account, name)
}

func (e *ecs) serviceARN(s cwlens.Service) string {
	if s.ARN != "" {
		return s.ARN
	}
	return fmt.Sprintf("arn:aws:ecs:%s:%s:service/%s/%s", e.region, e.account, s.Cluster, s.Name)
}

// taskDefARN returns the service's task definition: the snapshot's, one
// made up for it, or none for a service of the EXTERNAL deployment
// controller without one ("A task definition must be specified if the
// service uses either the ECS or CODE_DEPLOY deployment controllers";
// an EXTERNAL service's task sets carry theirs: CreateService API
// reference, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html).
func (e *ecs) taskDefARN(s cwlens.Service) string {
	if s.TaskDefinition != "" {
		return s.TaskDefinition
	}
	if s.DeploymentController == "EXTERNAL" {
		return ""
	}
	return fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/%s:1", e.region, e.account, s.Name)
}

// maxResults checks a page size against 1..max and returns it, or def.
func (e *ecs) maxResults(p *int, def, max int) (int, error) {
	if p == nil {
		return def, nil
	}
	if *p < 1 || *p > max {
		return 0, e.Error(ErrValidation, fmt.Sprintf("maxResults must be between 1 and %d", max))
	}
	return *p, nil
}

type listIn struct {
	Cluster    *string `json:"cluster"`
	MaxResults *int    `json:"maxResults"`
	NextToken  *string `json:"nextToken"`
}

func (e *ecs) listClusters(body []byte) (any, error) {
	var in listIn
	if err := decodeJSON(body, &in); err != nil {
		return nil, err
	}
	// ListClusters: maxResults 1–100, default 100 (SDK ListClustersInput).
	n, err := e.maxResults(in.MaxResults, 100, 100)
	if err != nil {
		return nil, err
	}
	start, err := parseToken(in.NextToken, "lc", e.Error(ErrValidation, "Invalid nextToken"))
	if err != nil {
		return nil, err
	}
	out := struct {
		ClusterArns []string `json:"clusterArns"`
		NextToken   *string  `json:"nextToken,omitempty"`
	}{ClusterArns: []string{}}
	i := start
	for ; i < len(e.clusters) && len(out.ClusterArns) < n; i++ {
		out.ClusterArns = append(out.ClusterArns, e.clusterARN(e.clusters[i]))
	}
	if i < len(e.clusters) {
		out.NextToken = newToken("lc", i)
	}
	return out, nil
}

// cluster resolves a cluster name or ARN; ECS defaults to "default".
func (e *ecs) cluster(c *string) (string, error) {
	name := "default"
	if c != nil {
		name = *c
		if i := strings.LastIndex(name, ":cluster/"); i >= 0 {
			name = name[i+len(":cluster/"):]
		}
	}
	if _, ok := e.services[name]; !ok {
		return "", e.Error(ErrNotFound, "Cluster not found.")
	}
	return name, nil
}

func (e *ecs) listServices(body []byte) (any, error) {
	var in listIn
	if err := decodeJSON(body, &in); err != nil {
		return nil, err
	}
	// ListServices: maxResults 1–100, default 10 (SDK ListServicesInput).
	n, err := e.maxResults(in.MaxResults, 10, 100)
	if err != nil {
		return nil, err
	}
	cluster, err := e.cluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	start, err := parseToken(in.NextToken, "ls", e.Error(ErrValidation, "Invalid nextToken"))
	if err != nil {
		return nil, err
	}
	ss := e.services[cluster]
	out := struct {
		ServiceArns []string `json:"serviceArns"`
		NextToken   *string  `json:"nextToken,omitempty"`
	}{ServiceArns: []string{}}
	i := start
	for ; i < len(ss) && len(out.ServiceArns) < n; i++ {
		out.ServiceArns = append(out.ServiceArns, e.serviceARN(ss[i]))
	}
	if i < len(ss) {
		out.NextToken = newToken("ls", i)
	}
	return out, nil
}

type capacityProviderOut struct {
	CapacityProvider string `json:"capacityProvider"`
	Base             int    `json:"base"`
	Weight           int    `json:"weight"`
}

type deploymentOut struct {
	ID                       string                `json:"id"`
	Status                   string                `json:"status"`
	TaskDefinition           string                `json:"taskDefinition,omitempty"`
	DesiredCount             int                   `json:"desiredCount"`
	PendingCount             int                   `json:"pendingCount"`
	RunningCount             int                   `json:"runningCount"`
	FailedTasks              int                   `json:"failedTasks"`
	CreatedAt                *float64              `json:"createdAt,omitempty"`
	UpdatedAt                *float64              `json:"updatedAt,omitempty"`
	LaunchType               string                `json:"launchType,omitempty"`
	CapacityProviderStrategy []capacityProviderOut `json:"capacityProviderStrategy,omitempty"`
	RolloutState             string                `json:"rolloutState,omitempty"`
}

type serviceOut struct {
	ServiceArn               string                `json:"serviceArn"`
	ServiceName              string                `json:"serviceName"`
	ClusterArn               string                `json:"clusterArn"`
	Status                   string                `json:"status"`
	DesiredCount             int                   `json:"desiredCount"`
	RunningCount             int                   `json:"runningCount"`
	PendingCount             int                   `json:"pendingCount"`
	LaunchType               string                `json:"launchType,omitempty"`
	CapacityProviderStrategy []capacityProviderOut `json:"capacityProviderStrategy,omitempty"`
	PlatformVersion          string                `json:"platformVersion,omitempty"`
	TaskDefinition           string                `json:"taskDefinition,omitempty"`
	Deployments              []deploymentOut       `json:"deployments"`
	SchedulingStrategy       string                `json:"schedulingStrategy"`
	DeploymentController     deploymentController  `json:"deploymentController"`
}

// deploymentController is DescribeServices' deploymentController: type
// ECS, CODE_DEPLOY or EXTERNAL (DeploymentController,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentController.html).
type deploymentController struct {
	Type string `json:"type"`
}

// jsonTime renders t as AWS JSON's default timestamp (epoch seconds), or
// nil for the zero time.
func jsonTime(t time.Time) *float64 {
	if t.IsZero() {
		return nil
	}
	v := epochSeconds(t.Unix(), t.Nanosecond())
	return &v
}

func (e *ecs) describeServices(body []byte) (any, error) {
	var in struct {
		Cluster  *string  `json:"cluster"`
		Services []string `json:"services"`
	}
	if err := decodeJSON(body, &in); err != nil {
		return nil, err
	}
	// DescribeServices takes at most 10 services per call (SDK
	// DescribeServicesInput.Services).
	if len(in.Services) == 0 || len(in.Services) > 10 {
		return nil, e.Error(ErrValidation, fmt.Sprintf("services: %d given, want 1 to 10", len(in.Services)))
	}
	cluster, err := e.cluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	type failure struct {
		Arn    string `json:"arn"`
		Reason string `json:"reason"`
	}
	out := struct {
		Services []serviceOut `json:"services"`
		Failures []failure    `json:"failures"`
	}{Services: []serviceOut{}, Failures: []failure{}}
	for _, want := range in.Services {
		var found *cwlens.Service
		for i, s := range e.services[cluster] {
			if s.Name == want || e.serviceARN(s) == want {
				found = &e.services[cluster][i]
				break
			}
		}
		if found == nil {
			out.Failures = append(out.Failures, failure{Arn: want, Reason: "MISSING"})
			continue
		}
		out.Services = append(out.Services, e.serviceOut(*found))
	}
	return out, nil
}

func (e *ecs) serviceOut(s cwlens.Service) serviceOut {
	o := serviceOut{
		ServiceArn: e.serviceARN(s), ServiceName: s.Name, ClusterArn: e.clusterARN(s.Cluster),
		Status: "ACTIVE", DesiredCount: s.DesiredCount, RunningCount: s.RunningCount, PendingCount: s.PendingCount,
		LaunchType: s.LaunchType, TaskDefinition: e.taskDefARN(s), SchedulingStrategy: "REPLICA",
		Deployments: []deploymentOut{}, DeploymentController: deploymentController{Type: s.DeploymentController},
	}
	if o.DeploymentController.Type == "" {
		o.DeploymentController.Type = "ECS"
	}
	for _, c := range s.CapacityProviderStrategy {
		o.CapacityProviderStrategy = append(o.CapacityProviderStrategy, capacityProviderOut{c.CapacityProvider, c.Base, c.Weight})
	}
	// platformVersion is "Only specified for tasks that are hosted on
	// Fargate" (Service, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Service.html).
	if s.OnFargate() {
		o.PlatformVersion = "LATEST"
	}
	for _, d := range s.Deployments {
		o.Deployments = append(o.Deployments, deploymentOut{
			ID: d.ID, Status: d.Status, TaskDefinition: d.TaskDefinition,
			DesiredCount: d.DesiredCount, PendingCount: d.PendingCount, RunningCount: d.RunningCount, FailedTasks: d.FailedTasks,
			CreatedAt: jsonTime(d.CreatedAt), UpdatedAt: jsonTime(d.UpdatedAt),
			LaunchType: s.LaunchType, CapacityProviderStrategy: o.CapacityProviderStrategy, RolloutState: d.RolloutState,
		})
	}
	return o
}

type healthCheckOut struct {
	Command     []string `json:"command"`
	Interval    int      `json:"interval,omitempty"`
	Timeout     int      `json:"timeout,omitempty"`
	Retries     int      `json:"retries,omitempty"`
	StartPeriod int      `json:"startPeriod,omitempty"`
}

type logConfigurationOut struct {
	LogDriver string            `json:"logDriver"`
	Options   map[string]string `json:"options,omitempty"`
}

type containerOut struct {
	Name             string               `json:"name"`
	Image            string               `json:"image"`
	CPU              int                  `json:"cpu,omitempty"`
	Memory           int                  `json:"memory,omitempty"`
	Essential        bool                 `json:"essential"`
	HealthCheck      *healthCheckOut      `json:"healthCheck,omitempty"`
	LogConfiguration *logConfigurationOut `json:"logConfiguration,omitempty"`
}

type taskDefinitionOut struct {
	TaskDefinitionArn       string         `json:"taskDefinitionArn"`
	Family                  string         `json:"family"`
	Revision                int            `json:"revision"`
	Status                  string         `json:"status"`
	NetworkMode             string         `json:"networkMode"`
	RequiresCompatibilities []string       `json:"requiresCompatibilities"`
	CPU                     string         `json:"cpu,omitempty"`
	Memory                  string         `json:"memory,omitempty"`
	ContainerDefinitions    []containerOut `json:"containerDefinitions"`
	RuntimePlatform         *struct {
		CPUArchitecture       string `json:"cpuArchitecture"`
		OperatingSystemFamily string `json:"operatingSystemFamily"`
	} `json:"runtimePlatform,omitempty"`
	EphemeralStorage *struct {
		SizeInGiB int `json:"sizeInGiB"`
	} `json:"ephemeralStorage,omitempty"`
}

func (e *ecs) describeTaskDefinition(body []byte) (any, error) {
	var in struct {
		TaskDefinition string `json:"taskDefinition"`
	}
	if err := decodeJSON(body, &in); err != nil {
		return nil, err
	}
	s, ok := e.taskDefs[in.TaskDefinition]
	if !ok {
		for arn, ts := range e.taskDefs {
			if strings.HasSuffix(arn, ":task-definition/"+in.TaskDefinition) {
				s, ok = ts, true
				break
			}
		}
	}
	if !ok {
		return nil, &APIError{Status: 400, Code: "ClientException", Message: "Unable to describe task definition."}
	}
	arn := e.taskDefARN(s)
	family, rev := arn, 1
	if i := strings.LastIndex(arn, "/"); i >= 0 {
		family = arn[i+1:]
	}
	if i := strings.LastIndex(family, ":"); i >= 0 {
		fmt.Sscanf(family[i+1:], "%d", &rev)
		family = family[:i]
	}
	td := taskDefinitionOut{
		TaskDefinitionArn: arn, Family: family, Revision: rev, Status: "ACTIVE", NetworkMode: "awsvpc",
		RequiresCompatibilities: []string{compatibility(s)},
	}
	// Task-level cpu and memory are required on Fargate and optional on
	// EC2 and EXTERNAL, where the containers may carry the only sizes
	// (RegisterTaskDefinition,
	// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html;
	// TaskDefinition, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskDefinition.html).
	// A task the snapshot sizes 0 gets a container reservation the
	// snapshot does not hold, so the shape is exercised.
	var containerCPU, containerMemory int
	if s.CPUUnits > 0 {
		td.CPU = fmt.Sprint(s.CPUUnits)
	} else {
		containerCPU = 256
	}
	if s.MemoryMiB > 0 {
		td.Memory = fmt.Sprint(s.MemoryMiB)
	} else {
		containerMemory = 512
	}
	// runtimePlatform is optional; ECS treats its absence as Linux on
	// X86_64, so it is left out for those tasks to exercise the default.
	arch, osf := s.Architecture, s.OperatingSystem
	if (arch != "" && arch != cwlens.ArchX86_64) || (osf != "" && osf != "LINUX") {
		td.RuntimePlatform = &struct {
			CPUArchitecture       string `json:"cpuArchitecture"`
			OperatingSystemFamily string `json:"operatingSystemFamily"`
		}{arch, osf}
	}
	if s.EphemeralStorageGiB > 0 {
		td.EphemeralStorage = &struct {
			SizeInGiB int `json:"sizeInGiB"`
		}{s.EphemeralStorageGiB}
	}
	c := containerOut{Name: s.Name, Image: "public.ecr.aws/example/" + s.Name + ":latest", Essential: true, CPU: containerCPU, Memory: containerMemory}
	if hc := s.HealthCheck; hc != nil {
		if hc.Container != "" {
			c.Name = hc.Container
		}
		c.HealthCheck = &healthCheckOut{Command: hc.Command, Interval: hc.IntervalSeconds, Timeout: hc.TimeoutSeconds, Retries: hc.Retries, StartPeriod: hc.StartPeriodSeconds}
	}
	if s.LogGroup != "" {
		c.LogConfiguration = &logConfigurationOut{LogDriver: "awslogs", Options: map[string]string{
			"awslogs-group": s.LogGroup, "awslogs-region": e.region, "awslogs-stream-prefix": "ecs",
		}}
	}
	td.ContainerDefinitions = []containerOut{c}
	return struct {
		TaskDefinition taskDefinitionOut `json:"taskDefinition"`
	}{td}, nil
}

// compatibility names the launch type a task definition is registered for
// (requiresCompatibilities: EC2, FARGATE, EXTERNAL or MANAGED_INSTANCES).
func compatibility(s cwlens.Service) string {
	switch {
	case s.OnFargate():
		return "FARGATE"
	case s.LaunchType == cwlens.LaunchExternal:
		return "EXTERNAL"
	case s.LaunchType == "MANAGED_INSTANCES":
		return "MANAGED_INSTANCES"
	}
	return "EC2"
}
