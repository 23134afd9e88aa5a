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
// Drain is weak: see Miner and Miner.Result. It takes events as CloudWatch
// stores them: a JSON object (alone or after a text prefix) is mined by its
// key set, its message as text and its other values as fields; logfmt
// fields, access-log requests and stack traces (Java, Python, Go, Node.js)
// keep one template per logging statement; and the header a log's lines
// open with (time, level, host, thread, logger) is learned from its first
// lines and taken off, the level kept.
package logtemplate
