// Package deploy holds the AWS SAM template of the scheduled run
// (template.yaml) and the test that keeps its role least-privilege.
package deploy

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/internal/batch"
	"go.yaml.in/yaml/v3"
)

// cfn converts a YAML node of a CloudFormation template into plain values
// (map[string]any, []any, string), turning the short-form intrinsic
// functions into their long form as CloudFormation does: !Ref X becomes
// {"Ref": X}, !GetAtt A.B {"Fn::GetAtt": [A, B]}, !Sub, !If, ... {"Fn::Sub": …}.
// yaml.v3 keeps such tags on the node; decoding straight into Go values
// would reject them.
func cfn(n *yaml.Node) (any, error) {
	var v any
	switch n.Kind {
	case yaml.DocumentNode:
		return cfn(n.Content[0])
	case yaml.AliasNode:
		return cfn(n.Alias)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			val, err := cfn(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = val
		}
		v = m
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			val, err := cfn(c)
			if err != nil {
				return nil, err
			}
			s = append(s, val)
		}
		v = s
	case yaml.ScalarNode:
		v = n.Value
	default:
		return nil, fmt.Errorf("line %d: unexpected YAML node kind %d", n.Line, n.Kind)
	}
	if !strings.HasPrefix(n.Tag, "!") || strings.HasPrefix(n.Tag, "!!") {
		return v, nil
	}
	fn := strings.TrimPrefix(n.Tag, "!")
	switch fn {
	case "Ref", "Condition":
		return map[string]any{fn: v}, nil
	case "GetAtt":
		if s, ok := v.(string); ok {
			res, attr, ok := strings.Cut(s, ".")
			if !ok {
				return nil, fmt.Errorf("line %d: !GetAtt %q: want Resource.Attribute", n.Line, s)
			}
			v = []any{res, attr}
		}
	}
	return map[string]any{"Fn::" + fn: v}, nil
}

func loadTemplate(t *testing.T) map[string]any { return loadTemplateFile(t, "template.yaml") }

func loadTemplateFile(t *testing.T, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	v, err := cfn(&doc)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v.(map[string]any)
}

// get walks a path of map keys and sequence indexes.
func get(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%v: not a mapping at %q", path, k)
			}
			if v, ok = m[k]; !ok {
				t.Fatalf("%v: no %q", path, k)
			}
		case int:
			s, ok := v.([]any)
			if !ok || k >= len(s) {
				t.Fatalf("%v: no item %d", path, k)
			}
			v = s[k]
		}
	}
	return v
}

// strings returns a string or a list of strings as a list.
func stringList(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// billStatement is docs/iam-policy.json's statement for cwlens scan --bill.
// The member role never reads the bill and the scheduled function only with
// ReadBill, so their roles are compared with the policy without it (and the
// function's, with ReadBill, with it: billPolicy).
const billStatement = "CwlensScanBill"

// scanPolicy reads docs/iam-policy.json, the read-only actions of the scan,
// without the bill's statement.
func scanPolicy(t *testing.T) []string {
	t.Helper()
	scan, _ := policyActions(t)
	return scan
}

// billPolicy is the bill statement's actions.
func billPolicy(t *testing.T) []string {
	t.Helper()
	_, bill := policyActions(t)
	return bill
}

func policyActions(t *testing.T) (scan, billActions []string) {
	t.Helper()
	b, err := os.ReadFile("../docs/iam-policy.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Statement []struct {
			Sid    string
			Effect string
			Action any
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("docs/iam-policy.json: %v", err)
	}
	var out []string
	for _, s := range doc.Statement {
		if s.Sid == billStatement {
			billActions = stringList(s.Action)
			continue
		}
		if s.Effect == "Allow" {
			out = append(out, stringList(s.Action)...)
		}
	}
	if billActions == nil {
		t.Errorf("docs/iam-policy.json has no statement %s to leave out of the roles", billStatement)
	}
	slices.Sort(out)
	slices.Sort(billActions)
	return slices.Compact(out), billActions
}

// resolveIf returns v with each Fn::If on cond taken as value says, and
// AWS::NoValue dropped from lists.
func resolveIf(v any, cond string, value bool) any {
	switch x := v.(type) {
	case map[string]any:
		if args, ok := x["Fn::If"].([]any); ok && len(args) == 3 && args[0] == cond {
			if value {
				return resolveIf(args[1], cond, value)
			}
			return resolveIf(args[2], cond, value)
		}
		out := map[string]any{}
		for k, e := range x {
			out[k] = resolveIf(e, cond, value)
		}
		return out
	case []any:
		var out []any
		for _, e := range x {
			r := resolveIf(e, cond, value)
			if m, ok := r.(map[string]any); ok && len(m) == 1 && m["Ref"] == "AWS::NoValue" {
				continue
			}
			out = append(out, r)
		}
		return out
	}
	return v
}

// The actions the run needs besides the scan's: the reports, the alert, its
// own log (Lambda writes the function's output there, EMF included).
// s3:ListBucket is not among the three: without it S3 answers
// GetObject of a missing key with 403 AccessDenied instead of 404 (S3
// GetObject API reference), and the first run could not start.
var runActions = []string{"logs:CreateLogStream", "logs:PutLogEvents", "s3:GetObject", "s3:ListBucket", "s3:PutObject", "sns:Publish"}

func TestRoleIsLeastPrivilege(t *testing.T) {
	tpl := loadTemplate(t)
	if got := get(t, tpl, "Transform"); got != "AWS::Serverless-2016-10-31" {
		t.Errorf("Transform = %v", got)
	}
	role := get(t, tpl, "Resources", "FunctionRole")
	if get(t, role, "Type") != "AWS::IAM::Role" {
		t.Fatal("FunctionRole is not an IAM role")
	}
	if _, ok := get(t, role, "Properties").(map[string]any)["ManagedPolicyArns"]; ok {
		t.Error("the role has managed policies; every action must be listed here")
	}
	for _, readBill := range []bool{false, true} {
		checkRolePolicies(t, resolveIf(get(t, role, "Properties", "Policies"), "ReadsBill", readBill).([]any), readBill)
	}
	if get(t, tpl, "Conditions", "ReadsBill") == nil {
		t.Error("no ReadsBill condition")
	}
}

// checkRolePolicies checks the function role's policies: the scan's
// read-only actions (with the bill's when it reads it) on every resource,
// the run's own actions on its own resources only.
func checkRolePolicies(t *testing.T, policies []any, readBill bool) {
	t.Helper()
	var actions []string
	byAction := map[string][]any{} // action → resources
	for _, p := range policies {
		for _, st := range get(t, p, "PolicyDocument", "Statement").([]any) {
			if get(t, st, "Effect") != "Allow" {
				t.Errorf("statement %v is not Allow", st)
			}
			if _, ok := st.(map[string]any)["NotAction"]; ok {
				t.Errorf("statement %v uses NotAction", st)
			}
			for _, a := range stringList(get(t, st, "Action")) {
				actions = append(actions, a)
				byAction[a] = append(byAction[a], get(t, st, "Resource"))
			}
		}
	}
	slices.Sort(actions)
	scan := scanPolicy(t)
	if readBill {
		scan = append(scan, billPolicy(t)...)
	}
	want := append(slices.Clone(scan), runActions...)
	slices.Sort(want)
	if !slices.Equal(actions, want) {
		t.Errorf("ReadBill %v: role actions\n  %v\nwant docs/iam-policy.json plus %v:\n  %v", readBill, actions, runActions, want)
	}

	// Only the scan's read-only actions apply to every resource.
	for a, rs := range byAction {
		for _, r := range rs {
			if r == "*" && !slices.Contains(scan, a) {
				t.Errorf("%s is granted on every resource", a)
			}
		}
	}
	sub := func(r any) string {
		s, _ := get(t, r, "Fn::Sub", 0).(string)
		return s
	}
	if got := sub(byAction["s3:PutObject"][0]); got != "arn:${AWS::Partition}:s3:::${Bucket}/${ReportPrefix}/*" {
		t.Errorf("s3:PutObject resource = %q, want the objects under the prefix", got)
	}
	if got := sub(byAction["s3:GetObject"][0]); got != "arn:${AWS::Partition}:s3:::${Bucket}/${ReportPrefix}/*" {
		t.Errorf("s3:GetObject resource = %q, want the objects under the prefix", got)
	}
	if got := byAction["sns:Publish"][0]; !equalJSON(got, map[string]any{"Ref": "AlertTopic"}) {
		t.Errorf("sns:Publish resource = %v, want the alert topic", got)
	}
	if got := byAction["logs:PutLogEvents"][0]; !equalJSON(got, map[string]any{"Fn::GetAtt": []any{"FunctionLogGroup", "Arn"}}) {
		t.Errorf("logs:PutLogEvents resource = %v, want the function's log group", got)
	}
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func TestFunction(t *testing.T) {
	tpl := loadTemplate(t)
	fn := get(t, tpl, "Resources", "Function")
	props := get(t, fn, "Properties")
	checks := map[string]any{
		"Type":    get(t, fn, "Type"),
		"Runtime": get(t, props, "Runtime"),
		"Handler": get(t, props, "Handler"),
		"Arch":    get(t, props, "Architectures", 0),
		"Role":    get(t, props, "Role"),
		"Events":  get(t, props, "Events", "Daily", "Properties", "Schedule"),
	}
	want := map[string]any{
		"Type": "AWS::Serverless::Function", "Runtime": "provided.al2023", "Handler": "bootstrap", "Arch": "arm64",
		"Role":   map[string]any{"Fn::GetAtt": []any{"FunctionRole", "Arn"}},
		"Events": map[string]any{"Ref": "Schedule"},
	}
	for k, w := range want {
		if !equalJSON(checks[k], w) {
			t.Errorf("%s = %v, want %v", k, checks[k], w)
		}
	}
	if got := get(t, tpl, "Parameters", "Schedule", "Default"); !strings.HasPrefix(got.(string), "cron(0 6 * * ? *)") {
		t.Errorf("default schedule %v is not daily", got)
	}
	if get(t, tpl, "Conditions", "CreateBucket") == nil || get(t, tpl, "Resources", "ReportBucket", "Condition") != "CreateBucket" {
		t.Error("the report bucket is not created conditionally")
	}

	// Every setting the function reads is wired to the template.
	vars := get(t, props, "Environment", "Variables").(map[string]any)
	for _, name := range []string{batch.EnvRegions, batch.EnvLookbackDays, batch.EnvLogGroupPrefix, batch.EnvClusters,
		batch.EnvScenario, batch.EnvReportBucket, batch.EnvReportPrefix, batch.EnvSNSTopicARN, batch.EnvAlertSeverity, batch.EnvDryRun, batch.EnvSampleEvents, batch.EnvBill} {
		if _, ok := vars[name]; !ok {
			t.Errorf("environment lacks %s", name)
		}
	}
	// The sample parameter has the bounds FromEnv accepts, so a stack
	// cannot be deployed with a value every invocation would refuse.
	p := get(t, tpl, "Parameters", "SampleEvents")
	if fmt.Sprint(get(t, p, "MinValue")) != "0" || fmt.Sprint(get(t, p, "MaxValue")) != fmt.Sprint(cwlens.MaxSampleEvents) ||
		!equalJSON(vars[batch.EnvSampleEvents], map[string]any{"Ref": "SampleEvents"}) {
		t.Errorf("SampleEvents parameter %v, variable %v", p, vars[batch.EnvSampleEvents])
	}
	rb := get(t, tpl, "Parameters", "ReadBill")
	if get(t, rb, "Default") != "false" || !equalJSON(vars[batch.EnvBill], map[string]any{"Ref": "ReadBill"}) {
		t.Errorf("ReadBill parameter %v, variable %v: want off by default, as CWLENS_BILL", rb, vars[batch.EnvBill])
	}
	for _, v := range get(t, rb, "AllowedValues").([]any) {
		if err := fromEnvWith(batch.EnvBill, v.(string)); err != nil {
			t.Errorf("ReadBill %v: %v", v, err)
		}
	}
	if err := fromEnvWith(batch.EnvSampleEvents, fmt.Sprint(get(t, p, "Default"))); err != nil {
		t.Errorf("the template's default sample: %v", err)
	}
	for name := range vars {
		if !strings.HasPrefix(name, "CWLENS_") {
			t.Errorf("unexpected variable %s", name)
		}
	}
}

// fromEnvWith reads the function's settings with name set to value, beside
// the two every deployment has.
func fromEnvWith(name, value string) error {
	_, err := batch.FromEnv(func(k string) (string, bool) {
		switch k {
		case "AWS_REGION":
			return "us-east-1", true
		case batch.EnvReportBucket:
			return "acme-reports", true
		case name:
			return value, true
		}
		return "", false
	})
	return err
}

func TestCFNShortForms(t *testing.T) {
	src := `
A: !Ref Bucket
B: !GetAtt Role.Arn
C: !Sub
  - arn:${X}
  - X: !If [Cond, !Ref P, !Ref Q]
D: !Equals [!Ref P, ""]
E: !Not [!Condition HasX]
F: plain
`
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(src), &n); err != nil {
		t.Fatal(err)
	}
	v, err := cfn(&n)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"A":{"Ref":"Bucket"},"B":{"Fn::GetAtt":["Role","Arn"]},"C":{"Fn::Sub":["arn:${X}",{"X":{"Fn::If":["Cond",{"Ref":"P"},{"Ref":"Q"}]}}]},"D":{"Fn::Equals":[{"Ref":"P"},""]},"E":{"Fn::Not":[{"Condition":"HasX"}]},"F":"plain"}`
	if got, _ := json.Marshal(v); string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if err := yaml.Unmarshal([]byte("A: !GetAtt RoleArn"), &n); err != nil {
		t.Fatal(err)
	}
	if _, err := cfn(&n); err == nil {
		t.Error("!GetAtt without an attribute accepted")
	}
}
