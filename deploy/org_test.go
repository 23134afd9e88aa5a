package deploy

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/cwlens/cwlens/internal/batch"
)

// OrgFunctionActions are the IAM actions of the calls the organisation
// function makes in its own account: organizations:ListAccounts (plan),
// sts:AssumeRole (each member), s3:GetObject, s3:PutObject and
// s3:ListBucket (ListObjectsV2) on the run's objects, sns:Publish (the
// merge's alert), and its own log. The e2e run through the state machine
// (orgrun_e2e_test.go) checks the emulator saw no other call.
var OrgFunctionActions = []string{"logs:CreateLogStream", "logs:PutLogEvents", "organizations:ListAccounts",
	"s3:GetObject", "s3:ListBucket", "s3:PutObject", "sns:Publish", "sts:AssumeRole"}

// roleActions returns the sorted actions an IAM role's inline policies
// allow, and the resources of each.
func roleActions(t *testing.T, role any) ([]string, map[string][]any) {
	t.Helper()
	var actions []string
	byAction := map[string][]any{}
	for _, p := range get(t, role, "Properties", "Policies").([]any) {
		for _, st := range get(t, p, "PolicyDocument", "Statement").([]any) {
			if get(t, st, "Effect") != "Allow" {
				t.Errorf("statement %v is not Allow", st)
			}
			for _, a := range stringList(get(t, st, "Action")) {
				actions = append(actions, a)
				byAction[a] = append(byAction[a], get(t, st, "Resource"))
			}
		}
	}
	slices.Sort(actions)
	return actions, byAction
}

func TestMemberRoleIsTheScanPolicy(t *testing.T) {
	tpl := loadTemplateFile(t, "org/member-role.yaml")
	role := get(t, tpl, "Resources", "MemberRole")
	actions, _ := roleActions(t, role)
	if want := scanPolicy(t); !slices.Equal(actions, want) {
		t.Errorf("member role actions %v, want docs/iam-policy.json's %v", actions, want)
	}
	trust := get(t, role, "Properties", "AssumeRolePolicyDocument", "Statement", 0)
	if !equalJSON(get(t, trust, "Principal", "AWS"), map[string]any{"Ref": "OrgFunctionRoleArn"}) {
		t.Errorf("the member role trusts %v, want only the organisation function's role", get(t, trust, "Principal"))
	}
	if !equalJSON(get(t, trust, "Condition", "StringEquals", "sts:ExternalId"), map[string]any{"Ref": "ExternalId"}) {
		t.Error("the member role does not require the external id")
	}
}

func TestOrgFunctionRoleIsItsCalls(t *testing.T) {
	tpl := loadTemplateFile(t, "org/template.yaml")
	actions, byAction := roleActions(t, get(t, tpl, "Resources", "OrgFunctionRole"))
	if !slices.Equal(actions, OrgFunctionActions) {
		t.Errorf("organisation function role actions\n  %v\nwant its calls\n  %v", actions, OrgFunctionActions)
	}
	if got, _ := get(t, byAction["sts:AssumeRole"][0], "Fn::Sub").(string); got != "arn:${AWS::Partition}:iam::*:role/${MemberRoleName}" {
		t.Errorf("sts:AssumeRole on %q, want only the member role", got)
	}
	if got, _ := get(t, byAction["s3:PutObject"][0], "Fn::Sub", 0).(string); got != "arn:${AWS::Partition}:s3:::${Bucket}/${ReportPrefix}/org/*" {
		t.Errorf("s3:PutObject on %q, want the run's objects", got)
	}
	env := get(t, tpl, "Resources", "OrgFunction", "Properties", "Environment", "Variables").(map[string]any)
	for _, k := range []string{batch.EnvOrgRoleName, batch.EnvOrgExternalID, batch.EnvOrgAccounts, batch.EnvOrgConcurrency, batch.EnvReportBucket} {
		if _, ok := env[k]; !ok {
			t.Errorf("the organisation function lacks %s", k)
		}
	}
	sm := get(t, tpl, "Resources", "StateMachine", "Properties")
	if get(t, sm, "DefinitionUri") != "statemachine.asl.json" {
		t.Error("the state machine is not the ASL file")
	}
}

// stateMachine is the ASL file with its one substitution made.
func stateMachine(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("org/statemachine.asl.json")
	if err != nil {
		t.Fatal(err)
	}
	var sm map[string]any
	if err := json.Unmarshal(b, &sm); err != nil {
		t.Fatalf("statemachine.asl.json: %v", err)
	}
	return sm
}

// tasks walks every state of an ASL document, nested Maps included.
func tasks(states map[string]any, visit func(name string, st map[string]any)) {
	for name, v := range states {
		st := v.(map[string]any)
		visit(name, st)
		if p, ok := st["ItemProcessor"].(map[string]any); ok {
			tasks(p["States"].(map[string]any), visit)
		}
	}
}

func TestStateMachine(t *testing.T) {
	sm := stateMachine(t)
	steps := map[string]int{}
	tasks(sm["States"].(map[string]any), func(name string, st map[string]any) {
		if st["Type"] != "Task" {
			return
		}
		if st["Resource"] != "${FunctionArn}" {
			t.Errorf("%s invokes %v, not the function", name, st["Resource"])
		}
		step, _ := get(t, st, "Parameters", "org", "step").(string)
		steps[step]++
		retry, _ := st["Retry"].([]any)
		if len(retry) == 0 {
			t.Errorf("%s is not retried", name)
		}
		for _, r := range retry {
			if get(t, r, "JitterStrategy") != "FULL" || get(t, r, "BackoffRate").(float64) < 2 {
				t.Errorf("%s retries without exponential backoff and full jitter: %v", name, r)
			}
		}
	})
	want := map[string]int{batch.StepPlan: 1, batch.StepMember: 1, batch.StepFailed: 1, batch.StepMerge: 1}
	if !equalJSON(steps, want) {
		t.Errorf("steps %v, want %v", steps, want)
	}
	accounts := get(t, sm, "States", "Accounts")
	if get(t, accounts, "ItemProcessor", "ProcessorConfig", "Mode") != "DISTRIBUTED" ||
		get(t, accounts, "MaxConcurrencyPath") != "$.plan.concurrency" ||
		get(t, accounts, "ToleratedFailurePercentage").(float64) != 100 {
		t.Errorf("the accounts Map is not a tolerant Distributed Map bounded by the plan: %v", accounts)
	}
	member := get(t, accounts, "ItemProcessor", "States", "Regions", "ItemProcessor", "States", "Member")
	if get(t, member, "Catch", 0, "Next") != "RecordFailure" || !slices.Contains(stringList(get(t, member, "Catch", 0, "ErrorEquals")), "States.ALL") {
		t.Error("a member's failure is not caught and recorded")
	}
	if !slices.Contains(stringList(get(t, member, "Retry", 0, "ErrorEquals")), "Lambda.TooManyRequestsException") {
		t.Error("a member is not retried when Lambda throttles")
	}
	if s := get(t, sm, "Comment").(string); strings.Contains(s, "/work") {
		t.Error("the comment names a development path")
	}
}
