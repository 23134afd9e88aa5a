// Package logtemplate mines log messages into templates — the constant text
// of a log statement with its variables written as <*> — and counts the
// events and bytes behind each, so that a flood of log bytes can be traced
// to the lines that cause it.
//
//	m, _ := logtemplate.New(logtemplate.DefaultConfig())
//	for _, msg := range messages {
//		m.Add(msg)
//	}
//	for _, t := range m.Result().Templates {
//		fmt.Println(t.Events, t.Bytes, t.Text)
//	}
//
// The miner follows Drain (He et al., ICWS 2017) and improves on it where
// Drain is weak: see Miner and Miner.Result.
package logtemplate
