// Wrapper module for scripts/deps/pulumi.sh: builds the Pulumi CLI (from pkg) against one
// pkg/sdk version.
module taskflow.local/pulumi

go 1.26.6

require (
	github.com/pulumi/pulumi/pkg/v3 v@PULUMI_VERSION@
	github.com/pulumi/pulumi/sdk/v3 v@PULUMI_VERSION@
)

// Copied from pkg's go.mod (its other replace points into the pulumi repository).
replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
