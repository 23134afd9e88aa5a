# cwlens build targets. Everything else is plain `go`: see README.md.

LAMBDA_DIR := dist/lambda

.PHONY: lambda clean

# The Lambda function: bootstrap for the provided.al2023 runtime on arm64
# (Graviton), without the RPC mode only the deprecated go1.x runtime used,
# zipped for `sam deploy` or `aws lambda update-function-code`.
#
# The AWS SDK is compiled without inlining (-l for github.com/aws/...): its
# generated clients are most of the binary, and their calls wait on the
# network, so inlining there buys no time a run can see (a 10,000-group
# scan: the same wall time, about 5 % more CPU) and costs 3 MB of bootstrap,
# which every cold start loads. Our own packages keep inlining.
lambda:
	mkdir -p $(LAMBDA_DIR)
	GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -tags lambda.norpc -trimpath -ldflags='-s -w' \
		-gcflags='github.com/aws/...=-l' -o $(LAMBDA_DIR)/bootstrap ./cmd/cwlens-lambda
	rm -f dist/cwlens-lambda.zip
	cd $(LAMBDA_DIR) && zip -q -X ../cwlens-lambda.zip bootstrap
	@ls -l $(LAMBDA_DIR)/bootstrap dist/cwlens-lambda.zip

clean:
	rm -rf dist
