module github.com/cwlens/cwlens

go 1.25.0

require github.com/shopspring/decimal v1.6.0

require gopkg.in/yaml.v3 v3.0.1 // indirect
