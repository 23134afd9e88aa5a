module github.com/cwlens/cwlens

go 1.25.0

require github.com/shopspring/decimal v1.6.0
