// Package lokidrain runs cwlens's template miner and Grafana Loki's drain
// (github.com/grafana/loki/v3/pkg/pattern/drain) side by side on the same
// lines: grouping accuracy and lines per CPU-second. It is a module of its
// own so that Loki's dependencies never reach cwlens's build; nothing
// imports it.
//
//	cd bench/lokidrain
//	LOGHUB_RAW=DIR go test -run SideBySide -v   # DIR: Loghub's 2k samples, <D>/<D>_2k.log
//	go test -run XXX -bench . -cpu 1 -benchmem
package lokidrain
