# cwlens build targets. Everything else is plain `go`: see README.md.

LAMBDA_DIR := dist/lambda

.PHONY: lambda clean

# The Lambda function: bootstrap for the provided.al2023 runtime on arm64
# (Graviton), without the RPC mode only the deprecated go1.x runtime used,
# zipped for `sam deploy` or `aws lambda update-function-code`.
lambda:
	mkdir -p $(LAMBDA_DIR)
	GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -tags lambda.norpc -trimpath -ldflags='-s -w' \
		-o $(LAMBDA_DIR)/bootstrap ./cmd/cwlens-lambda
	rm -f dist/cwlens-lambda.zip
	cd $(LAMBDA_DIR) && zip -q -X ../cwlens-lambda.zip bootstrap
	@ls -l $(LAMBDA_DIR)/bootstrap dist/cwlens-lambda.zip

clean:
	rm -rf dist
